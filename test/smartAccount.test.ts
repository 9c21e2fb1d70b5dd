/**
 * Smart accounts on a real chain (anvil): a real Safe 1.5.0 (1-of-1, 2-of-3), a Coinbase-style
 * account, an OpenZeppelin Account + ERC-7739 account, a plain ERC-1271 account and an undeployed one
 * (ERC-6492) create XMTP identities through SmartAccountSigner; verification by eth_call, cross-checked
 * with viem's verifyMessage; the negative cases; the reproducibility guard; a Ledger owning a Safe.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { HDKey } from '@scure/bip32'
import { mnemonicToSeedSync } from '@scure/bip39'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyMessage } from 'viem/actions'
import {
  createIdentity,
  createIdentityText,
  hashPersonalMessage,
  hashTypedData,
  MemoryKeyStore,
  storageTopic,
  to0xHex,
  toHex,
  unlockIdentity,
  verifyEncodedBundle,
  type Signer,
  type XmtpIdentity,
} from '../src/index.js'
import { decodeContactBundle, encodeContactBundleV1, encodeUnsignedPublicKeyV1 } from '../src/wire.js'
import { LedgerSigner } from '../signers/ledger/index.js'
import { createEmulatorTransport, LedgerEmulator, startSpeculosHttpServer, TEST_MNEMONIC } from '../signers/ledger/emulator/index.js'
import { SmartAccountSigner, verifyBundleOnChain } from '../signers/smart-account/index.js'
import { ANVIL_MNEMONIC, startAnvil, type Anvil } from './support/anvil.js'
import {
  counterfactualErc7739Account,
  deployCoinbaseStyleAccount,
  deployErc7739Account,
  deployPlainErc1271Account,
  deploySafe,
  devSigner,
  ERC7739_ACCOUNT_DOMAIN,
  safeRemoveOwner,
} from './support/accounts.js'

let anvil: Anvil
beforeAll(async () => {
  anvil = await startAnvil()
})
afterAll(async () => anvil?.stop())

const owner = () => devSigner(1)
const FAST_SCRYPT = 12 // tests only: the default is 2^17

/** The identity's attestation, as any verifier would check it: viem's verifyMessage (ERC-6492 universal validator). */
async function viemAccepts(identity: XmtpIdentity, account: string): Promise<boolean> {
  const bundle = identity.exportPrivateKeyBundle().identityKey.publicKey
  const signature = bundle.signature
  if (signature?.kind !== 'smartAccount') throw new Error('not a smart-account attestation')
  return verifyMessage(anvil.client, {
    address: account as `0x${string}`,
    message: createIdentityText(encodeUnsignedPublicKeyV1(bundle)),
    signature: to0xHex(signature.signature),
    blockNumber: signature.blockNumber,
  })
}

describe('each account kind: create → verify (ours and viem) → unlock', () => {
  const kinds = {
    'Safe 1.5.0, 1-of-1': { scheme: 'safe', deploy: () => deploySafe(anvil, { owners: [owner().address], threshold: 1 }) },
    'Coinbase-style account': { scheme: 'coinbase', deploy: () => deployCoinbaseStyleAccount(anvil, { owners: [owner().address] }) },
    'OpenZeppelin Account + ERC-7739': { scheme: 'erc7739', deploy: () => deployErc7739Account(anvil, { owner: owner().address }) },
    'plain ERC-1271 account': { scheme: 'erc1271', deploy: () => deployPlainErc1271Account(anvil, { owner: owner().address }) },
  } as const
  for (const [name, kind] of Object.entries(kinds)) {
    it(name, async () => {
      const account = await kind.deploy()
      const signer = await SmartAccountSigner.open({ rpcUrl: anvil.rpcUrl, account, scheme: kind.scheme, owner: owner() })
      expect(signer.capabilities).toMatchObject({ kind: 'smart-account', accountType: 'SCW', chainId: anvil.chainId, reproducibleSignatures: 'yes' })
      const store = new MemoryKeyStore()
      const created = await createIdentity(signer, store)

      const offline = verifyEncodedBundle(created.identity.encodeContactBundle(1))
      expect(offline.valid).toBe(false) // only the chain can confirm a smart account
      expect(offline.checks[0]).toMatchObject({ needsChain: true })
      for (const version of [1, 2] as const) {
        const onChain = await verifyBundleOnChain(created.identity.encodeContactBundle(version), { rpcUrl: anvil.rpcUrl, expectedAddress: account })
        expect(onChain.valid, JSON.stringify(onChain.checks)).toBe(true)
        expect(onChain.walletAddress).toBe(account)
      }
      expect(await viemAccepts(created.identity, account)).toBe(true)

      const unlocked = await unlockIdentity(signer, store)
      expect(toHex(unlocked.identity.identityPublicKey)).toBe(toHex(created.identity.identityPublicKey))
    })
  }
})

describe('the reproducibility guard', () => {
  it('a 2-of-3 Safe never stores a bundle keyed by its signature; a passphrase or the owner key round-trips', async () => {
    const owners = [devSigner(1), devSigner(2), devSigner(3)]
    const safe = await deploySafe(anvil, { owners: owners.map((o) => o.address), threshold: 2 })
    const signer = await SmartAccountSigner.open({ rpcUrl: anvil.rpcUrl, account: safe, scheme: 'safe', owners: [owners[0]!, owners[1]!] })
    expect(signer.capabilities.reproducibleSignatures).toBe('no')
    const store = new MemoryKeyStore()
    await expect(createIdentity(signer, store)).rejects.toMatchObject({ code: 'STORAGE_KEY_SOURCE' })
    expect(await store.get(storageTopic(safe))).toBeUndefined()

    const passphrase = { source: 'passphrase' as const, passphrase: 'correct horse battery staple', logN: FAST_SCRYPT }
    const created = await createIdentity(signer, store, { storageKey: passphrase })
    expect((await verifyBundleOnChain(created.identity.encodeContactBundle(2), { rpcUrl: anvil.rpcUrl })).valid).toBe(true)
    const unlocked = await unlockIdentity(signer, store, { storageKey: passphrase })
    expect(toHex(unlocked.identity.identityPublicKey)).toBe(toHex(created.identity.identityPublicKey))
    await expect(unlockIdentity(signer, store, { storageKey: { ...passphrase, passphrase: 'wrong horse battery staple' } })).rejects.toMatchObject({
      code: 'BUNDLE_DECRYPTION_FAILED',
    })
    await expect(unlockIdentity(signer, store)).rejects.toMatchObject({ code: 'STORAGE_KEY_SOURCE' })

    const byOwner = new MemoryKeyStore()
    const ownerKey = { source: 'owner' as const, owner: owners[0]! }
    const made = await createIdentity(signer, byOwner, { storageKey: ownerKey })
    const reopened = await unlockIdentity(signer, byOwner, { storageKey: ownerKey })
    expect(toHex(reopened.identity.identityPublicKey)).toBe(toHex(made.identity.identityPublicKey))
    await expect(unlockIdentity(signer, byOwner, { storageKey: { source: 'owner', owner: owners[2]! } })).rejects.toMatchObject({ code: 'STORAGE_KEY_SOURCE' })
  })

  it('a signer that randomizes, declared "unknown", is caught by signing twice before anything is stored', async () => {
    const safe = await deploySafe(anvil, { owners: [owner().address], threshold: 1 })
    const base = owner()
    const key = HDKey.fromMasterSeed(mnemonicToSeedSync(ANVIL_MNEMONIC)).derive("m/44'/60'/0'/0/1").privateKey!
    // An owner wallet whose signatures use random nonces (as MPC or non-RFC-6979 wallets' do): valid, never the same twice.
    const randomSign = (digest: Uint8Array) => {
      const sig = secp256k1.sign(digest, key, { prehash: false, format: 'recovered', extraEntropy: true })
      return Uint8Array.from([...sig.subarray(1), 27 + sig[0]!])
    }
    const randomizing: Signer = {
      address: base.address,
      capabilities: { ...base.capabilities, reproducibleSignatures: 'unknown' },
      signPersonalMessage: async (t: string) => randomSign(hashPersonalMessage(t)),
      signTypedData: async (td) => randomSign(hashTypedData(td)),
      close: async () => {},
    }
    const signer = await SmartAccountSigner.open({ rpcUrl: anvil.rpcUrl, account: safe, scheme: 'safe', owner: randomizing })
    expect(signer.capabilities.reproducibleSignatures).toBe('unknown')
    const store = new MemoryKeyStore()
    const error = await createIdentity(signer, store).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'UNSUPPORTED_OPERATION' })
    expect((error as Error).message).toContain('two different signatures')
    expect(await store.get(storageTopic(safe))).toBeUndefined()
  })
})

describe('an account not deployed yet (ERC-6492)', () => {
  it('creates an identity before deployment, verified through the universal validator, then after deployment', async () => {
    const counterfactual = await counterfactualErc7739Account(anvil, { owner: owner().address })
    expect(await anvil.client.getCode({ address: counterfactual.address })).toBeUndefined()
    const signer = await SmartAccountSigner.open({
      rpcUrl: anvil.rpcUrl,
      account: counterfactual.address,
      scheme: 'erc7739',
      owner: owner(),
      counterfactual: { factory: counterfactual.factory, factoryCalldata: counterfactual.factoryCalldata },
      eip712Domain: ERC7739_ACCOUNT_DOMAIN,
    })
    expect(signer.capabilities.reproducibleSignatures).toBe('no')
    const store = new MemoryKeyStore()
    const created = await createIdentity(signer, store, { storageKey: { source: 'owner', owner: owner() } })
    const attestation = created.identity.exportPrivateKeyBundle().identityKey.publicKey.signature
    expect(attestation?.kind === 'smartAccount' && toHex(attestation.signature).endsWith('6492'.repeat(16))).toBe(true)
    expect((await verifyBundleOnChain(created.identity.encodeContactBundle(1), { rpcUrl: anvil.rpcUrl })).valid).toBe(true)
    expect(await viemAccepts(created.identity, counterfactual.address)).toBe(true)
    const unlocked = await unlockIdentity(signer, store, { storageKey: { source: 'owner', owner: owner() } })
    expect(toHex(unlocked.identity.identityPublicKey)).toBe(toHex(created.identity.identityPublicKey))
  })
})

describe('negative cases', () => {
  it('another owner: the account refuses, nothing is stored', async () => {
    const safe = await deploySafe(anvil, { owners: [owner().address], threshold: 1 })
    const stranger = devSigner(7)
    const signer = await SmartAccountSigner.open({ rpcUrl: anvil.rpcUrl, account: safe, scheme: 'safe', owner: stranger })
    const store = new MemoryKeyStore()
    const error = await createIdentity(signer, store).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'SMART_ACCOUNT_REJECTED', name: 'SmartAccountRejectedError' })
    expect((error as Error).message).toContain('What to do:')
    expect(await store.get(storageTopic(safe))).toBeUndefined()
  })

  it('wrong chain: the signer and the verifier refuse an RPC of another chain', async () => {
    const safe = await deploySafe(anvil, { owners: [owner().address], threshold: 1 })
    await expect(SmartAccountSigner.open({ rpcUrl: anvil.rpcUrl, account: safe, scheme: 'safe', owner: owner(), chainId: 8453 })).rejects.toMatchObject({
      code: 'WRONG_CHAIN',
    })
    const signer = await SmartAccountSigner.open({ rpcUrl: anvil.rpcUrl, account: safe, scheme: 'safe', owner: owner() })
    const created = await createIdentity(signer, new MemoryKeyStore())
    const other = await startAnvil({ chainId: 424242 })
    try {
      const error = await verifyBundleOnChain(created.identity.encodeContactBundle(1), { rpcUrl: other.rpcUrl }).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'WRONG_CHAIN', expectedChainId: anvil.chainId, actualChainId: 424242 })
      expect((error as Error).message).toContain(`chain ${anvil.chainId}`)
    } finally {
      await other.stop()
    }
  })

  it('owner removed at a later block: the attestation holds at its block, not after; the removed owner can no longer attest', async () => {
    const [a, b] = [devSigner(1), devSigner(2)]
    const safe = await deploySafe(anvil, { owners: [a.address, b.address], threshold: 1 })
    const signer = await SmartAccountSigner.open({ rpcUrl: anvil.rpcUrl, account: safe, scheme: 'safe', owner: a })
    const created = await createIdentity(signer, new MemoryKeyStore())
    const contact = created.identity.encodeContactBundle(1)
    expect((await verifyBundleOnChain(contact, { rpcUrl: anvil.rpcUrl, at: 'latest' })).valid).toBe(true)
    await safeRemoveOwner(anvil, { safe, owner: a.address, threshold: 1, signers: [b] })
    expect((await verifyBundleOnChain(contact, { rpcUrl: anvil.rpcUrl })).valid).toBe(true)
    const now = await verifyBundleOnChain(contact, { rpcUrl: anvil.rpcUrl, at: 'latest' })
    expect(now.valid).toBe(false)
    expect(now.checks[0]!.detail).toContain('does not accept')
    await expect(createIdentity(signer, new MemoryKeyStore())).rejects.toMatchObject({ code: 'SMART_ACCOUNT_REJECTED' })
  })

  it('a tampered signature does not verify', async () => {
    const account = await deployErc7739Account(anvil, { owner: owner().address })
    const signer = await SmartAccountSigner.open({ rpcUrl: anvil.rpcUrl, account, scheme: 'erc7739', owner: owner() })
    const created = await createIdentity(signer, new MemoryKeyStore())
    const contact = decodeContactBundle(created.identity.encodeContactBundle(1))
    if (contact.version !== 1) throw new Error('expected v1')
    const identityKey = contact.keyBundle.identityKey
    const signature = identityKey.signature!
    if (signature.kind !== 'smartAccount') throw new Error('expected a smart-account signature')
    const tampered = signature.signature.slice()
    tampered[10] = tampered[10]! ^ 0x01
    const bytes = encodeContactBundleV1({ ...contact.keyBundle, identityKey: { ...identityKey, signature: { ...signature, signature: tampered } } })
    const report = await verifyBundleOnChain(bytes, { rpcUrl: anvil.rpcUrl })
    expect(report.valid).toBe(false)
    expect(report.walletAddress).toBeUndefined()
  })
})

describe('a Ledger owning a smart account (EIP-712 owner signatures, offline)', () => {
  type Stack = 'dmk' | 'ledgerjs'
  /** Today's Ethereum app, reached through DMK over the Speculos REST API, or through hw-app-eth in process. */
  async function openLedger(emulator: LedgerEmulator, stack: Stack): Promise<{ ledger: LedgerSigner; close: () => Promise<void> }> {
    if (stack === 'ledgerjs') {
      const ledger = await LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator) })
      return { ledger, close: () => ledger.close() }
    }
    const server = await startSpeculosHttpServer(emulator)
    const ledger = await LedgerSigner.open({ dmk: server.url })
    return { ledger, close: async () => (await ledger.close(), await server.close()) }
  }
  const ACCOUNTS = {
    safe: { deploy: (o: `0x${string}`) => deploySafe(anvil, { owners: [o], threshold: 1 }), primaryType: 'SafeMessage', options: {} },
    coinbase: { deploy: (o: `0x${string}`) => deployCoinbaseStyleAccount(anvil, { owners: [o] }), primaryType: 'CoinbaseSmartWalletMessage', options: {} },
    erc7739: { deploy: (o: `0x${string}`) => deployErc7739Account(anvil, { owner: o }), primaryType: 'PersonalSign', options: { eip712Domain: ERC7739_ACCOUNT_DOMAIN } },
  } as const

  for (const stack of ['dmk', 'ledgerjs'] as const) {
    for (const [scheme, account] of Object.entries(ACCOUNTS) as [keyof typeof ACCOUNTS, (typeof ACCOUNTS)[keyof typeof ACCOUNTS]][]) {
      if (stack === 'ledgerjs' && scheme !== 'safe') continue // the DMK path is the default; LedgerJS keeps one case
      it(`${scheme} on anvil, its Ledger owner (${stack === 'dmk' ? 'DMK signTypedData' : 'hw-app-eth'}) signing ${account.primaryType}: create → verify on chain → unlock`, async () => {
        const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
        const { ledger, close } = await openLedger(emulator, stack)
        const fetches: string[] = []
        const realFetch = globalThis.fetch
        // Offline: DMK's context module must not reach Ledger's backend; only the loopback emulator and anvil answer.
        globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
          const url = String(input instanceof Request ? input.url : input)
          if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url)) fetches.push(url)
          return realFetch(input, init)
        }) as typeof fetch
        try {
          expect(ledger.stack).toBe(stack)
          const address = await account.deploy(ledger.address)
          const signer = await SmartAccountSigner.open({ rpcUrl: anvil.rpcUrl, account: address, scheme, owner: ledger, ...account.options })
          const store = new MemoryKeyStore()
          const created = await createIdentity(signer, store)
          expect(emulator.screens.some((s) => s.kind === 'sign-typed-data' && s.mode === 'full' && s.primaryType === account.primaryType)).toBe(true)
          expect((await verifyBundleOnChain(created.identity.encodeContactBundle(2), { rpcUrl: anvil.rpcUrl, expectedAddress: address })).valid).toBe(true)
          expect(await viemAccepts(created.identity, address)).toBe(true)
          const unlocked = await unlockIdentity(signer, store)
          expect(toHex(unlocked.identity.identityPublicKey)).toBe(toHex(created.identity.identityPublicKey))
          expect(fetches).toEqual([])
          await signer.close()
        } finally {
          globalThis.fetch = realFetch
          await close()
        }
      })
    }
  }
})

describe('CLI: --signer smart-account, --storage-key, verify --rpc', () => {
  it('creates for a Safe owned by a private key, verifies on chain, and asks for --rpc without it', async () => {
    const { runCli } = await import('../cli/run.js')
    const { mkdtempSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
      let stdout = ''
      let stderr = ''
      const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env })
      return { code, stdout, stderr }
    }
    const ownerKey = toHex(HDKey.fromMasterSeed(mnemonicToSeedSync(ANVIL_MNEMONIC)).derive("m/44'/60'/0'/0/1").privateKey!)
    const safe = await deploySafe(anvil, { owners: [owner().address], threshold: 1 })
    const store = mkdtempSync(join(tmpdir(), 'xmtp-signers-sa-'))
    const args = ['--signer', 'smart-account', '--rpc', anvil.rpcUrl, '--account', safe, '--scheme', 'safe', '--owner', 'private-key', '--store', store]
    const created = await run(['create', ...args, '--json'], { XMTP_SIGNER_PRIVATE_KEY: ownerKey })
    expect(created.code, created.stdout + created.stderr).toBe(0)
    const out = JSON.parse(created.stdout)
    expect(out.address).toBe(safe)

    const verified = await run(['verify', out.contactBundle, '--rpc', anvil.rpcUrl, '--json'])
    expect(verified.code).toBe(0)
    expect(JSON.parse(verified.stdout)).toMatchObject({ valid: true, walletAddress: safe, smartAccount: { account: `eip155:${anvil.chainId}:${safe}` } })
    const offline = await run(['verify', out.contactBundle])
    expect(offline.code).toBe(1)
    expect(offline.stdout).toContain(`--rpc URL of chain ${anvil.chainId}`)

    const unlocked = await run(['unlock', ...args, '--json'], { XMTP_SIGNER_PRIVATE_KEY: ownerKey })
    expect(JSON.parse(unlocked.stdout).identityPublicKey).toBe(out.identityPublicKey)

    // A 2-of-2 Safe: refused without a storage-key source; a passphrase from the environment works.
    const multisig = await deploySafe(anvil, { owners: [owner().address, devSigner(2).address], threshold: 1 })
    const multiArgs = ['--signer', 'smart-account', '--rpc', anvil.rpcUrl, '--account', multisig, '--scheme', 'safe', '--owner', 'private-key']
    const viaOwner = await run(['create', ...multiArgs, '--storage-key', 'owner', '--store', mkdtempSync(join(tmpdir(), 'xmtp-signers-sa-')), '--json'], {
      XMTP_SIGNER_PRIVATE_KEY: ownerKey,
    })
    expect(viaOwner.code, viaOwner.stdout).toBe(0)
    const passStore = mkdtempSync(join(tmpdir(), 'xmtp-signers-sa-'))
    const env = { XMTP_SIGNER_PRIVATE_KEY: ownerKey, XMTP_SIGNER_PASSPHRASE: 'correct horse battery staple', XMTP_SIGNER_SCRYPT_LOG_N: '12' }
    const viaPassphrase = await run(['create', ...multiArgs, '--storage-key', 'passphrase', '--store', passStore, '--json'], env)
    expect(viaPassphrase.code, viaPassphrase.stdout).toBe(0)
    const reopened = await run(['unlock', ...multiArgs, '--storage-key', 'passphrase', '--store', passStore, '--json'], env)
    expect(JSON.parse(reopened.stdout).identityPublicKey).toBe(JSON.parse(viaPassphrase.stdout).identityPublicKey)
    const noPassphrase = await run(['unlock', ...multiArgs, '--storage-key', 'passphrase', '--store', passStore], { XMTP_SIGNER_PRIVATE_KEY: ownerKey })
    expect(noPassphrase.code).toBe(2)
    expect(noPassphrase.stderr).toContain('XMTP_SIGNER_PASSPHRASE')
  })

  it('--signer injected against anvil', async () => {
    const { runCli } = await import('../cli/run.js')
    const { mkdtempSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    let stdout = ''
    const code = await runCli(
      ['create', '--signer', 'injected', '--rpc', anvil.rpcUrl, '--account', anvil.accounts[8]!, '--store', mkdtempSync(join(tmpdir(), 'xmtp-signers-inj-')), '--json'],
      { stdout: (t) => (stdout += t), stderr: () => {}, env: {} },
    )
    expect(code, stdout).toBe(0)
    expect(JSON.parse(stdout).address).toBe(anvil.accounts[8])
  })
})
