import { IdentityExistsError } from '../src/errors.js'
import type { KeyStore, LockOptions, PutOptions } from '../src/keyStore.js'
import { validTimeoutMs } from '../src/timeout.js'
import { TopicLocks } from './topicLocks.js'

/** A key store in memory: for tests, and for apps that keep keys only for a session. */
export class MemoryKeyStore implements KeyStore {
  readonly location = 'memory'
  readonly #values = new Map<string, Uint8Array>()
  readonly #locks: TopicLocks

  constructor(options: { lockTimeoutMs?: number } = {}) {
    this.#locks = new TopicLocks(validTimeoutMs(options.lockTimeoutMs, 'lockTimeoutMs', 10 * 60_000), 'Finish or cancel the other request, then retry.')
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

  withLock<T>(topic: string, task: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    return this.#locks.run(topic, task, options)
  }
}
