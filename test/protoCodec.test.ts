/**
 * The schema-driven protobuf codec (src/proto.ts) against the two encoders it replaces or must match:
 * protobufjs 8 (the runtime this library used until now, here built by reflection from proto/*.proto,
 * the same code its static generator emitted) and @xmtp/proto 3.96 (the ts-proto code xmtp-js 13 runs).
 * For any message of WIRE_SCHEMA: the same bytes from all encoders, decode(encode(x)) = x, and on any
 * bytes our decoder either refuses (MALFORMED_BUNDLE) or reads what both of them read.
 */
import { createRequire } from 'node:module'
import { join } from 'node:path'
import fc from 'fast-check'
import protobuf from 'protobufjs'
import { describe, expect, it } from 'vitest'
import { decodeMessage, encodeMessage, messageFields, WIRE_SCHEMA, type MessageName } from '../src/proto.js'

type XmtpProto = typeof import('@xmtp/proto')
type Codec = { encode(message: unknown): { finish(): Uint8Array }; decode(bytes: Uint8Array): unknown; fromPartial(object: unknown): unknown }
const require = createRequire(import.meta.url)
const xmtpProto = require('@xmtp/proto') as XmtpProto
// The Long class @xmtp/proto itself uses, for the uint64 values its encoders take.
const Long = createRequire(require.resolve('@xmtp/proto'))('long') as typeof import('long').default

const root = new protobuf.Root()
root.resolvePath = (_origin, target) => join(import.meta.dirname, '..', 'proto', target)
root.loadSync(['message_contents.proto', 'xmtp_signers_extensions.proto'])
const protobufjsType = (message: MessageName) => root.lookupType(`xmtp.message_contents.${message}`)

const MESSAGES = Object.keys(WIRE_SCHEMA) as MessageName[]
/** Our extensions: messages and fields xmtp-js does not know (it skips them as unknown fields). */
const EXTENSION_MESSAGES: ReadonlySet<string> = new Set(['SmartAccountSignature', 'StorageKeySource', 'StorageKeySource.OwnerSignature', 'StorageKeySource.PassphraseScrypt'])
const isMessage = (type: string): type is MessageName => Object.hasOwn(WIRE_SCHEMA, type)

/** The @xmtp/proto codec of a message (`Signature.ECDSACompact` is `signature.Signature_ECDSACompact`). */
function xmtpCodec(message: MessageName): Codec {
  const module = message === 'Token' || message === 'AuthData'
    ? xmtpProto.authn
    : message.startsWith('Signature')
    ? xmtpProto.signature
    : message.startsWith('Ciphertext')
      ? xmtpProto.ciphertext
      : message.startsWith('Contact')
        ? xmtpProto.contact
        : /PrivateKey/.test(message)
          ? xmtpProto.privateKey
          : xmtpProto.publicKey
  const codec = (module as unknown as Record<string, Codec>)[message.replace('.', '_')]
  if (!codec) throw new Error(`@xmtp/proto has no ${message}`)
  return codec
}

type Value = Record<string, unknown>

/** Any message of the schema; `xmtpOnly` leaves out our extension fields. Scalars may be absent or default. */
function arbitraryMessage(message: MessageName, xmtpOnly: boolean): fc.Arbitrary<Value> {
  const fields = messageFields(message).filter((f) => !(xmtpOnly && isMessage(f.type) && EXTENSION_MESSAGES.has(f.type)))
  const value = (type: string): fc.Arbitrary<unknown> => {
    switch (type) {
      case 'bytes':
        return fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.constant(new Uint8Array(0)))
      case 'string':
        return fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.constant(''), fc.constant('\ufeffeip155:1:0x00'))
      case 'uint32':
        return fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constant(0), fc.constant(1))
      case 'uint64':
        return fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.constant(0n), fc.bigInt({ min: 0n, max: 1n << 40n }))
      default:
        return arbitraryMessage(type as MessageName, xmtpOnly)
    }
  }
  const plain = fields.filter((f) => f.oneof === undefined)
  const groups = [...new Set(fields.flatMap((f) => (f.oneof === undefined ? [] : [f.oneof])))]
  const record = fc.record(
    Object.fromEntries(plain.map((f) => [f.name, f.repeated ? fc.array(value(f.type), { maxLength: 3 }) : value(f.type)])),
    { requiredKeys: [] },
  )
  // At most one member of each oneof.
  const oneofs = groups.map((group) =>
    fc.oneof(fc.constant({}), ...fields.filter((f) => f.oneof === group).map((f) => value(f.type).map((v) => ({ [f.name]: v })))),
  )
  return fc.tuple(record, ...oneofs).map(([base, ...members]) => Object.assign({}, base, ...members) as Value)
}

/** What a decoder reads for a message value: defaults for absent scalars, absent messages left out, uint64 as bigint. */
function normalized(message: MessageName, value: unknown): Value {
  const out: Value = {}
  const from = (value ?? {}) as Value
  for (const field of messageFields(message)) {
    const v = from[field.name]
    const one = (item: unknown): unknown => {
      if (isMessage(field.type)) return normalized(field.type, item)
      if (field.type === 'bytes') return item == null ? new Uint8Array(0) : new Uint8Array(item as Uint8Array)
      if (field.type === 'string') return item ?? ''
      if (field.type === 'uint32') return item ?? 0
      return item == null ? 0n : typeof item === 'bigint' ? item : BigInt(String(item)) // Long (unsigned) or number
    }
    if (field.repeated) out[field.name] = ((v as unknown[] | null | undefined) ?? []).map(one)
    else if (isMessage(field.type)) {
      if (v != null) out[field.name] = one(v)
    } else out[field.name] = one(v)
  }
  return out
}

/** Our value in the shape another encoder takes: uint64 as Long (ts-proto) or { low, high } (protobufjs). */
function withLongs(message: MessageName, value: Value, long: (v: bigint) => unknown): Value {
  const out: Value = {}
  for (const field of messageFields(message)) {
    const v = value[field.name]
    if (v === undefined) continue
    const one = (item: unknown) => (isMessage(field.type) ? withLongs(field.type, item as Value, long) : field.type === 'uint64' ? long(item as bigint) : item)
    out[field.name] = field.repeated ? (v as unknown[]).map(one) : one(v)
  }
  return out
}
const toLong = (v: bigint) => Long.fromString(v.toString(), true)
const toLowHigh = (v: bigint) => ({ low: Number(v & 0xffffffffn) | 0, high: Number(v >> 32n) | 0, unsigned: true })

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

describe('the protobuf codec: byte for byte as protobufjs 8 and @xmtp/proto 3.96 (xmtp-js 13) write', () => {
  it.each(MESSAGES)('%s: the same bytes as protobufjs, and decode(encode(x)) = x', (message) => {
    const type = protobufjsType(message)
    fc.assert(
      fc.property(arbitraryMessage(message, false), (value) => {
        const ours = encodeMessage(message, value as never)
        expect(hex(ours)).toBe(hex(type.encode(withLongs(message, value, toLowHigh)).finish()))
        expect(decodeMessage(message, ours, 'test')).toEqual(normalized(message, value))
        expect(normalized(message, type.decode(ours))).toEqual(normalized(message, value))
      }),
      { numRuns: 150, seed: 12 },
    )
  })

  it.each(MESSAGES.filter((m) => !EXTENSION_MESSAGES.has(m)))('%s: the same bytes as @xmtp/proto (ts-proto), which reads them back the same', (message) => {
    const codec = xmtpCodec(message)
    fc.assert(
      fc.property(arbitraryMessage(message, true), (value) => {
        const ours = encodeMessage(message, value as never)
        expect(hex(ours)).toBe(hex(codec.encode(codec.fromPartial(withLongs(message, value, toLong))).finish()))
        expect(normalized(message, codec.decode(ours))).toEqual(decodeMessage(message, ours, 'test'))
      }),
      { numRuns: 150, seed: 13 },
    )
  })

  it('writes a default scalar never, a present message always (even empty), every repeated element, in field-number order', () => {
    expect(hex(encodeMessage('Signature.ECDSACompact', { bytes: new Uint8Array(0), recovery: 0 }))).toBe('')
    expect(hex(encodeMessage('PublicKey', { timestamp: 0n, secp256k1Uncompressed: {} }))).toBe('1a00')
    expect(hex(encodeMessage('PublicKey', { secp256k1Uncompressed: { bytes: Uint8Array.of(4) }, timestamp: 1n }))).toBe('08011a030a0104')
    expect(hex(encodeMessage('PrivateKeyBundleV1', { preKeys: [{}, { timestamp: 2n }] }))).toBe('120012020802')
    expect(hex(encodeMessage('SmartAccountSignature', { account: 'é', blockNumber: (1n << 64n) - 1n }))).toBe('0a02c3a910ffffffffffffffffff01')
    expect(hex(encodeMessage('Signature', { smartAccount: {} }))).toBe('a20600')
  })

  it('refuses to encode what it could not read back: two members of a oneof, values out of range, wrong types', () => {
    const invalid = expect.objectContaining({ code: 'INVALID_INPUT' })
    expect(() => encodeMessage('Signature', { ecdsaCompact: {}, walletEcdsaCompact: {} })).toThrow(invalid)
    expect(() => encodeMessage('Signature.ECDSACompact', { recovery: 2 ** 32 })).toThrow(invalid)
    expect(() => encodeMessage('Signature.ECDSACompact', { recovery: 1.5 })).toThrow(invalid)
    expect(() => encodeMessage('PublicKey', { timestamp: -1n })).toThrow(invalid)
    expect(() => encodeMessage('PublicKey', { timestamp: 1n << 64n })).toThrow(invalid)
    expect(() => encodeMessage('PublicKey', { timestamp: 5 as never })).toThrow(invalid)
    expect(() => encodeMessage('PublicKey.Secp256k1Uncompressed', { bytes: [4] as never })).toThrow(invalid)
  })

  it('decodes into plain Uint8Array copies, even from a Buffer, and keeps a leading BOM in text', () => {
    const input = Buffer.from(encodeMessage('SignedPublicKey', { keyBytes: Uint8Array.of(1, 2, 3) }))
    const decoded = decodeMessage('SignedPublicKey', input, 'test')
    expect(decoded.keyBytes.constructor).toBe(Uint8Array)
    input[2] = 9
    expect([...decoded.keyBytes]).toEqual([1, 2, 3])
    expect(decodeMessage('StorageKeySource.OwnerSignature', encodeMessage('StorageKeySource.OwnerSignature', { owner: '\ufeffx' }), 'test').owner).toBe('\ufeffx')
  })

  it('refuses varints protobufjs 8 and ts-proto read differently (longer than 5 bytes where 32 bits are read), and values too big for their type', () => {
    const malformed = (details: string) => expect.objectContaining({ code: 'MALFORMED_BUNDLE', details: expect.stringContaining(details) })
    // recovery 1 as a 6-byte varint, then bytes 0102: protobufjs 8 reads both; ts-proto (protobufjs 7's reader) skips 5 bytes blindly.
    const longRecovery = Uint8Array.of(0x10, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0a, 0x02, 0x01, 0x02)
    expect(hex((protobufjsType('Signature.ECDSACompact').decode(longRecovery) as unknown as { bytes: Uint8Array }).bytes)).toBe('0102')
    expect(hex((xmtpCodec('Signature.ECDSACompact').decode(longRecovery) as { bytes: Uint8Array }).bytes)).toBe('')
    expect(() => decodeMessage('Signature.ECDSACompact', longRecovery, 'x')).toThrow(malformed('longer than 5 bytes'))
    expect(() => decodeMessage('Signature.ECDSACompact', Uint8Array.of(0x10, 0x80, 0x80, 0x80, 0x80, 0x10), 'x')).toThrow(malformed('does not fit 32 bits'))
    expect(() => decodeMessage('Signature.ECDSACompact', Uint8Array.of(0x8a, 0x80, 0x80, 0x80, 0x80, 0x00), 'x')).toThrow(malformed('a tag is a varint longer than 5 bytes'))
    expect(() => decodeMessage('PublicKey', Uint8Array.of(0x08, ...Array(9).fill(0xff), 0x02), 'x')).toThrow(malformed('does not fit 64 bits'))
    expect(decodeMessage('PublicKey', Uint8Array.of(0x08, ...Array(9).fill(0xff), 0x01), 'x').timestamp).toBe((1n << 64n) - 1n)
    expect(() => decodeMessage('PublicKey', Uint8Array.of(0x08, 0xff), 'x')).toThrow(malformed('runs past the end'))
    expect(() => decodeMessage('PublicKey', 'not bytes' as never, 'x')).toThrow(expect.objectContaining({ code: 'MALFORMED_BUNDLE' }))
  })

  it.each(MESSAGES.filter((m) => !EXTENSION_MESSAGES.has(m)))('%s, any bytes: we refuse them, or read what protobufjs and ts-proto read', (message) => {
    const type = protobufjsType(message)
    const codec = xmtpCodec(message)
    let accepted = 0
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      // Valid messages with a few bytes changed: mostly still well-formed protobuf.
      fc.tuple(arbitraryMessage(message, true), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 })).map(([value, edits]) => {
        const out = encodeMessage(message, value as never).slice()
        for (const [at, byte] of edits) if (out.length > 0) out[at % out.length] = byte
        return out
      }),
    )
    fc.assert(
      fc.property(bytes, (input) => {
        let ours: unknown
        try {
          ours = decodeMessage(message, input, 'test')
        } catch (error) {
          expect((error as { code?: string }).code).toBe('MALFORMED_BUNDLE')
          return
        }
        accepted++
        expect(normalized(message, type.decode(input))).toEqual(ours)
        expect(normalized(message, codec.decode(input))).toEqual(ours)
      }),
      { numRuns: 300, seed: 14 },
    )
    expect(accepted).toBeGreaterThan(0)
  })
})
