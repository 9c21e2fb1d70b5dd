import { checksumAddress, toHex, type TypedData, type TypedDataField } from '../../../src/adapter/index.js'
import { APDU, EIP712_FIELD_TYPE as FIELD_TYPE } from '../protocol.js'
import { STATUS_WORDS, refuse } from './statusWords.js'

// The device side of full EIP-712 signing (app-ethereum "SIGN ETH EIP 712", P2 01): the host sends
// every struct definition (INS 1A), then the domain's and the message's values field by field in
// definition order (INS 1C), optionally filtering hints (INS 1E), then asks for the signature. The
// device rebuilds the typed data from those pieces alone, so what it shows and hashes is what it got.

type BaseType =
  | { kind: 'struct'; name: string }
  | { kind: 'int' | 'uint'; bytes: number }
  | { kind: 'address' | 'bool' | 'string' | 'bytes' }
  | { kind: 'fixed-bytes'; bytes: number }

/** A field's type: the base and its array levels in written order (`uint8[2][]` → [2, null]). */
type FieldType = { base: BaseType; arrays: (number | null)[] }
type FieldDefinition = { name: string; type: FieldType; typeName: string }

type Frame =
  | { kind: 'struct'; name: string; fields: FieldDefinition[]; index: number; value: Record<string, unknown> }
  | { kind: 'array'; element: FieldType; length: number; items: unknown[] }

const INVALID = STATUS_WORDS.INVALID_DATA
const DEFINITION = APDU.EIP712_STRUCT_DEFINITION.p2
const IMPLEMENTATION = APDU.EIP712_STRUCT_IMPLEMENTATION
const FILTERING = APDU.EIP712_FILTERING
const utf8Decoder = new TextDecoder('utf-8', { fatal: false })
const ascii = (bytes: Uint8Array): string => utf8Decoder.decode(bytes)

function baseTypeName(base: BaseType): string {
  switch (base.kind) {
    case 'struct':
      return base.name
    case 'int':
    case 'uint':
      return `${base.kind}${base.bytes * 8}`
    case 'fixed-bytes':
      return `bytes${base.bytes}`
    default:
      return base.kind
  }
}

function typeName(type: FieldType): string {
  return baseTypeName(type.base) + type.arrays.map((size) => `[${size ?? ''}]`).join('')
}

/** The outermost level of `uint8[2][]` is the last one written (Solidity order). */
function elementOf(type: FieldType): FieldType {
  return { base: type.base, arrays: type.arrays.slice(0, -1) }
}

class Reader {
  offset = 0
  constructor(readonly data: Uint8Array) {}
  byte(what: string): number {
    const value = this.data[this.offset]
    if (value === undefined) refuse(INVALID, `${what} missing`)
    this.offset++
    return value
  }
  bytes(length: number, what: string): Uint8Array {
    if (this.offset + length > this.data.length) refuse(INVALID, `${what} truncated`)
    const out = this.data.subarray(this.offset, this.offset + length)
    this.offset += length
    return out
  }
  end(what: string): void {
    if (this.offset !== this.data.length) refuse(INVALID, `${this.data.length - this.offset} bytes after ${what}`)
  }
}

/** Parses a struct field definition (INS 1A, P2 FF). */
function parseFieldDefinition(data: Uint8Array): FieldDefinition {
  const reader = new Reader(data)
  const descriptor = reader.byte('type descriptor')
  const isArray = (descriptor & FIELD_TYPE.ARRAY) !== 0
  const hasSize = (descriptor & FIELD_TYPE.SIZED) !== 0
  const key = descriptor & FIELD_TYPE.KEY
  const K = FIELD_TYPE.keys
  const sized = key === K.INT || key === K.UINT || key === K.FIXED_BYTES
  if ((descriptor & FIELD_TYPE.RESERVED) !== 0) refuse(INVALID, 'reserved type descriptor bits set')
  let base: BaseType
  if (key === K.STRUCT) {
    const length = reader.byte('struct name length')
    base = { kind: 'struct', name: ascii(reader.bytes(length, 'struct name')) }
  } else if (key === K.ADDRESS) base = { kind: 'address' }
  else if (key === K.BOOL) base = { kind: 'bool' }
  else if (key === K.STRING) base = { kind: 'string' }
  else if (key === K.BYTES) base = { kind: 'bytes' }
  else if (sized) {
    if (!hasSize) refuse(INVALID, 'sized type without a size')
    const size = reader.byte('type size')
    if (size < 1 || size > 32) refuse(INVALID, `type size ${size}`)
    base = key === K.FIXED_BYTES ? { kind: 'fixed-bytes', bytes: size } : { kind: key === K.INT ? 'int' : 'uint', bytes: size }
  } else refuse(INVALID, `unknown type key ${key}`)
  if (hasSize && !sized) refuse(INVALID, 'size on an unsized type')
  const arrays: (number | null)[] = []
  if (isArray) {
    const levels = reader.byte('array level count')
    if (levels === 0) refuse(INVALID, 'array without levels')
    for (let i = 0; i < levels; i++) {
      const kind = reader.byte('array level')
      if (kind === FIELD_TYPE.arrayLevel.DYNAMIC) arrays.push(null)
      else if (kind === FIELD_TYPE.arrayLevel.FIXED) arrays.push(reader.byte('array size'))
      else refuse(INVALID, `array level kind ${kind}`)
    }
  }
  const nameLength = reader.byte('field name length')
  const name = ascii(reader.bytes(nameLength, 'field name'))
  reader.end('the field definition')
  if (name.length === 0) refuse(INVALID, 'empty field name')
  const type = { base, arrays }
  return { name, type, typeName: typeName(type) }
}

function bigEndian(bytes: Uint8Array): bigint {
  let value = 0n
  for (const b of bytes) value = (value << 8n) | BigInt(b)
  return value
}

/** Decodes one field value as hw-app-eth encodes it (minimal big-endian integers, raw bytes, UTF-8). */
function decodeValue(type: BaseType, bytes: Uint8Array): unknown {
  switch (type.kind) {
    case 'uint':
    case 'int': {
      if (bytes.length > type.bytes) refuse(INVALID, `${type.kind}${type.bytes * 8} value of ${bytes.length} bytes`)
      let value = bigEndian(bytes)
      // As the app does: a value negative only when it fills the whole width with its top bit set.
      if (type.kind === 'int' && bytes.length === type.bytes && (bytes[0]! & 0x80) !== 0) value -= 1n << BigInt(8 * bytes.length)
      return value.toString()
    }
    case 'bool':
      if (bytes.length > 1) refuse(INVALID, `bool value of ${bytes.length} bytes`)
      return bytes.length === 1 && bytes[0] !== 0
    case 'address': {
      if (bytes.length > 20) refuse(INVALID, `address of ${bytes.length} bytes`)
      const padded = new Uint8Array(20)
      padded.set(bytes, 20 - bytes.length)
      return checksumAddress(toHex(padded))
    }
    case 'string':
      return utf8Decoder.decode(bytes)
    case 'fixed-bytes': {
      if (bytes.length > type.bytes) refuse(INVALID, `bytes${type.bytes} value of ${bytes.length} bytes`)
      const padded = new Uint8Array(type.bytes)
      padded.set(bytes)
      return `0x${toHex(padded)}`
    }
    case 'bytes':
      return `0x${toHex(bytes)}`
    case 'struct':
      return refuse(INVALID, 'a struct has no single value')
  }
}

/** The EIP-712 session: struct definitions, then the domain and message values. */
export class Eip712Session {
  readonly #structs = new Map<string, FieldDefinition[]>()
  #definingStruct: string | undefined
  #implementing = false
  #stack: Frame[] = []
  #field: { expected: number; chunks: Uint8Array[]; received: number } | undefined
  #domain: Record<string, unknown> | undefined
  #message: { primaryType: string; value: Record<string, unknown> | undefined } | undefined
  #filtering = false
  readonly filterLabels: string[] = []

  /** True once struct values started arriving: a new definition then begins a new session. */
  get implementing(): boolean {
    return this.#implementing
  }

  /** INS 1A: P2 00 starts a struct by name, P2 FF appends a field to it. */
  define(p2: number, data: Uint8Array): void {
    if (p2 === DEFINITION.NAME) {
      const name = ascii(data)
      if (name.length === 0) refuse(INVALID, 'empty struct name')
      if (this.#structs.has(name)) refuse(INVALID, `struct ${name} defined twice`)
      this.#structs.set(name, [])
      this.#definingStruct = name
    } else if (p2 === DEFINITION.FIELD) {
      if (this.#definingStruct === undefined) refuse(INVALID, 'field before any struct name')
      this.#structs.get(this.#definingStruct)!.push(parseFieldDefinition(data))
    } else refuse(STATUS_WORDS.INVALID_P1_P2, `struct definition P2 ${p2}`)
  }

  /** INS 1C: P2 00 root struct, P2 0F array length, P2 FF field value (P1 01 while more chunks follow). */
  implement(p1: number, p2: number, data: Uint8Array): void {
    const { p1: P1, p2: P2 } = IMPLEMENTATION
    if (p1 !== P1.COMPLETE && p1 !== P1.PARTIAL) refuse(STATUS_WORDS.INVALID_P1_P2, `struct implementation P1 ${p1}`)
    if (p2 !== P2.FIELD && p1 !== P1.COMPLETE) refuse(STATUS_WORDS.INVALID_P1_P2, 'only field values come in parts')
    if (p2 !== P2.FIELD && this.#field) refuse(INVALID, 'field value unfinished')
    this.#implementing = true
    if (p2 === P2.ROOT) this.#root(ascii(data))
    else if (p2 === P2.ARRAY) this.#array(data)
    else if (p2 === P2.FIELD) this.#value(p1 === P1.PARTIAL, data)
    else refuse(STATUS_WORDS.INVALID_P1_P2, `struct implementation P2 ${p2}`)
  }

  /** INS 1E: filtering hints. Accepted and checked for shape; their CAL signatures cannot be checked here. */
  filter(p1: number, p2: number, data: Uint8Array): void {
    const { p1: P1, p2: P2 } = FILTERING
    if (p1 !== P1.STANDARD && p1 !== P1.DISCARDED) refuse(STATUS_WORDS.INVALID_P1_P2, `filtering P1 ${p1}`)
    const reader = new Reader(data)
    if (p2 === P2.ACTIVATE) {
      this.#filtering = true
      return
    }
    if (!this.#filtering) refuse(INVALID, 'filtering not activated')
    if (p2 === P2.DISCARDED_PATH) {
      const length = reader.byte('path length')
      reader.bytes(length, 'discarded path')
    } else if (p2 === P2.MESSAGE_INFO || p2 === P2.DATETIME || p2 === P2.AMOUNT_JOIN_VALUE || p2 === P2.RAW) {
      const length = reader.byte('display name length')
      this.filterLabels.push(ascii(reader.bytes(length, 'display name')))
      if (p2 === P2.MESSAGE_INFO) reader.byte('filter count')
      if (p2 === P2.AMOUNT_JOIN_VALUE) reader.byte('token index')
      reader.bytes(reader.byte('signature length'), 'signature')
    } else if (p2 === P2.AMOUNT_JOIN_TOKEN) {
      reader.byte('token index')
      reader.bytes(reader.byte('signature length'), 'signature')
    } else refuse(STATUS_WORDS.INVALID_P1_P2, `filtering P2 ${p2}`)
    reader.end('the filtering data')
  }

  /** The typed data the device rebuilt, once the domain and the message are complete. */
  typedData(): TypedData {
    if (!this.#domain || !this.#message?.value || this.#stack.length > 0 || this.#field) refuse(INVALID, 'EIP-712 message incomplete')
    const types: Record<string, TypedDataField[]> = {}
    for (const [name, fields] of this.#structs) types[name] = fields.map((f) => ({ name: f.name, type: f.typeName }))
    return { types, primaryType: this.#message.primaryType, domain: this.#domain, message: this.#message.value }
  }

  #root(name: string): void {
    const fields = this.#structs.get(name)
    if (!fields) refuse(INVALID, `no struct named ${name}`)
    if (this.#stack.length > 0) refuse(INVALID, 'previous struct unfinished')
    if (name === 'EIP712Domain') {
      if (this.#domain || this.#message) refuse(INVALID, 'domain sent twice')
    } else {
      if (!this.#domain) refuse(INVALID, 'the domain comes first')
      if (this.#message) refuse(INVALID, 'message sent twice')
      this.#message = { primaryType: name, value: undefined }
    }
    this.#stack = [{ kind: 'struct', name, fields, index: 0, value: {} }]
    this.#settle()
  }

  #array(data: Uint8Array): void {
    if (data.length !== 1) refuse(INVALID, 'array length is one byte')
    const slot = this.#slot()
    if (slot.arrays.length === 0) refuse(INVALID, 'an array length where no array is expected')
    const fixed = slot.arrays[slot.arrays.length - 1]
    if (fixed !== null && fixed !== undefined && fixed !== data[0]) refuse(INVALID, `fixed array of ${fixed} given ${data[0]} items`)
    this.#stack.push({ kind: 'array', element: elementOf(slot), length: data[0]!, items: [] })
    this.#settle()
  }

  #value(more: boolean, data: Uint8Array): void {
    const slot = this.#slot()
    if (slot.arrays.length > 0 || slot.base.kind === 'struct') refuse(INVALID, 'a value where an array or struct is expected')
    let chunk = data
    if (!this.#field) {
      if (data.length < 2) refuse(INVALID, 'field value length missing')
      this.#field = { expected: (data[0]! << 8) | data[1]!, chunks: [], received: 0 }
      chunk = data.subarray(2)
    }
    const field = this.#field
    field.chunks.push(chunk.slice())
    field.received += chunk.length
    if (field.received > field.expected) refuse(INVALID, `field value longer than its ${field.expected} bytes`)
    if (more) return
    if (field.received !== field.expected) refuse(INVALID, `field value of ${field.received} bytes, ${field.expected} announced`)
    const bytes = new Uint8Array(field.received)
    let offset = 0
    for (const c of field.chunks) {
      bytes.set(c, offset)
      offset += c.length
    }
    this.#field = undefined
    this.#deliver(decodeValue(slot.base, bytes))
    this.#settle()
  }

  /** The type the next value fills. */
  #slot(): FieldType {
    const top = this.#stack[this.#stack.length - 1]
    if (!top) refuse(INVALID, 'no struct in progress')
    return top.kind === 'struct' ? top.fields[top.index]!.type : top.element
  }

  #deliver(value: unknown): void {
    const top = this.#stack[this.#stack.length - 1]
    if (!top) {
      if (this.#message) this.#message.value = value as Record<string, unknown>
      else this.#domain = value as Record<string, unknown>
    } else if (top.kind === 'struct') {
      top.value[top.fields[top.index]!.name] = value
      top.index++
    } else top.items.push(value)
  }

  /** Opens nested structs and closes finished levels until the next APDU is needed. */
  #settle(): void {
    for (;;) {
      const top = this.#stack[this.#stack.length - 1]
      if (!top) return
      if (top.kind === 'struct' && top.index === top.fields.length) {
        this.#stack.pop()
        this.#deliver(top.value)
        continue
      }
      if (top.kind === 'array' && top.items.length === top.length) {
        this.#stack.pop()
        this.#deliver(top.items)
        continue
      }
      const slot = this.#slot()
      if (slot.arrays.length === 0 && slot.base.kind === 'struct') {
        const fields = this.#structs.get(slot.base.name)
        if (!fields) refuse(INVALID, `no struct named ${slot.base.name}`)
        this.#stack.push({ kind: 'struct', name: slot.base.name, fields, index: 0, value: {} })
        continue
      }
      return
    }
  }
}
