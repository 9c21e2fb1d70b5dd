import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs'
import { hexToBytes, isHex } from '../src/bytes.js'
import { InvalidInputError } from '../src/errors.js'
import { abortable } from '../src/timeout.js'

/** The most a bundle file, hex argument or standard input may hold: far above any real bundle (a few KB). */
export const MAX_INPUT_BYTES = 1024 * 1024

/** Standard input for `-`: its descriptor (to check what it is before reading) and its stream. */
export type StdinSource = { readonly fd: number; readonly stream: () => AsyncIterable<Uint8Array | string> & { destroy?: () => void } }

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory'
  if (stats.isFIFO()) return 'a named pipe (FIFO)'
  if (stats.isSocket()) return 'a socket'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  return 'not a regular file'
}

function notAFile(path: string, what: string, stats: Stats): InvalidInputError {
  return new InvalidInputError(`${path} is ${kindOf(stats)}, not a file holding the ${what}.`, {
    details: `only regular files are read (a pipe, socket or device could block or never end)`,
    nextStep: `Pass a regular file holding the ${what} (raw bytes or hex), the hex itself, or - to read it from a pipe on standard input.`,
  })
}

function tooLarge(source: string, what: string, size: number | string): InvalidInputError {
  return new InvalidInputError(`${source} is larger than any ${what}.`, {
    details: `${size} bytes; the limit is ${MAX_INPUT_BYTES} bytes (1 MiB)`,
    nextStep: `Pass the ${what} itself: a bundle is a few kilobytes, raw or hex.`,
  })
}

function unreadable(path: string, what: string, cause: unknown): InvalidInputError {
  const code = (cause as NodeJS.ErrnoException).code ?? 'error'
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ELOOP' ? 'too many symbolic links' : code
  return new InvalidInputError(`${path} cannot be read.`, {
    details: `${why} (${(cause as Error).message})`,
    nextStep: `Check the path and that you may read it, then pass the file holding the ${what} again.`,
    cause,
  })
}

/** Raw bytes, or the bytes hex text in them stands for (a file may hold either). */
function bytesOrHexText(raw: Uint8Array, what: string): Uint8Array {
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1').trim()
  return text.length > 0 && isHex(text) && text !== '0x' ? hexToBytes(text, what) : raw
}

/** Reads up to the cap from an open descriptor; one byte more than the cap means the input is too large. */
function readCapped(fd: number, source: string, what: string): Uint8Array {
  const buffer = Buffer.alloc(MAX_INPUT_BYTES + 1)
  let length = 0
  for (;;) {
    const n = readSync(fd, buffer, length, buffer.length - length, null)
    if (n === 0) break
    length += n
    if (length > MAX_INPUT_BYTES) throw tooLarge(source, what, `more than ${MAX_INPUT_BYTES}`)
  }
  return new Uint8Array(buffer.subarray(0, length))
}

/**
 * A regular file, checked before a byte is read: stat first (a FIFO is never opened), then opened
 * non-blocking and checked again on the descriptor (the path may have been swapped in between).
 */
export function readInputFile(path: string, what: string, stats: Stats): Uint8Array {
  if (!stats.isFile()) throw notAFile(path, what, stats)
  if (stats.size > MAX_INPUT_BYTES) throw tooLarge(path, what, stats.size)
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0))
  } catch (cause) {
    throw unreadable(path, what, cause)
  }
  try {
    const opened = fstatSync(fd)
    if (!opened.isFile()) throw notAFile(path, what, opened)
    if (opened.size > MAX_INPUT_BYTES) throw tooLarge(path, what, opened.size)
    return bytesOrHexText(readCapped(fd, path, what), what)
  } catch (cause) {
    if (cause instanceof InvalidInputError) throw cause
    throw unreadable(path, what, cause)
  } finally {
    closeSync(fd)
  }
}

/** `-`: a regular file, pipe or socket on standard input, capped; a terminal or device is refused at once. */
export async function readStdin(stdin: StdinSource | undefined, what: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
  const source = 'Standard input'
  let stats: Stats
  try {
    stats = fstatSync(stdin?.fd ?? 0)
  } catch (cause) {
    throw new InvalidInputError('Standard input cannot be read.', {
      details: (cause as Error).message,
      nextStep: `Pipe the ${what} in (… | xmtp-signers …) or pass a file holding it.`,
      cause,
    })
  }
  if (!stdin || stats.isCharacterDevice() || stats.isDirectory() || stats.isBlockDevice()) {
    throw new InvalidInputError(`- reads the ${what} from standard input, which is ${stdin && stats.isCharacterDevice() ? 'a terminal or device' : 'not available'}.`, {
      details: 'a terminal or device on standard input is not read: it may never end',
      nextStep: `Pipe the ${what} in (cat bundle.hex | xmtp-signers …) or pass the file holding it.`,
    })
  }
  if (stats.isFile() && stats.size > MAX_INPUT_BYTES) throw tooLarge(source, what, stats.size)
  const stream = stdin.stream()
  const read = (async () => {
    const chunks: Buffer[] = []
    let length = 0
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : Buffer.from(chunk)
      length += bytes.length
      if (length > MAX_INPUT_BYTES) {
        stream.destroy?.()
        throw tooLarge(source, what, `more than ${MAX_INPUT_BYTES}`)
      }
      chunks.push(bytes)
    }
    return new Uint8Array(Buffer.concat(chunks))
  })()
  const raw = await abortable(read, signal, `reading of the ${what} from standard input`, () => stream.destroy?.())
  return bytesOrHexText(raw, what)
}

/**
 * A bundle argument: `-` (standard input), a path to a regular file (raw or hex), or hex itself.
 * Never blocks on a FIFO, never reads a device, never reads more than MAX_INPUT_BYTES.
 */
export async function readBytesArgument(argument: string, what: string, options: { stdin?: StdinSource; signal?: AbortSignal }): Promise<Uint8Array> {
  if (argument === '-') return readStdin(options.stdin, what, options.signal)
  let stats: Stats | undefined
  try {
    stats = statSync(argument)
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    // Not a path at all (hex is often longer than a file name may be): read it as hex below.
    if (code !== 'ENOENT' && code !== 'ENAMETOOLONG' && code !== 'ENOTDIR' && code !== 'EINVAL') throw unreadable(argument, what, cause)
  }
  if (stats) return readInputFile(argument, what, stats)
  const text = argument.trim()
  if (text.length > 2 * MAX_INPUT_BYTES + 2) throw tooLarge('The hex argument', what, Math.floor(text.length / 2))
  // Hex digits of odd count are hex with a digit missing: hexToBytes says so precisely.
  if (text.length > 0 && (isHex(text) || isHex(`${text}0`))) return hexToBytes(text, what)
  throw new InvalidInputError(`${argument.length > 80 ? `${argument.slice(0, 40)}…` : argument} is neither a file nor hex.`, {
    details: 'no file by that name exists, and it is not an even number of hex digits (optionally prefixed with 0x)',
    nextStep: `Pass the ${what} as hex, as the path of a file holding it (raw or hex), or - to read it from standard input.`,
  })
}
