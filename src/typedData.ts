import { keccak_256 } from '@noble/hashes/sha3.js'
import { concatBytes, hexToBytes, toHex, utf8 } from './bytes.js'
import { InvalidInputError } from './errors.js'
import type { TypedData, TypedDataField } from './signer.js'

// EIP-712 hashing, for signers that sign typed data themselves (local keys) or need the two hashes
// (Ledger's hashed-message mode, smart-account wrappers).

const DOMAIN_FIELDS: readonly TypedDataField[] = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
  { name: 'salt', type: 'bytes32' },
]

type Types = Readonly<Record<string, readonly TypedDataField[]>>

function fail(details: string): never {
  throw new InvalidInputError('The EIP-712 typed data is not valid.', { details })
}

function domainTypes(typedData: TypedData): readonly TypedDataField[] {
  return typedData.types.EIP712Domain ?? DOMAIN_FIELDS.filter((f) => (typedData.domain as Record<string, unknown>)[f.name] !== undefined)
}

function dependencies(type: string, types: Types, found: Set<string> = new Set()): Set<string> {
  const base = type.replace(/\[\d*\]$/, '')
  if (found.has(base) || types[base] === undefined) return found
  found.add(base)
  for (const field of types[base]!) dependencies(field.type.replace(/(\[\d*\])+$/, ''), types, found)
  return found
}

export function encodeType(primaryType: string, types: Types): string {
  const [, ...rest] = [...dependencies(primaryType, types)]
  return [primaryType, ...rest.sort()]
    .map((name) => `${name}(${types[name]!.map((f) => `${f.type} ${f.name}`).join(',')})`)
    .join('')
}

function typeHash(primaryType: string, types: Types): Uint8Array {
  return keccak_256(utf8(encodeType(primaryType, types)))
}

function toBigInt(value: unknown, type: string): bigint {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value)
  if (typeof value === 'string' && /^(0x[0-9a-fA-F]+|-?\d+)$/.test(value)) return BigInt(value)
  fail(`${type}: ${String(value)} is not an integer`)
}

function word(value: bigint): Uint8Array {
  const out = new Uint8Array(32)
  let v = BigInt.asUintN(256, value)
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  return out
}

function bytesOf(value: unknown, type: string): Uint8Array {
  if (value instanceof Uint8Array) return value
  if (typeof value === 'string') return hexToBytes(value, `${type} value`)
  fail(`${type}: expected bytes or hex`)
}

function encodeValue(type: string, value: unknown, types: Types): Uint8Array {
  if (types[type] !== undefined) return hashStruct(type, value as Record<string, unknown>, types)
  const array = /^(.*)\[(\d*)\]$/.exec(type)
  if (array) {
    if (!Array.isArray(value)) fail(`${type}: expected an array`)
    if (array[2] !== '' && value.length !== Number(array[2])) fail(`${type}: expected ${array[2]} items, got ${value.length}`)
    return keccak_256(concatBytes(...value.map((item) => encodeValue(array[1]!, item, types))))
  }
  if (type === 'string') {
    if (typeof value !== 'string') fail('string: expected text')
    return keccak_256(utf8(value))
  }
  if (type === 'bytes') return keccak_256(bytesOf(value, type))
  if (type === 'bool') return word(value === true || value === 'true' ? 1n : 0n)
  if (type === 'address') {
    const bytes = bytesOf(value, type)
    if (bytes.length !== 20) fail(`address: expected 20 bytes, got ${bytes.length}`)
    return concatBytes(new Uint8Array(12), bytes)
  }
  const fixed = /^bytes(\d+)$/.exec(type)
  if (fixed) {
    const bytes = bytesOf(value, type)
    if (bytes.length > Number(fixed[1])) fail(`${type}: got ${bytes.length} bytes`)
    return concatBytes(bytes, new Uint8Array(32 - bytes.length))
  }
  const int = /^(u?)int(\d*)$/.exec(type)
  if (int) {
    const bits = Number(int[2] || 256)
    const n = toBigInt(value, type)
    const fits = int[1] === 'u' ? n >= 0n && n < 1n << BigInt(bits) : n >= -(1n << BigInt(bits - 1)) && n < 1n << BigInt(bits - 1)
    if (!fits) fail(`${type}: ${n} is out of range`)
    return word(n)
  }
  fail(`unknown type ${type}`)
}

export function hashStruct(primaryType: string, data: Record<string, unknown>, types: Types): Uint8Array {
  const fields = types[primaryType]
  if (!fields) fail(`no type named ${primaryType}`)
  if (typeof data !== 'object' || data === null) fail(`${primaryType}: expected an object`)
  return keccak_256(concatBytes(typeHash(primaryType, types), ...fields.map((f) => encodeValue(f.type, data[f.name], types))))
}

export function hashDomain(typedData: TypedData): Uint8Array {
  const types = { ...typedData.types, EIP712Domain: domainTypes(typedData) }
  return hashStruct('EIP712Domain', typedData.domain as Record<string, unknown>, types)
}

export function hashTypedMessage(typedData: TypedData): Uint8Array {
  const types = { ...typedData.types, EIP712Domain: domainTypes(typedData) }
  return hashStruct(typedData.primaryType, typedData.message, types)
}

/** The EIP-712 digest: keccak256(0x1901 || domainSeparator || hashStruct(message)). */
export function hashTypedData(typedData: TypedData): Uint8Array {
  const message = typedData.primaryType === 'EIP712Domain' ? new Uint8Array() : hashTypedMessage(typedData)
  return keccak_256(concatBytes(Uint8Array.of(0x19, 0x01), hashDomain(typedData), message))
}

const DOMAIN_TYPE_OF: Record<string, string> = { name: 'string', version: 'string', chainId: 'uint256', verifyingContract: 'address', salt: 'bytes32' }

/** The typed data with an explicit `EIP712Domain` type, as wallets and devices (eth_signTypedData_v4) want it. */
export function withEip712DomainType(typedData: TypedData): TypedData {
  if (typedData.types.EIP712Domain) return typedData
  const fields = DOMAIN_FIELDS.filter((f) => (typedData.domain as Record<string, unknown>)[f.name] !== undefined).map((f) => ({ name: f.name, type: DOMAIN_TYPE_OF[f.name]! }))
  return { ...typedData, types: { EIP712Domain: fields, ...typedData.types } }
}

/** JSON-safe typed data (bigint → decimal string, bytes → 0x hex) with its EIP712Domain type. */
export function typedDataToJson(typedData: TypedData): Record<string, unknown> {
  const { domain, types, primaryType, message } = withEip712DomainType(typedData)
  return JSON.parse(
    JSON.stringify({ types, primaryType, domain, message }, (_, value) =>
      typeof value === 'bigint' ? value.toString() : value instanceof Uint8Array ? `0x${toHex(value)}` : value,
    ),
  ) as Record<string, unknown>
}
