import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { FileKeyStore } from '../stores/fileKeyStore.js'
import { IdentityExistsError, KeyStoreError, KeyStoreLockedError, toHex } from '../src/index.js'

const run = promisify(execFile)
const TOPIC = '/xmtp/0/privatestore-0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266/key_bundle/proto'
const fresh = () => join(mkdtempSync(join(tmpdir(), 'xmtp-signers-store-')), 'store')

describe('FileKeyStore', () => {
  it('answers undefined only when nothing is stored', async () => {
    const store = new FileKeyStore(fresh())
    expect(await store.get(TOPIC)).toBeUndefined()
  })

  it('writes one 0600 file per account in a 0700 directory, and leaves no temp file', async () => {
    const store = new FileKeyStore(fresh())
    await store.put(TOPIC, Uint8Array.of(1, 2, 3))
    expect(toHex((await store.get(TOPIC))!)).toBe('010203')
    expect(statSync(store.pathFor(TOPIC)).mode & 0o777).toBe(0o600)
    expect(statSync(store.location).mode & 0o777).toBe(0o700)
    expect(readdirSync(store.location)).toEqual([`${encodeURIComponent(TOPIC)}.bin`])
  })

  it('never overwrites unless asked', async () => {
    const store = new FileKeyStore(fresh())
    await store.put(TOPIC, Uint8Array.of(1))
    await expect(store.put(TOPIC, Uint8Array.of(2))).rejects.toBeInstanceOf(IdentityExistsError)
    expect(toHex((await store.get(TOPIC))!)).toBe('01')
    expect(readdirSync(store.location)).toHaveLength(1)
    await store.put(TOPIC, Uint8Array.of(3), { overwrite: true })
    expect(toHex((await store.get(TOPIC))!)).toBe('03')
  })

  it('keeps distinct topics in distinct files', async () => {
    const store = new FileKeyStore(fresh())
    await store.put('/a-b/c', Uint8Array.of(1))
    await store.put('/a/b-c', Uint8Array.of(2))
    expect(toHex((await store.get('/a-b/c'))!)).toBe('01')
    expect(toHex((await store.get('/a/b-c'))!)).toBe('02')
  })

  it('reports an unreadable entry as an error, not as "nothing stored"', async () => {
    const store = new FileKeyStore(fresh())
    await store.put('/other', Uint8Array.of(0))
    // A directory where the bundle file should be: reading fails with EISDIR.
    const { mkdirSync } = await import('node:fs')
    mkdirSync(store.pathFor(TOPIC))
    await expect(store.get(TOPIC)).rejects.toBeInstanceOf(KeyStoreError)
  })

  it('reports an unwritable store as a typed error', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'xmtp-signers-store-'))
    writeFileSync(join(parent, 'file'), 'not a directory')
    const store = new FileKeyStore(join(parent, 'file'))
    await expect(store.put(TOPIC, Uint8Array.of(1))).rejects.toMatchObject({ code: 'KEY_STORE' })
  })

  it('serializes lock holders in one process', async () => {
    const store = new FileKeyStore(fresh(), { lockPollMs: 2 })
    const order: string[] = []
    const hold = (name: string) =>
      store.withLock(TOPIC, async () => {
        order.push(`${name}+`)
        await new Promise((r) => setTimeout(r, 30))
        order.push(`${name}-`)
      })
    await Promise.all([hold('a'), hold('b'), hold('c')])
    for (let i = 0; i < order.length; i += 2) expect(order[i]!.slice(0, 1)).toBe(order[i + 1]!.slice(0, 1))
  })

  it('times out on a lock held by a live process, naming it and the way out', async () => {
    const store = new FileKeyStore(fresh(), { lockTimeoutMs: 150, lockPollMs: 10 })
    const { mkdirSync } = await import('node:fs')
    mkdirSync(store.location, { recursive: true })
    writeFileSync(`${store.pathFor(TOPIC)}.lock`, JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), since: 'now' }))
    const error = await store.withLock(TOPIC, async () => 'ran').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KeyStoreLockedError)
    expect((error as Error).message).toContain(`process ${process.pid}`)
    expect((error as Error).message).toContain('delete')
  })

  it('breaks a lock left by a process that no longer exists', async () => {
    const store = new FileKeyStore(fresh(), { lockTimeoutMs: 2_000, lockPollMs: 10 })
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString()
    const { mkdirSync } = await import('node:fs')
    mkdirSync(store.location, { recursive: true })
    writeFileSync(`${store.pathFor(TOPIC)}.lock`, JSON.stringify({ pid: Number(dead), host: (await import('node:os')).hostname(), since: 'then' }))
    expect(await store.withLock(TOPIC, async () => 'ran')).toBe('ran')
    expect(readdirSync(store.location)).toEqual([])
  })

  it('lets only one of several processes create the identity; the others unlock it', async () => {
    const directory = fresh()
    const startAt = String(Date.now() + 2_500)
    const script = join(import.meta.dirname, 'support', 'createInChildProcess.ts')
    const results = await Promise.all(
      [0, 1, 2, 3].map(() => run(process.execPath, ['--import', 'tsx', script, directory, startAt], { timeout: 45_000 })),
    )
    const outcomes = results.map((r) => JSON.parse(r.stdout) as { created: boolean; identityPublicKey: string })
    expect(outcomes.filter((o) => o.created)).toHaveLength(1)
    expect(new Set(outcomes.map((o) => o.identityPublicKey)).size).toBe(1)
    expect(readdirSync(directory)).toEqual([`${encodeURIComponent(TOPIC)}.bin`])
  })
})
