import { createHash, randomBytes } from 'node:crypto'
import { constants, readFileSync, readlinkSync, promises as fs, type Stats } from 'node:fs'
import { hostname } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { IdentityExistsError, InvalidInputError, KeyStoreError, KeyStoreLockedError } from '../src/errors.js'
import type { KeyStore, LockOptions, PutOptions } from '../src/keyStore.js'
import { abortReason, throwIfAborted, validTimeoutMs } from '../src/timeout.js'

export type FileKeyStoreOptions = {
  /** How long to wait for another process holding the account's lock (it may be waiting on a device). Default 10 min. */
  lockTimeoutMs?: number
  /** How often to look again while waiting. Default 50 ms. */
  lockPollMs?: number
  /** How often the holder of a lock refreshes it, to show it is alive. Default 1 s. */
  lockHeartbeatMs?: number
  /** A lock not refreshed for this long is abandoned and broken (at least twice the heartbeat). Default 8 s. */
  lockStaleMs?: number
}

/** What a lock file says about its holder. `token` tells this holding from any other; `bootId` and `started` tell a reused pid. */
type LockOwner = {
  pid: number
  host: string
  since: string
  token?: string
  bootId?: string
  /** Containers sharing a host name and kernel see other pids: a pid is checked only within its own namespace. */
  pidNamespace?: string
  started?: string
  heartbeatMs?: number
}

/** A lock this process holds: the open lock file keeps its inode alive, so release and heartbeat touch only our own lock. */
type HeldLock = { path: string; handle: fs.FileHandle; inode: number; heartbeat: ReturnType<typeof setInterval> }

/** What a waiter concluded about the lock file in its way. */
type LockVerdict =
  | { kind: 'gone' }
  | { kind: 'held'; owner: LockOwner | undefined }
  | { kind: 'abandoned'; inode: number; raw: string }

const DEFAULT_LOCK_TIMEOUT_MS = 10 * 60_000
const DEFAULT_LOCK_POLL_MS = 50
const DEFAULT_HEARTBEAT_MS = 1_000
const DEFAULT_STALE_MS = 8_000
/** An owner record is written before the lock appears (link), so an empty or partial one comes from an older writer or a crash. */
const UNREADABLE_LOCK_GRACE_MS = 1_000
/** A temp file whose writer cannot be checked (another host, an earlier boot) is debris once this old: a write takes milliseconds. */
const DEBRIS_AGE_MS = 60_000
/** `.lock.break` files of earlier versions: held for milliseconds by a live breaker. */
const OLD_BREAKER_AGE_MS = 10_000
const MAX_OWNER_BYTES = 4_096
const BUNDLE_MODE = 0o600

const HOST = hostname()
const BOOT_ID = readBootId()
const PID_NAMESPACE = readPidNamespace()
const OWN_START = processStartSync(process.pid)
/** Names this host, boot and pid namespace in temp file names, so a later sweep knows whose pid it can check. */
const WRITER_TAG = createHash('sha256').update(`${HOST}\n${BOOT_ID ?? ''}\n${PID_NAMESPACE ?? ''}`).digest('hex').slice(0, 8)

/**
 * A key store for Node: one file per account, named from its storage topic, written atomically
 * (temp file, fsync, rename or link) with mode 0600 in a 0700 directory that only its owner can
 * write. A lock file per account keeps two processes from creating two identities for one account.
 *
 * Our own heartbeat lock rather than `proper-lockfile`: its mtime-only verdict makes every crashed
 * holder cost the whole stale period, where the owner record here (pid, boot, process start) frees a
 * dead holder's lock at once and names a live one in the error.
 */
export class FileKeyStore implements KeyStore {
  readonly location: string
  readonly #lockTimeoutMs: number
  readonly #lockPollMs: number
  readonly #heartbeatMs: number
  readonly #staleMs: number

  constructor(directory: string, options: FileKeyStoreOptions = {}) {
    this.location = resolve(directory)
    this.#lockTimeoutMs = validTimeoutMs(options.lockTimeoutMs, 'lockTimeoutMs', DEFAULT_LOCK_TIMEOUT_MS)
    this.#lockPollMs = validTimeoutMs(options.lockPollMs, 'lockPollMs', DEFAULT_LOCK_POLL_MS)
    this.#heartbeatMs = validTimeoutMs(options.lockHeartbeatMs, 'lockHeartbeatMs', DEFAULT_HEARTBEAT_MS)
    this.#staleMs = validTimeoutMs(options.lockStaleMs, 'lockStaleMs', Math.max(DEFAULT_STALE_MS, 2 * this.#heartbeatMs))
    if (this.#staleMs < 2 * this.#heartbeatMs) {
      // A lock judged stale between two heartbeats of a live holder would be broken under it.
      throw new InvalidInputError('lockStaleMs must be at least twice lockHeartbeatMs.', {
        details: `lockStaleMs = ${this.#staleMs}, lockHeartbeatMs = ${this.#heartbeatMs}`,
        nextStep: 'Raise lockStaleMs or lower lockHeartbeatMs, or leave both out for the defaults (8000 and 1000 ms).',
      })
    }
  }

  /** The file holding a topic's value: the topic percent-encoded, so distinct topics never share a file. */
  pathFor(topic: string): string {
    return join(this.location, `${encodeURIComponent(topic)}.bin`)
  }

  async get(topic: string): Promise<Uint8Array | undefined> {
    const path = this.pathFor(topic)
    let handle: fs.FileHandle
    try {
      handle = await fs.open(path, constants.O_RDONLY)
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return undefined
      throw this.#ioError('read', path, error)
    }
    try {
      await this.#checkDirectory()
      await this.#checkBundleFile(path, handle)
      return new Uint8Array(await handle.readFile())
    } catch (error) {
      if (error instanceof KeyStoreError) throw error
      throw this.#ioError('read', path, error)
    } finally {
      await handle.close()
    }
  }

  async put(topic: string, value: Uint8Array, options: PutOptions = {}): Promise<void> {
    const target = this.pathFor(topic)
    await this.#ensureDirectory()
    await this.#sweepDebris()
    const temp = this.#tempPath(basename(target))
    try {
      const handle = await createExclusive(temp, value)
      try {
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
      await fs.rm(temp, { force: true }).catch(() => undefined)
    }
  }

  async withLock<T>(topic: string, task: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    throwIfAborted(options.signal, LOCK_WAIT)
    await this.#ensureDirectory()
    await this.#sweepDebris()
    const held = await this.#acquire(`${this.pathFor(topic)}.lock`, options.signal)
    try {
      return await task()
    } finally {
      await this.#release(held)
    }
  }

  async #acquire(lockPath: string, signal: AbortSignal | undefined): Promise<HeldLock> {
    const deadline = Date.now() + this.#lockTimeoutMs
    const owner: LockOwner = {
      pid: process.pid,
      host: HOST,
      since: new Date().toISOString(),
      token: randomBytes(16).toString('hex'),
      ...(BOOT_ID ? { bootId: BOOT_ID } : {}),
      ...(PID_NAMESPACE ? { pidNamespace: PID_NAMESPACE } : {}),
      ...(OWN_START ? { started: OWN_START } : {}),
      heartbeatMs: this.#heartbeatMs,
    }
    // The owner record is complete before the lock exists: link() publishes it whole, so no crash or full disk leaves a 0-byte lock.
    const record = new TextEncoder().encode(JSON.stringify(owner))
    const temp = this.#tempPath(basename(lockPath))
    let handle = await this.#createOwnerRecord(temp, record, lockPath)
    let refreshedAt = Date.now()
    const watch = new LockWatch()
    let lastOwner: LockOwner | undefined
    try {
      for (;;) {
        throwIfAborted(signal, LOCK_WAIT)
        if (Date.now() - refreshedAt >= this.#heartbeatMs) {
          // A waiter's record stays fresh, so no sweep takes it for a killed writer's debris.
          const now = new Date()
          await handle.utimes(now, now).catch(() => undefined)
          refreshedAt = now.getTime()
        }
        try {
          await fs.link(temp, lockPath)
          const inode = (await handle.stat()).ino
          await fs.rm(temp, { force: true }).catch(() => undefined)
          const heartbeat = setInterval(() => {
            const now = new Date()
            handle.utimes(now, now).catch(() => undefined)
          }, this.#heartbeatMs)
          heartbeat.unref()
          return { path: lockPath, handle, inode, heartbeat }
        } catch (error) {
          if (errnoCode(error) === 'ENOENT' && (await fs.stat(this.location).catch(() => undefined))?.isDirectory()) {
            // Our record was swept away while we waited: write it again and retry.
            await handle.close().catch(() => undefined)
            handle = await this.#createOwnerRecord(temp, record, lockPath)
            continue
          }
          if (errnoCode(error) !== 'EEXIST') throw this.#ioError('lock', lockPath, error)
        }
        const verdict = await this.#judge(lockPath, watch)
        if (verdict.kind === 'held') lastOwner = verdict.owner
        if (verdict.kind === 'abandoned' && (await this.#breakAbandoned(lockPath, verdict))) continue
        // Checked on every path but a fresh break, so even a lock that keeps reappearing cannot hold us past the deadline.
        if (Date.now() >= deadline) {
          throw new KeyStoreLockedError(
            `${lockPath} is held by ${describeOwner(lastOwner)}`,
            `Wait for that process to finish, or stop it. If no such process is running, delete ${lockPath}.`,
          )
        }
        if (verdict.kind === 'gone') continue
        await sleep(Math.max(1, Math.min(this.#lockPollMs, deadline - Date.now())), signal)
      }
    } catch (error) {
      await handle.close().catch(() => undefined)
      await fs.rm(temp, { force: true }).catch(() => undefined)
      throw error
    }
  }

  async #createOwnerRecord(temp: string, record: Uint8Array, lockPath: string): Promise<fs.FileHandle> {
    try {
      return await createExclusive(temp, record)
    } catch (error) {
      await fs.rm(temp, { force: true }).catch(() => undefined)
      throw this.#ioError('lock', lockPath, error)
    }
  }

  /** Whether the lock at `lockPath` has a live holder: a dead pid, an earlier boot or another process at that pid free it at once, silence frees it after the stale period. */
  async #judge(lockPath: string, watch: LockWatch): Promise<LockVerdict> {
    let stats: Stats
    try {
      stats = await fs.lstat(lockPath)
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return { kind: 'gone' }
      throw this.#ioError('inspect the lock', lockPath, error)
    }
    if (!stats.isFile()) {
      // Never delete what this store did not write: a directory or symlink there is someone else's.
      throw new KeyStoreError(`${lockPath} is ${stats.isDirectory() ? 'a directory' : stats.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}, not a lock this key store writes.`, {
        nextStep: `Remove ${lockPath} (it is not a key bundle; no process of this tool uses it) and retry. Nothing was changed.`,
      })
    }
    const raw = await readCapped(lockPath)
    if (raw === undefined) return { kind: 'gone' }
    const silentMs = watch.silentFor(stats)
    const owner = parseOwner(raw)
    if (!owner) return silentMs > UNREADABLE_LOCK_GRACE_MS ? { kind: 'abandoned', inode: stats.ino, raw } : { kind: 'held', owner }
    if ((await holderState(owner)) === 'gone') return { kind: 'abandoned', inode: stats.ino, raw }
    // A holder with a slower heartbeat than ours is judged by its own interval.
    const staleMs = Math.max(this.#staleMs, 3 * (owner.heartbeatMs ?? 0))
    return silentMs > staleMs ? { kind: 'abandoned', inode: stats.ino, raw } : { kind: 'held', owner }
  }

  /**
   * Moves the abandoned lock aside (an atomic rename, so two breakers cannot both remove it) and
   * deletes it only if it is the lock that was judged; a lock that replaced it meanwhile is put back.
   */
  async #breakAbandoned(lockPath: string, judged: { inode: number; raw: string }): Promise<boolean> {
    const grave = this.#tempPath(basename(lockPath))
    try {
      await fs.rename(lockPath, grave)
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return true
      throw this.#ioError('break the abandoned lock', lockPath, error)
    }
    try {
      const moved = await fs.lstat(grave)
      if (moved.ino === judged.inode && (await readCapped(grave)) === judged.raw) return true
      await fs.link(grave, lockPath).catch(() => undefined)
      return false
    } finally {
      await fs.rm(grave, { force: true }).catch(() => undefined)
    }
  }

  async #release(held: HeldLock): Promise<void> {
    clearInterval(held.heartbeat)
    const grave = this.#tempPath(basename(held.path))
    try {
      const current = await fs.lstat(held.path)
      if (current.ino !== held.inode) return
      await fs.rename(held.path, grave)
      // Our open handle keeps our inode from being reused, so an equal inode is our lock.
      if ((await fs.lstat(grave)).ino !== held.inode) await fs.link(grave, held.path).catch(() => undefined)
    } catch {
      // Unremovable (the store became read-only): the lock names a dead pid once we exit, and is broken then.
    } finally {
      await fs.rm(grave, { force: true }).catch(() => undefined)
      await held.handle.close().catch(() => undefined)
    }
  }

  /** Removes temp files of killed writers: at once when their pid is gone on this host and boot, else once they are old. */
  async #sweepDebris(): Promise<void> {
    let names: string[]
    try {
      names = await fs.readdir(this.location)
    } catch {
      return
    }
    const now = Date.now()
    for (const name of names) {
      const isTemp = name.startsWith('.') && name.endsWith('.tmp')
      const isOldBreaker = name.endsWith('.lock.break')
      if (!isTemp && !isOldBreaker) continue
      const path = join(this.location, name)
      const stats = await fs.lstat(path).catch(() => undefined)
      if (!stats?.isFile()) continue
      const age = now - stats.mtimeMs
      const dead = isTemp ? tempWriterGone(name) : false
      if (dead || age > (isTemp ? DEBRIS_AGE_MS : OLD_BREAKER_AGE_MS)) await fs.rm(path, { force: true }).catch(() => undefined)
    }
  }

  /** A hidden temp name in the store directory: `.<name>.<host and boot tag>.<pid>.<random>.tmp`. */
  #tempPath(name: string): string {
    return join(this.location, `.${name}.${WRITER_TAG}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  }

  async #ensureDirectory(): Promise<void> {
    try {
      await fs.mkdir(this.location, { recursive: true, mode: 0o700 })
    } catch (error) {
      throw this.#ioError('create the directory', this.location, error)
    }
    await this.#checkDirectory()
  }

  /** Refuses a store directory that someone else could write to: they could swap a bundle or plant a lock. */
  async #checkDirectory(): Promise<void> {
    let stats: Stats
    try {
      stats = await fs.stat(this.location)
    } catch (error) {
      throw this.#ioError('open the directory', this.location, error)
    }
    if (!stats.isDirectory()) {
      throw new KeyStoreError(`The key store ${this.location} is not a directory.`, {
        nextStep: 'Choose a directory for the key store (it is created, mode 0700, if missing). Nothing was changed.',
      })
    }
    const uid = process.getuid?.()
    if (uid === undefined) return // Windows: no POSIX owner or mode bits to judge.
    if (stats.uid !== uid) {
      throw new KeyStoreError(`The key store ${this.location} belongs to another user (uid ${stats.uid}), not to you (uid ${uid}).`, {
        nextStep: `Use a store directory of your own, or take this one over with \`chown ${uid} ${this.location}\` and \`chmod 700 ${this.location}\`. Nothing was read or changed.`,
      })
    }
    if (stats.mode & 0o022) {
      throw new KeyStoreError(`Others can write to the key store ${this.location} (mode ${octal(stats.mode)}): they could replace a bundle or plant a lock.`, {
        nextStep: `Run \`chmod 700 ${this.location}\`, check that its files are yours, and retry. Nothing was read or changed.`,
      })
    }
  }

  /** A bundle others can read is tightened to 0600 when it is ours, and refused when it is not. */
  async #checkBundleFile(path: string, handle: fs.FileHandle): Promise<void> {
    const stats = await handle.stat()
    if (!stats.isFile()) {
      throw new KeyStoreError(`${path} is not a regular file, so it holds no key bundle.`, {
        nextStep: `Move ${path} away (the key bundle belongs there) and retry. Nothing was changed.`,
      })
    }
    const uid = process.getuid?.()
    if (uid === undefined || (stats.mode & 0o777 & ~BUNDLE_MODE) === 0) return
    if (stats.uid !== uid) {
      throw new KeyStoreError(`${path} belongs to another user (uid ${stats.uid}) and is open to others (mode ${octal(stats.mode)}).`, {
        nextStep: `Check where this file came from; if it is your bundle, \`chown ${uid} ${path}\` and \`chmod 600 ${path}\`. Nothing was read.`,
      })
    }
    await handle.chmod(BUNDLE_MODE)
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
    const details = code ? `${code}: ${(error as Error).message}` : String(error)
    const nothing = action === 'read' || action === 'open the directory' ? 'nothing was changed' : 'nothing was replaced'
    if (code === 'EROFS') {
      return new KeyStoreError(`The key store ${this.location} is read-only: could not ${action} ${path}.`, {
        details,
        nextStep: `Use a key store on a writable file system (another directory), or remount this one read-write; ${nothing}.`,
        cause: error,
      })
    }
    if (code === 'EACCES' || code === 'EPERM') {
      return new KeyStoreError(`No permission to ${action} ${path}.`, {
        details,
        nextStep: `The store directory must belong to you with mode 0700 (chown, chmod 700 ${this.location}), or use another directory; ${nothing}.`,
        cause: error,
      })
    }
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      return new KeyStoreError(`The disk holding ${this.location} is full: could not ${action} ${path}.`, {
        details,
        nextStep: `Free some disk space and retry; ${nothing}.`,
        cause: error,
      })
    }
    return new KeyStoreError(`The key store could not ${action} ${path}.`, {
      details,
      nextStep: `Check the store directory exists and is writable, then retry; ${nothing}.`,
      cause: error,
    })
  }
}

const LOCK_WAIT = 'wait for the key store lock'

/**
 * How long the lock at one path has been silent: the older of its mtime's age and how long this
 * waiter has seen the same file unchanged — the second holds even when another host's clock is off.
 */
class LockWatch {
  #seen: { key: string; at: number } | undefined

  silentFor(stats: Stats): number {
    const key = `${stats.ino}:${stats.mtimeMs}`
    const now = performance.now()
    if (this.#seen?.key !== key) this.#seen = { key, at: now }
    return Math.max(Date.now() - stats.mtimeMs, now - this.#seen.at)
  }
}

/** Creates `path` (never an existing one) with mode 0600 and writes `bytes`; the caller closes the handle. */
async function createExclusive(path: string, bytes: Uint8Array): Promise<fs.FileHandle> {
  const handle = await fs.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, BUNDLE_MODE)
  try {
    await handle.writeFile(bytes)
    return handle
  } catch (error) {
    await handle.close().catch(() => undefined)
    throw error
  }
}

/** The text of a small file, or undefined when it vanished; refuses to follow a symlink swapped in. */
async function readCapped(path: string): Promise<string | undefined> {
  let handle: fs.FileHandle
  try {
    handle = await fs.open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined
    return ''
  }
  try {
    const buffer = Buffer.alloc(MAX_OWNER_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, MAX_OWNER_BYTES, 0)
    return buffer.subarray(0, bytesRead).toString('utf8')
  } catch {
    return ''
  } finally {
    await handle.close().catch(() => undefined)
  }
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(raw) as Partial<LockOwner> | null
    if (typeof owner !== 'object' || owner === null) return undefined
    if (!Number.isSafeInteger(owner.pid) || owner.pid! <= 0 || typeof owner.host !== 'string') return undefined
    return owner as LockOwner
  } catch {
    return undefined
  }
}

function describeOwner(owner: LockOwner | undefined): string {
  return owner ? `process ${owner.pid} on ${owner.host} since ${owner.since}` : 'another process (its lock file is being written)'
}

/** 'gone' only when certain: same host and an earlier boot, a pid with no process, or a process started after the lock was taken. */
async function holderState(owner: LockOwner): Promise<'alive' | 'gone' | 'unknown'> {
  if (owner.host !== HOST) return 'unknown'
  if (owner.bootId && BOOT_ID && owner.bootId !== BOOT_ID) return 'gone'
  if (owner.pidNamespace && PID_NAMESPACE && owner.pidNamespace !== PID_NAMESPACE) return 'unknown'
  if (!pidExists(owner.pid)) return 'gone'
  const now = await processStart(owner.pid)
  if (now === 'zombie') return 'gone'
  if (owner.started && now && now !== owner.started) return 'gone'
  return 'alive'
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return errnoCode(error) !== 'ESRCH'
  }
}

/** Whether the writer named in a temp file's name (`….<tag>.<pid>.<random>.tmp`) is certainly gone. */
function tempWriterGone(name: string): boolean {
  const parts = name.slice(1, -'.tmp'.length).split('.')
  const pid = Number(parts.at(-2))
  if (parts.at(-3) !== WRITER_TAG || !Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false
  return !pidExists(pid) || processStartSync(pid) === 'zombie'
}

/** A process's start time in clock ticks since boot (Linux `/proc/<pid>/stat` field 22): with the pid, it names one process. */
async function processStart(pid: number): Promise<string | undefined> {
  try {
    return parseProcStat(await fs.readFile(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return undefined
  }
}

function processStartSync(pid: number): string | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return undefined
  }
}

function parseProcStat(stat: string): string | undefined {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  if (fields[0] === 'Z' || fields[0] === 'X') return 'zombie'
  return fields[19]
}

function readPidNamespace(): string | undefined {
  try {
    return readlinkSync('/proc/self/ns/pid')
  } catch {
    return undefined
  }
}

function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortReason(signal!, LOCK_WAIT))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`
}

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined
}
