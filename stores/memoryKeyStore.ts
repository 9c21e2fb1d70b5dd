import { IdentityExistsError, KeyStoreLockedError } from '../src/errors.js'
import type { KeyStore, LockOptions, PutOptions } from '../src/keyStore.js'
import { abortReason, throwIfAborted, validTimeoutMs } from '../src/timeout.js'

/** A key store in memory: for tests, and for apps that keep keys only for a session. */
export class MemoryKeyStore implements KeyStore {
  readonly location = 'memory'
  readonly #values = new Map<string, Uint8Array>()
  readonly #locks = new Map<string, Promise<unknown>>()
  readonly #lockTimeoutMs: number

  constructor(options: { lockTimeoutMs?: number } = {}) {
    this.#lockTimeoutMs = validTimeoutMs(options.lockTimeoutMs, 'lockTimeoutMs', 10 * 60_000)
  }

  async get(topic: string): Promise<Uint8Array | undefined> {
    const value = this.#values.get(topic)
    return value && new Uint8Array(value)
  }

  async put(topic: string, value: Uint8Array, options: PutOptions = {}): Promise<void> {
    if (!options.overwrite && this.#values.has(topic)) throw new IdentityExistsError(topic, this.location)
    this.#values.set(topic, new Uint8Array(value))
  }

  async delete(topic: string): Promise<void> {
    this.#values.delete(topic)
  }

  async withLock<T>(topic: string, task: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    throwIfAborted(options.signal, LOCK_WAIT)
    const previous = this.#locks.get(topic) ?? Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>((resolve) => (release = resolve))
    const tail = previous.then(() => mine)
    this.#locks.set(topic, tail)
    try {
      await waitBounded(previous, this.#lockTimeoutMs, topic, options.signal)
      return await task()
    } finally {
      release()
      // Forget the chain only once everyone in it is done: a waiter that timed out leaves a holder running.
      void tail.then(() => {
        if (this.#locks.get(topic) === tail) this.#locks.delete(topic)
      })
    }
  }
}

const LOCK_WAIT = 'wait for the key store lock'

async function waitBounded(previous: Promise<unknown>, timeoutMs: number, topic: string, signal: AbortSignal | undefined): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  let onAbort: (() => void) | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new KeyStoreLockedError(`waited ${timeoutMs} ms for ${topic}`, 'Finish or cancel the other request, then retry.')),
      timeoutMs,
    )
    onAbort = () => reject(abortReason(signal!, LOCK_WAIT))
    signal?.addEventListener('abort', onAbort, { once: true })
  })
  try {
    await Promise.race([previous.catch(() => undefined), timeout])
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort!)
  }
}
