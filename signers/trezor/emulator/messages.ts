import { createRequire } from 'node:module'
import type * as TrezorProtobuf from '@trezor/protobuf'
import { isModuleNotFound, MissingPackageError } from '../../../src/adapter/index.js'

// The device speaks the real Trezor protobuf messages: definitions and codecs come from
// @trezor/protobuf (the copy @trezor/connect uses), never from a hand-written table. It is an
// optional peer, loaded on first use.
type Codec = { protobuf: typeof TrezorProtobuf; root: ReturnType<typeof TrezorProtobuf.parseConfigure>; messageTypes: ReturnType<ReturnType<typeof TrezorProtobuf.parseConfigure>['lookupEnum']> }
let loaded: Codec | undefined

function codec(): Codec {
  if (loaded) return loaded
  const require = createRequire(import.meta.url)
  try {
    const protobuf = require('@trezor/protobuf') as typeof TrezorProtobuf
    const root = protobuf.parseConfigure(require('@trezor/protobuf/messages.json') as Record<string, unknown>)
    loaded = { protobuf, root, messageTypes: root.lookupEnum('MessageType') }
    return loaded
  } catch (cause) {
    if (isModuleNotFound(cause)) throw new MissingPackageError({ packages: ['@trezor/protobuf'], feature: 'The Trezor emulator', cause })
    throw cause
  }
}

/** A decoded message as @trezor/protobuf shows it: bytes as hex strings, enums by name. */
export type TrezorMessage = { type: string; message: Record<string, unknown> }

/** `u16BE type || u32BE length`: the header trezord puts before every protobuf payload. */
export const FRAME_HEADER_LENGTH = 6

/** A frame whose header does not match its length (trezord answers "malformed data"). */
export class MalformedFrameError extends Error {
  override name = 'MalformedFrameError'
}

/** A well-framed payload the firmware cannot decode: an unknown type or invalid protobuf. */
export class UndecodableMessageError extends Error {
  override name = 'UndecodableMessageError'
  constructor(
    readonly reason: 'unknown-type' | 'invalid-protobuf',
    message: string,
  ) {
    super(message)
  }
}

/** The wire number of a message name ("EthereumSignMessage" → 64); undefined when unknown. */
export function messageTypeId(type: string): number | undefined {
  return codec().messageTypes.values[type]
}

/** The name of a wire number (64 → "EthereumSignMessage"); undefined when unknown. */
export function messageTypeName(id: number): string | undefined {
  return codec().messageTypes.valuesById[id]
}

/** Encodes one message as trezord frames it: type, length, protobuf. */
export function encodeFrame(type: string, message: Record<string, unknown> = {}): Uint8Array {
  const { messageType, message: payload } = codec().protobuf.encodeMessage(codec().root, type, message)
  if (typeof messageType !== 'number') throw new Error(`${type} has no wire number`)
  const frame = new Uint8Array(FRAME_HEADER_LENGTH + payload.length)
  const view = new DataView(frame.buffer)
  view.setUint16(0, messageType)
  view.setUint32(2, payload.length)
  frame.set(payload, FRAME_HEADER_LENGTH)
  return frame
}

/** Splits a frame into its wire number and payload; throws MalformedFrameError when the header lies. */
export function readFrame(frame: Uint8Array): { id: number; payload: Uint8Array } {
  if (frame.length < FRAME_HEADER_LENGTH) throw new MalformedFrameError('frame shorter than its 6-byte header')
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
  const length = view.getUint32(2)
  if (length !== frame.length - FRAME_HEADER_LENGTH) {
    throw new MalformedFrameError(`header announces ${length} bytes, ${frame.length - FRAME_HEADER_LENGTH} follow`)
  }
  return { id: view.getUint16(0), payload: frame.subarray(FRAME_HEADER_LENGTH) }
}

/** Decodes a payload the way connect does (bytes as hex, enums by name). */
export function decodePayload(id: number, payload: Uint8Array): TrezorMessage {
  const name = messageTypeName(id)
  if (name === undefined) throw new UndecodableMessageError('unknown-type', `unknown message type ${id}`)
  try {
    return codec().protobuf.decodeMessage(codec().root, id, Buffer.from(payload)) as TrezorMessage
  } catch (cause) {
    throw new UndecodableMessageError('invalid-protobuf', `${name}: ${(cause as Error).message}`)
  }
}

/** Decodes a whole frame (header and payload). */
export function decodeFrame(frame: Uint8Array): TrezorMessage {
  const { id, payload } = readFrame(frame)
  return decodePayload(id, payload)
}
