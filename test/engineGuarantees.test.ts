/**
 * The engine's promises, each against the case that broke it (issue 10): nothing it writes fails to
 * open again, every wait is bounded and abortable, and no returned value shows a secret.
 */
import { inspect } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createIdentity,
  decryptIdentity,
  enableIdentityText,
  formatAccountId,
  generateIdentity,
  MemoryKeyStore,
  parseAccountId,
  rotatePreKey,
  storageTopic,
  toHex,
  toXmtpSigner,
  unlockIdentity,
  unlockOrCreateIdentity,
  type ProgressEvent,
  type SignOptions,
  type Signer,
  type StorageKeySource,
} from '../src/index.js'
import { decodeEncryptedBundle, decodePrivateKeyBundle, encodeEncryptedBundle, encodePrivateKeyBundle, type EncryptedBundle } from '../src/wire.js'
import { requestStorageSecret } from '../src/storageKey.js'
import { LocalSigner } from '../signers/local/index.js'
import { TEST_MNEMONIC } from '../src/adapter/index.js'

/** A local key that records each request and the signal it came with; `hang` never answers (a person away from the device). */
function recordingSigner(behaviour: { hang?: boolean; account?: number } = {}) {
  const inner = LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: `m/44'/60'/0'/0/${behaviour.account ?? 0}` })
  const requests: { text: string; signal: AbortSignal | undefined }[] = []
  const signer: Signer = {
    address: inner.address,
    capabilities: inner.capabilities,
    async signPersonalMessage(text: string, options?: SignOptions) {
      requests.push({ text, signal: options?.signal })
      if (behaviour.hang) return new Promise<Uint8Array>(() => undefined)
      return inner.signPersonalMessage(text)
    },
    close: async () => undefined,
  }
  return { signer, requests }
}

/** A smart-account signer that does not say its chain (what broke: `eip155:0:…` was written and never read back). */
function chainlessSmartAccount(): { signer: Signer; prompts: () => number } {
  const owner = LocalSigner.fromMnemonic(TEST_MNEMONIC)
  let prompts = 0
  const signer: Signer = {
    address: '0x000000000000000000000000000000000000dEaD',
    capabilities: { kind: 'smart-account', accountType: 'SCW', reproducibleSignatures: 'no', typedData: false },
    async signPersonalMessage(text) {
      prompts++
      return owner.signPersonalMessage(text)
    },
    verifySignature: async () => ({ valid: true, blockNumber: 1n }),
    close: async () => undefined,
  }
  return { signer, prompts: () => prompts }
}

describe('write only what reads back: limits checked before the first prompt', () => {
  it.each([4, 9, 23, 30, 1.5, Number.NaN])('a passphrase scrypt cost logN = %s is refused before any prompt; nothing is stored', async (logN) => {
    const { signer, requests } = recordingSigner()
    const store = new MemoryKeyStore()
    await expect(createIdentity(signer, store, { storageKey: { source: 'passphrase', passphrase: 'correct horse battery', logN } })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    })
    expect(requests).toHaveLength(0)
    expect(await store.get(storageTopic(signer.address))).toBeUndefined()
  })

  it('the cost at the decoder’s lower bound is stored and opens again', async () => {
    const { signer } = recordingSigner()
    const store = new MemoryKeyStore()
    const storageKey = { source: 'passphrase', passphrase: 'correct horse battery', logN: 10 } as const
    const created = await createIdentity(signer, store, { storageKey })
    const unlocked = await unlockIdentity(signer, store, { storageKey })
    expect(toHex(unlocked.identity.identityPublicKey)).toBe(toHex(created.identity.identityPublicKey))
  })

  it('a smart account that does not name its chain is refused before any prompt; nothing is stored', async () => {
    const { signer, prompts } = chainlessSmartAccount()
    const store = new MemoryKeyStore()
    const storageKey = { source: 'passphrase', passphrase: 'correct horse battery', logN: 10 } as const
    await expect(createIdentity(signer, store, { storageKey })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/chain/) })
    await expect(generateIdentity(signer)).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    expect(prompts()).toBe(0)
    expect(await store.get(storageTopic(signer.address))).toBeUndefined()
  })

  it('the account-id encoder refuses what its decoder would refuse', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -10, max: 10 }), fc.double(), fc.constant(1e15), fc.integer({ min: 1, max: 999_999_999_999_999 })), (chainId) => {
        const account = { chainId, address: '0x000000000000000000000000000000000000dEaD' as const }
        let encoded: string
        try {
          encoded = formatAccountId(account)
        } catch (error) {
          expect(error).toMatchObject({ code: 'INVALID_INPUT' })
          return
        }
        expect(parseAccountId(encoded)).toEqual(account)
      }),
    )
  })
})

describe('encoder and decoder agree: everything the encoder accepts, the decoder returns equal', () => {
  const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max })
  const source: fc.Arbitrary<StorageKeySource | undefined> = fc.oneof(
    fc.constant(undefined),
    fc.constant({ source: 'signer' as const }),
    fc.constant({ source: 'owner' as const, owner: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' as const }),
    fc.record({ source: fc.constant('passphrase' as const), logN: fc.integer({ min: 0, max: 40 }), r: fc.integer({ min: 0, max: 40 }), p: fc.integer({ min: 0, max: 20 }) }),
  )

  it('EncryptedPrivateKeyBundle', () => {
    fc.assert(
      fc.property(bytes(1, 64), bytes(32, 32), bytes(12, 12), bytes(16, 200), source, (walletPreKey, hkdfSalt, gcmNonce, payload, storageKeySource) => {
        const bundle: EncryptedBundle = { walletPreKey, hkdfSalt, gcmNonce, payload, ...(storageKeySource ? { storageKeySource } : {}) }
        let encoded: Uint8Array
        try {
          encoded = encodeEncryptedBundle(bundle)
        } catch (error) {
          expect(error).toMatchObject({ code: 'INVALID_INPUT' })
          return
        }
        const decoded = decodeEncryptedBundle(encoded)
        const expected = storageKeySource?.source === 'signer' ? { walletPreKey, hkdfSalt, gcmNonce, payload } : bundle
        expect(decoded).toEqual(expected)
      }),
      { numRuns: 300 },
    )
  })

  it('PrivateKeyBundleV1 of generated identities, prekeys rotated', async () => {
    const { signer } = recordingSigner()
    const store = new MemoryKeyStore()
    const { identity } = await createIdentity(signer, store)
    const rotated = await rotatePreKey(signer, store)
    for (const keys of [identity.exportPrivateKeyBundle(), rotated.identity.exportPrivateKeyBundle()]) {
      const encoded = encodePrivateKeyBundle(keys)
      expect(toHex(encodePrivateKeyBundle(decodePrivateKeyBundle(encoded)))).toBe(toHex(encoded))
    }
  })
})

describe('every wait bounded, every wait abortable', () => {
  it.each([Number.NaN, Infinity, 0, -5, 2 ** 31])('signatureTimeoutMs = %s is refused before any prompt', async (signatureTimeoutMs) => {
    const { signer, requests } = recordingSigner({ hang: true })
    const store = new MemoryKeyStore()
    await expect(createIdentity(signer, store, { signatureTimeoutMs })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    expect(requests).toHaveLength(0)
  })

  it('an abort while the wallet shows a prompt ends the create within a second, typed, nothing stored; the signer saw the abort', async () => {
    const { signer, requests } = recordingSigner({ hang: true })
    const store = new MemoryKeyStore()
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const started = Date.now()
    await expect(createIdentity(signer, store, { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED', name: 'OperationAbortedError' })
    expect(Date.now() - started).toBeLessThan(1_100)
    expect(requests).toHaveLength(1)
    expect(requests[0]!.signal?.aborted).toBe(true)
    expect(await store.get(storageTopic(signer.address))).toBeUndefined()
  })

  it('the engine’s own timeout reaches the adapter through the same signal', async () => {
    const { signer, requests } = recordingSigner({ hang: true })
    await expect(unlockOrCreateIdentity(signer, new MemoryKeyStore(), { signatureTimeoutMs: 150 })).rejects.toMatchObject({ code: 'SIGNER_TIMEOUT' })
    expect(requests[0]!.signal?.aborted).toBe(true)
  })

  it('an aborted signal prompts nothing; the next request without it works', async () => {
    const { signer, requests } = recordingSigner()
    const store = new MemoryKeyStore()
    const controller = new AbortController()
    controller.abort()
    await expect(createIdentity(signer, store, { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' })
    expect(requests).toHaveLength(0)
    await createIdentity(signer, store)
    await expect(unlockIdentity(signer, store, { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' })
    expect((await unlockIdentity(signer, store)).created).toBe(false)
  })

  it('an abort between the two signatures stores nothing', async () => {
    const { signer } = recordingSigner()
    const store = new MemoryKeyStore()
    const controller = new AbortController()
    const onProgress = (event: ProgressEvent) => {
      if (event.type === 'signature-verified' && event.purpose === 'create-identity') controller.abort()
    }
    await expect(createIdentity(signer, store, { signal: controller.signal, onProgress })).rejects.toMatchObject({ code: 'ABORTED' })
    expect(await store.get(storageTopic(signer.address))).toBeUndefined()
  })
})

describe('toXmtpSigner asks through the engine’s signature path', () => {
  it('reports the request, checks the signer, applies the timeout and the abort', async () => {
    const events: ProgressEvent[] = []
    const { signer } = recordingSigner()
    const v3 = toXmtpSigner(signer, { onProgress: (e) => events.push(e) })
    expect(await v3.signMessage('XMTP : Authenticate to inbox\n…')).toHaveLength(65)
    expect(events.map((e) => e.type)).toEqual(['signature-request', 'signature-verified'])
    expect(events[0]).toMatchObject({ purpose: 'xmtp-v3' })

    const hanging = recordingSigner({ hang: true })
    await expect(toXmtpSigner(hanging.signer, { signatureTimeoutMs: 100 }).signMessage('x')).rejects.toMatchObject({ code: 'SIGNER_TIMEOUT' })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    await expect(toXmtpSigner(hanging.signer, { signal: controller.signal }).signMessage('x')).rejects.toMatchObject({ code: 'ABORTED' })

    // A wallet that signs with another account than it claims: our typed error, before the SDK sees the bytes.
    const other = LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: "m/44'/60'/0'/0/1" })
    const liar: Signer = { ...signer, signPersonalMessage: (text) => other.signPersonalMessage(text) }
    await expect(toXmtpSigner(liar).signMessage('x')).rejects.toMatchObject({ code: 'ACCOUNT_MISMATCH' })
  })
})

describe('no secret in returned values', () => {
  it('neither util.inspect nor JSON.stringify of any public result shows a private key or the storage secret', async () => {
    const { signer } = recordingSigner()
    const store = new MemoryKeyStore()
    const created = await createIdentity(signer, store)
    const walletPreKey = decodeEncryptedBundle(created.encryptedBundle).walletPreKey
    const enableSignature = toHex(await signer.signPersonalMessage(enableIdentityText(walletPreKey)))
    const unlocked = await unlockIdentity(signer, store)
    const rotated = await rotatePreKey(signer, store)
    const decrypted = await decryptIdentity(rotated.encryptedBundle, signer)
    const secret = await requestStorageSecret(signer, walletPreKey)
    const keys = rotated.identity.exportPrivateKeyBundle()
    const secrets = [enableSignature, enableSignature.slice(0, 64), toHex(keys.identityKey.secretKey), ...keys.preKeys.map((k) => toHex(k.secretKey))]
    const results: unknown[] = [created, unlocked, rotated, decrypted, secret, decrypted.storageSecret, created.identity]
    for (const result of results) {
      const shown = [inspect(result, { depth: Infinity, showHidden: true }), JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? String(v) : v)), String(result)]
      for (const text of shown) {
        const flat = text.toLowerCase().replace(/[^0-9a-f]/g, '')
        for (const s of secrets) expect(flat.includes(s), `a secret appears in ${text.slice(0, 80)}`).toBe(false)
      }
    }
    // Byte arrays print as numbers too: no secret's bytes appear as a decimal list either.
    const decimal = (hex: string) => hex.match(/../g)!.map((b) => parseInt(b, 16)).join(', ')
    for (const result of results) {
      const shown = inspect(result, { depth: Infinity, showHidden: true, maxArrayLength: Infinity })
      for (const s of secrets) expect(shown.includes(decimal(s).slice(0, 40))).toBe(false)
    }
  })
})

describe('anything but a Signer is refused before anything is asked, naming what to use', () => {
  it('a viem account, a viem wallet client, an EIP-1193 provider, or junk', async () => {
    const { privateKeyToAccount, mnemonicToAccount } = await import('viem/accounts')
    const { createWalletClient, custom } = await import('viem')
    const account = mnemonicToAccount(TEST_MNEMONIC)
    const provider = { request: async () => null }
    const cases: [unknown, RegExp][] = [
      [account, /fromViemAccount/],
      [privateKeyToAccount('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'), /fromViemAccount/],
      [createWalletClient({ account, transport: custom(provider) }), /fromViemWalletClient/],
      [provider, /InjectedSigner\.open/],
      [{ address: '0x1234' }, /Pass a Signer/],
      [undefined, /Pass a Signer/],
    ]
    for (const [value, use] of cases) {
      const store = new MemoryKeyStore()
      await expect(createIdentity(value as Signer, store)).rejects.toMatchObject({ code: 'INVALID_INPUT', nextStep: expect.stringMatching(use) })
      await expect(unlockOrCreateIdentity(value as Signer, store)).rejects.toMatchObject({ code: 'INVALID_INPUT' })
      expect(() => toXmtpSigner(value as Signer)).toThrow(use)
    }
  })
})
