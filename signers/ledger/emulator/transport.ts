import { createRequire } from 'node:module'
import type * as TransportModule from '@ledgerhq/hw-transport'
import type { LedgerEmulator } from './emulator.js'

/**
 * hw-transport's Transport class. Its CommonJS default export is `.default` under bundler resolution and
 * `.default.default` under node16: take whichever is the class, so neither degrades the type.
 */
type ClassOf<M> = M extends { default: infer D } ? (D extends { default: infer Inner } ? Inner : D) : never
type TransportClass = ClassOf<typeof TransportModule>
export type Transport = TransportClass extends abstract new (...args: never[]) => infer Instance ? Instance : never

const require = createRequire(import.meta.url)
// Loaded with require: hw-transport's ESM build does not run under plain Node.
const TransportBase = require('@ledgerhq/hw-transport').default as TransportClass

function namedError(name: string, message: string): Error {
  const error = new Error(message)
  error.name = name
  return error
}

/**
 * A real `@ledgerhq/hw-transport` Transport whose exchanges reach `emulator`: hw-app-eth's API lock
 * (TransportLocked), the atomic exchange guard (TransportRaceCondition) and status-word errors behave
 * as with a USB device. Like a USB transport, it dies when the device is unplugged: after
 * `emulator.reconnect()`, open a new one.
 */
class EmulatorTransport extends TransportBase {
  readonly #emulator: LedgerEmulator
  #dead: Error | undefined
  #closed = false
  readonly #stopListening: () => void

  constructor(emulator: LedgerEmulator) {
    super()
    this.#emulator = emulator
    if (!emulator.connected) this.#dead = namedError('DisconnectedDevice', 'The Ledger device is unplugged.')
    this.#stopListening = emulator.addDisconnectListener(() => {
      this.#dead = namedError('DisconnectedDevice', 'The Ledger device was unplugged; open a new transport.')
      this.emit('disconnect', this.#dead)
    })
  }

  override exchange(apdu: Buffer, { abortTimeoutMs }: { abortTimeoutMs?: number } = {}): Promise<Buffer> {
    return this.exchangeAtomicImpl(async () => {
      if (this.#closed) throw namedError('TransportError', 'The transport is closed.')
      if (this.#dead) throw this.#dead
      let timer: ReturnType<typeof setTimeout> | undefined
      const exchange = this.#emulator.exchange(apdu)
      try {
        const timeout = new Promise<never>((_, reject) => {
          if (abortTimeoutMs !== undefined) timer = setTimeout(() => reject(namedError('TransportExchangeTimeoutError', `No answer within ${abortTimeoutMs} ms.`)), abortTimeoutMs)
        })
        return Buffer.from(await Promise.race([exchange, timeout]))
      } finally {
        clearTimeout(timer)
        exchange.catch(() => {}) // an abandoned exchange may still fail
      }
    })
  }

  override setScrambleKey(): void {}

  override async close(): Promise<void> {
    this.#closed = true
    this.#stopListening()
  }
}

export function createEmulatorTransport(emulator: LedgerEmulator): Transport {
  return new EmulatorTransport(emulator)
}
