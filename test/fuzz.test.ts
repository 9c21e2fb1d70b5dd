/**
 * Property-based fuzzing of every parser: arbitrary bytes, protobuf-shaped garbage and mutations of
 * valid encodings must give either a valid result or an XmtpSignersError (never a TypeError,
 * RangeError or stack overflow), and every encoder/decoder pair must round-trip.
 * Run counts are bounded so the file stays well under 30 s.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { LocalSigner } from '../signers/local/index.js'
import { toHex } from '../src/bytes.js'
import {
  createIdentity,
  isXmtpSignersError,
  MemoryKeyStore,
  normalizeSignature,
  storageTopic,
  unlockIdentity,
  verifyEncodedBundle,
  XmtpSignersError,
  type BundleVerification,
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
  encodeSignedPublicKeyBundle,
  signatureFromCompact,
  signedPublicKeyBundleOf,
  type EncryptedBundle,
  type KeySignature,
  type KeySignatureKind,
  type PrivateKeyBundleV1,
  type PrivateKeyV1,
  type PublicKeyBundleV1,
  type PublicKeyV1,
  type SignedPublicKey,
  type SignedPublicKeyBundle,
} from '../src/wire.js'
import { decodeMessage, encodeMessage } from '../src/proto.js'
import { CURVE_N } from './support/faultySigners.js'

// ---- harness --------------------------------------------------------------------------------------

/** Runs `action`; a non-XmtpSignersError (or one without a next step) fails the property. */
function typedOrValue<T>(action: () => T): T | XmtpSignersError {
  try {
    return action()
  } catch (error) {
    if (!(error instanceof XmtpSignersError) || !isXmtpSignersError(error)) {
      throw new Error(`leaked a non-typed error: ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}`, { cause: error })
    }
    if (!error.nextStep || !error.message.includes(`What to do: ${error.nextStep}`)) {
      throw new Error(`${error.name} (${error.code}) does not say what to do next: ${error.message}`)
    }
    return error
  }
}

const FORMATS = ['auto', 'PublicKeyBundle', 'SignedPublicKeyBundle', 'ContactBundleV1', 'ContactBundleV2'] as const

/** Every parser on the same bytes; each must answer a value or a typed error. */
function everyParser(bytes: Uint8Array): void {
  typedOrValue(() => decodeEncryptedBundle(bytes))
  typedOrValue(() => decodePrivateKeyBundle(bytes))
  typedOrValue(() => decodePublicKeyBundle(bytes))
  typedOrValue(() => decodeSignedPublicKeyBundle(bytes))
  typedOrValue(() => decodeContactBundle(bytes))
  typedOrValue(() => normalizeSignature(bytes))
  for (const format of FORMATS) {
    const report = typedOrValue(() => verifyEncodedBundle(bytes, { format }))
    if (!(report instanceof XmtpSignersError)) checkReport(report)
  }
}

function checkReport(report: BundleVerification): void {
  expect(report.valid).toBe(report.checks.every((c) => c.ok))
  expect(report.identityPublicKey).toHaveLength(65)
  expect(report.preKeyPublicKey).toHaveLength(65)
}

/** A comparable form: bytes as hex, bigints as strings, whatever the Uint8Array subclass. */
function canon(value: unknown): unknown {
  if (value instanceof Uint8Array) return `0x${toHex(value)}`
  if (typeof value === 'bigint') return `${value}n`
  if (Array.isArray(value)) return value.map(canon)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canon(v)]))
  return value
}

// ---- fixtures -------------------------------------------------------------------------------------

const alice = LocalSigner.fromPrivateKey(new Uint8Array(32).fill(1))
let valid: Record<string, Uint8Array>
let stored: Uint8Array
/** A few real key pairs, so generated bundles hold keys on the curve without paying for a key derivation per run. */
const keyPool = Array.from({ length: 6 }, (_, i) => {
  const secretKey = new Uint8Array(32).fill(0x10 + i)
  return { secretKey, publicKey: secp256k1.getPublicKey(secretKey, false) }
})

beforeAll(async () => {
  const created = await createIdentity(alice, new MemoryKeyStore())
  stored = created.encryptedBundle
  const publicBundle = created.identity.publicKeyBundle()
  valid = {
    encrypted: stored,
    private: encodePrivateKeyBundle(created.identity.exportPrivateKeyBundle()),
    public: encodePublicKeyBundle(publicBundle),
    signed: encodeSignedPublicKeyBundle(signedPublicKeyBundleOf(publicBundle)),
    contactV1: encodeContactBundleV1(publicBundle),
    contactV2: encodeContactBundleV2(signedPublicKeyBundleOf(publicBundle)),
  }
})

// ---- arbitraries ------------------------------------------------------------------------------------

const uint64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })
const poolKey = fc.integer({ min: 0, max: keyPool.length - 1 }).map((i) => keyPool[i]!)

/** Protobuf-shaped bytes: nested fields 1–4 of every wire type, with key-sized and key-valued leaves. */
type PbField = { field: number; wire: 0 | 1 | 2 | 5; value: bigint | Uint8Array | PbField[] }
function pbArbitrary(): fc.Arbitrary<Uint8Array> {
  const leafBytes = fc.oneof(
    fc.uint8Array({ maxLength: 70 }),
    poolKey.map((k) => k.publicKey),
    poolKey.map((k) => k.secretKey),
    fc.uint8Array({ minLength: 64, maxLength: 64 }),
    fc.uint8Array({ minLength: 12, maxLength: 12 }),
  )
  const fieldNo = fc.integer({ min: 1, max: 4 })
  const { message } = fc.letrec<{ message: PbField[]; field: PbField }>((tie) => ({
    message: fc.array(tie('field'), { maxLength: 4 }),
    field: fc.oneof(
      { depthSize: 'small', maxDepth: 6 },
      fc.record({ field: fieldNo, wire: fc.constant(2 as const), value: leafBytes }),
      fc.record({ field: fieldNo, wire: fc.constant(0 as const), value: uint64 }),
      fc.record({ field: fieldNo, wire: fc.constant(1 as const), value: fc.uint8Array({ minLength: 8, maxLength: 8 }) }),
      fc.record({ field: fieldNo, wire: fc.constant(5 as const), value: fc.uint8Array({ minLength: 4, maxLength: 4 }) }),
      fc.record({ field: fieldNo, wire: fc.constant(2 as const), value: tie('message') }),
    ),
  }))
  return message.map(encodePb)
}

function varint(value: bigint): number[] {
  const out: number[] = []
  do {
    let byte = Number(value & 0x7fn)
    value >>= 7n
    if (value) byte |= 0x80
    out.push(byte)
  } while (value)
  return out
}

function encodePb(fields: PbField[]): Uint8Array {
  const out: number[] = []
  for (const { field, wire, value } of fields) {
    out.push(...varint(BigInt((field << 3) | wire)))
    if (wire === 0) out.push(...varint(value as bigint))
    else if (wire === 2) {
      const bytes = Array.isArray(value) ? encodePb(value) : (value as Uint8Array)
      out.push(...varint(BigInt(bytes.length)), ...bytes)
    } else out.push(...(value as Uint8Array))
  }
  return Uint8Array.from(out)
}

/** 1–3 edits of a valid encoding: bit flips, truncation, insertion, deletion, overwrite, duplication. */
type EditKind = 'flip' | 'truncate' | 'insert' | 'delete' | 'set' | 'duplicate'
function mutationsOf(
  base: () => Uint8Array,
  options: { kinds?: EditKind[]; maxEdits?: number } = {},
): fc.Arbitrary<Uint8Array> {
  type Edit = { kind: EditKind; at: number; bit: number; bytes: Uint8Array; length: number }
  const edit = fc.record({
    kind: fc.constantFrom(...(options.kinds ?? ['flip', 'flip', 'truncate', 'insert', 'delete', 'set', 'duplicate'])),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    length: fc.integer({ min: 1, max: 40 }),
  })
  return fc.array(edit, { minLength: 1, maxLength: options.maxEdits ?? 3 }).map((edits: Edit[]) => {
    let bytes = Array.from(base())
    for (const e of edits) {
      const at = bytes.length === 0 ? 0 : e.at % bytes.length
      switch (e.kind) {
        case 'flip':
          if (bytes.length) bytes[at]! ^= 1 << e.bit
          break
        case 'truncate':
          bytes = bytes.slice(0, at)
          break
        case 'insert':
          bytes.splice(at, 0, ...e.bytes)
          break
        case 'delete':
          bytes.splice(at, e.length)
          break
        case 'set':
          if (bytes.length) bytes[at] = e.bytes[0]!
          break
        case 'duplicate':
          bytes.splice(at, 0, ...bytes.slice(at, at + e.length))
          break
      }
    }
    return Uint8Array.from(bytes)
  })
}

const keySignature = (kinds: KeySignatureKind[] = ['ecdsaCompact', 'walletEcdsaCompact']): fc.Arbitrary<KeySignature> =>
  fc.record({
    kind: fc.constantFrom(...kinds),
    compact: fc.uint8Array({ minLength: 64, maxLength: 64 }),
    recovery: fc.constantFrom(0 as const, 1 as const),
  })

const publicKeyV1 = (signed: 'always' | 'maybe'): fc.Arbitrary<PublicKeyV1> =>
  fc.record({ timestamp: uint64, key: poolKey, signature: signed === 'always' ? keySignature() : fc.option(keySignature(), { nil: undefined }) }).map(
    ({ timestamp, key, signature }) => ({ timestamp, publicKey: key.publicKey, ...(signature ? { signature } : {}) }),
  )

const privateKeyV1: fc.Arbitrary<PrivateKeyV1> = fc
  .record({ timestamp: uint64, key: poolKey, publicKey: publicKeyV1('maybe') })
  .map(({ timestamp, key, publicKey }) => ({ timestamp, secretKey: key.secretKey, publicKey: { ...publicKey, publicKey: key.publicKey } }))

const privateBundle: fc.Arbitrary<PrivateKeyBundleV1> = fc.record({
  identityKey: privateKeyV1,
  preKeys: fc.array(privateKeyV1, { minLength: 1, maxLength: 4 }),
})

const publicBundle = (signed: 'always' | 'maybe'): fc.Arbitrary<PublicKeyBundleV1> =>
  fc.record({ identityKey: publicKeyV1(signed), preKey: publicKeyV1(signed) })

/** A native V2 key: `key_bytes` is an UnsignedPublicKey with a nanosecond `created_ns`. */
const signedPublicKey: fc.Arbitrary<SignedPublicKey> = fc.record({ createdNs: uint64, key: poolKey, signature: keySignature() }).map(({ createdNs, key, signature }) => ({
  keyBytes: encodeMessage('UnsignedPublicKey', { createdNs, secp256k1Uncompressed: { bytes: key.publicKey } }),
  createdNs,
  publicKey: key.publicKey,
  signature,
}))

const encryptedBundle = (walletPreKeyLength: { minLength: number; maxLength: number }): fc.Arbitrary<EncryptedBundle> =>
  fc.record({
    walletPreKey: fc.uint8Array(walletPreKeyLength),
    hkdfSalt: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    gcmNonce: fc.uint8Array({ minLength: 12, maxLength: 12 }),
    payload: fc.uint8Array({ minLength: 16, maxLength: 300 }),
  })

// ---- properties -------------------------------------------------------------------------------------

describe('fuzz: parsers answer a value or a typed error', () => {
  it('arbitrary bytes into every decoder, verifyEncodedBundle (every format) and normalizeSignature', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), everyParser), { numRuns: 1500 })
  })

  it('protobuf-shaped garbage (nested fields, key-sized leaves) into every parser', () => {
    fc.assert(fc.property(pbArbitrary(), everyParser), { numRuns: 1500 })
  })

  it('arbitrary strings and hex into verifyEncodedBundle and normalizeSignature', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc.uint8Array({ maxLength: 200 }).map((b) => `0x${toHex(b)}`),
      fc.uint8Array({ maxLength: 200 }).map((b) => toHex(b).toUpperCase()),
      fc.uint8Array({ minLength: 65, maxLength: 65 }).map((b) => ` 0x${toHex(b)}\n`),
    )
    fc.assert(
      fc.property(text, (input) => {
        for (const format of FORMATS) typedOrValue(() => verifyEncodedBundle(input, { format }))
        typedOrValue(() => normalizeSignature(input))
      }),
      { numRuns: 1000 },
    )
  })

  for (const name of ['encrypted', 'private', 'contactV1', 'contactV2'] as const) {
    it(`mutations of a valid ${name} encoding into every decoder`, () => {
      fc.assert(
        fc.property(mutationsOf(() => valid[name]!), (bytes) => {
          typedOrValue(() => decodeEncryptedBundle(bytes))
          typedOrValue(() => decodePrivateKeyBundle(bytes))
          typedOrValue(() => decodePublicKeyBundle(bytes))
          typedOrValue(() => decodeSignedPublicKeyBundle(bytes))
          typedOrValue(() => decodeContactBundle(bytes))
        }),
        { numRuns: 600 },
      )
    })
  }

  for (const name of ['public', 'signed', 'contactV1', 'contactV2'] as const) {
    it(`mutations of a valid ${name} bundle into verifyEncodedBundle: never verifies other keys for the account`, () => {
      const original = verifyEncodedBundle(valid[name]!, { expectedAddress: alice.address })
      expect(original.valid).toBe(true)
      // Mostly small edits in the bundle's own format, so most runs get past decoding to the signature checks.
      const edits = fc.oneof(
        { arbitrary: mutationsOf(() => valid[name]!, { kinds: ['flip', 'set'], maxEdits: 2 }), weight: 4 },
        { arbitrary: mutationsOf(() => valid[name]!), weight: 1 },
      )
      fc.assert(
        fc.property(edits, fc.constantFrom('auto', original.format), (bytes, format) => {
          const report = typedOrValue(() => verifyEncodedBundle(bytes, { format, expectedAddress: alice.address }))
          if (report instanceof XmtpSignersError || !report.valid) return
          checkReport(report)
          expect(toHex(report.identityPublicKey)).toBe(toHex(original.identityPublicKey))
          expect(toHex(report.preKeyPublicKey)).toBe(toHex(original.preKeyPublicKey))
          expect(report.walletAddress).toBe(alice.address)
        }),
        { numRuns: 60 },
      )
    })
  }

  it('normalizeSignature: any 65 bytes give a canonical signature (v 27/28, low s, idempotent) or a typed error', () => {
    const sig = fc.oneof(
      fc.uint8Array({ minLength: 65, maxLength: 65 }),
      fc.record({ r: fc.bigInt({ min: 0n, max: CURVE_N + 2n }), s: fc.bigInt({ min: 0n, max: CURVE_N + 2n }), v: fc.constantFrom(0, 1, 27, 28, 2, 26, 29, 255) }).map(
        ({ r, s, v }) => Uint8Array.from([...big32(r), ...big32(s), v]),
      ),
    )
    fc.assert(
      fc.property(sig, (bytes) => {
        const result = typedOrValue(() => normalizeSignature(bytes))
        if (result instanceof XmtpSignersError) return
        expect([27, 28]).toContain(result.bytes[64])
        expect(result.recovery).toBe(result.bytes[64]! - 27)
        expect(big(result.compact.subarray(32))).toBeLessThanOrEqual(CURVE_N >> 1n)
        expect(toHex(result.compact)).toBe(toHex(bytes.subarray(0, 64)))
        expect(canon(normalizeSignature(result.bytes))).toEqual(canon(result))
        expect(canon(signatureFromCompact(result.compact, result.recovery))).toEqual(canon(result))
      }),
      { numRuns: 1000 },
    )
  })

  it('decryptWithSecret with arbitrary secrets and altered ciphertexts: only BundleDecryptionError', async () => {
    const sealed = decodeEncryptedBundle(stored)
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 100 }), fc.nat(), async (secret, at) => {
        const payload = sealed.payload.slice()
        payload[at % payload.length]! ^= 1
        for (const bundle of [sealed, { ...sealed, payload }]) {
          let error: unknown
          try {
            await decryptWithSecret(bundle, secret)
          } catch (e) {
            error = e
          }
          expect((error as XmtpSignersError | undefined)?.code).toBe('BUNDLE_DECRYPTION_FAILED')
        }
      }),
      { numRuns: 60 },
    )
  })

  it('unlockIdentity on a mutated stored bundle: the same identity or a typed error, and the store is untouched', async () => {
    const topic = storageTopic(alice.address)
    const expected = JSON.stringify((await unlockIdentity(alice, await seeded(stored))).identity.toJSON())
    await fc.assert(
      fc.asyncProperty(mutationsOf(() => stored), async (bytes) => {
        const store = await seeded(bytes)
        let outcome: unknown
        try {
          outcome = await unlockIdentity(alice, store)
        } catch (error) {
          outcome = typedOrValue(() => {
            throw error
          })
        }
        if (!(outcome instanceof XmtpSignersError)) expect(JSON.stringify((outcome as Awaited<ReturnType<typeof unlockIdentity>>).identity.toJSON())).toBe(expected)
        expect(toHex((await store.get(topic))!)).toBe(toHex(bytes))
      }),
      { numRuns: 60 },
    )
  })
})

async function seeded(bytes: Uint8Array): Promise<MemoryKeyStore> {
  const store = new MemoryKeyStore()
  await store.put(storageTopic(alice.address), bytes)
  return store
}

function big32(value: bigint): number[] {
  return Array.from(Buffer.from(BigInt.asUintN(256, value).toString(16).padStart(64, '0'), 'hex'))
}
function big(bytes: Uint8Array): bigint {
  return BigInt(`0x${toHex(bytes) || '0'}`)
}

describe('fuzz: round trips', () => {
  it('private bundles: decode(encode(x)) == x, wrapped and legacy unwrapped, and re-encoding is byte-identical', () => {
    fc.assert(
      fc.property(privateBundle, (bundle) => {
        const bytes = encodePrivateKeyBundle(bundle)
        expect(canon(decodePrivateKeyBundle(bytes))).toEqual(canon(bundle))
        expect(toHex(encodePrivateKeyBundle(decodePrivateKeyBundle(bytes)))).toBe(toHex(bytes))
        const legacy = encodeMessage('PrivateKeyBundleV1', decodeMessage('PrivateKeyBundle', bytes, 'test').v1!)
        expect(canon(decodePrivateKeyBundle(legacy))).toEqual(canon(bundle))
      }),
      { numRuns: 300 },
    )
  })

  it('public bundles, V2 views and contact bundles: decode(encode(x)) == x', () => {
    fc.assert(
      fc.property(publicBundle('maybe'), publicBundle('always'), (loose, signed) => {
        expect(canon(decodePublicKeyBundle(encodePublicKeyBundle(loose)))).toEqual(canon(loose))
        expect(canon(decodeContactBundle(encodeContactBundleV1(loose)))).toEqual(canon({ version: 1, keyBundle: loose }))
        const v2 = signedPublicKeyBundleOf(signed)
        expect(canon(decodeSignedPublicKeyBundle(encodeSignedPublicKeyBundle(v2)))).toEqual(canon(v2))
        expect(canon(decodeContactBundle(encodeContactBundleV2(v2)))).toEqual(canon({ version: 2, keyBundle: v2 }))
      }),
      { numRuns: 300 },
    )
  })

  it('native V2 signed public key bundles (nanosecond created_ns): decode(encode(x)) == x', () => {
    fc.assert(
      fc.property(fc.record({ identityKey: signedPublicKey, preKey: signedPublicKey }), (bundle: SignedPublicKeyBundle) => {
        expect(canon(decodeSignedPublicKeyBundle(encodeSignedPublicKeyBundle(bundle)))).toEqual(canon(bundle))
        expect(canon(decodeContactBundle(encodeContactBundleV2(bundle)))).toEqual(canon({ version: 2, keyBundle: bundle }))
      }),
      { numRuns: 300 },
    )
  })

  it('encrypted bundles: decode(encode(x)) == x, and the legacy unwrapped form reads the same', () => {
    fc.assert(
      fc.property(encryptedBundle({ minLength: 1, maxLength: 64 }), encryptedBundle({ minLength: 32, maxLength: 32 }), (any, legacyShaped) => {
        expect(canon(decodeEncryptedBundle(encodeEncryptedBundle(any)))).toEqual(canon(any))
        const legacy = encodeMessage('EncryptedPrivateKeyBundleV1', {
          walletPreKey: legacyShaped.walletPreKey,
          ciphertext: { aes256GcmHkdfSha256: { hkdfSalt: legacyShaped.hkdfSalt, gcmNonce: legacyShaped.gcmNonce, payload: legacyShaped.payload } },
        })
        expect(canon(decodeEncryptedBundle(legacy))).toEqual(canon(legacyShaped))
      }),
      { numRuns: 500 },
    )
  })
})

describe('issue 10: canonical decoding and typed data under fuzzing', () => {
  it('mutated contact bundles: whenever we decode one, xmtp-js reads the same identity key and prekey', async () => {
    const { createRequire } = await import('node:module')
    const xmtpJs = createRequire(import.meta.url)('@xmtp/xmtp-js') as typeof import('@xmtp/xmtp-js')
    const theirKeys = (bytes: Uint8Array): string | undefined => {
      try {
        const bundle = xmtpJs.decodeContactBundle(bytes) as unknown as { identityKey?: { secp256k1Uncompressed?: { bytes: Uint8Array } }; preKey?: { secp256k1Uncompressed?: { bytes: Uint8Array } } }
        return `${toHex(bundle.identityKey?.secp256k1Uncompressed?.bytes ?? new Uint8Array())}/${toHex(bundle.preKey?.secp256k1Uncompressed?.bytes ?? new Uint8Array())}`
      } catch {
        return undefined
      }
    }
    const sources = [valid.contactV1!, valid.contactV2!]
    let decoded = 0
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { maxLength: 3 }),
        fc.integer({ min: 0, max: 1 }),
        fc.nat(),
        (source, flips, appendOther, cut) => {
          let bytes = sources[source]!.slice()
          for (const [at, bit] of flips) bytes[at % bytes.length]! ^= 1 << bit
          // Sometimes append (part of) the other version: duplicate or conflicting fields.
          if (appendOther) bytes = new Uint8Array([...bytes, ...sources[1 - source]!.subarray(0, sources[1 - source]!.length - (cut % 8))])
          const ours = typedOrValue(() => decodeContactBundle(bytes))
          if (ours instanceof XmtpSignersError) return
          decoded++
          const keyBundle = ours.keyBundle
          const mine = `${toHex(keyBundle.identityKey.publicKey)}/${toHex(keyBundle.preKey.publicKey)}`
          expect(theirKeys(bytes)).toBe(mine)
        },
      ),
      { numRuns: 1_500, seed: 10 },
    )
    expect(decoded).toBeGreaterThan(0)
  })

  it('arbitrary typed data (prototype names, wrong shapes, odd widths): a 32-byte digest or INVALID_INPUT, never an untyped error', async () => {
    const { hashTypedData } = await import('../src/typedData.js')
    const name = fc.oneof(fc.constantFrom('constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'Mail', 'Person', 'EIP712Domain'), fc.string({ maxLength: 6 }))
    const type = fc.oneof(
      name,
      fc.constantFrom('string', 'bytes', 'bool', 'address', 'uint256', 'int8', 'uint7', 'bytes32', 'bytes99', 'bytes0', 'Person[]', 'Person[2]', 'uint8[][]', 'Mail[', ']'),
    )
    const field = fc.oneof(fc.record({ name, type }), fc.anything())
    const types = fc.oneof(fc.dictionary(name, fc.oneof(fc.array(field, { maxLength: 4 }), fc.anything()), { maxKeys: 4 }), fc.anything())
    fc.assert(
      fc.property(types, name, fc.anything(), fc.anything(), (t, primaryType, domain, message) => {
        const digest = typedOrValue(() => hashTypedData({ types: t, primaryType, domain, message } as never))
        if (digest instanceof XmtpSignersError) expect(digest.code).toBe('INVALID_INPUT')
        else expect(digest).toHaveLength(32)
      }),
      { numRuns: 3_000, seed: 10 },
    )
  })
})
