import { MAX_PATH_LEVELS } from '../protocol.js'
import { STATUS_WORDS, refuse } from './statusWords.js'

/** Reads the device encoding `[count][u32BE index]…` (protocol.ts `encodePath`); returns the indexes and the bytes after them. */
export function readPath(data: Uint8Array): { indexes: number[]; rest: Uint8Array } {
  const count = data[0]
  if (count === undefined || count === 0 || count > MAX_PATH_LEVELS) refuse(STATUS_WORDS.INVALID_DATA, `path level count ${count ?? 'missing'}`)
  if (data.length < 1 + 4 * count) refuse(STATUS_WORDS.INVALID_DATA, 'path truncated')
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const indexes: number[] = []
  for (let i = 0; i < count; i++) indexes.push(view.getUint32(1 + 4 * i))
  return { indexes, rest: data.subarray(1 + 4 * count) }
}
