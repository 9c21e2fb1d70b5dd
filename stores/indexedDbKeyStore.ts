import { IdentityExistsError, KeyStoreError, KeyStoreLockedError } from '../src/errors.js'
import type { KeyStore, LockOptions, PutOptions } from '../src/keyStore.js'
import { abortable, abortReason, throwIfAborted, validTimeoutMs } from '../src/timeout.js'

export type IndexedDbKeyStoreOptions = {
  /** The IndexedDB database (default `xmtp-signers`); one object store `keys` in it, keyed by storage topic. */
  databaseName?: string
  /** How long `withLock` waits for another tab holding the account's lock (it may be waiting on a device). Default 10 min. */
  lockTimeoutMs?: number
  /** How long to wait for the database to open (another tab may block an upgrade). Default 10 s. */
  openTimeoutMs?: number
  /** For tests and workers: the IndexedDB factory and Web Locks manager to use (default the global ones). */
  indexedDB?: IDBFactory
  locks?: LockManager | null
}

const OBJECT_STORE = 'keys'
const VERSION = 1

/**
 * A key store for browsers: encrypted bundles in IndexedDB, one record per storage topic. `put`
 * adds without overwriting (the database itself refuses a second record for a topic), and
 * `withLock` holds a Web Lock, so two tabs of one app cannot both create an identity for an account.
 */
export class IndexedDbKeyStore implements KeyStore {
  readonly location: string
  readonly #name: string
  readonly #lockTimeoutMs: number
  readonly #openTimeoutMs: number
  readonly #factory: IDBFactory | undefined
  readonly #locks: LockManager | undefined
  readonly #inTabLocks = new Map<string, Promise<unknown>>()
  #db: Promise<IDBDatabase> | undefined

  constructor(options: IndexedDbKeyStoreOptions = {}) {
    this.#name = options.databaseName ?? 'xmtp-signers'
    this.location = `indexeddb:${this.#name}`
    this.#lockTimeoutMs = validTimeoutMs(options.lockTimeoutMs, 'lockTimeoutMs', 10 * 60_000)
    this.#openTimeoutMs = validTimeoutMs(options.openTimeoutMs, 'openTimeoutMs', 10_000)
    this.#factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB
    const locks = options.locks === null ? undefined : (options.locks ?? (globalThis.navigator as { locks?: LockManager } | undefined)?.locks)
    this.#locks = locks
  }

  async get(topic: string): Promise<Uint8Array | undefined> {
    const value = await this.#request('read', 'readonly', (store) => store.get(topic))
    if (value === undefined) return undefined
    if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0))
    if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength))
    throw new KeyStoreError(`The record for ${topic} in ${this.location} is not bytes.`, {
      details: `found ${Object.prototype.toString.call(value)}`,
      nextStep: 'Another script wrote to this database; use a database name of your own (databaseName). Nothing was changed.',
    })
  }

  async put(topic: string, value: Uint8Array, options: PutOptions = {}): Promise<void> {
    const copy = new Uint8Array(value)
    try {
      // `add` fails with ConstraintError when the topic exists: create-only, enforced by the database.
      await this.#request('write', 'readwrite', (store) => (options.overwrite ? store.put(copy, topic) : store.add(copy, topic)))
    } catch (error) {
      if (((error as KeyStoreError).cause as { name?: string } | undefined)?.name === 'ConstraintError') {
        throw new IdentityExistsError(topic, this.location)
      }
      throw error
    }
  }

  /** Removes a topic's record (for "forget this identity on this device"); nothing else touches it. */
  async delete(topic: string): Promise<void> {
    await this.#request('delete', 'readwrite', (store) => store.delete(topic))
  }

  async withLock<T>(topic: string, task: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    throwIfAborted(options.signal, 'wait for the key store lock')
    const name = `xmtp-signers:${this.#name}:${topic}`
    if (!this.#locks) return abortable(this.#withInTabLock(name, task), options.signal, 'wait for the key store lock')
    const controller = new AbortController()
    let granted = false
    const timer = setTimeout(() => controller.abort(), this.#lockTimeoutMs)
    // The caller's abort ends the wait, not a task already running under the lock.
    const onAbort = () => {
      if (!granted) controller.abort(options.signal!.reason)
    }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      return await this.#locks.request(name, { mode: 'exclusive', signal: controller.signal }, async () => {
        granted = true
        clearTimeout(timer)
        return task()
      })
    } catch (error) {
      if (!granted && options.signal?.aborted) throw abortReason(options.signal, 'wait for the key store lock')
      if (!granted && controller.signal.aborted) throw this.#lockedError(topic)
      if (!granted) {
        throw new KeyStoreError('The browser refused the key store lock.', {
          details: String(error),
          nextStep: 'Web Locks need a secure context (https:// or localhost); reload the page and retry. Nothing was changed.',
          cause: error,
        })
      }
      throw error
    } finally {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
    }
  }

  /** Closes the database connection (a later call opens it again). */
  close(): void {
    const db = this.#db
    this.#db = undefined
    void db?.then((d) => d.close(), () => undefined)
  }

  #lockedError(topic: string): KeyStoreLockedError {
    return new KeyStoreLockedError(
      `waited ${this.#lockTimeoutMs} ms for ${topic} in ${this.location}`,
      'Another tab or window of this app is creating or unlocking this identity: finish or cancel it there, then retry.',
    )
  }

  /** Without Web Locks (old browsers, insecure contexts): one holder at a time within this page; `add` still refuses a second identity. */
  async #withInTabLock<T>(name: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#inTabLocks.get(name) ?? Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>((resolve) => (release = resolve))
    const tail = previous.then(() => mine)
    this.#inTabLocks.set(name, tail)
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      await Promise.race([
        previous.catch(() => undefined),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(this.#lockedError(name)), this.#lockTimeoutMs))),
      ])
      clearTimeout(timer)
      return await task()
    } finally {
      clearTimeout(timer)
      release()
      void tail.then(() => {
        if (this.#inTabLocks.get(name) === tail) this.#inTabLocks.delete(name)
      })
    }
  }

  #open(): Promise<IDBDatabase> {
    this.#db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const factory = this.#factory
      if (!factory) {
        reject(
          new KeyStoreError('This browser has no IndexedDB.', {
            nextStep: 'Use a current browser (and not a context that disables storage), or keep keys for the session with MemoryKeyStore.',
          }),
        )
        return
      }
      const fail = (what: string, error: unknown) =>
        reject(
          new KeyStoreError(`The key store ${this.location} could not be opened: ${what}.`, {
            details: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
            nextStep: 'Allow site data for this page (private windows and some privacy settings block IndexedDB), then reload. Nothing was changed.',
            cause: error,
          }),
        )
      const timer = setTimeout(() => fail(`no answer within ${this.#openTimeoutMs} ms`, 'blocked or stalled'), this.#openTimeoutMs)
      let request: IDBOpenDBRequest
      try {
        request = factory.open(this.#name, VERSION)
      } catch (error) {
        clearTimeout(timer)
        fail('the browser refused it', error)
        return
      }
      request.onupgradeneeded = () => {
        const db = request.result
        if (!db.objectStoreNames.contains(OBJECT_STORE)) db.createObjectStore(OBJECT_STORE)
      }
      request.onsuccess = () => {
        clearTimeout(timer)
        const db = request.result
        // Another tab upgrading the schema: step aside rather than block it; the next call reopens.
        db.onversionchange = () => {
          db.close()
          this.#db = undefined
        }
        db.onclose = () => {
          this.#db = undefined
        }
        resolve(db)
      }
      request.onerror = () => {
        clearTimeout(timer)
        fail('the browser refused it', request.error)
      }
      request.onblocked = () => {
        // Only for schema upgrades: an older version is open in another tab. The timer bounds the wait.
      }
    })
    const opening = this.#db
    opening.catch(() => {
      if (this.#db === opening) this.#db = undefined
    })
    return opening
  }

  /** One request in its own transaction; resolves when the transaction has committed. */
  async #request(action: string, mode: IDBTransactionMode, make: (store: IDBObjectStore) => IDBRequest): Promise<unknown> {
    const db = await this.#open()
    return new Promise<unknown>((resolve, reject) => {
      let result: unknown
      let requestError: DOMException | null = null
      let transaction: IDBTransaction
      const fail = (error: unknown) => reject(this.#ioError(action, error))
      try {
        // Durable before `put` resolves: a bundle must not be lost to a crash right after creation.
        transaction = db.transaction(OBJECT_STORE, mode, { durability: 'strict' })
        const request = make(transaction.objectStore(OBJECT_STORE))
        request.onsuccess = () => {
          result = request.result
        }
        // The request's own error (e.g. ConstraintError from `add`); the transaction then aborts.
        request.onerror = () => {
          requestError = request.error
        }
      } catch (error) {
        fail(error)
        return
      }
      transaction.oncomplete = () => resolve(result)
      transaction.onabort = () => fail(requestError ?? transaction.error ?? new DOMException('The transaction was aborted.', 'AbortError'))
    })
  }

  #ioError(action: string, error: unknown): KeyStoreError {
    const name = (error as { name?: string } | null)?.name
    return new KeyStoreError(`The key store could not ${action} in ${this.location}.`, {
      details: error instanceof Error || error instanceof DOMException ? `${error.name}: ${error.message}` : String(error),
      nextStep:
        name === 'QuotaExceededError'
          ? 'The browser’s storage for this site is full: free some (site settings) and retry; nothing was replaced.'
          : name === 'ConstraintError'
            ? 'A record already exists for this account; nothing was replaced.'
            : 'Reload the page and retry; nothing was replaced.',
      cause: error,
    })
  }
}
