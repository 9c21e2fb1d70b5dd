import { describe, expect, it } from 'vitest'
import {
  AccountMismatchError,
  MemoryKeyStore,
  createIdentity,
  createIdentityText,
  enableIdentityText,
  generateIdentity,
  hashTypedData,
  IdentityExistsError,
  NoStoredIdentityError,
  normalizeSignature,
  recoverPersonalSignAddress,
  rotatePreKey,
  storageTopic,
  toHex,
  unlockIdentity,
  unlockOrCreateIdentity,
  verifyEncodedBundle,
  type ProgressEvent,
  type Signer,
} from '../src/index.js'
import { decodeContactBundle, decodeEncryptedBundle, decodePrivateKeyBundle, encodePrivateKeyBundle } from '../src/wire.js'
import { LocalSigner } from '../signers/local/index.js'
import { TEST_MNEMONIC } from '../src/adapter/index.js'
import { MAIL_TYPED_DATA } from './support/typedData.js'

describe('signature request texts', () => {
  it('are XMTP v2 texts byte for byte', () => {
    expect(createIdentityText(Uint8Array.of(0x08, 0xab))).toBe('XMTP : Create Identity\n08ab\n\nFor more info: https://xmtp.org/signatures/')
    expect(enableIdentityText(new Uint8Array(32).fill(0xcd))).toBe(`XMTP : Enable Identity\n${'cd'.repeat(32)}\n\nFor more info: https://xmtp.org/signatures/`)
  })
})

describe('LocalSigner', () => {
  it('derives the well-known accounts of the test mnemonic on each path', () => {
    expect(LocalSigner.fromMnemonic(TEST_MNEMONIC).address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')
    expect(LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: "m/44'/60'/0'/0/1" }).address).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8')
    expect(LocalSigner.fromPrivateKey('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80').address).toBe(
      '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    )
  })

  it('signs EIP-191 messages that recover to its address, deterministically', async () => {
    const signer = LocalSigner.fromMnemonic(TEST_MNEMONIC)
    const a = await signer.signPersonalMessage('hello')
    const b = await signer.signPersonalMessage('hello')
    expect(toHex(a)).toBe(toHex(b))
    expect([27, 28]).toContain(a[64])
    expect(recoverPersonalSignAddress('hello', normalizeSignature(a))).toBe(signer.address)
  })

  it('signs the EIP-712 example of the specification with its published digest', async () => {
    // The "Mail" example of EIP-712 (here with its domain type implicit), signed by keccak256("cow").
    const typedData = MAIL_TYPED_DATA
    expect(toHex(hashTypedData(typedData))).toBe('be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2')
    const cow = LocalSigner.fromPrivateKey('c85ef7d79691fe79573b1a7064c19c1a9819ebdbd1faaab1a8ec92344438aaf4')
    expect(cow.address).toBe('0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826')
    const signature = await cow.signTypedData(typedData)
    expect(toHex(signature)).toBe(
      '4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b915621c',
    )
  })

  it('refuses to sign after close()', async () => {
    const signer = LocalSigner.fromMnemonic(TEST_MNEMONIC)
    await signer.close()
    await expect(signer.signPersonalMessage('x')).rejects.toMatchObject({ code: 'SIGNER_CLOSED' })
  })
})

describe('normalizeSignature', () => {
  it('maps v 0/1 to 27/28 and keeps r, s', async () => {
    const signature = await LocalSigner.fromMnemonic(TEST_MNEMONIC).signPersonalMessage('x')
    const raw = signature.slice()
    raw[64] = raw[64]! - 27
    const normalized = normalizeSignature(raw)
    expect(toHex(normalized.bytes)).toBe(toHex(signature))
    expect(normalized.recovery).toBe(signature[64]! - 27)
  })
})

describe('identity flows', () => {
  it('creates, stores and unlocks the same identity; bundles verify for the account', async () => {
    const signer = LocalSigner.fromMnemonic(TEST_MNEMONIC)
    const store = new MemoryKeyStore()
    const events: ProgressEvent['type'][] = []
    const created = await createIdentity(signer, store, { onProgress: (e) => events.push(e.type) })
    expect(created.created).toBe(true)
    expect(created.storageTopic).toBe('/xmtp/0/privatestore-0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266/key_bundle/proto')
    expect(toHex((await store.get(created.storageTopic))!)).toBe(toHex(created.encryptedBundle))
    expect(events).toEqual([
      'identity-key-generated',
      'signature-request',
      'signature-verified',
      'prekey-generated',
      'signature-request',
      'signature-verified',
      'bundle-encrypted',
      'bundle-stored',
    ])

    const unlocked = await unlockIdentity(signer, store)
    expect(unlocked.created).toBe(false)
    expect(toHex(encodePrivateKeyBundle(unlocked.identity.exportPrivateKeyBundle()))).toBe(
      toHex(encodePrivateKeyBundle(created.identity.exportPrivateKeyBundle())),
    )
    for (const bytes of [
      created.identity.encodeContactBundle(1),
      created.identity.encodeContactBundle(2),
      created.identity.encodePublicKeyBundle(),
      created.identity.encodeSignedPublicKeyBundle(),
    ]) {
      const report = verifyEncodedBundle(bytes, { expectedAddress: signer.address })
      expect(report.valid, JSON.stringify(report.checks)).toBe(true)
      expect(report.walletAddress).toBe(signer.address)
    }
    expect(verifyEncodedBundle(created.identity.encodeContactBundle(2)).format).toBe('ContactBundleV2')
    expect(decodeContactBundle(created.identity.encodeContactBundle(1)).version).toBe(1)
  })

  it('never shows private keys when an identity is logged or serialized', async () => {
    const identity = await generateIdentity(LocalSigner.fromMnemonic(TEST_MNEMONIC))
    const secret = toHex(identity.exportPrivateKeyBundle().identityKey.secretKey)
    const { inspect } = await import('node:util')
    expect(inspect(identity, { depth: 10 })).not.toContain(secret)
    expect(JSON.stringify(identity)).not.toContain(secret)
  })

  it('refuses to create over an existing identity and leaves it untouched', async () => {
    const signer = LocalSigner.fromMnemonic(TEST_MNEMONIC)
    const store = new MemoryKeyStore()
    const first = await createIdentity(signer, store)
    await expect(createIdentity(signer, store)).rejects.toBeInstanceOf(IdentityExistsError)
    expect(toHex((await store.get(first.storageTopic))!)).toBe(toHex(first.encryptedBundle))
  })

  it('unlock with nothing stored is a typed error, and retrieve-or-generate then creates', async () => {
    const signer = LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: "m/44'/60'/0'/0/2" })
    const store = new MemoryKeyStore()
    await expect(unlockIdentity(signer, store)).rejects.toBeInstanceOf(NoStoredIdentityError)
    const made = await unlockOrCreateIdentity(signer, store)
    expect(made.created).toBe(true)
    const again = await unlockOrCreateIdentity(signer, store)
    expect(again.created).toBe(false)
    expect(toHex(again.identity.identityPublicKey)).toBe(toHex(made.identity.identityPublicKey))
  })

  it('keeps every earlier prekey when rotating, newest first, all signed by the identity key', async () => {
    const signer = LocalSigner.fromMnemonic(TEST_MNEMONIC)
    const store = new MemoryKeyStore()
    const created = await createIdentity(signer, store)
    const firstPreKey = created.identity.preKeyPublicKey
    const once = await rotatePreKey(signer, store)
    const twice = await rotatePreKey(signer, store)
    expect(twice.identity.preKeyPublicKeys).toHaveLength(3)
    expect(toHex(twice.identity.preKeyPublicKeys[2]!)).toBe(toHex(firstPreKey))
    expect(toHex(twice.identity.preKeyPublicKeys[1]!)).toBe(toHex(once.identity.preKeyPublicKey))
    expect(toHex(twice.identity.identityPublicKey)).toBe(toHex(created.identity.identityPublicKey))
    const reopened = await unlockIdentity(signer, store)
    expect(reopened.identity.preKeyPublicKeys.map(toHex)).toEqual(twice.identity.preKeyPublicKeys.map(toHex))
    expect(reopened.identity.findPreKey(firstPreKey)).toBeDefined()
    expect(verifyEncodedBundle(reopened.identity.encodeContactBundle(2), { expectedAddress: signer.address }).valid).toBe(true)
    // The stored bundle decodes as XMTP's PrivateKeyBundle{v1} with three prekeys.
    expect(decodeEncryptedBundle(twice.encryptedBundle).walletPreKey).toHaveLength(32)
  })

  it('rejects a wallet whose signature recovers to another account, naming both, and stores nothing', async () => {
    const real = LocalSigner.fromMnemonic(TEST_MNEMONIC)
    const other = LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: "m/44'/60'/0'/0/1" })
    const liar: Signer = { ...real, address: real.address, capabilities: real.capabilities, signPersonalMessage: (t) => other.signPersonalMessage(t), close: async () => {} }
    const store = new MemoryKeyStore()
    const error = await createIdentity(liar, store).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AccountMismatchError)
    expect((error as AccountMismatchError).message).toContain(real.address)
    expect((error as AccountMismatchError).message).toContain(other.address)
    expect(await store.get(storageTopic(real.address))).toBeUndefined()
  })

  it('decodes the stored plaintext as the wrapped V1 bundle XMTP writes', async () => {
    const identity = await generateIdentity(LocalSigner.fromMnemonic(TEST_MNEMONIC))
    const bytes = encodePrivateKeyBundle(identity.exportPrivateKeyBundle())
    expect(bytes[0]).toBe(0x0a)
    expect(toHex(encodePrivateKeyBundle(decodePrivateKeyBundle(bytes)))).toBe(toHex(bytes))
  })
})

describe('engine safeguards', () => {
  it('gives up on a wallet that never answers, with a typed error, storing nothing', async () => {
    const real = LocalSigner.fromMnemonic(TEST_MNEMONIC)
    const silent: Signer = { address: real.address, capabilities: real.capabilities, signPersonalMessage: () => new Promise(() => {}), close: async () => {} }
    const store = new MemoryKeyStore()
    await expect(createIdentity(silent, store, { signatureTimeoutMs: 50 })).rejects.toMatchObject({ code: 'SIGNER_TIMEOUT', name: 'SignerTimeoutError' })
    expect(await store.get(storageTopic(real.address))).toBeUndefined()
  })

  it('refuses a signer with non-reproducible signatures before asking for any signature', async () => {
    const real = LocalSigner.fromMnemonic(TEST_MNEMONIC)
    let asked = 0
    const randomized: Signer = {
      address: real.address,
      capabilities: { ...real.capabilities, reproducibleSignatures: 'no' },
      signPersonalMessage: (t) => (asked++, real.signPersonalMessage(t)),
      close: async () => {},
    }
    await expect(createIdentity(randomized, new MemoryKeyStore())).rejects.toMatchObject({ code: 'STORAGE_KEY_SOURCE' })
    expect(asked).toBe(0)
  })
})
