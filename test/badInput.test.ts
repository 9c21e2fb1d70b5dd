/**
 * Bad input, end to end: every malformed byte string, wrong key or signature, foreign or damaged
 * stored bundle and misbehaving wallet must end in a typed XmtpSignersError that says what to do
 * next — never a TypeError/RangeError, never a hang — and must leave the key store as it was.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { LocalSigner } from '../signers/local/index.js'
import { randomBytes, toHex } from '../src/bytes.js'
import {
  SignerUnavailableError,
  StorageKeySourceError,
  AccountMismatchError,
  BundleDecryptionError,
  BundleVerificationError,
  createIdentity,
  enableIdentityText,
  hashPersonalMessage,
  ForeignBundleError,
  generateIdentity,
  IdentityExistsError,
  InvalidInputError,
  InvalidKeyError,
  InvalidSignatureError,
  isXmtpSignersError,
  KeyStoreLockedError,
  MalformedBundleError,
  MemoryKeyStore,
  normalizeSignature,
  publicKeyToAddress,
  rotatePreKey,
  storageTopic,
  unlockIdentity,
  unlockOrCreateIdentity,
  UnsupportedOperationError,
  UserRejectedError,
  verifyEncodedBundle,
  XmtpIdentity,
  XmtpSignersError,
  type BundleFormat,
  type ErrorCode,
  type ProgressEvent,
  type PutOptions,
  type Signer,
  type StoredIdentity,
} from '../src/index.js'
import {
  decodeContactBundle,
  decodeEncryptedBundle,
  decodePrivateKeyBundle,
  decodePublicKeyBundle,
  decodeSignedPublicKeyBundle,
  encodeContactBundleV1,
  encodeContactBundleV2,
  encodeEncryptedBundle,
  encodePrivateKeyBundle,
  encodePublicKeyBundle,
  encodeSignedPublicKeyBundle,
  encryptWithSecret,
  signedPublicKeyBundleOf,
  signedPublicKeyFromV1,
  type PrivateKeyBundleV1,
  type PrivateKeyV1,
  type PublicKeyBundleV1,
  type PublicKeyV1,
  type EcdsaKeySignature,
} from '../src/wire.js'
import { decodeMessage, encodeMessage } from '../src/proto.js'
import {
  CURVE_N,
  eip2098,
  FaultySigner,
  gate,
  hangThen,
  highS,
  onPurpose,
  personalSign,
  rejectWith,
  returns,
  signedBy,
  vZeroOne,
  withLength,
  withR,
  withS,
  withV,
  type Fault,
  type Purpose,
} from './support/faultySigners.js'

// ---- accounts, store, assertions --------------------------------------------------------------

const key = (byte: number) => new Uint8Array(32).fill(byte)
const ALICE_KEY = key(0x01)
const BOB_KEY = key(0x02)
const alice = LocalSigner.fromPrivateKey(ALICE_KEY)
const bob = LocalSigner.fromPrivateKey(BOB_KEY)
const ALICE_TOPIC = storageTopic(alice.address)
const BOB_TOPIC = storageTopic(bob.address)

/** A MemoryKeyStore that records every write the engine makes. */
class SpyStore extends MemoryKeyStore {
  readonly puts: string[] = []
  override async put(topic: string, value: Uint8Array, options?: PutOptions): Promise<void> {
    this.puts.push(topic)
    return super.put(topic, value, options)
  }
  /** Stores a value as a test fixture; not counted as an engine write. */
  async seed(topic: string, value: Uint8Array): Promise<void> {
    await super.put(topic, value, { overwrite: true })
  }
  async snapshot(): Promise<Record<string, string | undefined>> {
    const out: Record<string, string | undefined> = {}
    for (const topic of [ALICE_TOPIC, BOB_TOPIC]) {
      const value = await this.get(topic)
      out[topic] = value && toHex(value)
    }
    return out
  }
}

async function storeWith(value?: Uint8Array, topic = ALICE_TOPIC, options: { lockTimeoutMs?: number } = {}) {
  const store = new SpyStore(options)
  if (value) await store.seed(topic, value)
  return { store, before: await store.snapshot() }
}

/** Nothing was written and every value is byte for byte what it was. */
async function expectUntouched(store: SpyStore, before: Record<string, string | undefined>): Promise<void> {
  expect(store.puts, 'the engine wrote to the store').toEqual([])
  expect(await store.snapshot()).toEqual(before)
}

type ErrorClass<E> = { prototype: E; name: string }

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}(${(error as Partial<XmtpSignersError>).code ?? '-'}): ${error.message}`
  return `non-error ${String(error)}`
}

/** Exactly `Class` (not a look-alike, not a TypeError), with `code`, and a message that says what to do next. */
function assertTyped<E extends XmtpSignersError>(error: unknown, Class: ErrorClass<E>, code: ErrorCode): E {
  if (!isXmtpSignersError(error) || Object.getPrototypeOf(error) !== Class.prototype) {
    expect.fail(`expected ${Class.name} (${code}), got ${describeError(error)}`)
  }
  expect(error).toBeInstanceOf(XmtpSignersError)
  expect(error.name).toBe(Class.name)
  expect(error.code).toBe(code)
  expect(error.shortMessage.length).toBeGreaterThan(10)
  expect(error.nextStep ?? '', `${Class.name} must say what to do next`).toMatch(/\w+ \w+ \w+/)
  expect(error.message).toContain(`What to do: ${error.nextStep}`)
  return error as E
}

function within<T>(ms: number, action: () => T | Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`HUNG: no answer within ${ms} ms`)), ms)
  })
  return Promise.race([Promise.resolve().then(action), hung]).finally(() => clearTimeout(timer))
}

async function expectTyped<E extends XmtpSignersError>(action: () => unknown, Class: ErrorClass<E>, code: ErrorCode, label = '', timeoutMs = 10_000): Promise<E> {
  let value: unknown
  try {
    value = await within(timeoutMs, action)
  } catch (error) {
    if (Object.getPrototypeOf(error) !== Class.prototype) expect.fail(`${label}: expected ${Class.name}, got ${describeError(error)}`)
    return assertTyped(error, Class, code)
  }
  return expect.fail(`${label}: expected ${Class.name} (${code}), but it returned ${String(value)}`)
}

function expectTypedSync<E extends XmtpSignersError>(action: () => unknown, Class: ErrorClass<E>, code: ErrorCode, label = ''): E {
  try {
    action()
  } catch (error) {
    if (Object.getPrototypeOf(error) !== Class.prototype) expect.fail(`${label}: expected ${Class.name}, got ${describeError(error)}`)
    return assertTyped(error, Class, code)
  }
  return expect.fail(`${label}: expected ${Class.name} (${code}), but it succeeded`)
}

const flip = (bytes: Uint8Array, index: number, bit = 0): Uint8Array => {
  const out = new Uint8Array(bytes) // a copy even for a Buffer, whose slice() would share memory
  out[index]! ^= 1 << bit
  return out
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer
    return i
  }
  throw new Error('fixture: field not found in encoding')
}

/** Encrypts `plaintext` exactly as the engine stores it, with `secretKey`'s real storage signature. */
async function sealWith(secretKey: Uint8Array, plaintext: Uint8Array, walletPreKey = randomBytes(32)): Promise<Uint8Array> {
  const secret = normalizeSignature(personalSign(secretKey, enableIdentityText(walletPreKey))).bytes
  return encodeEncryptedBundle({ walletPreKey, ...(await encryptWithSecret(plaintext, secret)) })
}

function progressLog(): { events: ProgressEvent[]; onProgress: (e: ProgressEvent) => void; count: (type: ProgressEvent['type']) => number } {
  const events: ProgressEvent[] = []
  return { events, onProgress: (e) => events.push(e), count: (type) => events.filter((e) => e.type === type).length }
}

// ---- fixtures ---------------------------------------------------------------------------------

let aliceStored: Uint8Array // EncryptedPrivateKeyBundle as createIdentity stored it
let aliceKeys: PrivateKeyBundleV1
let bobStored: Uint8Array
let bobKeys: PrivateKeyBundleV1
let encodings: Record<'encrypted' | 'encryptedLegacy' | 'private' | 'privateLegacy' | 'public' | 'signed' | 'contactV1' | 'contactV2', Uint8Array>

beforeAll(async () => {
  const a = await createIdentity(alice, new MemoryKeyStore())
  aliceStored = a.encryptedBundle
  aliceKeys = a.identity.exportPrivateKeyBundle()
  const b = await createIdentity(bob, new MemoryKeyStore())
  bobStored = b.encryptedBundle
  bobKeys = b.identity.exportPrivateKeyBundle()
  const sealed = decodeEncryptedBundle(aliceStored)
  const publicBundle = a.identity.publicKeyBundle()
  encodings = {
    encrypted: aliceStored,
    encryptedLegacy: encodeMessage('EncryptedPrivateKeyBundleV1', {
      walletPreKey: sealed.walletPreKey,
      ciphertext: { aes256GcmHkdfSha256: { hkdfSalt: sealed.hkdfSalt, gcmNonce: sealed.gcmNonce, payload: sealed.payload } },
    }),
    private: encodePrivateKeyBundle(aliceKeys),
    privateLegacy: encodeMessage('PrivateKeyBundleV1', decodeMessage('PrivateKeyBundle', encodePrivateKeyBundle(aliceKeys), 'test').v1!),
    public: encodePublicKeyBundle(publicBundle),
    signed: encodeSignedPublicKeyBundle(signedPublicKeyBundleOf(publicBundle)),
    contactV1: encodeContactBundleV1(publicBundle),
    contactV2: encodeContactBundleV2(signedPublicKeyBundleOf(publicBundle)),
  }
  // The fixtures are what they claim to be.
  expect(decodeEncryptedBundle(encodings.encryptedLegacy)).toEqual(sealed)
  expect(toHex(encodePrivateKeyBundle(decodePrivateKeyBundle(encodings.privateLegacy)))).toBe(toHex(encodings.private))
  for (const format of ['public', 'signed', 'contactV1', 'contactV2'] as const) {
    const report = verifyEncodedBundle(encodings[format], { expectedAddress: alice.address })
    expect(report.valid, format).toBe(true)
  }
})

// ---- 1. truncated and corrupt protobuf ----------------------------------------------------------

type EncodingName = keyof typeof encodings
const decoders: Record<string, { decode: (bytes: Uint8Array) => unknown; own: EncodingName[] }> = {
  decodeEncryptedBundle: { decode: decodeEncryptedBundle, own: ['encrypted', 'encryptedLegacy'] },
  decodePrivateKeyBundle: { decode: decodePrivateKeyBundle, own: ['private', 'privateLegacy'] },
  decodePublicKeyBundle: { decode: (b) => decodePublicKeyBundle(b), own: ['public'] },
  decodeSignedPublicKeyBundle: { decode: (b) => decodeSignedPublicKeyBundle(b), own: ['signed'] },
  decodeContactBundle: { decode: decodeContactBundle, own: ['contactV1', 'contactV2'] },
}
const PUBLIC_ENCODINGS = ['public', 'signed', 'contactV1', 'contactV2'] as const
const OWN_FORMAT: Record<(typeof PUBLIC_ENCODINGS)[number], BundleFormat> = {
  public: 'PublicKeyBundle',
  signed: 'SignedPublicKeyBundle',
  contactV1: 'ContactBundleV1',
  contactV2: 'ContactBundleV2',
}
const VERIFY_FORMATS = ['auto', 'PublicKeyBundle', 'SignedPublicKeyBundle', 'ContactBundleV1', 'ContactBundleV2'] as const

/**
 * Every byte position, except that inside the two 64-byte r || s values (where a flip only means a
 * different signature, and every check costs two public-key recoveries) every 7th is taken.
 */
function flipPositions(bytes: Uint8Array): number[] {
  const signatures = [aliceKeys.identityKey.publicKey.signature!, aliceKeys.preKeys[0]!.publicKey.signature!].map((s) => indexOfBytes(bytes, (s as EcdsaKeySignature).compact))
  return Array.from(bytes.keys()).filter((i) => signatures.every((start) => i < start || i >= start + 64 || (i - start) % 7 === 0))
}

describe('decoders: truncated and corrupt protobuf', () => {
  for (const [name, { decode, own }] of Object.entries(decoders)) {
    it(`${name}: every truncation of a valid encoding is a MalformedBundleError`, () => {
      for (const encoding of own) {
        const full = encodings[encoding]
        expect(() => decode(full)).not.toThrow()
        for (let length = 0; length < full.length; length++) {
          expectTypedSync(() => decode(full.subarray(0, length)), MalformedBundleError, 'MALFORMED_BUNDLE', `${encoding}[0..${length})`)
        }
      }
    })

    it(`${name}: every single-bit flip decodes or is a MalformedBundleError`, () => {
      for (const encoding of own) {
        const full = encodings[encoding]
        for (let i = 0; i < full.length; i++) {
          for (let bit = 0; bit < 8; bit++) {
            try {
              decode(flip(full, i, bit))
            } catch (error) {
              assertTyped(error, MalformedBundleError, 'MALFORMED_BUNDLE')
            }
          }
        }
      }
    })

    it(`${name}: other formats, empty input and non-bytes are a MalformedBundleError`, () => {
      for (const [encoding, bytes] of Object.entries(encodings)) {
        if (own.includes(encoding as EncodingName)) continue
        expectTypedSync(() => decode(bytes), MalformedBundleError, 'MALFORMED_BUNDLE', `${name}(${encoding})`)
      }
      for (const bad of [new Uint8Array(0), Uint8Array.of(0x0a), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), new Uint8Array(64).fill(0xff)]) {
        expectTypedSync(() => decode(bad), MalformedBundleError, 'MALFORMED_BUNDLE', `${name}(${toHex(bad)})`)
      }
      for (const notBytes of [undefined, null, 'hello', 42, {}, [1, 2, 3]]) {
        expectTypedSync(() => decode(notBytes as never), MalformedBundleError, 'MALFORMED_BUNDLE', `${name}(${String(notBytes)})`)
      }
    })
  }

  it('deeply nested or huge length prefixes are a MalformedBundleError, not a stack overflow or RangeError', () => {
    // 0a 80 80 80 80 08: field 1 with a length of 2^31; 200k nested "field 1" headers.
    const nested = new Uint8Array(200_000)
    for (let i = 0; i < nested.length; i += 2) nested.set([0x0a, 0x00], i)
    for (let i = nested.length - 2, len = 0; i >= 0; i -= 2, len += 2) nested[i + 1] = Math.min(len, 0x7f)
    const groups = new Uint8Array(100_000).fill(0x0b) // start-group tags, never closed
    for (const bad of [Uint8Array.of(0x0a, 0x80, 0x80, 0x80, 0x80, 0x08), Uint8Array.of(0x12, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00), nested, groups]) {
      for (const [name, { decode }] of Object.entries(decoders)) {
        expectTypedSync(() => decode(bad), MalformedBundleError, 'MALFORMED_BUNDLE', name)
      }
      for (const format of VERIFY_FORMATS) {
        expectTypedSync(() => verifyEncodedBundle(bad, { format }), MalformedBundleError, 'MALFORMED_BUNDLE', format)
      }
    }
  })

  for (const encoding of PUBLIC_ENCODINGS) {
    it(`verifyEncodedBundle (auto and every format): every truncation of ${encoding} is a MalformedBundleError`, () => {
      const full = encodings[encoding]
      for (let length = 0; length < full.length; length++) {
        const cut = full.subarray(0, length)
        for (const format of VERIFY_FORMATS) {
          expectTypedSync(() => verifyEncodedBundle(cut, { format }), MalformedBundleError, 'MALFORMED_BUNDLE', `${format}: ${encoding}[0..${length})`)
        }
        // The same as hex: even-length hex is read, then refused as a bundle.
        expectTypedSync(() => verifyEncodedBundle(`0x${toHex(cut)}`), MalformedBundleError, 'MALFORMED_BUNDLE', `hex ${encoding}[0..${length})`)
      }
    })

    it(`verifyEncodedBundle: a bit flip anywhere in ${encoding} never verifies other keys for the account`, () => {
      const full = encodings[encoding]
      const original = verifyEncodedBundle(full, { expectedAddress: alice.address })
      for (const i of flipPositions(full)) {
        const bad = flip(full, i, i % 8)
        for (const format of ['auto', OWN_FORMAT[encoding]] as const) {
          let report
          try {
            report = verifyEncodedBundle(bad, { format, expectedAddress: alice.address })
          } catch (error) {
            assertTyped(error, MalformedBundleError, 'MALFORMED_BUNDLE')
            continue
          }
          if (report.valid) {
            // Only a flip with no meaning may still verify (e.g. a V1 attestation re-tagged as a wallet signature).
            expect(toHex(report.identityPublicKey), `byte ${i}`).toBe(toHex(original.identityPublicKey))
            expect(toHex(report.preKeyPublicKey), `byte ${i}`).toBe(toHex(original.preKeyPublicKey))
            expect(report.walletAddress).toBe(alice.address)
          }
        }
      }
    })
  }

  it('verifyEncodedBundle: a bundle of the wrong explicit format, bad hex and non-hex are typed errors', () => {
    for (const encoding of PUBLIC_ENCODINGS) {
      for (const format of VERIFY_FORMATS) {
        if (format === 'auto' || format === OWN_FORMAT[encoding]) continue
        expectTypedSync(() => verifyEncodedBundle(encodings[encoding], { format }), MalformedBundleError, 'MALFORMED_BUNDLE', `${encoding} as ${format}`)
      }
    }
    const hex = toHex(encodings.public)
    for (const bad of [hex.slice(1), `${hex}0`, `0x${hex.slice(0, -1)}z`, 'not a bundle', `0x0x${hex}`]) {
      expectTypedSync(() => verifyEncodedBundle(bad), InvalidInputError, 'INVALID_INPUT', bad.slice(0, 12))
    }
  })
})

// ---- 2. wrong keys and signatures --------------------------------------------------------------

function bigToBytes32(value: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(value.toString(16).padStart(64, '0'), 'hex'))
}
const offCurve = (publicKey: Uint8Array): Uint8Array => {
  const out = publicKey.slice()
  out[64]! ^= 1 // y changes, x stays: y² ≠ x³ + 7
  return out
}
/** r values that are below n but are no point's x-coordinate, so nothing recovers from them. */
function rNotOnCurve(): bigint {
  for (let r = 1n; ; r++) {
    try {
      secp256k1.Point.fromBytes(Uint8Array.of(2, ...bigToBytes32(r)))
    } catch {
      return r
    }
  }
}

describe('wrong key and signature lengths and values', () => {
  const badSecretKeys: [string, Uint8Array][] = [
    ['31 bytes', key(0x01).subarray(1)],
    ['33 bytes', Uint8Array.of(0, ...key(0x01))],
    ['zero', new Uint8Array(32)],
    ['n', bigToBytes32(CURVE_N)],
    ['n + 1', bigToBytes32(CURVE_N + 1n)],
    ['2^256 - 1', new Uint8Array(32).fill(0xff)],
    ['empty', new Uint8Array(0)],
  ]
  const goodPublicKey = () => aliceKeys.identityKey.publicKey.publicKey
  const badPublicKeys: [string, () => Uint8Array][] = [
    ['64 bytes (no 0x04)', () => goodPublicKey().subarray(1)],
    ['66 bytes', () => Uint8Array.of(...goodPublicKey(), 0)],
    ['33 bytes (compressed)', () => secp256k1.getPublicKey(ALICE_KEY, true)],
    ['not on the curve', () => offCurve(goodPublicKey())],
    ['prefix 0x02 on 65 bytes', () => Uint8Array.of(2, ...goodPublicKey().subarray(1))],
    ['all zero', () => new Uint8Array(65)],
    ['0x04 and zeros', () => Uint8Array.of(4, ...new Uint8Array(64))],
  ]

  it('a signer from a bad private key is an InvalidKeyError', () => {
    for (const [label, bad] of badSecretKeys) {
      expectTypedSync(() => LocalSigner.fromPrivateKey(bad), InvalidKeyError, 'INVALID_KEY', label)
      if (bad.length > 0) expectTypedSync(() => LocalSigner.fromPrivateKey(`0x${toHex(bad)}`), InvalidKeyError, 'INVALID_KEY', `hex ${label}`)
    }
  })

  it('a private bundle holding a bad private key is a MalformedBundleError, also through unlock (store untouched)', async () => {
    for (const [label, bad] of badSecretKeys) {
      for (const role of ['identity', 'prekey'] as const) {
        const withBad = (k: PrivateKeyV1): PrivateKeyV1 => ({ ...k, secretKey: bad })
        const keys: PrivateKeyBundleV1 =
          role === 'identity'
            ? { ...aliceKeys, identityKey: withBad(aliceKeys.identityKey) }
            : { ...aliceKeys, preKeys: [withBad(aliceKeys.preKeys[0]!)] }
        const plaintext = encodePrivateKeyBundle(keys)
        const error = expectTypedSync(() => decodePrivateKeyBundle(plaintext), MalformedBundleError, 'MALFORMED_BUNDLE', `${role} ${label}`)
        expect(error.details).toMatch(role === 'identity' ? /identity/ : /prekey/)
        if (label === 'zero' || label === '33 bytes') {
          const { store, before } = await storeWith(await sealWith(ALICE_KEY, plaintext))
          await expectTyped(() => unlockIdentity(alice, store), MalformedBundleError, 'MALFORMED_BUNDLE')
          await expectTyped(() => unlockOrCreateIdentity(alice, store), MalformedBundleError, 'MALFORMED_BUNDLE')
          await expectTyped(() => rotatePreKey(alice, store), MalformedBundleError, 'MALFORMED_BUNDLE')
          await expectUntouched(store, before)
        }
      }
    }
  })

  it('a bad public key is refused by publicKeyToAddress and by every bundle decoder and verifier', async () => {
    for (const [label, make] of badPublicKeys) {
      const bad = make()
      expectTypedSync(() => publicKeyToAddress(bad), InvalidInputError, 'INVALID_INPUT', label)
      const publicBundle: PublicKeyBundleV1 = {
        identityKey: { ...aliceKeys.identityKey.publicKey, publicKey: bad },
        preKey: aliceKeys.preKeys[0]!.publicKey,
      }
      const prekeyBad: PublicKeyBundleV1 = { identityKey: aliceKeys.identityKey.publicKey, preKey: { ...aliceKeys.preKeys[0]!.publicKey, publicKey: bad } }
      for (const bundle of [publicBundle, prekeyBad]) {
        const v1 = encodePublicKeyBundle(bundle)
        const v2 = encodeSignedPublicKeyBundle(signedPublicKeyBundleOf(bundle))
        expectTypedSync(() => decodePublicKeyBundle(v1), MalformedBundleError, 'MALFORMED_BUNDLE', `v1 ${label}`)
        expectTypedSync(() => decodeSignedPublicKeyBundle(v2), MalformedBundleError, 'MALFORMED_BUNDLE', `v2 ${label}`)
        expectTypedSync(() => decodeContactBundle(encodeContactBundleV1(bundle)), MalformedBundleError, 'MALFORMED_BUNDLE', `c1 ${label}`)
        expectTypedSync(() => decodeContactBundle(encodeContactBundleV2(signedPublicKeyBundleOf(bundle))), MalformedBundleError, 'MALFORMED_BUNDLE', `c2 ${label}`)
        for (const format of VERIFY_FORMATS) {
          for (const bytes of [v1, v2]) {
            expectTypedSync(() => verifyEncodedBundle(bytes, { format }), MalformedBundleError, 'MALFORMED_BUNDLE', `${format} ${label}`)
          }
        }
      }
      // Inside a stored private bundle that decrypts fine.
      const keys: PrivateKeyBundleV1 = { ...aliceKeys, identityKey: { ...aliceKeys.identityKey, publicKey: publicBundle.identityKey } }
      expectTypedSync(() => decodePrivateKeyBundle(encodePrivateKeyBundle(keys)), MalformedBundleError, 'MALFORMED_BUNDLE', `private ${label}`)
    }
    const { store, before } = await storeWith(
      await sealWith(ALICE_KEY, encodePrivateKeyBundle({ ...aliceKeys, identityKey: { ...aliceKeys.identityKey, publicKey: { ...aliceKeys.identityKey.publicKey, publicKey: offCurve(goodPublicKey()) } } })),
    )
    await expectTyped(() => unlockOrCreateIdentity(alice, store), MalformedBundleError, 'MALFORMED_BUNDLE')
    await expectUntouched(store, before)
  })

  it('normalizeSignature: wrong lengths, v out of range, high-s, r or s zero or ≥ n are InvalidSignatureErrors', async () => {
    const honest = await alice.signPersonalMessage('hello')
    const r0 = rNotOnCurve()
    const cases: [string, Fault][] = [
      ['0 bytes', withLength(0)],
      ['1 byte', withLength(1)],
      ['63 bytes', withLength(63)],
      ['64 bytes (EIP-2098)', eip2098],
      ['64 bytes (v cut off)', withLength(64)],
      ['66 bytes', withLength(66)],
      ['130 bytes', withLength(130)],
      ...[2, 26, 29, 30, 35, 36, 127, 128, 255].map((v): [string, Fault] => [`v = ${v}`, withV(v)]),
      ['high-s', highS],
      ['r = 0', withR(0n)],
      ['s = 0', withS(0n)],
      ['r = n', withR(CURVE_N)],
      ['s = n', withS(CURVE_N)],
      ['r = 2^256 - 1', withR((1n << 256n) - 1n)],
      ['s = 2^256 - 1', withS((1n << 256n) - 1n)],
    ]
    for (const [label, fault] of cases) {
      const bad = (await fault(honest, { text: 'hello', purpose: 'other', call: 1 })) as Uint8Array
      expectTypedSync(() => normalizeSignature(bad), InvalidSignatureError, 'INVALID_SIGNATURE', label)
      if (bad.length > 0) expectTypedSync(() => normalizeSignature(`0x${toHex(bad)}`), InvalidSignatureError, 'INVALID_SIGNATURE', `hex ${label}`)
    }
    // High-s really is the malleable twin: it would recover the very same address, so it must be refused by shape.
    const twin = highS(honest, { text: 'hello', purpose: 'other', call: 1 }) as Uint8Array
    const recovered = secp256k1.recoverPublicKey(Uint8Array.of(twin[64]! - 27, ...twin.subarray(0, 64)), hashPersonalMessage('hello'), { prehash: false })
    expect(publicKeyToAddress(secp256k1.Point.fromBytes(recovered).toBytes(false))).toBe(alice.address)
    // v = 0/1 is accepted and normalized to 27/28.
    expect(normalizeSignature(vZeroOne(honest, { text: 'hello', purpose: 'other', call: 1 }) as Uint8Array).bytes).toEqual(honest)
    // A well-formed signature whose r is no x-coordinate recovers nothing: typed too.
    const noPoint = (withR(r0)(honest, { text: 'hello', purpose: 'other', call: 1 }) as Uint8Array)
    expect(() => normalizeSignature(noPoint)).not.toThrow()
    for (const notSig of [undefined, null, 42, {}, [1, 2, 3]]) {
      expectTypedSync(() => normalizeSignature(notSig as never), InvalidSignatureError, 'INVALID_SIGNATURE', String(notSig))
    }
    for (const notHex of ['0xzz', 'abc', '0x' + 'g'.repeat(130)]) {
      expectTypedSync(() => normalizeSignature(notHex), InvalidInputError, 'INVALID_INPUT', notHex)
    }
  })

  it('a bundle signature of the wrong length or recovery is a MalformedBundleError', () => {
    const pub = aliceKeys.identityKey.publicKey
    const sig = pub.signature! as EcdsaKeySignature
    const variants: [string, PublicKeyV1][] = [
      ['63-byte signature', { ...pub, signature: { ...sig, compact: sig.compact.subarray(1) } }],
      ['65-byte signature', { ...pub, signature: { ...sig, compact: Uint8Array.of(...sig.compact, 27) } }],
      ['empty signature', { ...pub, signature: { ...sig, compact: new Uint8Array(0) } }],
      ['recovery 2', { ...pub, signature: { ...sig, recovery: 2 as 0 } }],
      ['recovery 27', { ...pub, signature: { ...sig, recovery: 27 as 0 } }],
    ]
    for (const [label, identityKey] of variants) {
      const bundle = { identityKey, preKey: aliceKeys.preKeys[0]!.publicKey }
      expectTypedSync(() => decodePublicKeyBundle(encodePublicKeyBundle(bundle)), MalformedBundleError, 'MALFORMED_BUNDLE', label)
      const signed = { identityKey: signedPublicKeyFromV1(identityKey, true), preKey: signedPublicKeyFromV1(bundle.preKey, false) }
      expectTypedSync(() => decodeSignedPublicKeyBundle(encodeSignedPublicKeyBundle(signed)), MalformedBundleError, 'MALFORMED_BUNDLE', `v2 ${label}`)
      expectTypedSync(() => verifyEncodedBundle(encodeContactBundleV1(bundle)), MalformedBundleError, 'MALFORMED_BUNDLE', `contact ${label}`)
      expectTypedSync(
        () => decodePrivateKeyBundle(encodePrivateKeyBundle({ ...aliceKeys, identityKey: { ...aliceKeys.identityKey, publicKey: identityKey } })),
        MalformedBundleError,
        'MALFORMED_BUNDLE',
        `private ${label}`,
      )
    }
  })

  it('a high-s, zero or out-of-range attestation fails verification; stored, it is a BundleVerificationError and stays', async () => {
    const pub = aliceKeys.identityKey.publicKey
    const sig = pub.signature! as EcdsaKeySignature
    const asWallet = Uint8Array.of(...sig.compact, 27 + sig.recovery)
    const ctx = { text: '', purpose: 'other' as Purpose, call: 1 }
    const mutate = (fault: Fault) => {
      const bad = fault(asWallet, ctx) as Uint8Array
      return { ...sig, compact: bad.subarray(0, 64), recovery: (bad[64]! - 27) as 0 | 1 }
    }
    const variants: [string, PublicKeyV1['signature'], RegExp][] = [
      ['high-s (recovers Alice in xmtp-js)', mutate(highS), /high-s/],
      ['r = 0', mutate(withR(0n)), /unusable/],
      ['s = 0', mutate(withS(0n)), /unusable/],
      ['s = n', mutate(withS(CURVE_N)), /unusable/],
      ['r not an x-coordinate', mutate(withR(rNotOnCurve())), /unusable/],
    ]
    for (const [label, signature, detail] of variants) {
      const identityKey = { ...pub, signature }
      const publicBundle = { identityKey, preKey: aliceKeys.preKeys[0]!.publicKey }
      for (const bytes of [encodePublicKeyBundle(publicBundle), encodeContactBundleV1(publicBundle), encodeContactBundleV2(signedPublicKeyBundleOf(publicBundle))]) {
        const report = verifyEncodedBundle(bytes)
        expect(report.valid, label).toBe(false)
        expect(report.walletAddress).toBeUndefined()
        const check = report.checks.find((c) => c.name === 'identity-attested-by-wallet')!
        expect(check.ok).toBe(false)
        expect(check.detail).toMatch(detail)
      }
      const { store, before } = await storeWith(await sealWith(ALICE_KEY, encodePrivateKeyBundle({ ...aliceKeys, identityKey: { ...aliceKeys.identityKey, publicKey: identityKey } })))
      const error = await expectTyped(() => unlockOrCreateIdentity(alice, store), BundleVerificationError, 'BUNDLE_VERIFICATION_FAILED')
      expect(error.details).toMatch(detail)
      await expectUntouched(store, before)
    }
    // A high-s prekey signature by the identity key fails too.
    const pre = aliceKeys.preKeys[0]!.publicKey
    const preSig = pre.signature! as EcdsaKeySignature
    const twin = highS(Uint8Array.of(...preSig.compact, 27 + preSig.recovery), ctx) as Uint8Array
    const preKey = { ...pre, signature: { ...preSig, compact: twin.subarray(0, 64), recovery: (twin[64]! - 27) as 0 | 1 } }
    const report = verifyEncodedBundle(encodePublicKeyBundle({ identityKey: pub, preKey }), { expectedAddress: alice.address })
    expect(report.valid).toBe(false)
    expect(report.checks.find((c) => c.name === 'prekey-signed-by-identity')!.ok).toBe(false)
  })
})

describe('bytes the engine hands out or takes in never alias the store or the caller', () => {
  it('mutating what createIdentity returned, or what the store returned, leaves the stored bundle intact', async () => {
    const { store } = await storeWith()
    const created = await createIdentity(alice, store)
    const kept = toHex(created.encryptedBundle)
    expect(created.encryptedBundle.constructor).toBe(Uint8Array)
    created.encryptedBundle.fill(0)
    ;(await store.get(ALICE_TOPIC))!.fill(0)
    expect(toHex((await store.get(ALICE_TOPIC))!)).toBe(kept)
    expect((await unlockIdentity(alice, store)).identity.toJSON()).toEqual(created.identity.toJSON())
  })

  it('every encoder returns a plain Uint8Array (a Buffer’s slice() would share memory)', () => {
    for (const [name, bytes] of Object.entries(encodings)) {
      if (name === 'encryptedLegacy' || name === 'privateLegacy') continue // built by the test with the protobuf codec directly
      expect(bytes.constructor, name).toBe(Uint8Array)
    }
  })

  it('decoders given a Buffer return plain Uint8Array fields; a wallet’s Buffer signature is copied', async () => {
    const sealed = decodeEncryptedBundle(Buffer.from(aliceStored))
    expect(sealed.walletPreKey.constructor).toBe(Uint8Array)
    expect(decodePublicKeyBundle(Buffer.from(encodings.public)).identityKey.publicKey.constructor).toBe(Uint8Array)
    const fromWallet = Buffer.from(await alice.signPersonalMessage('hello'))
    const normalized = normalizeSignature(fromWallet)
    const compact = toHex(normalized.compact)
    fromWallet.fill(0)
    expect(toHex(normalized.compact)).toBe(compact)
    // And a signer returning a Buffer works end to end.
    const bufferSigner = new FaultySigner(ALICE_KEY, { fault: (sig) => Buffer.from(sig) })
    const { store } = await storeWith()
    const created = await createIdentity(bufferSigner, store)
    expect((await unlockIdentity(bufferSigner, store)).identity.toJSON()).toEqual(created.identity.toJSON())
  })
})

// ---- 3. bundles of another account ---------------------------------------------------------------

describe('a stored bundle of another account', () => {
  it('another account’s real stored bundle: its storage key cannot be derived → BundleDecryptionError; bytes unchanged', async () => {
    const { store, before } = await storeWith(bobStored)
    const log = progressLog()
    const signer = new FaultySigner(ALICE_KEY)
    await expectTyped(() => unlockIdentity(signer, store, log), BundleDecryptionError, 'BUNDLE_DECRYPTION_FAILED')
    await expectTyped(() => unlockOrCreateIdentity(signer, store, log), BundleDecryptionError, 'BUNDLE_DECRYPTION_FAILED')
    await expectTyped(() => rotatePreKey(signer, store, log), BundleDecryptionError, 'BUNDLE_DECRYPTION_FAILED')
    await expectTyped(() => createIdentity(signer, store, log), IdentityExistsError, 'IDENTITY_EXISTS')
    expect(signer.count('create-identity'), 'no identity may be generated over it').toBe(0)
    expect(log.count('identity-key-generated')).toBe(0)
    await expectUntouched(store, before)
  })

  it('decrypts with the right secret but the identity is attested by another wallet → ForeignBundleError naming both; bytes unchanged', async () => {
    // Bob's identity, sealed with Alice's own storage signature: decryption succeeds, the attestation is Bob's.
    const { store, before } = await storeWith(await sealWith(ALICE_KEY, encodePrivateKeyBundle(bobKeys)))
    const signer = new FaultySigner(ALICE_KEY)
    for (const run of [unlockIdentity, unlockOrCreateIdentity, rotatePreKey]) {
      const error = await expectTyped(() => run(signer, store), ForeignBundleError, 'FOREIGN_BUNDLE')
      expect(error).toBeInstanceOf(AccountMismatchError)
      expect(error.expectedAddress).toBe(alice.address)
      expect(error.actualAddress).toBe(bob.address)
      expect(error.message).toContain(alice.address)
      expect(error.message).toContain(bob.address)
    }
    expect(signer.count('create-identity')).toBe(0)
    await expectUntouched(store, before)
  })

  it('a freshly generated identity attested by another wallet (not yet stored anywhere) is foreign too', async () => {
    const carol = LocalSigner.fromPrivateKey(key(0x03))
    const carolIdentity = await generateIdentity(carol)
    const { store, before } = await storeWith(await sealWith(ALICE_KEY, encodePrivateKeyBundle(carolIdentity.exportPrivateKeyBundle())))
    const error = await expectTyped(() => unlockIdentity(alice, store), ForeignBundleError, 'FOREIGN_BUNDLE')
    expect(error.message).toContain(carol.address)
    expect(error.message).toContain(alice.address)
    await expectUntouched(store, before)
  })

  it('Alice’s attestation with a prekey signed by another identity key, or a private key that does not match: BundleVerificationError', async () => {
    const mixedPrekey: PrivateKeyBundleV1 = { identityKey: aliceKeys.identityKey, preKeys: [bobKeys.preKeys[0]!] }
    const swappedSecret: PrivateKeyBundleV1 = { ...aliceKeys, identityKey: { ...aliceKeys.identityKey, secretKey: bobKeys.identityKey.secretKey } }
    for (const [keys, detail] of [
      [mixedPrekey, /prekey signature does not verify/],
      [swappedSecret, /identity private key does not match/],
    ] as const) {
      const { store, before } = await storeWith(await sealWith(ALICE_KEY, encodePrivateKeyBundle(keys)))
      const error = await expectTyped(() => unlockOrCreateIdentity(alice, store), BundleVerificationError, 'BUNDLE_VERIFICATION_FAILED')
      expect(error.details).toMatch(detail)
      await expectUntouched(store, before)
    }
  })

  it('a bit flip in the private bundle under a valid encryption: a typed error, or the very same keys — never other keys', async () => {
    const plaintext = encodings.private
    const same = (keys: PrivateKeyBundleV1) =>
      [keys.identityKey, ...keys.preKeys].map((k) => `${toHex(k.secretKey)}:${toHex(k.publicKey.publicKey)}`).join()
    const expected = same(aliceKeys)
    let unlocked = 0
    for (let i = 0; i < plaintext.length; i += 7) {
      const { store, before } = await storeWith(await sealWith(ALICE_KEY, flip(plaintext, i, i % 8)))
      try {
        const { identity } = await within(10_000, () => unlockIdentity(alice, store))
        expect(same(identity.exportPrivateKeyBundle()), `byte ${i}`).toBe(expected)
        unlocked++
      } catch (error) {
        const Class = ([MalformedBundleError, BundleVerificationError, ForeignBundleError] as ErrorClass<XmtpSignersError>[]).find((C) => Object.getPrototypeOf(error) === C.prototype)
        if (!Class) expect.fail(`byte ${i}: ${describeError(error)}`)
        assertTyped(error, Class, (error as XmtpSignersError).code)
      }
      await expectUntouched(store, before)
    }
    // Only fields no signature covers (the private keys' own timestamps, signature kind tags) may flip unnoticed.
    expect(unlocked).toBeLessThan(plaintext.length / 7 / 4)
  })

  it('regression: a legacy unwrapped PrivateKeyBundleV1 plaintext opens (it also parses "wrapped" as a V2 oneof); a real V2 bundle is named as such', async () => {
    const { store, before } = await storeWith(await sealWith(ALICE_KEY, encodings.privateLegacy))
    expect((await unlockIdentity(alice, store)).identity.toJSON()).toEqual(new XmtpIdentity(alice.address, aliceKeys).toJSON())
    await expectUntouched(store, before)
    const v2 = encodeMessage('PrivateKeyBundle', { v2: { identityKey: { createdNs: 1n, secp256k1: { bytes: ALICE_KEY } } } })
    const error = expectTypedSync(() => decodePrivateKeyBundle(v2), MalformedBundleError, 'MALFORMED_BUNDLE', 'V2')
    expect(error.details).toMatch(/V2 private bundle/)
  })

  it('a stored value that decrypts to something that is not a V1 private bundle is a MalformedBundleError; bytes unchanged', async () => {
    const v2 = encodeMessage('PrivateKeyBundle', { v2: { identityKey: { createdNs: 1n, secp256k1: { bytes: ALICE_KEY } } } })
    for (const plaintext of [new Uint8Array(0), randomBytes(300), encodings.public, encodings.encrypted, v2, encodings.private.subarray(0, 200)]) {
      const { store, before } = await storeWith(await sealWith(ALICE_KEY, plaintext))
      const signer = new FaultySigner(ALICE_KEY)
      await expectTyped(() => unlockOrCreateIdentity(signer, store), MalformedBundleError, 'MALFORMED_BUNDLE')
      expect(signer.count('create-identity')).toBe(0)
      await expectUntouched(store, before)
    }
  })
})

// ---- 4. damaged ciphertext -----------------------------------------------------------------------

describe('a stored ciphertext with a flipped bit', () => {
  /** Byte positions of each field inside the stored encoding, sampled so every region is covered. */
  function regions(stored: Uint8Array): [string, number[]][] {
    const sealed = decodeEncryptedBundle(stored)
    const at = (field: Uint8Array) => indexOfBytes(stored, field)
    const range = (start: number, length: number, step = 1) => Array.from({ length: Math.ceil(length / step) }, (_, i) => start + i * step)
    const payload = at(sealed.payload)
    const ct = sealed.payload.length - 16
    return [
      ['walletPreKey', range(at(sealed.walletPreKey), 32, 3)],
      ['hkdfSalt', range(at(sealed.hkdfSalt), 32, 3)],
      ['gcmNonce', range(at(sealed.gcmNonce), 12)],
      ['payload', [...range(payload, ct, 5), payload + ct - 1]],
      ['tag', range(payload + ct, 16)],
    ]
  }

  it('every sampled position of wallet prekey, salt, nonce, payload and tag → BundleDecryptionError; store unchanged; no generation', async () => {
    let checked = 0
    for (const [region, positions] of regions(aliceStored)) {
      for (const position of positions) {
        const damaged = flip(aliceStored, position, position % 8)
        expect(decodeEncryptedBundle(damaged), `${region} still decodes`).toBeTruthy()
        const { store, before } = await storeWith(damaged)
        const signer = new FaultySigner(ALICE_KEY)
        const log = progressLog()
        const run = position % 2 === 0 ? unlockOrCreateIdentity : unlockIdentity
        await expectTyped(() => run(signer, store, log), BundleDecryptionError, 'BUNDLE_DECRYPTION_FAILED')
        expect(signer.count('create-identity'), `${region}@${position}`).toBe(0)
        expect(log.count('identity-key-generated')).toBe(0)
        await expectUntouched(store, before)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(100)
  })

  it('retrieve-or-generate on any unreadable stored value throws and never generates or overwrites', async () => {
    const sealed = decodeEncryptedBundle(aliceStored)
    const damaged: [string, Uint8Array, ErrorClass<XmtpSignersError>, ErrorCode][] = [
      ['empty value', new Uint8Array(0), MalformedBundleError, 'MALFORMED_BUNDLE'],
      ['one byte', Uint8Array.of(0x0a), MalformedBundleError, 'MALFORMED_BUNDLE'],
      ['truncated by one byte', aliceStored.subarray(0, aliceStored.length - 1), MalformedBundleError, 'MALFORMED_BUNDLE'],
      ['truncated in half', aliceStored.subarray(0, aliceStored.length >> 1), MalformedBundleError, 'MALFORMED_BUNDLE'],
      ['random bytes', randomBytes(aliceStored.length), MalformedBundleError, 'MALFORMED_BUNDLE'],
      ['a trailing garbage byte', Uint8Array.of(...aliceStored, 0xff), MalformedBundleError, 'MALFORMED_BUNDLE'],
      ['a plaintext private bundle', encodings.private, MalformedBundleError, 'MALFORMED_BUNDLE'],
      ['a payload shorter than a tag', encodeEncryptedBundle({ ...sealed, payload: sealed.payload.subarray(0, 15) }), MalformedBundleError, 'MALFORMED_BUNDLE'],
      ['no payload', encodeEncryptedBundle({ ...sealed, payload: new Uint8Array(0) }), MalformedBundleError, 'MALFORMED_BUNDLE'],
      ['no wallet prekey', encodeEncryptedBundle({ ...sealed, walletPreKey: new Uint8Array(0) }), MalformedBundleError, 'MALFORMED_BUNDLE'],
      ['the tag cut off (the rest still looks like ciphertext)', encodeEncryptedBundle({ ...sealed, payload: sealed.payload.subarray(0, -16) }), BundleDecryptionError, 'BUNDLE_DECRYPTION_FAILED'],
      ['a 31-byte salt', encodeEncryptedBundle({ ...sealed, hkdfSalt: sealed.hkdfSalt.subarray(1) }), MalformedBundleError, 'MALFORMED_BUNDLE'],
      ['a 16-byte nonce', encodeEncryptedBundle({ ...sealed, gcmNonce: randomBytes(16) }), MalformedBundleError, 'MALFORMED_BUNDLE'],
      ['another wallet prekey', encodeEncryptedBundle({ ...sealed, walletPreKey: randomBytes(32) }), BundleDecryptionError, 'BUNDLE_DECRYPTION_FAILED'],
      ['another salt', encodeEncryptedBundle({ ...sealed, hkdfSalt: randomBytes(32) }), BundleDecryptionError, 'BUNDLE_DECRYPTION_FAILED'],
      ['a zero tag', encodeEncryptedBundle({ ...sealed, payload: Uint8Array.of(...sealed.payload.subarray(0, -16), ...new Uint8Array(16)) }), BundleDecryptionError, 'BUNDLE_DECRYPTION_FAILED'],
      ['a swapped ciphertext', encodeEncryptedBundle({ ...sealed, payload: decodeEncryptedBundle(bobStored).payload }), BundleDecryptionError, 'BUNDLE_DECRYPTION_FAILED'],
    ]
    for (const [label, value, Class, code] of damaged) {
      const { store, before } = await storeWith(value)
      const signer = new FaultySigner(ALICE_KEY)
      const log = progressLog()
      const error = await expectTyped(() => unlockOrCreateIdentity(signer, store, log), Class, code, label)
      expect(error.message, label).not.toMatch(/undefined|\[object/)
      expect(signer.count('create-identity'), label).toBe(0)
      expect(log.count('identity-key-generated'), label).toBe(0)
      await expectTyped(() => createIdentity(signer, store), IdentityExistsError, 'IDENTITY_EXISTS')
      await expectUntouched(store, before)
    }
  })
})

// ---- 5. misbehaving signers ------------------------------------------------------------------------

const timeoutError = () => new XmtpSignersError('SIGNER_TIMEOUT', 'The wallet did not answer in time.', { nextStep: 'Unlock the device, open the Ethereum app and retry.' })

/** Faults that are refused as a signature, and what each must become. */
function signatureFaults(): [string, Fault, ErrorClass<XmtpSignersError>, ErrorCode][] {
  const invalid = (label: string, fault: Fault): [string, Fault, ErrorClass<XmtpSignersError>, ErrorCode] => [label, fault, InvalidSignatureError, 'INVALID_SIGNATURE']
  return [
    invalid('0 bytes', withLength(0)),
    invalid('64 bytes (v cut off)', withLength(64)),
    invalid('64-byte EIP-2098 signature', eip2098),
    invalid('66 bytes', withLength(66)),
    invalid('130 bytes', withLength(130)),
    invalid('v = 2', withV(2)),
    invalid('v = 26', withV(26)),
    invalid('v = 29', withV(29)),
    invalid('v = 255', withV(255)),
    invalid('high-s (s → n − s, v flipped: same address)', highS),
    invalid('r = 0', withR(0n)),
    invalid('s = 0', withS(0n)),
    invalid('r = n', withR(CURVE_N)),
    invalid('s = n', withS(CURVE_N)),
    invalid('r is no x-coordinate', withR(rNotOnCurve())),
    invalid('undefined instead of bytes', returns(undefined)),
    invalid('null instead of bytes', returns(null)),
    invalid('a number instead of bytes', returns(42)),
    invalid('an object instead of bytes', returns({ r: '0x', s: '0x', v: 27 })),
    ['a string that is not hex', returns('0xnot-a-signature'), InvalidInputError, 'INVALID_INPUT'],
    ['a signature by another account', signedBy(BOB_KEY), AccountMismatchError, 'ACCOUNT_MISMATCH'],
    ['a plain Error rejection', rejectWith(new Error('User denied message signature')), SignerUnavailableError, 'SIGNER_UNAVAILABLE'],
    ['a TypeError from the transport', rejectWith(new TypeError("Cannot read properties of undefined (reading 'send')")), SignerUnavailableError, 'SIGNER_UNAVAILABLE'],
    ['a rejection with a string', rejectWith('rejected'), SignerUnavailableError, 'SIGNER_UNAVAILABLE'],
    ['a hang, then a plain timeout Error', hangThen(30, new Error('Timeout')), SignerUnavailableError, 'SIGNER_UNAVAILABLE'],
  ]
}

/** Typed errors from the adapter pass through unchanged: the same instance. */
function passThroughFaults(): [string, () => XmtpSignersError, (e: XmtpSignersError) => Fault][] {
  return [
    ['a UserRejectedError', () => new UserRejectedError({ details: 'denied on the device' }), rejectWith],
    ['a hang, then the adapter’s SIGNER_TIMEOUT', timeoutError, (e) => hangThen(30, e)],
  ]
}

type Flow = {
  name: string
  purpose: Purpose
  /** Store contents before the call. */
  initial: () => Uint8Array | undefined
  run: (signer: Signer, store: SpyStore) => Promise<StoredIdentity>
}
const flows: Flow[] = [
  { name: 'createIdentity, at Create Identity', purpose: 'create-identity', initial: () => undefined, run: (s, st) => createIdentity(s, st) },
  { name: 'createIdentity, at Enable Identity', purpose: 'enable-identity', initial: () => undefined, run: (s, st) => createIdentity(s, st) },
  { name: 'unlockOrCreateIdentity (nothing stored), at Create Identity', purpose: 'create-identity', initial: () => undefined, run: (s, st) => unlockOrCreateIdentity(s, st) },
  { name: 'unlockOrCreateIdentity (nothing stored), at Enable Identity', purpose: 'enable-identity', initial: () => undefined, run: (s, st) => unlockOrCreateIdentity(s, st) },
  { name: 'unlockIdentity', purpose: 'enable-identity', initial: () => aliceStored, run: (s, st) => unlockIdentity(s, st) },
  { name: 'unlockOrCreateIdentity (stored)', purpose: 'enable-identity', initial: () => aliceStored, run: (s, st) => unlockOrCreateIdentity(s, st) },
  { name: 'rotatePreKey', purpose: 'enable-identity', initial: () => aliceStored, run: (s, st) => rotatePreKey(s, st) },
]

describe('misbehaving signers: typed errors, nothing stored', () => {
  for (const flow of flows) {
    it(`${flow.name}: every malformed or foreign signature and every failure`, async () => {
      for (const [label, fault, Class, code] of signatureFaults()) {
        const signer = new FaultySigner(ALICE_KEY, { fault, when: onPurpose(flow.purpose) })
        const { store, before } = await storeWith(flow.initial())
        const error = await expectTyped(() => flow.run(signer, store), Class, code, label)
        expect(signer.count(flow.purpose), label).toBeGreaterThan(0)
        if (Class === AccountMismatchError) {
          const mismatch = error as AccountMismatchError
          expect(mismatch.expectedAddress).toBe(alice.address)
          expect(mismatch.actualAddress).toBe(bob.address)
          expect(error.message).toContain(alice.address)
          expect(error.message).toContain(bob.address)
        }
        if (code === 'SIGNER_UNAVAILABLE') expect(error.cause, label).toBeDefined()
        await expectUntouched(store, before)
      }
      for (const [label, make, toFault] of passThroughFaults()) {
        const thrown = make()
        const signer = new FaultySigner(ALICE_KEY, { fault: toFault(thrown), when: onPurpose(flow.purpose) })
        const { store, before } = await storeWith(flow.initial())
        const error = await expectTyped(() => flow.run(signer, store), Object.getPrototypeOf(thrown).constructor, thrown.code)
        expect(error, label).toBe(thrown)
        await expectUntouched(store, before)
      }
    })
  }

  it('a failed call releases the lock: the next call goes ahead', async () => {
    const { store } = await storeWith()
    await expectTyped(() => createIdentity(new FaultySigner(ALICE_KEY, { fault: rejectWith(new UserRejectedError()) }), store), UserRejectedError, 'USER_REJECTED')
    await expectTyped(() => unlockOrCreateIdentity(new FaultySigner(ALICE_KEY, { fault: highS }), store), InvalidSignatureError, 'INVALID_SIGNATURE')
    const created = await within(5_000, () => unlockOrCreateIdentity(alice, store))
    expect(created.created).toBe(true)
  })

  for (const waiter of [unlockOrCreateIdentity, createIdentity] as const) {
    it(`a signer that hangs forever holds only its own call: ${waiter.name} waiting for it gets KeyStoreLockedError, nothing is stored`, async () => {
      const { store, before } = await storeWith(undefined, ALICE_TOPIC, { lockTimeoutMs: 150 })
      const stuck = gate()
      const hanging = new FaultySigner(ALICE_KEY, { fault: stuck.fault, when: onPurpose('create-identity') })
      const first = unlockOrCreateIdentity(hanging, store)
      await stuck.entered
      await expectTyped(() => waiter(alice, store), KeyStoreLockedError, 'KEY_STORE_LOCKED')
      await expectUntouched(store, before)
      const rejection = new UserRejectedError()
      stuck.fail(rejection)
      await expect(first).rejects.toBe(rejection)
      await expectUntouched(store, before)
      expect((await within(5_000, () => unlockOrCreateIdentity(alice, store))).created).toBe(true)
    })
  }

  // A waiter that times out must not let later callers run beside the holder that is still running.
  it('after one waiter timed out, a further caller must still wait for the hung holder', async () => {
    const { store, before } = await storeWith(aliceStored, ALICE_TOPIC, { lockTimeoutMs: 150 })
    const stuck = gate()
    const first = rotatePreKey(new FaultySigner(ALICE_KEY, { fault: stuck.fault }), store)
    await stuck.entered
    try {
      await expectTyped(() => rotatePreKey(alice, store), KeyStoreLockedError, 'KEY_STORE_LOCKED')
      await expectTyped(() => rotatePreKey(alice, store), KeyStoreLockedError, 'KEY_STORE_LOCKED')
      await expectUntouched(store, before)
    } finally {
      stuck.fail(new UserRejectedError())
      await first.catch(() => undefined)
    }
  })

  it('a smart-account signer is refused before anything is signed or stored', async () => {
    const scw = new FaultySigner(ALICE_KEY, { accountType: 'SCW' })
    for (const run of [createIdentity, unlockOrCreateIdentity]) {
      const { store, before } = await storeWith()
      await expectTyped(() => run(scw, store), UnsupportedOperationError, 'UNSUPPORTED_OPERATION')
      await expectUntouched(store, before)
    }
    expect(scw.requests).toEqual([])
  })

  it('v = 0/1 wallets are fine: they create, and unlock what a v = 27/28 wallet stored (and back)', async () => {
    const v01 = new FaultySigner(ALICE_KEY, { fault: vZeroOne })
    const { store } = await storeWith()
    const created = await createIdentity(v01, store)
    expect((await unlockIdentity(alice, store)).identity.toJSON()).toEqual(created.identity.toJSON())
    const other = await storeWith(aliceStored)
    expect((await unlockIdentity(v01, other.store)).identity.toJSON()).toEqual((await unlockIdentity(alice, other.store)).identity.toJSON())
    const rotated = await rotatePreKey(v01, other.store)
    expect(rotated.identity.preKeyPublicKeys).toHaveLength(2)
  })
})

// ---- 6. signatures that are not reproducible ----------------------------------------------------------

describe('signers whose signatures are not reproducible', () => {
  it('reproducibleSignatures "unknown" and randomizing: refused before storing (create, unlock, rotate)', async () => {
    const randomizing = new FaultySigner(ALICE_KEY, { reproducibleSignatures: 'unknown', randomize: true })
    for (const flow of [flows[0]!, flows[2]!, flows[4]!, flows[5]!, flows[6]!]) {
      const { store, before } = await storeWith(flow.initial())
      const error = await expectTyped(() => flow.run(randomizing, store), UnsupportedOperationError, 'UNSUPPORTED_OPERATION')
      expect(error.message, flow.name).toMatch(/two different signatures/)
      await expectUntouched(store, before)
    }
    // Each signature on its own was valid: it was the comparison that refused them.
    expect(randomizing.count('enable-identity')).toBe(10)
  })

  it('reproducibleSignatures "no": refused for storage, whatever it signs', async () => {
    for (const randomize of [true, false]) {
      const never = new FaultySigner(ALICE_KEY, { reproducibleSignatures: 'no', randomize })
      for (const flow of [flows[0]!, flows[2]!, flows[4]!, flows[5]!, flows[6]!]) {
        const { store, before } = await storeWith(flow.initial())
        await expectTyped(() => flow.run(never, store), StorageKeySourceError, 'STORAGE_KEY_SOURCE')
        await expectUntouched(store, before)
      }
      expect(never.count('enable-identity')).toBe(0)
    }
  })

  it('"unknown" but deterministic works (control)', async () => {
    const unknown = new FaultySigner(ALICE_KEY, { reproducibleSignatures: 'unknown' })
    const { store } = await storeWith()
    const created = await createIdentity(unknown, store)
    expect((await unlockIdentity(unknown, store)).identity.toJSON()).toEqual(created.identity.toJSON())
  })
})

// ---- 7. concurrency ------------------------------------------------------------------------------------

describe('concurrent calls for one account on one store', () => {
  it('two concurrent unlockOrCreateIdentity: exactly one identity generated, both end with it', async () => {
    const { store } = await storeWith()
    const signer = new FaultySigner(ALICE_KEY, { delayMs: 15 })
    const log = progressLog()
    const [a, b] = await within(10_000, () => Promise.all([unlockOrCreateIdentity(signer, store, log), unlockOrCreateIdentity(signer, store, log)]))
    expect(log.count('identity-key-generated')).toBe(1)
    expect(signer.count('create-identity')).toBe(1)
    expect(store.puts).toEqual([ALICE_TOPIC])
    expect([a.created, b.created].sort()).toEqual([false, true])
    expect(a.identity.toJSON()).toEqual(b.identity.toJSON())
    expect(toHex(a.encryptedBundle)).toBe(toHex(b.encryptedBundle))
    expect(toHex((await store.get(ALICE_TOPIC))!)).toBe(toHex(a.encryptedBundle))
  })

  it('five concurrent unlockOrCreateIdentity with different signer objects for the same account: one identity', async () => {
    const { store } = await storeWith()
    const signers = Array.from({ length: 5 }, () => new FaultySigner(ALICE_KEY, { delayMs: 5 }))
    const results = await within(20_000, () => Promise.all(signers.map((s) => unlockOrCreateIdentity(s, store))))
    expect(results.filter((r) => r.created)).toHaveLength(1)
    expect(signers.reduce((n, s) => n + s.count('create-identity'), 0)).toBe(1)
    expect(new Set(results.map((r) => JSON.stringify(r.identity.toJSON()))).size).toBe(1)
    expect(store.puts).toEqual([ALICE_TOPIC])
  })

  it('two concurrent createIdentity: one stores, the other is an IdentityExistsError and generated nothing', async () => {
    const { store } = await storeWith()
    const signer = new FaultySigner(ALICE_KEY, { delayMs: 15 })
    const log = progressLog()
    const settled = await within(10_000, () => Promise.allSettled([createIdentity(signer, store, log), createIdentity(signer, store, log)]))
    const fulfilled = settled.filter((s): s is PromiseFulfilledResult<StoredIdentity> => s.status === 'fulfilled')
    const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected')
    expect(fulfilled).toHaveLength(1)
    expect(rejected).toHaveLength(1)
    assertTyped(rejected[0]!.reason, IdentityExistsError, 'IDENTITY_EXISTS')
    expect(log.count('identity-key-generated')).toBe(1)
    expect(store.puts).toEqual([ALICE_TOPIC])
    expect(toHex((await store.get(ALICE_TOPIC))!)).toBe(toHex(fulfilled[0]!.value.encryptedBundle))
  })

  it('createIdentity racing unlockOrCreateIdentity: one identity, shared by both', async () => {
    const { store } = await storeWith()
    const signer = new FaultySigner(ALICE_KEY, { delayMs: 10 })
    const [made, opened] = await within(10_000, () => Promise.all([createIdentity(signer, store), unlockOrCreateIdentity(signer, store)]))
    expect(made.created).toBe(true)
    expect(opened.created).toBe(false)
    expect(opened.identity.toJSON()).toEqual(made.identity.toJSON())
    expect(signer.count('create-identity')).toBe(1)
  })

  it('concurrent rotatePreKey calls serialize: every prekey is kept', async () => {
    const { store } = await storeWith(aliceStored)
    const signer = new FaultySigner(ALICE_KEY, { delayMs: 5 })
    await within(10_000, () => Promise.all([rotatePreKey(signer, store), rotatePreKey(signer, store), rotatePreKey(signer, store)]))
    const final = await unlockIdentity(alice, store)
    expect(final.identity.preKeyPublicKeys).toHaveLength(4)
    expect(toHex(final.identity.preKeyPublicKeys[3]!)).toBe(toHex(aliceKeys.preKeys[0]!.publicKey.publicKey))
  })
})
