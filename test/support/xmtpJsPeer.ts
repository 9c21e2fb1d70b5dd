/**
 * The reference client as a peer: the real @xmtp/xmtp-js (CommonJS build — its ESM build cannot be
 * imported natively) loads a bundle we stored, through a loopback fake XMTP node, with a wallet that
 * holds the same key as the hardware signer (mnemonic + path).
 */
import { createRequire } from 'node:module'
import { HDKey } from '@scure/bip32'
import { mnemonicToSeedSync } from '@scure/bip39'
import { toHex } from '../../src/index.js'
import { FakeXmtpNode } from './fakeXmtpNode.js'

/** What xmtp-js's `Client.getKeys` decrypted from our stored bundle, and how many envelopes it published. */
export async function xmtpJsLoadsStoredBundle(
  stored: { storageTopic: string; encryptedBundle: Uint8Array },
  wallet: { mnemonic: string; path: string },
): Promise<{ privateKeyBundle: Uint8Array; publishes: number }> {
  const require = createRequire(import.meta.url)
  const xmtp = require('@xmtp/xmtp-js') as typeof import('@xmtp/xmtp-js')
  const { privateKeyToAccount } = require('viem/accounts') as typeof import('viem/accounts')
  const node = await FakeXmtpNode.start()
  try {
    node.seed(stored.storageTopic, stored.encryptedBundle)
    const key = HDKey.fromMasterSeed(mnemonicToSeedSync(wallet.mnemonic)).derive(wallet.path).privateKey!
    const account = privateKeyToAccount(`0x${toHex(key)}`)
    const signer = { getAddress: async () => account.address, signMessage: (message: string) => account.signMessage({ message }) }
    const privateKeyBundle = await xmtp.Client.getKeys(signer, { apiUrl: node.url, skipContactPublishing: true, persistConversations: false })
    return { privateKeyBundle, publishes: node.publishes.length }
  } finally {
    await node.close()
  }
}
