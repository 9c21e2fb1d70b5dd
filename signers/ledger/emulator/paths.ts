import { STATUS_WORDS, refuse } from './statusWords.js'

/** The Ethereum app accepts at most ten derivation levels. */
export const MAX_PATH_LEVELS = 10
const HARDENED = 0x80000000

/** Parses "m/44'/60'/0'/0/0" or "44'/60'/0'/0/0" (also `h` for hardened) into BIP-32 indexes. */
export function parsePathString(path: string): number[] {
  const parts = path.trim().replace(/^m\//, '').split('/')
  const indexes = parts.map((part) => {
    const match = /^(\d+)(['hH]?)$/.exec(part)
    const index = match ? Number(match[1]) : NaN
    if (!match || !Number.isSafeInteger(index) || index >= HARDENED) throw new Error(`Not a BIP-32 derivation path: "${path}"`)
    return match[2] ? index + HARDENED : index
  })
  if (indexes.length > MAX_PATH_LEVELS) throw new Error(`A Ledger path has at most ${MAX_PATH_LEVELS} levels: "${path}"`)
  return indexes
}

/** "m/44'/60'/0'/0/0": how screens name the account a command uses. */
export function formatPath(indexes: readonly number[]): string {
  return ['m', ...indexes.map((i) => (i >= HARDENED ? `${i - HARDENED}'` : `${i}`))].join('/')
}

/** Reads the device encoding `[count][u32BE index]…`; returns the indexes and the bytes after them. */
export function readPath(data: Uint8Array): { indexes: number[]; rest: Uint8Array } {
  const count = data[0]
  if (count === undefined || count === 0 || count > MAX_PATH_LEVELS) refuse(STATUS_WORDS.INVALID_DATA, `path level count ${count ?? 'missing'}`)
  if (data.length < 1 + 4 * count) refuse(STATUS_WORDS.INVALID_DATA, 'path truncated')
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const indexes: number[] = []
  for (let i = 0; i < count; i++) indexes.push(view.getUint32(1 + 4 * i))
  return { indexes, rest: data.subarray(1 + 4 * count) }
}
