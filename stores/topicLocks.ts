import { KeyStoreLockedError } from '../src/errors.js'
import type { LockOptions } from '../src/keyStore.js'
import { abortReason, throwIfAborted } from '../src/timeout.js'

const LOCK_WAIT = 'wait for the key store lock'

/**
 * One lock per topic for the callers of this process: each waits for the one before it, at most
 * `timeoutMs` (KeyStoreLockedError with `nextStep`), abortable. The stores without a lock of their own use it.
 */
export class TopicLocks {
  readonly #locks = new Map<string, Promise<unknown>>()

  constructor(
    private readonly timeoutMs: number,
    private readonly nextStep: string,
  ) {}

  async run<T>(topic: string, task: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    throwIfAborted(options.signal, LOCK_WAIT)
    const previous = this.#locks.get(topic) ?? Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>((resolve) => (release = resolve))
    const tail = previous.then(() => mine)
    this.#locks.set(topic, tail)
    try {
      await this.#waitFor(previous, topic, options.signal)
      return await task()
    } finally {
      release()
      // Forget the chain only once everyone in it is done: a waiter that timed out leaves a holder running.
      void tail.then(() => {
        if (this.#locks.get(topic) === tail) this.#locks.delete(topic)
      })
    }
  }

  async #waitFor(previous: Promise<unknown>, topic: string, signal: AbortSignal | undefined): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined
    let onAbort: (() => void) | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new KeyStoreLockedError(`waited ${this.timeoutMs} ms for ${topic}`, this.nextStep)), this.timeoutMs)
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
}
