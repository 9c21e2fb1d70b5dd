/**
 * XMTP v3: every signer through toXmtpSigner signs the SDK's "XMTP : Authenticate to inbox" texts,
 * and our verifier accepts them (EOA recovery; ERC-1271 at the recorded block for a Safe on anvil);
 * tampered texts and signatures are refused. v2 identities exported for legacy delegation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createIdentity,
  exportLegacyIdentityForV3,
  hashPersonalMessage,
  MemoryKeyStore,
  normalizeSignature,
  parseXmtpV3Text,
  publicKeyToAddress,
  recoverPersonalSignAddress,
  signWithLegacyIdentityKey,
  toXmtpSigner,
  verifyXmtpV3Signature,
  type Signer,
} from '../src/index.js'
import { decodeSignedPublicKeyBundle } from '../src/wire.js'
import { recoverPublicKey } from '../src/signature.js'
import { LocalSigner } from '../signers/local/index.js'
import { LedgerSigner } from '../signers/ledger/index.js'
import { createEmulatorTransport, LedgerEmulator, TEST_MNEMONIC } from '../signers/ledger/emulator/index.js'
import { SmartAccountSigner, verifyXmtpV3SmartAccountSignature } from '../signers/smart-account/index.js'
import { startAnvil, type Anvil } from './support/anvil.js'
import { deploySafe, devSigner, safeAddOwner, safeRemoveOwner } from './support/accounts.js'
import { TrezorSigner } from '../signers/trezor/index.js'
import { startTrezorBridge, TrezorEmulator } from '../signers/trezor/emulator/index.js'
import { TREZOR_MAX_MESSAGE_BYTES } from '../signers/trezor/limits.js'

/** An XMTP v3 signature text as libxmtp writes it for creating an inbox and granting an installation. */
function v3Text(owner: string, inboxId = 'a1'.repeat(32)): string {
  return [
    'XMTP : Authenticate to inbox',
    '',
    `Inbox ID: ${inboxId}`,
    'Current time: 2026-11-22T08:00:00Z',
    '',
    '- Create inbox',
    `  (Owner: ${owner.toLowerCase()})`,
    '- Grant messaging access to app',
    '  (ID: 3f2a9c0e5b7d4a1c8e6f0b2d4c6a8e0f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b)',
    '',
    'For more info: https://xmtp.org/signatures',
  ].join('\n')
}

let anvil: Anvil
beforeAll(async () => {
  anvil = await startAnvil()
})
afterAll(async () => anvil?.stop())

async function eoaRoundTrip(signer: Signer) {
  const v3 = toXmtpSigner(signer)
  expect(v3.type).toBe('EOA')
  expect(v3.getIdentifier()).toEqual({ identifier: signer.address.toLowerCase(), identifierKind: 0 })
  const text = v3Text(signer.address)
  const signature = await v3.signMessage(text)
  expect(signature).toBeInstanceOf(Uint8Array)
  expect(signature).toHaveLength(65)
  expect(verifyXmtpV3Signature({ text, signature, address: signer.address })).toMatchObject({ valid: true, signer: signer.address })
  // Tampered text: another inbox, or not a v3 text at all.
  expect(verifyXmtpV3Signature({ text: v3Text(signer.address, 'b2'.repeat(32)), signature, address: signer.address }).valid).toBe(false)
  expect(() => verifyXmtpV3Signature({ text: text.replace('Authenticate to inbox', 'Create Identity'), signature, address: signer.address })).toThrow(/Not an XMTP v3/)
  // Tampered signature.
  const tampered = signature.slice()
  tampered[5] = tampered[5]! ^ 0xff
  let tamperedValid: boolean
  try {
    tamperedValid = verifyXmtpV3Signature({ text, signature: tampered, address: signer.address }).valid
  } catch {
    tamperedValid = false
  }
  expect(tamperedValid).toBe(false)
}

describe('toXmtpSigner: EOAs', () => {
  it('a local key', async () => {
    await eoaRoundTrip(LocalSigner.fromMnemonic(TEST_MNEMONIC))
  })

  it('the Ledger emulator (the device shows the v3 text)', async () => {
    const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
    const ledger = await LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator) })
    await eoaRoundTrip(ledger)
    expect(emulator.screens.some((s) => s.kind === 'sign-message' && s.text.startsWith('XMTP : Authenticate to inbox'))).toBe(true)
    await ledger.close()
  })

  it('takes another identifier kind when given (older SDKs used the string "Ethereum")', () => {
    const v3 = toXmtpSigner(LocalSigner.fromMnemonic(TEST_MNEMONIC), { identifierKind: 'Ethereum' as const })
    expect(v3.getIdentifier().identifierKind).toBe('Ethereum')
  })
})

describe('toXmtpSigner: a Safe on anvil', () => {
  it('signs as SCW with chain id and block number; the verifier accepts it at that block and refuses tampering', async () => {
    const owner = devSigner(1)
    const safe = await deploySafe(anvil, { owners: [owner.address], threshold: 1 })
    const account = await SmartAccountSigner.open({ rpcUrl: anvil.rpcUrl, account: safe, scheme: 'safe', owner })
    const v3 = toXmtpSigner(account)
    if (v3.type !== 'SCW') throw new Error('expected an SCW signer')
    expect(v3.getChainId()).toBe(BigInt(anvil.chainId))
    expect(() => v3.getBlockNumber!()).toThrow(/No signature/)
    const text = v3Text(safe)
    const signature = await v3.signMessage(text)
    const blockNumber = v3.getBlockNumber!()
    const base = { text, signature, account: safe, chainId: v3.getChainId(), blockNumber, rpcUrl: anvil.rpcUrl }
    expect(await verifyXmtpV3SmartAccountSignature(base)).toMatchObject({ valid: true, signer: safe })
    expect((await verifyXmtpV3SmartAccountSignature({ ...base, text: v3Text(safe, 'c3'.repeat(32)) })).valid).toBe(false)
    const tampered = signature.slice()
    tampered[20] = tampered[20]! ^ 0x01
    expect((await verifyXmtpV3SmartAccountSignature({ ...base, signature: tampered })).valid).toBe(false)
    await expect(verifyXmtpV3SmartAccountSignature({ ...base, chainId: 1n })).rejects.toMatchObject({ code: 'WRONG_CHAIN' })
  })
})

describe('v2 identities brought to XMTP v3 (legacy delegation)', () => {
  it('exports the Create Identity text, the wallet’s 65-byte signature and the V2 signed key; the legacy key signs v3 texts', async () => {
    const wallet = LocalSigner.fromMnemonic(TEST_MNEMONIC)
    const { identity } = await createIdentity(wallet, new MemoryKeyStore())
    const legacy = exportLegacyIdentityForV3(identity)
    expect(legacy.account).toBe(wallet.address)
    expect(legacy.createIdentityText).toMatch(/^XMTP : Create Identity\n[0-9a-f]+\n\nFor more info: https:\/\/xmtp.org\/signatures\/$/)
    expect(legacy.walletSignature).toHaveLength(65)
    expect(recoverPersonalSignAddress(legacy.createIdentityText, normalizeSignature(legacy.walletSignature))).toBe(wallet.address)
    // The signed key is the identity half of the V2 bundle, wallet signature included.
    const v2 = decodeSignedPublicKeyBundle(identity.encodeSignedPublicKeyBundle())
    expect(Buffer.from(legacy.signedPublicKey).toString('hex')).toBe(
      Buffer.from(identity.encodeSignedPublicKeyBundle()).toString('hex').slice(6, 6 + legacy.signedPublicKey.length * 2),
    )
    expect(v2.identityKey.signature.kind).toBe('walletEcdsaCompact')
    const text = v3Text(wallet.address)
    const byLegacyKey = normalizeSignature(signWithLegacyIdentityKey(identity, text))
    expect(Buffer.from(recoverPublicKey(hashPersonalMessage(text), byLegacyKey)).toString('hex')).toBe(Buffer.from(identity.identityPublicKey).toString('hex'))
    expect(publicKeyToAddress(identity.identityPublicKey)).not.toBe(wallet.address)
    expect(() => signWithLegacyIdentityKey(identity, 'hello')).toThrow(/Not an XMTP v3/)
  })

  it('parses the texts it verifies', () => {
    expect(parseXmtpV3Text(v3Text('0xabc'))).toEqual({
      inboxId: 'a1'.repeat(32),
      currentTime: '2026-11-22T08:00:00Z',
      actions: ['- Create inbox', '- Grant messaging access to app'],
    })
  })
})

/** libxmtp's text for revoking `count` installations at once: one "- Revoke messaging access" line and an ID per installation. */
function v3RevokeText(count: number): string {
  const lines = ['XMTP : Authenticate to inbox', '', `Inbox ID: ${'d4'.repeat(32)}`, 'Current time: 2026-11-22T08:00:00Z', '']
  for (let i = 0; i < count; i++) lines.push('- Revoke messaging access from app', `  (ID: ${i.toString(16).padStart(2, '0').repeat(32)})`)
  return [...lines, '', 'For more info: https://xmtp.org/signatures'].join('\n')
}

describe('v3 texts the wallet can sign, refused before any prompt otherwise', () => {
  it('a Trezor (1024-byte messages): revoking nine installations is refused typed, with what to do; fewer sign', async () => {
    const emulator = new TrezorEmulator({ mnemonic: TEST_MNEMONIC })
    const bridge = await startTrezorBridge(emulator, { version: '3.0.5' })
    const trezor = await TrezorSigner.open({ bridgeUrl: bridge.url })
    try {
      expect(trezor.capabilities.maxMessageBytes).toBe(TREZOR_MAX_MESSAGE_BYTES)
      const nine = v3RevokeText(9)
      expect(new TextEncoder().encode(nine).length).toBeGreaterThan(TREZOR_MAX_MESSAGE_BYTES)
      const v3 = toXmtpSigner(trezor)
      const screensBefore = emulator.screens.length
      const error = await v3.signMessage(nine).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'UNSUPPORTED_OPERATION', nextStep: expect.stringContaining('revoke fewer installations') })
      expect((error as Error).message).toContain(`at most ${TREZOR_MAX_MESSAGE_BYTES} bytes`)
      expect(emulator.screens.length).toBe(screensBefore) // nothing reached the device
      // The adapter refuses it too when called directly, and the emulator as the firmware does.
      await expect(trezor.signPersonalMessage(nine)).rejects.toMatchObject({ code: 'UNSUPPORTED_OPERATION' })
      const five = v3RevokeText(5)
      expect(new TextEncoder().encode(five).length).toBeLessThanOrEqual(TREZOR_MAX_MESSAGE_BYTES)
      expect(verifyXmtpV3Signature({ text: five, signature: await v3.signMessage(five), address: trezor.address }).valid).toBe(true)
    } finally {
      await trezor.close()
      await bridge.close()
    }
  })

  it('a smart account whose owner was removed: the signature the account would reject is our SMART_ACCOUNT_REJECTED, naming the chain, before the SDK sees it', async () => {
    const owner = devSigner(3)
    const other = devSigner(4)
    const safe = await deploySafe(anvil, { owners: [owner.address], threshold: 1 })
    const account = await SmartAccountSigner.open({ rpcUrl: anvil.rpcUrl, account: safe, scheme: 'safe', owner })
    // The owner is replaced on chain after the signer was opened: its signatures no longer satisfy the Safe.
    await safeAddOwner(anvil, { safe, owner: other.address, threshold: 1, signers: [owner] })
    await safeRemoveOwner(anvil, { safe, owner: owner.address, threshold: 1, signers: [other] })
    const v3 = toXmtpSigner(account)
    const error = await v3.signMessage(v3Text(safe)).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'SMART_ACCOUNT_REJECTED' })
    expect((error as Error).message).toContain(`on chain ${anvil.chainId}`)
  })
})
