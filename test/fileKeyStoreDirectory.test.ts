// The store directory is its owner's alone: created 0700, refused when others can write it or it is
// someone else's, and a bundle others can read is tightened (ours) or refused (not ours).
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileKeyStore } from '../stores/fileKeyStore.js'
import { toHex } from '../src/index.js'

const TOPIC = '/xmtp/0/privatestore-0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266/key_bundle/proto'
const NOBODY = 65534
const parent = () => mkdtempSync(join(tmpdir(), 'xmtp-signers-dir-'))
const isRoot = process.getuid?.() === 0

describe('FileKeyStore directory and file permissions', () => {
  it('creates missing directories (parents too) 0700 under a permissive umask', async () => {
    const previous = process.umask(0o002)
    try {
      const store = new FileKeyStore(join(parent(), 'a', 'b', 'store'))
      await store.put(TOPIC, Uint8Array.of(1))
      expect(statSync(store.location).mode & 0o777).toBe(0o700)
      expect(statSync(join(store.location, '..')).mode & 0o777).toBe(0o700)
      expect(statSync(store.pathFor(TOPIC)).mode & 0o777).toBe(0o600)
    } finally {
      process.umask(previous)
    }
  })

  it.each([0o770, 0o707, 0o775, 0o777])('refuses an existing directory of mode %o that others can write, for get, put and withLock', async (mode) => {
    const directory = join(parent(), 'store')
    mkdirSync(directory)
    const store = new FileKeyStore(directory)
    await store.put(TOPIC, Uint8Array.of(1))
    chmodSync(directory, mode)
    for (const attempt of [() => store.get(TOPIC), () => store.put('/other', Uint8Array.of(2)), () => store.withLock(TOPIC, async () => 'ran')]) {
      const error = await attempt().catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'KEY_STORE' })
      expect((error as Error).message).toContain('Others can write to the key store')
      expect((error as Error).message).toContain(`chmod 700 ${directory}`)
    }
    expect(readdirSync(directory)).toEqual([`${encodeURIComponent(TOPIC)}.bin`])
    chmodSync(directory, 0o700)
    expect(toHex((await store.get(TOPIC))!)).toBe('01')
  })

  it.skipIf(!isRoot && !process.env.CI)('refuses a directory that belongs to another user, saying how to take it over', async () => {
    const directory = join(parent(), 'store')
    mkdirSync(directory, { mode: 0o700 })
    const store = new FileKeyStore(directory)
    await store.put(TOPIC, Uint8Array.of(1))
    chownSync(directory, NOBODY, NOBODY)
    for (const attempt of [() => store.get(TOPIC), () => store.put('/other', Uint8Array.of(2)), () => store.withLock(TOPIC, async () => 'ran')]) {
      const error = await attempt().catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'KEY_STORE' })
      expect((error as Error).message).toContain(`belongs to another user (uid ${NOBODY})`)
      expect((error as Error).message).toContain(`chown ${process.getuid!()} ${directory}`)
    }
    expect(readdirSync(directory)).toEqual([`${encodeURIComponent(TOPIC)}.bin`])
  })

  it('tightens a bundle of ours that others can read to 0600, and reads it', async () => {
    const store = new FileKeyStore(join(parent(), 'store'))
    await store.put(TOPIC, Uint8Array.of(9))
    chmodSync(store.pathFor(TOPIC), 0o644)
    expect(toHex((await store.get(TOPIC))!)).toBe('09')
    expect(statSync(store.pathFor(TOPIC)).mode & 0o777).toBe(0o600)
    chmodSync(store.pathFor(TOPIC), 0o400)
    await store.get(TOPIC)
    expect(statSync(store.pathFor(TOPIC)).mode & 0o777).toBe(0o400)
  })

  it.skipIf(!isRoot && !process.env.CI)('refuses a bundle open to others that belongs to another user, and leaves it as it is', async () => {
    const store = new FileKeyStore(join(parent(), 'store'))
    await store.put(TOPIC, Uint8Array.of(9))
    chownSync(store.pathFor(TOPIC), NOBODY, NOBODY)
    chmodSync(store.pathFor(TOPIC), 0o644)
    const error = await store.get(TOPIC).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'KEY_STORE' })
    expect((error as Error).message).toContain('belongs to another user')
    expect(statSync(store.pathFor(TOPIC)).mode & 0o777).toBe(0o644)
    // Not open to others: another user's 0600 bundle in our directory is only read.
    chmodSync(store.pathFor(TOPIC), 0o600)
    expect(toHex((await store.get(TOPIC))!)).toBe('09')
  })

  it('refuses a store path that is a file, and a bundle path that is not a regular file', async () => {
    const base = parent()
    writeFileSync(join(base, 'file'), 'x')
    await expect(new FileKeyStore(join(base, 'file')).withLock(TOPIC, async () => 'ran')).rejects.toMatchObject({ code: 'KEY_STORE' })
    const store = new FileKeyStore(join(base, 'store'))
    await store.put('/other', Uint8Array.of(0))
    mkdirSync(store.pathFor(TOPIC))
    await expect(store.get(TOPIC)).rejects.toThrow('is not a regular file')
  })
})
