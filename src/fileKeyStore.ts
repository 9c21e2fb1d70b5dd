import { randomBytes } from 'node:crypto'
import { constants, promises as fs } from 'node:fs'
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import { IdentityExistsError, KeyStoreError, KeyStoreLockedError } from './errors.js'
import type { KeyStore, PutOptions } from './keyStore.js'

export type FileKeyStoreOptions = {
  /** How long to wait for another process holding the account's lock (it may be waiting on a device). */
  lockTimeoutMs?: number
  /** How often to look again while waiting. */
  lockPollMs?: number
}

type LockOwner = { pid: number; host: string; since: string }

/**
 * A key store for Node: one file per account, named from its storage topic, written atomically
 * (temp file, fsync, rename or link) with mode 0600 in a 0700 directory. A lock file per account
 * keeps two processes from creating two identities for one account.
 */
export class FileKeyStore implements KeyStore {
  readonly location: string
  readonly #lockTimeoutMs: number
  readonly #lockPollMs: number

  constructor(directory: string, options: FileKeyStoreOptions = {}) {
    this.location = resolve(directory)
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 10 * 60_000
    this.#lockPollMs = options.lockPollMs ?? 50
  }

  /** The file holding a topic's value: the topic percent-encoded, so distinct topics never share a file. */
  pathFor(topic: string): string {
    return join(this.location, `${encodeURIComponent(topic)}.bin`)
  }

  async get(topic: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await fs.readFile(this.pathFor(topic)))
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return undefined
      throw this.#ioError('read', this.pathFor(topic), error)
    }
  }

  async put(topic: string, value: Uint8Array, options: PutOptions = {}): Promise<void> {
    const target = this.pathFor(topic)
    await this.#ensureDirectory()
    const temp = join(this.location, `.${encodeURIComponent(topic)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
    try {
      const handle = await fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)
      try {
        await handle.writeFile(value)
        await handle.sync()
      } finally {
        await handle.close()
      }
      if (options.overwrite) {
        await fs.rename(temp, target)
      } else {
        // link() fails if the target exists: an atomic "create only if absent", unlike rename().
        try {
          await fs.link(temp, target)
        } catch (error) {
          if (errnoCode(error) === 'EEXIST') throw new IdentityExistsError(topic, this.location)
          throw error
        }
      }
      await this.#syncDirectory()
    } catch (error) {
      if (error instanceof IdentityExistsError) throw error
      throw this.#ioError('write', target, error)
    } finally {
      await fs.rm(temp, { force: true })
    }
  }

  async withLock<T>(topic: string, task: () => Promise<T>): Promise<T> {
    await this.#ensureDirectory()
    const lockPath = `${this.pathFor(topic)}.lock`
    await this.#acquire(lockPath)
    try {
      return await task()
    } finally {
      await fs.rm(lockPath, { force: true })
    }
  }

  async #acquire(lockPath: string): Promise<void> {
    const deadline = Date.now() + this.#lockTimeoutMs
    const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() }
    for (;;) {
      try {
        await fs.writeFile(lockPath, JSON.stringify(me), { flag: 'wx', mode: 0o600 })
        return
      } catch (error) {
        if (errnoCode(error) !== 'EEXIST') throw this.#ioError('lock', lockPath, error)
      }
      const owner = await readOwner(lockPath)
      if (owner && isStale(owner)) {
        await breakStaleLock(lockPath, owner)
        continue
      }
      if (Date.now() >= deadline) {
        throw new KeyStoreLockedError(
          `${lockPath} is held by ${owner ? `process ${owner.pid} on ${owner.host} since ${owner.since}` : 'another process'}`,
          `Wait for that process to finish, or stop it. If no such process is running, delete ${lockPath}.`,
        )
      }
      await new Promise((r) => setTimeout(r, this.#lockPollMs))
    }
  }

  async #ensureDirectory(): Promise<void> {
    try {
      await fs.mkdir(this.location, { recursive: true, mode: 0o700 })
    } catch (error) {
      throw this.#ioError('create the directory', this.location, error)
    }
  }

  async #syncDirectory(): Promise<void> {
    // Makes the new directory entry durable; not supported on every platform (Windows), where it is skipped.
    let handle: fs.FileHandle | undefined
    try {
      handle = await fs.open(this.location, constants.O_RDONLY)
      await handle.sync()
    } catch {
      /* best effort */
    } finally {
      await handle?.close()
    }
  }

  #ioError(action: string, path: string, error: unknown): KeyStoreError {
    const code = errnoCode(error)
    return new KeyStoreError(`The key store could not ${action} ${path}.`, {
      details: code ? `${code}: ${(error as Error).message}` : String(error),
      nextStep:
        code === 'EACCES' || code === 'EPERM'
          ? 'Check the permissions of the store directory (it should belong to you, mode 0700).'
          : code === 'ENOSPC'
            ? 'Free some disk space and retry; nothing was replaced.'
            : 'Check the store directory exists and is writable, then retry; nothing was replaced.',
      cause: error,
    })
  }
}

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined
}

async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await fs.readFile(lockPath, 'utf8')) as Partial<LockOwner>
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? (owner as LockOwner) : undefined
  } catch {
    // Being written right now, or removed: treat as held and look again.
    return undefined
  }
}

/**
 * Removes a lock whose process is gone (crashed or killed). Only the holder of a short-lived
 * breaker file may remove it, so two waiters cannot both break it and then both "hold" the lock.
 */
async function breakStaleLock(lockPath: string, owner: LockOwner): Promise<void> {
  const breaker = `${lockPath}.break`
  try {
    await fs.writeFile(breaker, String(process.pid), { flag: 'wx', mode: 0o600 })
  } catch {
    const age = await fs.stat(breaker).then((s) => Date.now() - s.mtimeMs, () => 0)
    if (age > 10_000) await fs.rm(breaker, { force: true })
    return
  }
  try {
    const current = await readOwner(lockPath)
    if (current && current.pid === owner.pid && current.since === owner.since) await fs.rm(lockPath, { force: true })
  } finally {
    await fs.rm(breaker, { force: true })
  }
}

function isStale(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false
  try {
    process.kill(owner.pid, 0)
    return false
  } catch (error) {
    return errnoCode(error) === 'ESRCH'
  }
}
