import { STATUS_WORDS, type StatusWord } from '../protocol.js'

// The device side answers with the adapter's named table (../protocol.ts): one list for both.
export { STATUS_WORDS, type StatusWord }

/** A command the device refuses: the handler throws it, the dispatcher answers its status word alone. */
export class DeviceStatus extends Error {
  override name = 'DeviceStatus'
  constructor(
    readonly statusWord: StatusWord,
    reason: string,
  ) {
    super(`${statusWord.toString(16)}: ${reason}`)
  }
}

export function refuse(statusWord: StatusWord, reason: string): never {
  throw new DeviceStatus(statusWord, reason)
}
