import type Long from 'long'
import { xmtp } from './proto/message_contents.js'
import { MalformedBundleError } from './errors.js'

/** The generated static protobuf code for `proto/message_contents.proto` (no reflection, no eval). */
export const pb = xmtp.message_contents

type Decoder<T> = { decode(reader: Uint8Array): T }

/**
 * Every field of proto/*.proto by message and number: its type (a scalar or a message name), whether it
 * is repeated, and its oneof. test/canonicalDecoding.test.ts checks this table against the .proto files.
 */
export const WIRE_SCHEMA: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  Signature: { 1: 'Signature.ECDSACompact oneof union', 2: 'Signature.WalletECDSACompact oneof union', 100: 'SmartAccountSignature oneof union' },
  'Signature.ECDSACompact': { 1: 'bytes', 2: 'uint32' },
  'Signature.WalletECDSACompact': { 1: 'bytes', 2: 'uint32' },
  SmartAccountSignature: { 1: 'string', 2: 'uint64', 3: 'bytes' },
  UnsignedPublicKey: { 1: 'uint64', 3: 'UnsignedPublicKey.Secp256k1Uncompressed oneof union' },
  'UnsignedPublicKey.Secp256k1Uncompressed': { 1: 'bytes' },
  SignedPublicKey: { 1: 'bytes', 2: 'Signature' },
  SignedPublicKeyBundle: { 1: 'SignedPublicKey', 2: 'SignedPublicKey' },
  PublicKey: { 1: 'uint64', 2: 'Signature', 3: 'PublicKey.Secp256k1Uncompressed oneof union' },
  'PublicKey.Secp256k1Uncompressed': { 1: 'bytes' },
  PublicKeyBundle: { 1: 'PublicKey', 2: 'PublicKey' },
  SignedPrivateKey: { 1: 'uint64', 2: 'SignedPrivateKey.Secp256k1 oneof union', 3: 'SignedPublicKey' },
  'SignedPrivateKey.Secp256k1': { 1: 'bytes' },
  PrivateKeyBundleV2: { 1: 'SignedPrivateKey', 2: 'repeated SignedPrivateKey' },
  PrivateKey: { 1: 'uint64', 2: 'PrivateKey.Secp256k1 oneof union', 3: 'PublicKey' },
  'PrivateKey.Secp256k1': { 1: 'bytes' },
  PrivateKeyBundleV1: { 1: 'PrivateKey', 2: 'repeated PrivateKey' },
  PrivateKeyBundle: { 1: 'PrivateKeyBundleV1 oneof version', 2: 'PrivateKeyBundleV2 oneof version' },
  EncryptedPrivateKeyBundleV1: { 1: 'bytes', 2: 'Ciphertext', 100: 'StorageKeySource' },
  EncryptedPrivateKeyBundle: { 1: 'EncryptedPrivateKeyBundleV1 oneof version' },
  Ciphertext: { 1: 'Ciphertext.Aes256gcmHkdfsha256 oneof union' },
  'Ciphertext.Aes256gcmHkdfsha256': { 1: 'bytes', 2: 'bytes', 3: 'bytes' },
  ContactBundleV1: { 1: 'PublicKeyBundle' },
  ContactBundleV2: { 1: 'SignedPublicKeyBundle' },
  ContactBundle: { 1: 'ContactBundleV1 oneof version', 2: 'ContactBundleV2 oneof version' },
  StorageKeySource: { 1: 'StorageKeySource.OwnerSignature oneof source', 2: 'StorageKeySource.PassphraseScrypt oneof source' },
  'StorageKeySource.OwnerSignature': { 1: 'string' },
  'StorageKeySource.PassphraseScrypt': { 1: 'uint32', 2: 'uint32', 3: 'uint32' },
}

type FieldRule = { readonly type: string; readonly repeated: boolean; readonly oneof: string | undefined; readonly wireType: number }
const VARINT_TYPES = new Set(['uint32', 'uint64', 'int32', 'int64', 'sint32', 'sint64', 'bool', 'enum'])

function fieldRule(spec: string): FieldRule {
  const words = spec.split(' ')
  const repeated = words[0] === 'repeated'
  const type = repeated ? words[1]! : words[0]!
  const oneof = words.includes('oneof') ? words[words.indexOf('oneof') + 1] : undefined
  return { type, repeated, oneof, wireType: VARINT_TYPES.has(type) ? 0 : type === 'fixed64' || type === 'double' ? 1 : type === 'fixed32' || type === 'float' ? 5 : 2 }
}

const RULES = new Map(Object.entries(WIRE_SCHEMA).map(([name, fields]) => [name, new Map(Object.entries(fields).map(([n, spec]) => [Number(n), fieldRule(spec)]))]))
/** The generated class of each schema message, so `decodeMessage(pb.X, …)` finds its rules. */
const SCHEMA_NAME = new Map<unknown, string>(
  Object.keys(WIRE_SCHEMA).map((name) => [name.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], xmtp.message_contents), name]),
)
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })
const MAX_NESTING = 32

/**
 * Rejects bytes that two protobuf decoders may read as different keys: a singular field given twice
 * (protobufjs 8 merges embedded messages, xmtp-js's ts-proto code keeps the last), two members of one
 * oneof (xmtp-js takes the first it checks, not the last), a known field with another wire type, a
 * field number 0 or a group (ts-proto stops reading there), invalid UTF-8 in a string. Unknown fields
 * are skipped by both, so they are allowed. See docs/canonical-decoding.md.
 */
export function assertCanonical(bytes: Uint8Array, message: string, what: string, depth = 0): void {
  const rules = RULES.get(message)
  if (!rules) return
  const bad = (details: string): never => {
    throw new MalformedBundleError(what, `${message}: ${details}; such bytes are not canonical, and decoders disagree on what they hold`)
  }
  if (depth > MAX_NESTING) bad(`nested more than ${MAX_NESTING} levels deep`)
  let pos = 0
  const varint = (): number => {
    let value = 0
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= bytes.length) bad('a varint runs past the end')
      const b = bytes[pos++]!
      // Only the low 53 bits matter here (tags and lengths); higher bits of a uint64 value are just skipped.
      if (shift < 49) value += (b & 0x7f) * 2 ** shift
      if ((b & 0x80) === 0) return value
    }
    return bad('a varint is longer than 10 bytes')
  }
  const seen = new Set<number>()
  const oneofs = new Map<string, number>()
  while (pos < bytes.length) {
    const tag = varint()
    const field = Math.floor(tag / 8)
    const wireType = tag % 8
    if (field === 0 || field > 0x1fffffff) bad(`field number ${field} is not valid`)
    let start = pos
    let end: number
    switch (wireType) {
      case 0:
        varint()
        end = pos
        break
      case 1:
      case 5:
        end = pos + (wireType === 1 ? 8 : 4)
        break
      case 2: {
        const length = varint()
        start = pos
        end = pos + length
        break
      }
      default:
        return bad(`field ${field} uses wire type ${wireType} (groups or invalid), which XMTP messages never use`)
    }
    if (end > bytes.length) bad(`field ${field} runs past the end`)
    pos = end
    const rule = rules.get(field)
    if (!rule) continue
    if (wireType !== rule.wireType && !(rule.repeated && rule.wireType !== 2 && wireType === 2)) bad(`field ${field} (${rule.type}) has wire type ${wireType}, expected ${rule.wireType}`)
    if (!rule.repeated) {
      if (seen.has(field)) bad(`field ${field} (${rule.type}) appears twice`)
      seen.add(field)
    }
    if (rule.oneof !== undefined) {
      const other = oneofs.get(rule.oneof)
      if (other !== undefined && other !== field) bad(`fields ${other} and ${field} of the oneof "${rule.oneof}" are both set`)
      oneofs.set(rule.oneof, field)
    }
    const value = bytes.subarray(start, end)
    if (rule.type === 'string') {
      try {
        strictUtf8.decode(value)
      } catch {
        bad(`field ${field} is not valid UTF-8 text`)
      }
    } else if (RULES.has(rule.type)) assertCanonical(value, rule.type, what, depth + 1)
  }
}

/** Decodes or throws a typed error naming what was expected; never returns a half-read message. */
export function decodeMessage<T>(type: Decoder<T>, bytes: Uint8Array, what: string): T {
  if (!(bytes instanceof Uint8Array)) throw new MalformedBundleError(what, 'the input is not bytes')
  const schemaName = SCHEMA_NAME.get(type)
  if (schemaName === undefined) throw new MalformedBundleError(what, 'no wire rules for this message type (a bug in xmtp-signers: add it to WIRE_SCHEMA)')
  assertCanonical(bytes, schemaName, what)
  try {
    // A Buffer input would make every decoded field a Buffer, whose `slice()` does not copy: read a plain view.
    return type.decode(bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  } catch (cause) {
    throw new MalformedBundleError(what, cause instanceof Error ? cause.message : String(cause), { cause })
  }
}

/**
 * The bytes of an encoded message as a plain Uint8Array. In Node protobufjs hands out a Buffer, whose
 * `slice()` shares memory, so a store's or caller's `slice()` "copy" would alias the engine's bytes.
 */
export function finish(writer: { finish(): Uint8Array }): Uint8Array {
  const bytes = writer.finish()
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes)
}

export type Uint64 = Long | number | null | undefined

/** protobufjs hands uint64 over as Long (or number when small); the engine works in bigint. */
export function uint64ToBigInt(value: Uint64): bigint {
  if (value === null || value === undefined) return 0n
  if (typeof value === 'number') return BigInt(value)
  return BigInt.asUintN(64, (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0))
}

export function bigIntToUint64(value: bigint): Long {
  // protobufjs writes any { low, high } pair: no need to load long.js (and its WebAssembly probe) for that.
  const v = BigInt.asUintN(64, value)
  return { low: Number(v & 0xffffffffn) | 0, high: Number(v >> 32n) | 0, unsigned: true } as Long
}
