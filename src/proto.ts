import type Long from 'long'
import { xmtp } from './proto/message_contents.js'
import { MalformedBundleError } from './errors.js'

/** The generated static protobuf code for `proto/message_contents.proto` (no reflection, no eval). */
export const pb = xmtp.message_contents

type Decoder<T> = { decode(reader: Uint8Array): T }

/** Decodes or throws a typed error naming what was expected; never returns a half-read message. */
export function decodeMessage<T>(type: Decoder<T>, bytes: Uint8Array, what: string): T {
  if (!(bytes instanceof Uint8Array)) throw new MalformedBundleError(what, 'the input is not bytes')
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
