// The lock's promise: a dead or silent holder never costs the full timeout, a live one is never broken,
// and a store where nothing can be written fails at once with a typed error — on real file systems.
import { execFile } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FileKeyStore } from '../stores/fileKeyStore.js'
import { createIdentity, MemoryKeyStore, unlockIdentity } from '../src/index.js'
import { IndexedDbKeyStore } from '../stores/indexedDbKeyStore.js'
import { LocalSigner } from '../signers/local/index.js'
import { canMount, mountTmpfs, type TmpfsMount } from './support/storeMounts.js'
import { TEST_MNEMONIC } from '../src/adapter/index.js'

const TOPIC = '/xmtp/0/privatestore-0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266/key_bundle/proto'
const MNEMONIC = TEST_MNEMONIC
const fresh = () => join(mkdtempSync(join(tmpdir(), 'xmtp-signers-locks-')), 'store')
const support = (name: string) => join(import.meta.dirname, 'support', name)
const lockOf = (store: FileKeyStore) => `${store.pathFor(TOPIC)}.lock`
const bootId = () => {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  } catch {
    return undefined
  }
}

type ChildResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }

function runTs(script: string, args: string[], timeoutMs = 45_000): Promise<ChildResult> {
  const started = Date.now()
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', script, ...args], { timeout: timeoutMs }, (_, stdout, stderr) =>
      resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr, ms: Date.now() - started }),
    )
  })
}

/** Writes a lock file as another holder would leave it, with its mtime `ageMs` in the past. */
function plantLock(store: FileKeyStore, content: string | object, ageMs = 0): string {
  mkdirSync(store.location, { recursive: true, mode: 0o700 })
  const path = lockOf(store)
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content), { mode: 0o600 })
  if (ageMs) {
    const then = new Date(Date.now() - ageMs)
    utimesSync(path, then, then)
  }
  return path
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T | undefined; error: unknown; ms: number }> {
  const started = Date.now()
  try {
    return { value: await work(), error: undefined, ms: Date.now() - started }
  } catch (error) {
    return { value: undefined, error, ms: Date.now() - started }
  }
}

describe('timeouts are validated where they are given', () => {
  it.each([NaN, Infinity, -1, 0, 2 ** 31])('FileKeyStore refuses lockTimeoutMs = %s, lockPollMs, lockHeartbeatMs and lockStaleMs alike', (bad) => {
    for (const name of ['lockTimeoutMs', 'lockPollMs', 'lockHeartbeatMs', 'lockStaleMs']) {
      expect(() => new FileKeyStore(fresh(), { [name]: bad })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    }
  })

  it('FileKeyStore refuses a stale period shorter than two heartbeats (a live holder would be broken)', () => {
    expect(() => new FileKeyStore(fresh(), { lockHeartbeatMs: 1_000, lockStaleMs: 1_500 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    expect(() => new FileKeyStore(fresh(), { lockHeartbeatMs: 5_000 })).not.toThrow()
  })

  it('MemoryKeyStore and IndexedDbKeyStore refuse NaN timeouts', () => {
    expect(() => new MemoryKeyStore({ lockTimeoutMs: NaN })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    expect(() => new IndexedDbKeyStore({ lockTimeoutMs: NaN })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    expect(() => new IndexedDbKeyStore({ openTimeoutMs: NaN })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    expect(() => new IndexedDbKeyStore({ openTimeoutMs: Number('10s') })).toThrow(/openTimeoutMs/)
  })
})

describe('a dead holder never costs the full timeout', () => {
  // Every store here would wait 10 minutes for a live holder; 3 s bounds "promptly".
  const patient = (directory = fresh()) => new FileKeyStore(directory, { lockPollMs: 10 })

  it.each(['owner-write', 'lock-link', 'holding'] as const)('a process SIGKILLed at %s: a create in another process then succeeds at once', async (moment) => {
    const directory = fresh()
    const killed = await runTs(support('storeKillAt.ts'), [directory, moment])
    expect(killed.signal).toBe('SIGKILL')
    expect(killed.stdout).toBe('')
    const left = readdirSync(directory)
    if (moment === 'owner-write') expect(left.some((n) => n.endsWith('.tmp'))).toBe(true)
    else expect(left).toContain(`${encodeURIComponent(TOPIC)}.bin.lock`)
    // The retry runs with a 3 s lock timeout: waiting for the dead writer's lock would fail it.
    const retry = await runTs(support('createInChildProcess.ts'), [directory, '0', 'create', '0', '3000'])
    expect(retry.stderr).not.toMatch(/KEY_STORE_LOCKED|Error/)
    expect(JSON.parse(retry.stdout)).toMatchObject({ created: true })
    expect(readdirSync(directory)).toEqual([`${encodeURIComponent(TOPIC)}.bin`])
  })

  it('a 0-byte or half-written lock (what an older version left when killed at the lock write) is broken within about a second', async () => {
    for (const content of ['', '{"pid":12', '\0\0\0\0']) {
      const store = patient()
      plantLock(store, content)
      const { value, ms } = await timed(() => store.withLock(TOPIC, async () => 'ran'))
      expect(value).toBe('ran')
      expect(ms).toBeLessThan(3_000)
      expect(readdirSync(store.location)).toEqual([])
    }
  })

  it('a reused pid: a live process that is not the holder (pid 1, or our pid with another start time) does not keep the lock', async () => {
    const silent = patient()
    plantLock(silent, { pid: 1, host: hostname(), since: 'then' }, 60_000)
    expect((await timed(() => silent.withLock(TOPIC, async () => 'ran'))).ms).toBeLessThan(1_000)

    const otherStart = patient()
    plantLock(otherStart, { pid: process.pid, host: hostname(), since: 'then', started: '1', token: 'x', heartbeatMs: 1_000 })
    const taken = await timed(() => otherStart.withLock(TOPIC, async () => 'ran'))
    expect(taken.value).toBe('ran')
    expect(taken.ms).toBeLessThan(1_000)

    // A fresh lock of a live pid without a heartbeat: broken once silent for lockStaleMs, not after the 10-minute timeout.
    const fresh1 = new FileKeyStore(fresh(), { lockPollMs: 20, lockHeartbeatMs: 300, lockStaleMs: 1_500 })
    plantLock(fresh1, { pid: 1, host: hostname(), since: 'now' })
    const broken = await timed(() => fresh1.withLock(TOPIC, async () => 'ran'))
    expect(broken.value).toBe('ran')
    expect(broken.ms).toBeGreaterThanOrEqual(1_400)
    expect(broken.ms).toBeLessThan(4_000)
  })

  it('a lock that outlived a reboot is broken at once', async () => {
    const store = patient()
    plantLock(store, { pid: process.pid, host: hostname(), since: 'before the reboot', bootId: 'another-boot', token: 'x' })
    expect(bootId()).toBeDefined()
    const taken = await timed(() => store.withLock(TOPIC, async () => 'ran'))
    expect(taken.value).toBe('ran')
    expect(taken.ms).toBeLessThan(1_000)
  })

  it('another host: a silent lock is broken after the stale period, one whose holder keeps refreshing it is not', async () => {
    const directory = fresh()
    const store = new FileKeyStore(directory, { lockPollMs: 20, lockHeartbeatMs: 300, lockStaleMs: 1_200, lockTimeoutMs: 3_000 })
    const path = plantLock(store, { pid: 4242, host: 'another-host', since: 'now', token: 'y', heartbeatMs: 300 })
    const heartbeat = setInterval(() => utimesSync(path, new Date(), new Date()), 200)
    const kept = await timed(() => store.withLock(TOPIC, async () => 'ran'))
    clearInterval(heartbeat)
    expect(kept.error).toMatchObject({ code: 'KEY_STORE_LOCKED' })
    expect((kept.error as Error).message).toContain('process 4242 on another-host')
    expect(kept.ms).toBeGreaterThanOrEqual(2_900)

    const broken = await timed(() => store.withLock(TOPIC, async () => 'ran'))
    expect(broken.value).toBe('ran')
    expect(broken.ms).toBeLessThan(2_500)
    // Ten seconds old already: no wait at all.
    plantLock(store, { pid: 4242, host: 'another-host', since: 'then' }, 10_000)
    expect((await timed(() => store.withLock(TOPIC, async () => 'ran'))).ms).toBeLessThan(1_000)
  })

  it('a pid from another pid namespace (a container on this host) is not judged by our process table, only by its heartbeat', async () => {
    const store = new FileKeyStore(fresh(), { lockPollMs: 20, lockTimeoutMs: 500 })
    plantLock(store, { pid: 999_999_99, host: hostname(), since: 'now', pidNamespace: 'pid:[1]', token: 'z' })
    const waited = await timed(() => store.withLock(TOPIC, async () => 'ran'))
    expect(waited.error).toMatchObject({ code: 'KEY_STORE_LOCKED' })
  })

  it('a lock held by a live process of ours stays held: its heartbeat outlasts the stale period', async () => {
    const directory = fresh()
    const options = { lockPollMs: 20, lockHeartbeatMs: 200, lockStaleMs: 800 }
    const holder = new FileKeyStore(directory, options)
    const waiter = new FileKeyStore(directory, { ...options, lockTimeoutMs: 2_000 })
    const order: string[] = []
    const holding = holder.withLock(TOPIC, async () => {
      order.push('holder+')
      await new Promise((r) => setTimeout(r, 2_600))
      order.push('holder-')
    })
    await new Promise((r) => setTimeout(r, 50))
    const waited = await timed(() => waiter.withLock(TOPIC, async () => order.push('waiter')))
    await holding
    expect(waited.error).toMatchObject({ code: 'KEY_STORE_LOCKED' })
    expect(order).toEqual(['holder+', 'holder-'])
  })

  it('a directory or a symlink at the lock path: a typed error at once, and nothing is deleted', async () => {
    const asDirectory = patient()
    mkdirSync(lockOf(asDirectory), { recursive: true })
    writeFileSync(join(lockOf(asDirectory), 'keep'), 'x')
    const dirResult = await timed(() => asDirectory.withLock(TOPIC, async () => 'ran'))
    expect(dirResult.error).toMatchObject({ code: 'KEY_STORE' })
    expect((dirResult.error as Error).message).toContain('is a directory')
    expect((dirResult.error as Error).message).toContain(`Remove ${lockOf(asDirectory)}`)
    expect(dirResult.ms).toBeLessThan(1_000)
    expect(existsSync(join(lockOf(asDirectory), 'keep'))).toBe(true)

    const asSymlink = patient()
    mkdirSync(asSymlink.location, { recursive: true, mode: 0o700 })
    const target = join(asSymlink.location, '..', 'elsewhere')
    writeFileSync(target, 'precious')
    symlinkSync(target, lockOf(asSymlink))
    const linkResult = await timed(() => asSymlink.withLock(TOPIC, async () => 'ran'))
    expect((linkResult.error as Error).message).toContain('is a symbolic link')
    expect(linkResult.ms).toBeLessThan(1_000)
    expect(lstatSync(lockOf(asSymlink)).isSymbolicLink()).toBe(true)
    expect(existsSync(target)).toBe(true)
  })

  it('a leftover .lock.break costs nothing, and an old one is cleaned', async () => {
    const store = patient()
    plantLock(store, { pid: 999_999_99, host: hostname(), since: 'then' })
    writeFileSync(`${lockOf(store)}.break`, '12345')
    const taken = await timed(() => store.withLock(TOPIC, async () => 'ran'))
    expect(taken.value).toBe('ran')
    expect(taken.ms).toBeLessThan(1_000)
    const old = new Date(Date.now() - 60_000)
    utimesSync(`${lockOf(store)}.break`, old, old)
    await store.withLock(TOPIC, async () => 'ran')
    expect(readdirSync(store.location)).toEqual([])
  })

  it("killed writers' temp files are cleaned by the next put; a fresh one of another host or boot is left to its writer", async () => {
    const directory = fresh()
    const killed = await runTs(support('storeKillAt.ts'), [directory, 'bundle-write'])
    expect(killed.signal).toBe('SIGKILL')
    const debris = readdirSync(directory).filter((n) => n.endsWith('.tmp'))
    expect(debris).toHaveLength(1)
    expect(existsSync(join(directory, `${encodeURIComponent(TOPIC)}.bin`))).toBe(false)
    const foreignFresh = `.${encodeURIComponent(TOPIC)}.bin.0badc0de.77.aaaaaaaaaaaa.tmp`
    const foreignOld = `.${encodeURIComponent(TOPIC)}.bin.0badc0de.78.bbbbbbbbbbbb.tmp`
    writeFileSync(join(directory, foreignFresh), 'partial')
    writeFileSync(join(directory, foreignOld), 'partial')
    const old = new Date(Date.now() - 5 * 60_000)
    utimesSync(join(directory, foreignOld), old, old)

    await new FileKeyStore(directory).put('/other', Uint8Array.of(1))
    expect(readdirSync(directory).sort()).toEqual([foreignFresh, `${encodeURIComponent('/other')}.bin`].sort())
  })
})

describe('no lock outlives its holder', () => {
  it('withLock releases when the task throws, and a release never removes a lock that replaced ours', async () => {
    const store = new FileKeyStore(fresh(), { lockPollMs: 5 })
    await expect(store.withLock(TOPIC, async () => Promise.reject(new Error('task failed')))).rejects.toThrow('task failed')
    expect(readdirSync(store.location)).toEqual([])

    let secondRunning!: () => void
    const secondStarted = new Promise<void>((r) => (secondRunning = r))
    let finishSecond!: () => void
    const second = new Promise<void>((r) => (finishSecond = r))
    let secondHolding: Promise<unknown> | undefined
    await store.withLock(TOPIC, async () => {
      // Someone deletes our lock by hand and another holder takes it while we still run.
      rmSync(lockOf(store))
      secondHolding = store.withLock(TOPIC, async () => {
        secondRunning()
        await second
      })
      await secondStarted
    })
    expect(existsSync(lockOf(store))).toBe(true)
    finishSecond()
    await secondHolding
    expect(existsSync(lockOf(store))).toBe(false)
  })

  it('a wait for the lock ends at once when its signal aborts, with OperationAbortedError', async () => {
    const store = new FileKeyStore(fresh(), { lockPollMs: 20 })
    plantLock(store, { pid: process.pid, host: hostname(), since: 'now' })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 200)
    const waited = await timed(() => store.withLock(TOPIC, async () => 'ran', { signal: controller.signal }))
    expect(waited.error).toMatchObject({ code: 'ABORTED' })
    expect(waited.ms).toBeLessThan(1_000)
    await expect(new MemoryKeyStore().withLock(TOPIC, async () => 'ran', { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' })
  })
})

// CI runs as root and must run these: there a missing mount permission fails instead of skipping.
describe.skipIf(!canMount() && !process.env.CI)('stores where nothing can be written (real mounts)', () => {
  const mounts: TmpfsMount[] = []
  afterAll(() => {
    for (const mount of mounts) {
      try {
        mount.remount('rw')
      } catch {
        /* already unmounted */
      }
      mount.unmount()
    }
  })
  const mount = (sizeKb?: number) => {
    const created = mountTmpfs(sizeKb)
    mounts.push(created)
    return created
  }
  const signer = LocalSigner.fromMnemonic(MNEMONIC)

  it('a stale lock in a read-only store: a typed "read-only" error at once, no spin', async () => {
    const ro = mount()
    const store = new FileKeyStore(join(ro.directory, 'store'))
    plantLock(store, { pid: 999_999_99, host: hostname(), since: 'then' })
    ro.remount('ro')
    const started = Date.now()
    const cpuBefore = process.cpuUsage()
    const result = await timed(() => createIdentity(signer, store))
    const cpu = process.cpuUsage(cpuBefore)
    expect(result.error).toMatchObject({ code: 'KEY_STORE' })
    expect((result.error as Error).message).toMatch(/is read-only/)
    expect((result.error as Error).message).toMatch(/writable file system|remount/)
    expect(Date.now() - started).toBeLessThan(2_000)
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(1_500)
  })

  it('a full disk during the lock write: a typed error at once, and no 0-byte lock blocks the next create', async () => {
    const small = mount(64)
    const directory = join(small.directory, 'store')
    const store = new FileKeyStore(directory, { lockTimeoutMs: 3_000 })
    mkdirSync(directory, { mode: 0o700 })
    const filler = join(small.directory, 'filler')
    const chunk = Buffer.alloc(4_096, 1)
    const { openSync, writeSync, closeSync } = await import('node:fs')
    const fd = openSync(filler, 'w')
    try {
      for (;;) writeSync(fd, chunk)
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC')
    } finally {
      closeSync(fd)
    }
    const result = await timed(() => createIdentity(signer, store))
    expect(result.error).toMatchObject({ code: 'KEY_STORE' })
    expect((result.error as Error).message).toMatch(/is full/)
    expect((result.error as Error).message).toContain('Free some disk space')
    expect(result.ms).toBeLessThan(2_000)
    expect(readdirSync(directory)).toEqual([])

    rmSync(filler)
    const created = await timed(() => createIdentity(signer, store))
    expect(created.error).toBeUndefined()
    expect(created.ms).toBeLessThan(3_000)
    expect((await unlockIdentity(signer, store)).identity.identityPublicKey).toEqual(created.value!.identity.identityPublicKey)
  })

  it('no permission (a 0500 store): a typed error at once, in a process without root’s override of file permissions', async () => {
    const directory = fresh()
    const { chmodSync } = await import('node:fs')
    const store = new FileKeyStore(directory)
    plantLock(store, { pid: 999_999_99, host: hostname(), since: 'then' })
    chmodSync(directory, 0o500)
    const started = Date.now()
    // Root ignores permission bits; with every capability dropped it is held to them like any user
    // (the same uid, so the clone's own folders stay readable wherever CI puts them).
    const result = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      execFile(
        'setpriv',
        ['--inh-caps=-all', '--bounding-set=-all', process.execPath, '--import', 'tsx', support('createInChildProcess.ts'), directory, '0', 'create'],
        { timeout: 30_000, env: { ...process.env, HOME: '/tmp' } },
        (_, stdout, stderr) => resolve({ stdout, stderr }),
      )
    })
    chmodSync(directory, 0o700)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('No permission to lock')
    expect(result.stderr).toContain('chmod 700')
    expect(Date.now() - started).toBeLessThan(20_000)
  })
})
