import { checksumAddress, concatBytes, hexToBytes, InvalidInputError, to0xHex, type Hex } from '../../../src/adapter/index.js'

// The two ABI shapes the schemes need, (address, bytes, bytes) and tuple(uint8, bytes): head words,
// then each `bytes` as its length word and data padded to 32 bytes (Solidity ABI spec, "Formal Specification").

const WORD = 32

function word(value: bigint): Uint8Array {
  const out = new Uint8Array(WORD)
  for (let i = WORD - 1, v = value; i >= 0 && v > 0n; i--, v >>= 8n) out[i] = Number(v & 0xffn)
  return out
}

function padded(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / WORD) * WORD)
  out.set(data)
  return out
}

/** One static value as a word (address or uint8), one `bytes` value, or a tuple holding a dynamic member. */
export type AbiValue =
  | { readonly kind: 'word'; readonly value: bigint }
  | { readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly kind: 'dynamic-tuple'; readonly values: readonly AbiValue[] }

/** `abi.encode(values…)` for static words, `bytes` and dynamic tuples (each of these two: an offset, then its tail). */
export function encodeAbi(values: readonly AbiValue[]): Uint8Array {
  const heads: Uint8Array[] = []
  const tails: Uint8Array[] = []
  let tailOffset = values.length * WORD
  for (const v of values) {
    if (v.kind === 'word') {
      heads.push(word(v.value))
      continue
    }
    heads.push(word(BigInt(tailOffset)))
    const tail = v.kind === 'bytes' ? concatBytes(word(BigInt(v.value.length)), padded(v.value)) : encodeAbi(v.values)
    tails.push(tail)
    tailOffset += tail.length
  }
  return concatBytes(...heads, ...tails)
}

export const addressWord = (address: Hex): AbiValue => ({ kind: 'word', value: BigInt(checksumAddress(address)) })
export const bytesValue = (hex: Hex): AbiValue => ({ kind: 'bytes', value: hexToBytes(hex, 'bytes') })

/** `abi.encode(address, bytes, bytes)` read back strictly: every offset, length and padding in bounds and zero-filled. */
export function decodeAddressBytesBytes(encoded: Uint8Array): [Hex, Hex, Hex] {
  const bad = (details: string): never => {
    throw new InvalidInputError('The ERC-6492 signature is malformed.', { details: `abi.decode(address, bytes, bytes): ${details}`, nextStep: 'Pass the whole signature as the wallet returned it.' })
  }
  const readWord = (at: number): bigint => {
    if (at + WORD > encoded.length) bad(`a word at ${at} runs past the end (${encoded.length} bytes)`)
    return BigInt(to0xHex(encoded.subarray(at, at + WORD)))
  }
  const addressWordValue = readWord(0)
  if (addressWordValue >> 160n !== 0n) bad('the address word has bits above 160')
  const bytesAt = (head: number): Hex => {
    const offset = readWord(head)
    if (offset % BigInt(WORD) !== 0n || offset < 3n * BigInt(WORD) || offset > BigInt(encoded.length)) bad(`offset ${offset} is not a word boundary inside the data`)
    const length = readWord(Number(offset))
    const start = Number(offset) + WORD
    if (length > BigInt(encoded.length - start)) bad(`length ${length} runs past the end`)
    const end = start + Number(length)
    if (encoded.subarray(end, start + Math.ceil(Number(length) / WORD) * WORD).some((b) => b !== 0)) bad('padding after a bytes value is not zero')
    return to0xHex(encoded.subarray(start, end))
  }
  const address = checksumAddress(`0x${addressWordValue.toString(16).padStart(40, '0')}`)
  return [address, bytesAt(WORD), bytesAt(2 * WORD)]
}
