import { InvalidInputError, MalformedBundleError } from './errors.js'

/**
 * The protobuf schema of proto/*.proto, the one table the encoder, the decoder and the canonical check
 * read: per message, each field by number as `[repeated] <type> <name> [oneof <group>]`, where the type
 * is a scalar or a message of this table and the name is the .proto's (JavaScript uses it camelCased).
 * test/canonicalDecoding.test.ts checks this table against the .proto files.
 */
export const WIRE_SCHEMA = {
  Signature: {
    1: 'Signature.ECDSACompact ecdsa_compact oneof union',
    2: 'Signature.WalletECDSACompact wallet_ecdsa_compact oneof union',
    100: 'SmartAccountSignature smart_account oneof union',
  },
  'Signature.ECDSACompact': { 1: 'bytes bytes', 2: 'uint32 recovery' },
  'Signature.WalletECDSACompact': { 1: 'bytes bytes', 2: 'uint32 recovery' },
  SmartAccountSignature: { 1: 'string account', 2: 'uint64 block_number', 3: 'bytes signature' },
  UnsignedPublicKey: { 1: 'uint64 created_ns', 3: 'UnsignedPublicKey.Secp256k1Uncompressed secp256k1_uncompressed oneof union' },
  'UnsignedPublicKey.Secp256k1Uncompressed': { 1: 'bytes bytes' },
  SignedPublicKey: { 1: 'bytes key_bytes', 2: 'Signature signature' },
  SignedPublicKeyBundle: { 1: 'SignedPublicKey identity_key', 2: 'SignedPublicKey pre_key' },
  PublicKey: { 1: 'uint64 timestamp', 2: 'Signature signature', 3: 'PublicKey.Secp256k1Uncompressed secp256k1_uncompressed oneof union' },
  'PublicKey.Secp256k1Uncompressed': { 1: 'bytes bytes' },
  PublicKeyBundle: { 1: 'PublicKey identity_key', 2: 'PublicKey pre_key' },
  SignedPrivateKey: { 1: 'uint64 created_ns', 2: 'SignedPrivateKey.Secp256k1 secp256k1 oneof union', 3: 'SignedPublicKey public_key' },
  'SignedPrivateKey.Secp256k1': { 1: 'bytes bytes' },
  PrivateKeyBundleV2: { 1: 'SignedPrivateKey identity_key', 2: 'repeated SignedPrivateKey pre_keys' },
  PrivateKey: { 1: 'uint64 timestamp', 2: 'PrivateKey.Secp256k1 secp256k1 oneof union', 3: 'PublicKey public_key' },
  'PrivateKey.Secp256k1': { 1: 'bytes bytes' },
  PrivateKeyBundleV1: { 1: 'PrivateKey identity_key', 2: 'repeated PrivateKey pre_keys' },
  PrivateKeyBundle: { 1: 'PrivateKeyBundleV1 v1 oneof version', 2: 'PrivateKeyBundleV2 v2 oneof version' },
  EncryptedPrivateKeyBundleV1: { 1: 'bytes wallet_pre_key', 2: 'Ciphertext ciphertext', 100: 'StorageKeySource storage_key_source' },
  EncryptedPrivateKeyBundle: { 1: 'EncryptedPrivateKeyBundleV1 v1 oneof version' },
  Ciphertext: { 1: 'Ciphertext.Aes256gcmHkdfsha256 aes256_gcm_hkdf_sha256 oneof union' },
  'Ciphertext.Aes256gcmHkdfsha256': { 1: 'bytes hkdf_salt', 2: 'bytes gcm_nonce', 3: 'bytes payload' },
  ContactBundleV1: { 1: 'PublicKeyBundle key_bundle' },
  ContactBundleV2: { 1: 'SignedPublicKeyBundle key_bundle' },
  ContactBundle: { 1: 'ContactBundleV1 v1 oneof version', 2: 'ContactBundleV2 v2 oneof version' },
  StorageKeySource: {
    1: 'StorageKeySource.OwnerSignature owner_signature oneof source',
    2: 'StorageKeySource.PassphraseScrypt passphrase_scrypt oneof source',
  },
  'StorageKeySource.OwnerSignature': { 1: 'string owner' },
  'StorageKeySource.PassphraseScrypt': { 1: 'uint32 log_n', 2: 'uint32 r', 3: 'uint32 p' },
  Token: { 1: 'PublicKey identity_key', 2: 'bytes auth_data_bytes', 3: 'Signature auth_data_signature' },
  AuthData: { 1: 'string wallet_addr', 2: 'uint64 created_ns' },
} as const satisfies Record<string, Record<number, string>>

export type MessageName = keyof typeof WIRE_SCHEMA

// ---- the message types, read off WIRE_SCHEMA ---------------------------------------------------

type Scalars = { bytes: Uint8Array; string: string; uint32: number; uint64: bigint }
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S
type FieldSpec<M extends MessageName> = (typeof WIRE_SCHEMA)[M][keyof (typeof WIRE_SCHEMA)[M]] & string
type Parsed<S extends string> = S extends `repeated ${infer T} ${infer N}`
  ? { repeated: true; type: T; name: CamelCase<N> }
  : S extends `${infer T} ${infer N} oneof ${string}`
    ? { repeated: false; type: T; name: CamelCase<N> }
    : S extends `${infer T} ${infer N}`
      ? { repeated: false; type: T; name: CamelCase<N> }
      : never
type Read<T> = T extends keyof Scalars ? Scalars[T] : T extends MessageName ? Message<T> : never
type Written<T> = T extends keyof Scalars ? Scalars[T] : T extends MessageName ? MessageInput<T> : never

/**
 * A decoded message: absent scalars read as their proto3 default (empty bytes and text, 0, 0n), absent
 * messages as undefined, absent repeated fields as [] — as protobufjs and ts-proto read them.
 */
export type Message<M extends MessageName> = {
  readonly [S in FieldSpec<M> as Parsed<S>['name']]: Parsed<S>['repeated'] extends true
    ? readonly Read<Parsed<S>['type']>[]
    : Parsed<S>['type'] extends keyof Scalars
      ? Scalars[Parsed<S>['type']]
      : Read<Parsed<S>['type']> | undefined
}

/** A message to encode: every field may be left out (a default scalar is never written, as protobufjs does). */
export type MessageInput<M extends MessageName> = {
  readonly [S in FieldSpec<M> as Parsed<S>['name']]?: Parsed<S>['repeated'] extends true ? readonly Written<Parsed<S>['type']>[] : Written<Parsed<S>['type']>
}

// ---- the table, compiled once ----------------------------------------------------------------------

type ScalarType = keyof Scalars
/** One field of WIRE_SCHEMA, compiled. */
export type Field = {
  readonly number: number
  readonly name: string
  readonly type: ScalarType | MessageName
  readonly message: boolean
  readonly repeated: boolean
  readonly oneof: string | undefined
  readonly wireType: 0 | 2
  /** The tag varint, written before the value. */
  readonly tag: Uint8Array
}
type Schema = { readonly fields: readonly Field[]; readonly byNumber: ReadonlyMap<number, Field> }

const SCALAR_TYPES: ReadonlySet<string> = new Set<ScalarType>(['bytes', 'string', 'uint32', 'uint64'])
const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())

function compileField(number: number, spec: string): Field {
  const match = /^(repeated )?(\S+) (\S+)(?: oneof (\S+))?$/.exec(spec)
  const type = match?.[2]
  const message = type !== undefined && Object.hasOwn(WIRE_SCHEMA, type)
  // Only what proto/*.proto uses is supported: a repeated scalar would need packed encoding.
  if (!match || !type || (!message && !SCALAR_TYPES.has(type)) || (match[1] && !message)) throw new Error(`WIRE_SCHEMA: unsupported field ${number} "${spec}"`)
  const wireType = type === 'uint32' || type === 'uint64' ? 0 : 2
  return { number, name: camelCase(match[3]!), type: type as Field['type'], message, repeated: match[1] !== undefined, oneof: match[4], wireType, tag: varintBytes(number * 8 + wireType) }
}

const SCHEMAS: ReadonlyMap<string, Schema> = new Map(
  Object.entries(WIRE_SCHEMA).map(([name, fields]) => {
    // Integer keys iterate in ascending order: fields are written by number, as protobufjs and ts-proto write them.
    const compiled = Object.entries(fields).map(([number, spec]) => compileField(Number(number), spec))
    return [name, { fields: compiled, byNumber: new Map(compiled.map((f) => [f.number, f])) }]
  }),
)

/** The fields of a message, by number. */
export function messageFields(message: MessageName): readonly Field[] {
  return SCHEMAS.get(message)!.fields
}

const MAX_NESTING = 32
const UINT32_MAX = 0xffffffff
const UINT64_MAX = (1n << 64n) - 1n
// ignoreBOM keeps a leading U+FEFF in the text, as protobufjs and ts-proto do.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const utf8 = new TextEncoder()

// ---- encoding ----------------------------------------------------------------------------------------

function varintBytes(value: number): Uint8Array {
  const out: number[] = []
  while (value > 0x7f) {
    out.push((value % 0x80) | 0x80)
    value = Math.floor(value / 0x80)
  }
  out.push(value)
  return Uint8Array.from(out)
}

/** A growing byte buffer. */
class ByteWriter {
  private buffer = new Uint8Array(256)
  private length = 0

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return
    const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.length + n))
    bigger.set(this.buffer.subarray(0, this.length))
    this.buffer = bigger
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length)
    this.buffer.set(bytes, this.length)
    this.length += bytes.length
  }

  varint(value: number | bigint): void {
    this.reserve(10)
    if (typeof value === 'number') {
      while (value > 0x7f) {
        this.buffer[this.length++] = (value % 0x80) | 0x80
        value = Math.floor(value / 0x80)
      }
      this.buffer[this.length++] = value
      return
    }
    while (value > 0x7fn) {
      this.buffer[this.length++] = Number(value & 0x7fn) | 0x80
      value >>= 7n
    }
    this.buffer[this.length++] = Number(value)
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length)
  }
}

function invalid(message: string, field: Field, details: string): never {
  throw new InvalidInputError(`Cannot encode ${message}.${field.name}: ${details}.`, { details: `field ${field.number} (${field.type})` })
}

function writeMessage(out: ByteWriter, message: string, value: Readonly<Record<string, unknown>>, depth: number): void {
  if (depth > MAX_NESTING) throw new InvalidInputError(`Cannot encode ${message}: nested more than ${MAX_NESTING} levels deep.`)
  if (typeof value !== 'object' || value === null) throw new InvalidInputError(`Cannot encode ${message}: expected an object, got ${value === null ? 'null' : typeof value}.`)
  const oneofs = new Map<string, Field>()
  for (const field of SCHEMAS.get(message)!.fields) {
    const fieldValue = value[field.name]
    if (fieldValue === undefined || fieldValue === null) continue
    if (field.oneof !== undefined) {
      const other = oneofs.get(field.oneof)
      if (other) invalid(message, field, `${other.name} of the same oneof "${field.oneof}" is set too; set one`)
      oneofs.set(field.oneof, field)
    }
    if (!field.repeated) {
      writeField(out, message, field, fieldValue, depth)
      continue
    }
    if (!Array.isArray(fieldValue)) invalid(message, field, 'expected an array')
    for (const item of fieldValue) writeField(out, message, field, item, depth)
  }
}

function writeField(out: ByteWriter, message: string, field: Field, value: unknown, depth: number): void {
  if (field.message) {
    // A present message is written even when empty; only an absent one is left out.
    const inner = new ByteWriter()
    writeMessage(inner, field.type, value as Record<string, unknown>, depth + 1)
    const bytes = inner.finish()
    out.raw(field.tag)
    out.varint(bytes.length)
    out.raw(bytes)
    return
  }
  switch (field.type) {
    case 'bytes': {
      if (!(value instanceof Uint8Array)) invalid(message, field, 'expected a Uint8Array')
      if (value.length === 0) return
      out.raw(field.tag)
      out.varint(value.length)
      out.raw(value)
      return
    }
    case 'string': {
      if (typeof value !== 'string') invalid(message, field, 'expected a string')
      if (value === '') return
      const bytes = utf8.encode(value)
      out.raw(field.tag)
      out.varint(bytes.length)
      out.raw(bytes)
      return
    }
    case 'uint32': {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > UINT32_MAX) invalid(message, field, `${String(value)} is not an integer from 0 to 2^32 − 1`)
      if (value === 0) return
      out.raw(field.tag)
      out.varint(value)
      return
    }
    case 'uint64': {
      if (typeof value !== 'bigint' || value < 0n || value > UINT64_MAX) invalid(message, field, `${String(value)} is not a bigint from 0 to 2^64 − 1`)
      if (value === 0n) return
      out.raw(field.tag)
      out.varint(value)
      return
    }
  }
}

/** Encodes a message of WIRE_SCHEMA as protobufjs and xmtp-js write it, byte for byte. */
export function encodeMessage<M extends MessageName>(message: M, value: MessageInput<M>): Uint8Array {
  const out = new ByteWriter()
  writeMessage(out, message, value as Record<string, unknown>, 0)
  return out.finish()
}

// ---- decoding, with the canonical check in the same pass -----------------------------------------

/**
 * Decodes or throws MalformedBundleError naming what was expected; never returns a half-read message.
 * Refuses bytes that two protobuf decoders may read as different keys: a singular field given twice
 * (protobufjs 8 merges embedded messages, xmtp-js's ts-proto code keeps the last), two members of one
 * oneof (xmtp-js takes the first it checks, not the last), a known field with another wire type, a
 * field number 0 or a group (ts-proto stops reading there), a tag, length or uint32 varint longer than
 * 5 bytes (the protobufjs 7 reader under xmtp-js's ts-proto code then skips 5 more bytes blindly), a value
 * too big for its type, invalid UTF-8 in a string. Unknown fields are skipped, as both do. See docs/canonical-decoding.md.
 */
export function decodeMessage<M extends MessageName>(message: M, bytes: Uint8Array, what: string): Message<M> {
  if (!(bytes instanceof Uint8Array)) throw new MalformedBundleError(what, 'the input is not bytes')
  return readMessage(message, bytes, 0, bytes.length, what, 0) as Message<M>
}

function readMessage(message: string, bytes: Uint8Array, start: number, end: number, what: string, depth: number): Record<string, unknown> {
  const bad = (details: string): never => {
    throw new MalformedBundleError(what, `${message}: ${details}; such bytes are not canonical, and decoders disagree on what they hold`)
  }
  if (depth > MAX_NESTING) bad(`nested more than ${MAX_NESTING} levels deep`)
  const schema = SCHEMAS.get(message)!
  const result: Record<string, unknown> = {}
  for (const field of schema.fields) {
    if (field.repeated) result[field.name] = []
    else if (!field.message) result[field.name] = field.type === 'bytes' ? new Uint8Array(0) : field.type === 'string' ? '' : field.type === 'uint32' ? 0 : 0n
  }
  let pos = start
  /** Tags, lengths and uint32 values: 32-bit varints, at most 5 bytes (protobufjs 7 misreads longer ones). */
  const varint32 = (kind: string): number => {
    let value = 0
    for (let i = 0; i < 5; i++) {
      if (pos >= end) bad('a varint runs past the end')
      const b = bytes[pos++]!
      value += (b & 0x7f) * 2 ** (7 * i)
      if ((b & 0x80) !== 0) continue
      if (value > UINT32_MAX) bad(`${kind} does not fit 32 bits`)
      return value
    }
    return bad(`${kind} is a varint longer than 5 bytes`)
  }
  const varint64 = (kind: string): bigint => {
    let value = 0n
    for (let i = 0; i < 10; i++) {
      if (pos >= end) bad('a varint runs past the end')
      const b = bytes[pos++]!
      value |= BigInt(b & 0x7f) << BigInt(7 * i)
      if ((b & 0x80) !== 0) continue
      if (value > UINT64_MAX) bad(`${kind} does not fit 64 bits`)
      return value
    }
    return bad(`${kind} is a varint longer than 10 bytes`)
  }
  const seen = new Set<number>()
  const oneofs = new Map<string, number>()
  while (pos < end) {
    const tag = varint32('a tag')
    const number = tag >>> 3
    const wireType = tag & 7
    if (number === 0) bad(`field number 0 is not valid`)
    let valueStart = pos
    let valueEnd: number
    let scalar: number | bigint | undefined
    const field = schema.byNumber.get(number)
    switch (wireType) {
      case 0:
        if (field?.type === 'uint32') scalar = varint32(`field ${number} (uint32)`)
        else scalar = varint64(`field ${number}`) // uint64, or an unknown field's varint
        valueEnd = pos
        break
      case 1:
      case 5:
        valueEnd = pos + (wireType === 1 ? 8 : 4)
        break
      case 2: {
        const length = varint32(`the length of field ${number}`)
        valueStart = pos
        valueEnd = pos + length
        break
      }
      default:
        return bad(`field ${number} uses wire type ${wireType} (groups or invalid), which XMTP messages never use`)
    }
    if (valueEnd > end) bad(`field ${number} runs past the end`)
    pos = valueEnd
    if (!field) continue
    if (wireType !== field.wireType) bad(`field ${number} (${field.type}) has wire type ${wireType}, expected ${field.wireType}`)
    if (!field.repeated) {
      if (seen.has(number)) bad(`field ${number} (${field.type}) appears twice`)
      seen.add(number)
    }
    if (field.oneof !== undefined) {
      const other = oneofs.get(field.oneof)
      if (other !== undefined && other !== number) bad(`fields ${other} and ${number} of the oneof "${field.oneof}" are both set`)
      oneofs.set(field.oneof, number)
    }
    let value: unknown
    if (field.message) value = readMessage(field.type, bytes, valueStart, valueEnd, what, depth + 1)
    else if (field.type === 'bytes') value = new Uint8Array(bytes.subarray(valueStart, valueEnd)) // a plain copy, even of a Buffer
    else if (field.type === 'string') {
      try {
        value = strictUtf8.decode(bytes.subarray(valueStart, valueEnd))
      } catch {
        bad(`field ${number} is not valid UTF-8 text`)
      }
    } else value = scalar
    if (field.repeated) (result[field.name] as unknown[]).push(value)
    else result[field.name] = value
  }
  return result
}
