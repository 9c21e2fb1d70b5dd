import { hashes } from './crypto/backend.js'
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
/** Types by name, own entries only: a name like `constructor` or `__proto__` never reaches Object.prototype. */
type TypeTable = ReadonlyMap<string, readonly TypedDataField[]>

/** Limits on typed data from outside, far above any real request, so hashing is bounded in time and stack. */
export const TYPED_DATA_LIMITS = {
  /** Struct types in `types`. */
  types: 256,
  /** Fields in one struct type. */
  fieldsPerType: 256,
  /** Characters in a type or field name. */
  nameLength: 256,
  /** Nesting of structs and arrays in the data. */
  depth: 32,
  /** Values hashed in all, array items included. */
  items: 10_000,
  /** Characters in an integer given as a string (2^256 has 78 decimal digits). */
  integerLength: 80,
} as const

function fail(details: string): never {
  throw new InvalidInputError('The EIP-712 typed data is not valid.', {
    details,
    nextStep: 'Check the typed data the application built (types, primaryType, domain, message); nothing was signed.',
  })
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** A data object's own value for `name`; an inherited member (`constructor`, `toString`) reads as absent. */
function ownValue(data: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(data, name) ? data[name] : undefined
}

type ParsedType = { readonly base: string; /** Outermost last; `null` for a dynamic array `[]`. */ readonly dims: readonly (number | null)[] }

/** Splits `Foo[2][]` into its base and array dimensions in one linear pass (no backtracking regex). */
function parseType(type: string): ParsedType {
  const dims: (number | null)[] = []
  let end = type.length
  while (end > 0 && type[end - 1] === ']') {
    const open = type.lastIndexOf('[', end - 1)
    if (open < 0) fail(`type "${type}" has an unmatched "]"`)
    const size = type.slice(open + 1, end - 1)
    for (const c of size) if (c < '0' || c > '9') fail(`type "${type}" has an array size that is not a whole number`)
    if (size !== '' && (size.length > 6 || Number(size) > TYPED_DATA_LIMITS.items)) fail(`type "${type}": an array of ${size} items exceeds ${TYPED_DATA_LIMITS.items}`)
    dims.unshift(size === '' ? null : Number(size))
    end = open
  }
  return { base: type.slice(0, end), dims }
}

/** Checks an atomic type name: string, bytes, bool, address, bytes1..bytes32, int8..int256 / uint8..uint256 in steps of 8. */
function isAtomicType(base: string): boolean {
  if (base === 'string' || base === 'bytes' || base === 'bool' || base === 'address' || base === 'int' || base === 'uint') return true
  const fixed = /^bytes([1-9]\d?)$/.exec(base)
  if (fixed) return Number(fixed[1]) <= 32
  const int = /^u?int([1-9]\d{0,2})$/.exec(base)
  if (int) {
    const bits = Number(int[1])
    return bits >= 8 && bits <= 256 && bits % 8 === 0
  }
  return false
}

function atomicTypeProblem(base: string): string {
  if (/^bytes\d+$/.test(base)) return `${base}: a fixed-size bytes type is bytes1 … bytes32`
  if (/^u?int\d+$/.test(base)) return `${base}: an integer width is 8 … 256 bits in steps of 8`
  return `unknown type "${base}" (not a struct in types, nor an EIP-712 atomic type)`
}

/** Validates `types` (own entries, arrays of { name, type }, known types only) and returns them as a table. */
function typeTable(types: unknown): TypeTable {
  if (!isRecord(types)) fail('types must be an object mapping type names to field lists')
  const entries = Object.entries(types)
  if (entries.length > TYPED_DATA_LIMITS.types) fail(`types has ${entries.length} struct types, more than ${TYPED_DATA_LIMITS.types}`)
  const table = new Map<string, readonly TypedDataField[]>()
  for (const [name, fields] of entries) {
    if (name.length === 0 || name.length > TYPED_DATA_LIMITS.nameLength) fail(`a type name has ${name.length} characters (1 … ${TYPED_DATA_LIMITS.nameLength})`)
    if (!Array.isArray(fields)) fail(`types.${name} must be an array of { name, type } fields`)
    if (fields.length > TYPED_DATA_LIMITS.fieldsPerType) fail(`types.${name} has ${fields.length} fields, more than ${TYPED_DATA_LIMITS.fieldsPerType}`)
    const names = new Set<string>()
    for (const field of fields as unknown[]) {
      if (!isRecord(field) || typeof field.name !== 'string' || typeof field.type !== 'string') fail(`types.${name} holds a field that is not { name: string, type: string }`)
      if (field.name.length > TYPED_DATA_LIMITS.nameLength || field.type.length > TYPED_DATA_LIMITS.nameLength) fail(`types.${name}: a field name or type is longer than ${TYPED_DATA_LIMITS.nameLength} characters`)
      if (names.has(field.name)) fail(`types.${name} has two fields named "${field.name}"`)
      names.add(field.name)
    }
    table.set(name, fields as readonly TypedDataField[])
  }
  for (const [name, fields] of table) {
    for (const field of fields) {
      const { base } = parseType(field.type)
      if (!table.has(base) && !isAtomicType(base)) fail(`types.${name}.${field.name}: ${atomicTypeProblem(base)}`)
    }
  }
  return table
}

function structFields(types: TypeTable, name: string): readonly TypedDataField[] {
  const fields = types.get(name)
  if (!fields) fail(`no type named ${name}`)
  return fields
}

function domainTypes(typedData: TypedData): readonly TypedDataField[] {
  const domain = typedData.domain as Record<string, unknown>
  return Object.hasOwn(typedData.types, 'EIP712Domain') ? typedData.types.EIP712Domain! : DOMAIN_FIELDS.filter((f) => ownValue(domain, f.name) !== undefined)
}

function dependencies(type: string, types: TypeTable, found: Set<string> = new Set()): Set<string> {
  const { base } = parseType(type)
  if (found.has(base) || !types.has(base)) return found
  found.add(base)
  for (const field of types.get(base)!) dependencies(parseType(field.type).base, types, found)
  return found
}

function encodeTypeOf(primaryType: string, types: TypeTable): string {
  const [, ...rest] = [...dependencies(primaryType, types)]
  return [primaryType, ...rest.sort()].map((name) => `${name}(${structFields(types, name).map((f) => `${f.type} ${f.name}`).join(',')})`).join('')
}

export function encodeType(primaryType: string, types: Types): string {
  return encodeTypeOf(primaryType, typeTable(types))
}

/** Counts what hashing visits, so a 2-million-item array or a deep nesting fails fast instead of exhausting memory or stack. */
type Budget = { items: number }

function toBigInt(value: unknown, type: string): bigint {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value)
  if (typeof value === 'string' && value.length <= TYPED_DATA_LIMITS.integerLength && /^(0x[0-9a-fA-F]+|-?\d+)$/.test(value)) return BigInt(value)
  fail(`${type}: ${typeof value === 'string' && value.length > TYPED_DATA_LIMITS.integerLength ? `a ${value.length}-character string` : String(value)} is not an integer`)
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

function encodeValue(type: string, value: unknown, types: TypeTable, budget: Budget, depth: number): Uint8Array {
  if (depth > TYPED_DATA_LIMITS.depth) fail(`the data nests deeper than ${TYPED_DATA_LIMITS.depth} levels (at ${type})`)
  if (++budget.items > TYPED_DATA_LIMITS.items) fail(`the data holds more than ${TYPED_DATA_LIMITS.items} values`)
  if (types.has(type)) return hashStructOf(type, value, types, budget, depth + 1)
  const { base, dims } = parseType(type)
  if (dims.length > 0) {
    const size = dims[dims.length - 1]!
    const itemType = type.slice(0, type.lastIndexOf('['))
    if (!Array.isArray(value)) fail(`${type}: expected an array`)
    if (value.length > TYPED_DATA_LIMITS.items - budget.items) fail(`${type}: an array of ${value.length} items exceeds ${TYPED_DATA_LIMITS.items} values in all`)
    if (size !== null && value.length !== size) fail(`${type}: expected ${size} items, got ${value.length}`)
    return hashes.keccak256(concatBytes(...value.map((item) => encodeValue(itemType, item, types, budget, depth + 1))))
  }
  if (type === 'string') {
    if (typeof value !== 'string') fail('string: expected text')
    return hashes.keccak256(utf8(value))
  }
  if (type === 'bytes') return hashes.keccak256(bytesOf(value, type))
  if (type === 'bool') return word(value === true || value === 'true' ? 1n : 0n)
  if (type === 'address') {
    const bytes = bytesOf(value, type)
    if (bytes.length !== 20) fail(`address: expected 20 bytes, got ${bytes.length}`)
    return concatBytes(new Uint8Array(12), bytes)
  }
  if (!isAtomicType(base)) fail(atomicTypeProblem(base))
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

function hashStructOf(primaryType: string, data: unknown, types: TypeTable, budget: Budget, depth: number): Uint8Array {
  const fields = structFields(types, primaryType)
  if (!isRecord(data)) fail(`${primaryType}: expected an object`)
  return hashes.keccak256(
    concatBytes(hashes.keccak256(utf8(encodeTypeOf(primaryType, types))), ...fields.map((f) => encodeValue(f.type, ownValue(data, f.name), types, budget, depth))),
  )
}

export function hashStruct(primaryType: string, data: Record<string, unknown>, types: Types): Uint8Array {
  return hashStructOf(primaryType, data, typeTable(types), { items: 0 }, 0)
}

/** Checks the outer shape (an object with types, primaryType, domain, message) before anything is read from it. */
function checkedTypes(typedData: TypedData): TypeTable {
  if (!isRecord(typedData)) fail('the typed data must be an object { types, primaryType, domain, message }')
  if (!isRecord(typedData.domain)) fail('domain must be an object')
  if (typeof typedData.primaryType !== 'string') fail('primaryType must be a type name')
  if (!isRecord(typedData.types)) fail('types must be an object mapping type names to field lists')
  const types = typeTable({ ...(typedData.types as object), EIP712Domain: domainTypes(typedData) })
  if (!types.has(typedData.primaryType)) fail(`primaryType ${typedData.primaryType} is not one of the types`)
  return types
}

export function hashDomain(typedData: TypedData): Uint8Array {
  return hashStructOf('EIP712Domain', typedData.domain, checkedTypes(typedData), { items: 0 }, 0)
}

export function hashTypedMessage(typedData: TypedData): Uint8Array {
  const types = checkedTypes(typedData)
  if (!isRecord(typedData.message)) fail('message must be an object')
  return hashStructOf(typedData.primaryType, typedData.message, types, { items: 0 }, 0)
}

/** The EIP-712 digest: keccak256(0x1901 || domainSeparator || hashStruct(message)). */
export function hashTypedData(typedData: TypedData): Uint8Array {
  checkedTypes(typedData)
  const message = typedData.primaryType === 'EIP712Domain' ? new Uint8Array() : hashTypedMessage(typedData)
  return hashes.keccak256(concatBytes(Uint8Array.of(0x19, 0x01), hashDomain(typedData), message))
}

const DOMAIN_TYPE_OF: Record<string, string> = { name: 'string', version: 'string', chainId: 'uint256', verifyingContract: 'address', salt: 'bytes32' }

/** The typed data with an explicit `EIP712Domain` type, as wallets and devices (eth_signTypedData_v4) want it. */
export function withEip712DomainType(typedData: TypedData): TypedData {
  checkedTypes(typedData)
  if (Object.hasOwn(typedData.types, 'EIP712Domain')) return typedData
  const fields = DOMAIN_FIELDS.filter((f) => ownValue(typedData.domain as Record<string, unknown>, f.name) !== undefined).map((f) => ({ name: f.name, type: DOMAIN_TYPE_OF[f.name]! }))
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
