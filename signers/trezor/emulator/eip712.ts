import { keccak_256 } from '@noble/hashes/sha3.js'
import { concatBytes, hexToBytes, utf8 } from '../../../src/adapter/index.js'
import { FirmwareError } from './failures.js'

// EIP-712 as the Trezor core firmware computes it while it pulls the types and values from the
// host (EthereumTypedDataStructRequest / ValueRequest). Written from the protocol, independently of
// src/typedData.ts, so the tests compare two implementations.

type DataType = 'UINT' | 'INT' | 'BYTES' | 'STRING' | 'BOOL' | 'ADDRESS' | 'ARRAY' | 'STRUCT'
export type FieldType = { data_type: DataType; size?: number | null; entry_type?: FieldType | null; struct_name?: string | null }
export type StructMember = { name: string; type: FieldType }

/** How the envelope reaches the host: one request, one acknowledgement. */
export type TypedDataHost = {
  structRequest(name: string): Promise<StructMember[]>
  valueRequest(memberPath: number[]): Promise<Uint8Array>
}

const dataError = (message: string): never => {
  throw new FirmwareError('Failure_DataError', message)
}

function validateFieldType(field: FieldType): void {
  switch (field.data_type) {
    case 'ARRAY':
      if (!field.entry_type) dataError('Missing entry_type in array')
      validateFieldType(field.entry_type!)
      return
    case 'STRUCT':
      if (!field.struct_name) dataError('Missing struct_name in struct')
      return
    case 'STRING':
    case 'BOOL':
    case 'ADDRESS':
      if (field.size != null) dataError('Unexpected size in str/bool/addr')
      return
    case 'UINT':
    case 'INT':
      if (field.size == null || field.size < 1 || field.size > 32) dataError('Invalid size in int/uint')
      return
    case 'BYTES':
      if (field.size != null && (field.size < 1 || field.size > 32)) dataError('Invalid size in bytes')
      return
    default:
      dataError(`Unknown data type ${String((field as FieldType).data_type)}`)
  }
}

function typeName(field: FieldType): string {
  switch (field.data_type) {
    case 'STRUCT':
      return field.struct_name!
    case 'ARRAY':
      return `${typeName(field.entry_type!)}[${field.size ?? ''}]`
    case 'UINT':
      return `uint${field.size! * 8}`
    case 'INT':
      return `int${field.size! * 8}`
    case 'BYTES':
      return field.size ? `bytes${field.size}` : 'bytes'
    default:
      return field.data_type.toLowerCase()
  }
}

function validateValue(field: FieldType, value: Uint8Array): void {
  if (field.size != null && value.length !== field.size) dataError('Invalid length')
  if (field.data_type === 'BOOL' && !(value.length === 1 && value[0]! <= 1)) dataError('Invalid boolean value')
  if (field.data_type === 'ADDRESS' && value.length !== 20) dataError('Invalid address')
  if (field.data_type === 'STRING') {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(value)
    } catch {
      dataError('Invalid UTF-8')
    }
  }
}

function leftPad32(value: Uint8Array, signed: boolean): Uint8Array {
  if (value.length > 32) dataError('Invalid length')
  const fill = signed && value.length > 0 && value[0]! >= 0x80 ? 0xff : 0x00
  const out = new Uint8Array(32).fill(fill)
  out.set(value, 32 - value.length)
  return out
}

function encodeField(field: FieldType, value: Uint8Array): Uint8Array {
  switch (field.data_type) {
    case 'BYTES':
      if (field.size == null) return keccak_256(value)
      return concatBytes(value, new Uint8Array(32 - value.length))
    case 'STRING':
      return keccak_256(value)
    case 'INT':
      return leftPad32(value, true)
    case 'UINT':
    case 'BOOL':
    case 'ADDRESS':
      return leftPad32(value, false)
    default:
      return dataError(`Cannot encode ${field.data_type} as a field`)
  }
}

/** One EthereumSignTypedData exchange: collects the types, then hashes domain and message. */
export class TypedDataEnvelope {
  readonly types = new Map<string, StructMember[]>()

  constructor(
    readonly primaryType: string,
    readonly metamaskV4Compat: boolean,
    readonly host: TypedDataHost,
  ) {}

  async collectTypes(): Promise<void> {
    await this.#collect('EIP712Domain')
    if (this.primaryType !== 'EIP712Domain') await this.#collect(this.primaryType)
  }

  async #collect(name: string): Promise<void> {
    const members = await this.host.structRequest(name)
    this.types.set(name, members)
    for (const member of members) {
      validateFieldType(member.type)
      let type = member.type
      while (type.data_type === 'ARRAY') type = type.entry_type!
      if (type.data_type === 'STRUCT' && !this.types.has(type.struct_name!)) await this.#collect(type.struct_name!)
    }
  }

  /** The domain's `name` and `version` values, as the device shows them before anything else. */
  async domainNameAndVersion(): Promise<{ name?: string; version?: string }> {
    const out: { name?: string; version?: string } = {}
    const members = this.#members('EIP712Domain')
    for (const [index, member] of members.entries()) {
      if (member.name !== 'name' && member.name !== 'version') continue
      const value = await this.#value(member.type, [0, index])
      out[member.name] = new TextDecoder().decode(value)
    }
    return out
  }

  /** hashStruct of the domain (root index 0) or of the message (root index 1). */
  hashStruct(typeName: string, memberPath: number[]): Promise<Uint8Array> {
    return this.#hashStruct(typeName, memberPath)
  }

  async #hashStruct(name: string, path: number[]): Promise<Uint8Array> {
    const encoded = await this.#encodeData(name, path)
    return keccak_256(concatBytes(keccak_256(utf8(this.#encodeType(name))), encoded))
  }

  async #encodeData(name: string, path: number[]): Promise<Uint8Array> {
    const parts: Uint8Array[] = []
    for (const [index, member] of this.#members(name).entries()) {
      const memberPath = [...path, index]
      const type = member.type
      if (type.data_type === 'STRUCT') {
        parts.push(await this.#hashStruct(type.struct_name!, memberPath))
      } else if (type.data_type === 'ARRAY') {
        const length = type.size ?? (await this.#arrayLength(memberPath))
        const entry = type.entry_type!
        const items: Uint8Array[] = []
        for (let i = 0; i < length; i++) {
          const itemPath = [...memberPath, i]
          if (entry.data_type === 'ARRAY') dataError('Arrays of arrays are not supported')
          if (entry.data_type === 'STRUCT') {
            // MetaMask's v4 hashes each struct in an array; the plain spec reading concatenates encodeData.
            items.push(this.metamaskV4Compat ? await this.#hashStruct(entry.struct_name!, itemPath) : await this.#encodeData(entry.struct_name!, itemPath))
          } else {
            items.push(encodeField(entry, await this.#value(entry, itemPath)))
          }
        }
        parts.push(keccak_256(concatBytes(...items)))
      } else {
        parts.push(encodeField(type, await this.#value(type, memberPath)))
      }
    }
    return concatBytes(...parts)
  }

  #encodeType(primary: string): string {
    const deps = new Set<string>()
    const walk = (name: string): void => {
      if (deps.has(name)) return
      deps.add(name)
      for (const member of this.#members(name)) {
        let type = member.type
        while (type.data_type === 'ARRAY') type = type.entry_type!
        if (type.data_type === 'STRUCT') walk(type.struct_name!)
      }
    }
    walk(primary)
    deps.delete(primary)
    return [primary, ...[...deps].sort()].map((name) => `${name}(${this.#members(name).map((m) => `${typeName(m.type)} ${m.name}`).join(',')})`).join('')
  }

  #members(name: string): StructMember[] {
    const members = this.types.get(name)
    if (!members) return dataError(`Unknown struct ${name}`)
    return members
  }

  async #value(field: FieldType, path: number[]): Promise<Uint8Array> {
    const value = await this.host.valueRequest(path)
    validateValue(field, value)
    return value
  }

  async #arrayLength(path: number[]): Promise<number> {
    const value = await this.host.valueRequest(path)
    if (value.length !== 2) dataError('Invalid length')
    return (value[0]! << 8) | value[1]!
  }
}

/** The protobuf decoder gives bytes as hex; a missing optional value is null. */
export function bytesField(value: unknown): Uint8Array {
  if (value == null || value === '') return new Uint8Array()
  if (typeof value !== 'string') return dataError('Expected bytes')
  return hexToBytes(value, 'bytes field')
}
