/**
 * Known-answer vectors: fixtures/xmtp-js-vectors.json holds what the REAL @xmtp/xmtp-js@13.0.4 produced
 * with fixed keys, randomness and clock (fixtures/generate-xmtp-js-vectors.cjs). Our engine, fed the
 * same inputs through `EngineOptions.randomBytes` / `now`, must produce every byte of it. The JSON is
 * read, never regenerated here, except by the last test, which re-runs xmtp-js in-process to prove
 * the committed fixture still is what xmtp-js produces.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  contactTopic,
  createIdentity,
  createIdentityText,
  decryptIdentity,
  enableIdentityText,
  MemoryKeyStore,
  storageTopic,
  unlockIdentity,
  verifyEncodedBundle,
  type ProgressEvent,
  type Signer,
} from '../src/index.js'
import {
  decodeContactBundle,
  decodeEncryptedBundle,
  decodePrivateKeyBundle,
  decodePublicKeyBundle,
  decodeSignedPublicKeyBundle,
  decryptWithSecret,
  encodeContactBundleV1,
  encodeContactBundleV2,
  encodeEncryptedBundle,
  encodePrivateKeyBundle,
  encodePublicKeyBundle,
  encodePublicKeyV1,
  encodeSignedPublicKeyBundle,
  encodeUnsignedPublicKeyV1,
  encryptWithSecret,
  type EcdsaKeySignature,
} from '../src/wire.js'
import { LocalSigner } from '../signers/local/index.js'
import { TEST_MNEMONIC } from '../src/adapter/index.js'
import { revealStorageSecret } from '../src/storageKey.js'
import { cryptoBackend, nativeBackendAvailable, useCryptoBackend, type CryptoBackendName } from '../src/crypto/backend.js'

type Inputs = {
  walletPrivateKey: string
  identityKey: string
  preKey: string
  identityTimestampMs: number
  preKeyTimestampMs: number
  walletPreKey: string
  hkdfSalt: string
  gcmNonce: string
}
type Expected = {
  address: string
  storageTopic: string
  contactTopic: string
  publishedTopics: string[]
  identityPublicKey: string
  preKeyPublicKey: string
  identityKeyBytes: string
  preKeyBytes: string
  createIdentityText: string
  createIdentitySignature: string
  enableIdentityText: string
  enableIdentitySignature: string
  identityKeySignature: { bytes: string; recovery: number }
  preKeySignature: { bytes: string; recovery: number }
  identityPublicKeyV1: string
  preKeyPublicKeyV1: string
  publicKeyBundle: string
  signedPublicKeyBundle: string
  contactBundleV1: string
  contactBundleV2: string
  privateKeyBundle: string
  encryptedPrivateKeyBundle: string
}
type Vector = { name: string; description: string; inputs: Inputs; events: string[]; expected: Expected }
type VectorFile = {
  reference: Record<string, string>
  storedBundleFixture: { file: string; vector: string }
  vectors: Vector[]
}
type Generator = {
  generateVectors(): Promise<VectorFile>
  renderVectors(vectors: VectorFile): string
  renderStoredBundle(vectors: VectorFile): string
}

const require = createRequire(import.meta.url)
const VECTORS_URL = new URL('../fixtures/xmtp-js-vectors.json', import.meta.url)
const STORED_BUNDLE_URL = new URL('../fixtures/xmtp-js-stored-bundle.hex', import.meta.url)
const vectorFile = JSON.parse(readFileSync(VECTORS_URL, 'utf8')) as VectorFile
const { vectors } = vectorFile

// Every vector runs on each backend this process has (test/cryptoBackend.test.ts fails if native is missing where it must load).
const BACKENDS: CryptoBackendName[] = nativeBackendAvailable() ? ['native', 'pure-js'] : ['pure-js']
const LOADED_BACKEND = cryptoBackend().name

/** Runs `body`'s tests with the engine switched to `backend`, and switches back after. */
function onBackend(backend: CryptoBackendName, body: () => void): void {
  describe(`on the ${backend} backend`, () => {
    beforeAll(() => {
      expect(useCryptoBackend(backend).name).toBe(backend)
    })
    afterAll(() => {
      useCryptoBackend(LOADED_BACKEND)
    })
    body()
  })
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'))

/** The payload of a message that is exactly one field 1 (`0a <varint length> <payload>`): a oneof wrapper's content. */
function unwrapField1(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0x0a) throw new Error('not a field-1 wrapper')
  let length = 0
  let shift = 0
  let i = 1
  for (; i < bytes.length; i++) {
    length += (bytes[i]! & 0x7f) * 2 ** shift
    shift += 7
    if (bytes[i]! < 0x80) break
  }
  const payload = bytes.subarray(i + 1)
  if (payload.length !== length) throw new Error(`wrapper length ${length}, payload ${payload.length}`)
  return payload
}

/**
 * The vector's randomness and clock, in the order the engine draws them: identity key (32),
 * [Create Identity signature], prekey (32), walletPreKey (32), [Enable Identity signature],
 * HKDF salt (32), GCM nonce (12). The scalars are used as drawn (see src/keys.ts generateSecretKey).
 */
function fixedEntropy(inputs: Inputs) {
  const draws = [inputs.identityKey, inputs.preKey, inputs.walletPreKey, inputs.hkdfSalt, inputs.gcmNonce].map(fromHex)
  const times = [inputs.identityTimestampMs, inputs.preKeyTimestampMs]
  let lastTime = inputs.preKeyTimestampMs
  const requested: number[] = []
  return {
    requested,
    leftover: () => draws.length,
    randomBytes(length: number): Uint8Array {
      requested.push(length)
      const next = draws.shift()
      if (!next) throw new Error(`the engine drew random bytes a ${requested.length}th time; the vector has ${requested.length - 1} draws`)
      if (next.length !== length) throw new Error(`draw ${requested.length}: the engine asked for ${length} bytes where the vector has ${next.length}`)
      return next.slice()
    },
    now(): number {
      lastTime = times.shift() ?? lastTime
      return lastTime
    },
  }
}

/** Delegates to a LocalSigner and records every (text, signature) the engine asked for. */
function recordingSigner(inner: LocalSigner) {
  const calls: { text: string; signature: string }[] = []
  const signer: Signer = {
    address: inner.address,
    capabilities: inner.capabilities,
    async signPersonalMessage(text: string) {
      const signature = await inner.signPersonalMessage(text)
      calls.push({ text, signature: hex(signature) })
      return signature
    },
    close: () => inner.close(),
  }
  return { signer, calls }
}

describe('the committed xmtp-js vectors', () => {
  it('cover what they must: ≥ 2 vectors, distinct identity/prekey timestamps, both recovery bits', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(2)
    expect(vectorFile.reference['@xmtp/xmtp-js']).toBe('13.0.4')
    expect(vectorFile.reference['@xmtp/proto']).toBe('3.96.0')
    for (const v of vectors) {
      expect(v.inputs.identityTimestampMs, v.name).not.toBe(v.inputs.preKeyTimestampMs)
      expect(v.expected.createIdentitySignature.slice(-2), v.name).toBe(v.expected.identityKeySignature.recovery === 1 ? '1c' : '1b')
      // The identity key and prekey hold exactly the fixed scalars, and the stored bundle the fixed walletPreKey, salt and nonce.
      const sealed = decodeEncryptedBundle(fromHex(v.expected.encryptedPrivateKeyBundle))
      expect([hex(sealed.walletPreKey), hex(sealed.hkdfSalt), hex(sealed.gcmNonce)]).toEqual([v.inputs.walletPreKey, v.inputs.hkdfSalt, v.inputs.gcmNonce])
      const keys = decodePrivateKeyBundle(fromHex(v.expected.privateKeyBundle))
      expect([hex(keys.identityKey.secretKey), hex(keys.preKeys[0]!.secretKey)]).toEqual([v.inputs.identityKey, v.inputs.preKey])
      expect([keys.identityKey.timestamp, keys.preKeys[0]!.timestamp]).toEqual([BigInt(v.inputs.identityTimestampMs), BigInt(v.inputs.preKeyTimestampMs)])
    }
    expect(vectors.map((v) => v.expected.identityKeySignature.recovery)).toContain(1)
    expect(vectors.map((v) => v.expected.identityKeySignature.recovery)).toContain(0)
    expect(vectors.map((v) => v.expected.preKeySignature.recovery)).toContain(1)
    expect(vectors.map((v) => v.expected.preKeySignature.recovery)).toContain(0)
    expect(new Set(vectors.map((v) => v.expected.identityKeyBytes.length)).size).toBeGreaterThan(1)
  })
})

for (const backend of BACKENDS) {
  onBackend(backend, () => {
    describe.each(vectors.map((v) => [v.name, v] as const))('vector %s', (_name, v) => {
      const e = v.expected

      it('createIdentity with the vector’s randomness and clock reproduces every byte xmtp-js produced', async () => {
        const entropy = fixedEntropy(v.inputs)
        const { signer, calls } = recordingSigner(LocalSigner.fromPrivateKey(v.inputs.walletPrivateKey))
        const requests: string[] = []
        const onProgress = (event: ProgressEvent) => {
          if (event.type === 'signature-request') requests.push(event.text)
        }
        const created = await createIdentity(signer, new MemoryKeyStore(), { randomBytes: entropy.randomBytes, now: entropy.now, onProgress })
        const { identity } = created
        const keys = identity.exportPrivateKeyBundle()
        const preKey = keys.preKeys[0]!
        const signatureOf = (s: typeof preKey.publicKey.signature) => ({ bytes: hex((s as EcdsaKeySignature).compact), recovery: (s as EcdsaKeySignature).recovery })

        expect(entropy.requested).toEqual([32, 32, 32, 32, 12])
        expect(entropy.leftover()).toBe(0)
        expect(requests).toEqual([e.createIdentityText, e.enableIdentityText])

        const actual: Omit<Expected, 'publishedTopics'> = {
          address: identity.address,
          storageTopic: created.storageTopic,
          contactTopic: contactTopic(identity.address),
          identityPublicKey: hex(identity.identityPublicKey),
          preKeyPublicKey: hex(identity.preKeyPublicKey),
          identityKeyBytes: hex(encodeUnsignedPublicKeyV1(keys.identityKey.publicKey)),
          preKeyBytes: hex(encodeUnsignedPublicKeyV1(preKey.publicKey)),
          createIdentityText: calls[0]?.text ?? '',
          createIdentitySignature: calls[0]?.signature ?? '',
          enableIdentityText: calls[1]?.text ?? '',
          enableIdentitySignature: calls[1]?.signature ?? '',
          identityKeySignature: signatureOf(keys.identityKey.publicKey.signature),
          preKeySignature: signatureOf(preKey.publicKey.signature),
          identityPublicKeyV1: hex(encodePublicKeyV1(keys.identityKey.publicKey)),
          preKeyPublicKeyV1: hex(encodePublicKeyV1(preKey.publicKey)),
          publicKeyBundle: hex(identity.encodePublicKeyBundle()),
          signedPublicKeyBundle: hex(identity.encodeSignedPublicKeyBundle()),
          contactBundleV1: hex(identity.encodeContactBundle(1)),
          contactBundleV2: hex(identity.encodeContactBundle(2)),
          privateKeyBundle: hex(encodePrivateKeyBundle(keys)),
          encryptedPrivateKeyBundle: hex(created.encryptedBundle),
        }
        const { publishedTopics, ...expected } = e
        expect(publishedTopics).toEqual([actual.storageTopic, actual.contactTopic, actual.contactTopic])
        expect(calls).toHaveLength(2)
        expect(actual).toEqual(expected)
        expect(keys.identityKey.publicKey.signature?.kind).toBe('ecdsaCompact')
        expect(identity.signedPublicKeyBundle().identityKey.signature.kind).toBe('walletEcdsaCompact')
      })

      it('the pieces, one by one: texts, wallet signatures, topics, encoders, cipher', async () => {
        const signer = LocalSigner.fromPrivateKey(v.inputs.walletPrivateKey)
        expect(signer.address).toBe(e.address)
        expect(storageTopic(e.address)).toBe(e.storageTopic)
        expect(storageTopic(e.address.toLowerCase())).toBe(e.storageTopic)
        expect(contactTopic(e.address)).toBe(e.contactTopic)
        expect(createIdentityText(fromHex(e.identityKeyBytes))).toBe(e.createIdentityText)
        expect(enableIdentityText(fromHex(v.inputs.walletPreKey))).toBe(e.enableIdentityText)
        expect(hex(await signer.signPersonalMessage(e.createIdentityText))).toBe(e.createIdentitySignature)
        expect(hex(await signer.signPersonalMessage(e.enableIdentityText))).toBe(e.enableIdentitySignature)

        // Decode → encode is the identity on xmtp-js's bytes.
        const publicBundle = decodePublicKeyBundle(fromHex(e.publicKeyBundle))
        expect(hex(encodePublicKeyBundle(publicBundle))).toBe(e.publicKeyBundle)
        expect(hex(encodeUnsignedPublicKeyV1(publicBundle.identityKey))).toBe(e.identityKeyBytes)
        expect(hex(encodeUnsignedPublicKeyV1(publicBundle.preKey))).toBe(e.preKeyBytes)
        expect(hex(encodePublicKeyV1(publicBundle.identityKey))).toBe(e.identityPublicKeyV1)
        expect(hex(encodeSignedPublicKeyBundle(decodeSignedPublicKeyBundle(fromHex(e.signedPublicKeyBundle))))).toBe(e.signedPublicKeyBundle)
        const contact1 = decodeContactBundle(fromHex(e.contactBundleV1))
        const contact2 = decodeContactBundle(fromHex(e.contactBundleV2))
        expect(contact1.version).toBe(1)
        expect(contact2.version).toBe(2)
        if (contact1.version === 1) expect(hex(encodeContactBundleV1(contact1.keyBundle))).toBe(e.contactBundleV1)
        if (contact2.version === 2) expect(hex(encodeContactBundleV2(contact2.keyBundle))).toBe(e.contactBundleV2)
        expect(hex(encodePrivateKeyBundle(decodePrivateKeyBundle(fromHex(e.privateKeyBundle))))).toBe(e.privateKeyBundle)
        // The legacy unwrapped forms are these very bytes without their `0a <length>` wrapper.
        expect(hex(encodePrivateKeyBundle(decodePrivateKeyBundle(unwrapField1(fromHex(e.privateKeyBundle)))))).toBe(e.privateKeyBundle)
        expect(decodeEncryptedBundle(unwrapField1(fromHex(e.encryptedPrivateKeyBundle)))).toEqual(decodeEncryptedBundle(fromHex(e.encryptedPrivateKeyBundle)))

        // The storage cipher, with the vector's salt and nonce and the Enable Identity signature as the secret.
        const secret = fromHex(e.enableIdentitySignature)
        const sealed = await encryptWithSecret(fromHex(e.privateKeyBundle), secret, { hkdfSalt: fromHex(v.inputs.hkdfSalt), gcmNonce: fromHex(v.inputs.gcmNonce) })
        expect(hex(encodeEncryptedBundle({ walletPreKey: fromHex(v.inputs.walletPreKey), ...sealed }))).toBe(e.encryptedPrivateKeyBundle)
        expect(hex(await decryptWithSecret(decodeEncryptedBundle(fromHex(e.encryptedPrivateKeyBundle)), secret))).toBe(e.privateKeyBundle)
      })

      it('our engine unlocks the bundle xmtp-js stored and verifies its public bundles', async () => {
        const signer = LocalSigner.fromPrivateKey(v.inputs.walletPrivateKey)
        const { identity, storageSecret } = await decryptIdentity(fromHex(e.encryptedPrivateKeyBundle), signer)
        expect(hex(encodePrivateKeyBundle(identity.exportPrivateKeyBundle()))).toBe(e.privateKeyBundle)
        expect(hex(revealStorageSecret(storageSecret))).toBe(e.enableIdentitySignature)
        expect(hex(storageSecret.walletPreKey)).toBe(v.inputs.walletPreKey)

        const store = new MemoryKeyStore()
        await store.put(e.storageTopic, fromHex(e.encryptedPrivateKeyBundle))
        expect(hex((await unlockIdentity(signer, store)).identity.encodeContactBundle(2))).toBe(e.contactBundleV2)

        const formats = [
          [e.contactBundleV1, 'ContactBundleV1'],
          [e.contactBundleV2, 'ContactBundleV2'],
          [e.publicKeyBundle, 'PublicKeyBundle'],
          [e.signedPublicKeyBundle, 'SignedPublicKeyBundle'],
        ] as const
        for (const [bytes, format] of formats) {
          const report = verifyEncodedBundle(bytes, { expectedAddress: e.address })
          expect([report.format, report.valid, report.walletAddress], format).toEqual([format, true, e.address])
          expect(hex(report.identityPublicKey)).toBe(e.identityPublicKey)
          expect(hex(report.preKeyPublicKey)).toBe(e.preKeyPublicKey)
        }
        // Control: another account's signer cannot open it.
        const other = LocalSigner.fromPrivateKey('07'.repeat(32))
        await expect(decryptIdentity(fromHex(e.encryptedPrivateKeyBundle), other)).rejects.toThrow()
      })
    })

    describe('fixtures/xmtp-js-stored-bundle.hex', () => {
      it('is the stored bundle of its vector and unlocks with the documented test mnemonic', async () => {
        const vector = vectors.find((v) => v.name === vectorFile.storedBundleFixture.vector)!
        expect(vector).toBeDefined()
        const text = readFileSync(STORED_BUNDLE_URL, 'utf8')
        expect(text).toMatch(/^[0-9a-f]+\n$/)
        expect(text.trim()).toBe(vector.expected.encryptedPrivateKeyBundle)
        const signer = LocalSigner.fromMnemonic(TEST_MNEMONIC)
        expect(signer.address).toBe(vector.expected.address)
        const { identity } = await decryptIdentity(fromHex(text.trim()), signer)
        expect(hex(identity.identityPublicKey)).toBe(vector.expected.identityPublicKey)
      })
    })
  })
}

describe('fixture drift', () => {
  it('re-running xmtp-js in-process still produces the committed fixtures, byte for byte', async () => {
    const generator = require('../fixtures/generate-xmtp-js-vectors.cjs') as Generator
    const fresh = await generator.generateVectors()
    expect(fresh).toEqual(vectorFile)
    expect(generator.renderVectors(fresh)).toBe(readFileSync(VECTORS_URL, 'utf8'))
    expect(generator.renderStoredBundle(fresh)).toBe(readFileSync(STORED_BUNDLE_URL, 'utf8'))
    // The stubs are gone: the clock and randomness are real again.
    expect(Math.abs(new Date().getTime() - Date.now())).toBeLessThan(1000)
    expect(new Date().getTime()).toBeGreaterThan(vectors[0]!.inputs.preKeyTimestampMs)
    const a = new Uint8Array(32)
    globalThis.crypto.getRandomValues(a)
    expect(hex(a)).not.toBe(vectors[0]!.inputs.walletPreKey)
  }, 20_000)
})
