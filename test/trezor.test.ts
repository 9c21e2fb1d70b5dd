/**
 * The Trezor signer end to end: the real @trezor/connect (Node) against our loopback Bridge and device
 * emulator — create → unlock → verify, EIP-712, accounts, the fault matrix, offline signing, and a CLI
 * process that exits by itself. TrezorConnect is a process-wide singleton: these tests run in order.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createIdentity,
  derivationPath,
  hashTypedData,
  MemoryKeyStore,
  normalizeSignature,
  publicKeyToAddress,
  recoverPersonalSignAddress,
  storageTopic,
  toHex,
  unlockIdentity,
  verifyEncodedBundle,
  type ProgressEvent,
} from '../src/index.js'
import { recoverPublicKey } from '../src/signature.js'
import { LocalSigner } from '../signers/local/index.js'
import { discoverTrezorAccounts, TrezorSession, TrezorSigner } from '../signers/trezor/index.js'
import { startTrezorBridge, TEST_MNEMONIC, TrezorEmulator, type TrezorFault } from '../signers/trezor/emulator/index.js'
import { MAIL_TYPED_DATA } from './support/typedData.js'

const LIVE_0 = "m/44'/60'/0'/0/0"
let emulator: TrezorEmulator
let bridge: Awaited<ReturnType<typeof startTrezorBridge>>

beforeAll(async () => {
  emulator = new TrezorEmulator({ mnemonic: TEST_MNEMONIC })
  bridge = await startTrezorBridge(emulator, { version: '3.0.5' })
})
afterAll(async () => bridge?.close())

const typedData = MAIL_TYPED_DATA

describe('TrezorSigner through @trezor/connect', () => {
  let signer: TrezorSigner
  beforeAll(async () => {
    signer = await TrezorSigner.open({ bridgeUrl: bridge.url })
  })
  afterAll(async () => signer?.close())

  it('opens at account 0 and creates, unlocks and verifies an identity; the device showed the texts', async () => {
    expect(signer.path).toBe(LIVE_0)
    expect(signer.address).toBe(LocalSigner.fromMnemonic(TEST_MNEMONIC).address)
    const store = new MemoryKeyStore()
    const created = await createIdentity(signer, store)
    const unlocked = await unlockIdentity(signer, store)
    expect(toHex(unlocked.identity.identityPublicKey)).toBe(toHex(created.identity.identityPublicKey))
    expect(verifyEncodedBundle(created.identity.encodeContactBundle(2), { expectedAddress: signer.address }).valid).toBe(true)
    const texts = emulator.screens.filter((s) => s.kind === 'sign-message').map((s) => (s as { text: string }).text)
    expect(texts.slice(-3).map((t) => t.split('\n')[0])).toEqual(['XMTP : Create Identity', 'XMTP : Enable Identity', 'XMTP : Enable Identity'])
    // RFC 6979 on the device: the same bytes a software key makes, so the same storage key.
    const local = LocalSigner.fromMnemonic(TEST_MNEMONIC)
    expect(toHex(await signer.signPersonalMessage(texts.at(-1)!))).toBe(toHex(await local.signPersonalMessage(texts.at(-1)!)))
  })

  it('the bundle stored with the Trezor opens in @xmtp/xmtp-js, with a wallet holding the same key', async () => {
    const { xmtpJsLoadsStoredBundle } = await import('./support/xmtpJsPeer.js')
    const { encodePrivateKeyBundle } = await import('../src/wire.js')
    const created = await createIdentity(signer, new MemoryKeyStore())
    const theirs = await xmtpJsLoadsStoredBundle(created, { mnemonic: TEST_MNEMONIC, path: LIVE_0 })
    expect(toHex(theirs.privateKeyBundle)).toBe(toHex(encodePrivateKeyBundle(created.identity.exportPrivateKeyBundle())))
    expect(theirs.publishes).toBe(0)
  })

  it('signs EIP-712 typed data, recovering to the account', async () => {
    const signature = normalizeSignature(await signer.signTypedData(typedData))
    expect(publicKeyToAddress(recoverPublicKey(hashTypedData(typedData), signature))).toBe(signer.address)
    expect(emulator.screens.at(-1)).toMatchObject({ kind: 'sign-typed-data', primaryType: 'Mail' })
  })

  it('shows the address on the device for the person to confirm', async () => {
    expect(await signer.showAddress()).toBe(signer.address)
    expect(emulator.screens.at(-1)).toMatchObject({ kind: 'address', address: signer.address })
  })

  it('lists accounts with scheme, index and path, as a software wallet derives them', async () => {
    for (const scheme of ['live', 'legacy', 'bip44'] as const) {
      const accounts = await discoverTrezorAccounts(await signer.session(), { scheme, count: 3, start: 1 })
      expect(accounts.map((a) => a.index)).toEqual([1, 2, 3])
      for (const a of accounts) {
        expect(a.path).toBe(derivationPath(scheme, a.index))
        expect(a.address).toBe(LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: a.path }).address)
      }
    }
    // The deprecated call with the signer still works.
    expect(await discoverTrezorAccounts(signer, { scheme: 'bip44', count: 2 })).toEqual(await discoverTrezorAccounts(await signer.session(), { scheme: 'bip44', count: 2 }))
  })

  it('a second request while one waits on the device: a typed busy error', async () => {
    emulator.injectFault({ type: 'delay', ms: 400, on: 'ButtonAck' } as TrezorFault)
    const first = signer.signPersonalMessage('first')
    await new Promise((r) => setTimeout(r, 100))
    await expect(signer.signPersonalMessage('second')).rejects.toMatchObject({ code: 'SIGNER_BUSY' })
    expect(await first).toHaveLength(65)
  })

  // ---- fault matrix: every fault at every step ends typed, stores nothing partial, a retry succeeds ----
  type Step = 'create: Create Identity' | 'create: Enable Identity' | 'unlock: Enable Identity'
  const FAULTS: { name: string; fault: TrezorFault; code: string }[] = [
    { name: 'reject on device', fault: { type: 'reject' }, code: 'USER_REJECTED' },
    { name: 'unplugged mid-call', fault: { type: 'disconnect', on: 'ButtonAck' } as TrezorFault, code: 'SIGNER_DISCONNECTED' },
    { name: 'bridge busy (another client)', fault: { type: 'busy' } as TrezorFault, code: 'SIGNER_BUSY' },
    { name: 'used elsewhere', fault: { type: 'used-elsewhere' } as TrezorFault, code: 'SIGNER_BUSY' },
    { name: 'PIN requested, nobody to enter it', fault: { type: 'pin' }, code: 'DEVICE_PIN_REQUIRED' },
  ]
  const STEPS: Step[] = ['create: Create Identity', 'create: Enable Identity', 'unlock: Enable Identity']
  for (const step of STEPS) {
    for (const { name, fault, code } of FAULTS) {
      it(`${name} during ${step} → ${code}`, async () => {
        const store = new MemoryKeyStore()
        const topic = storageTopic(signer.address)
        const [operation, purpose] = step.split(': ') as ['create' | 'unlock', string]
        if (operation === 'unlock') await createIdentity(signer, store)
        const before = await store.get(topic)
        const wanted = purpose === 'Create Identity' ? 'create-identity' : 'enable-identity'
        let armed = false
        const onProgress = (event: ProgressEvent) => {
          if (event.type === 'signature-request' && event.purpose === wanted && !armed) {
            armed = true
            emulator.injectFault(fault)
          }
        }
        const run = () => (operation === 'create' ? createIdentity(signer, store, { onProgress }) : unlockIdentity(signer, store, { onProgress }))
        const error = await run().catch((e: unknown) => e)
        expect(error, String(error)).toMatchObject({ code })
        expect((error as Error).message).toContain('What to do:')
        const after = await store.get(topic)
        expect(after === undefined ? undefined : toHex(after)).toBe(before === undefined ? undefined : toHex(before))
        emulator.clearFaults()
        if (!emulator.connected) emulator.reconnect()
        armed = true
        const retried = await run()
        expect(retried.identity.address).toBe(signer.address)
      }, 30_000)
    }
  }
})

describe('a session without a signer', () => {
  it('TrezorSession.open lists the accounts, and close() twice is harmless', async () => {
    const session = await TrezorSession.open({ bridgeUrl: bridge.url })
    try {
      const accounts = await discoverTrezorAccounts(session, { scheme: 'live', count: 2 })
      expect(accounts.map((a) => a.address)).toEqual(accounts.map((a) => LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: a.path }).address))
    } finally {
      await session.close()
      await session.close()
    }
  })
})

describe('sessions that timed out or were taken are dropped (issue 10 part 5)', () => {
  it('replug, a retry that times out during the reconnect, then a late answer while another app holds the session: later calls work again', async () => {
    const signer = await TrezorSigner.open({ bridgeUrl: bridge.url, confirmationTimeoutMs: 500 })
    const outcome = (text: string) =>
      signer.signPersonalMessage(text).then(
        (signature) => (recoverPersonalSignAddress(text, normalizeSignature(signature)) === signer.address ? 'signed' : 'wrong signer'),
        (error: unknown) => error as { code?: string; message?: string },
      )
    try {
      expect(await outcome('before')).toBe('signed')
      emulator.unplug()
      emulator.reconnect()
      // connect waits 2.7 s before it talks to a device lost mid-call: this retry ends first.
      const duringReconnect = await outcome('during the reconnect')
      expect(duringReconnect).toMatchObject({ code: expect.stringMatching(/^(SIGNER_TIMEOUT|SIGNER_DISCONNECTED)$/) })
      emulator.injectFault({ type: 'used-elsewhere' })
      const whileTaken = await outcome('while another app holds it')
      expect(whileTaken).toMatchObject({ code: expect.stringMatching(/^(SIGNER_TIMEOUT|SIGNER_BUSY)$/) })
      // Before the fix, every later call here was SIGNER_TIMEOUT until the signer was closed and reopened.
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 1_000))
        expect(await outcome(`later ${i}`)).toBe('signed')
      }
    } finally {
      emulator.clearFaults()
      await signer.close()
    }
  }, 60_000)
})

describe('with no network', () => {
  it('a signature completes while every non-loopback connection is refused at once', async () => {
    const attempts: string[] = []
    const original = net.Socket.prototype.connect
    const originalFetch = globalThis.fetch
    const loopback = (host: unknown) => host === undefined || host === '127.0.0.1' || host === 'localhost' || host === '::1'
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      const options = (Array.isArray(args[0]) ? args[0][0] : args[0]) as { host?: string; path?: string } | number
      const host = typeof options === 'object' && options !== null ? (options.path ? '127.0.0.1' : options.host) : undefined
      if (!loopback(host)) {
        attempts.push(String(host))
        process.nextTick(() => this.destroy(Object.assign(new Error(`refused: offline test (${String(host)})`), { code: 'ECONNREFUSED' })))
        return this
      }
      return (original as (...a: unknown[]) => net.Socket).apply(this, args)
    } as typeof net.Socket.prototype.connect
    globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)
      if (!loopback(url.hostname)) {
        attempts.push(url.hostname)
        throw new TypeError('fetch failed: offline test')
      }
      return originalFetch(input, init)
    }) as typeof fetch
    try {
      const started = Date.now()
      const signer = await TrezorSigner.open({ bridgeUrl: bridge.url })
      const signature = await signer.signPersonalMessage('XMTP : Enable Identity\n00\n\nFor more info: https://xmtp.org/signatures/')
      const elapsed = Date.now() - started
      await signer.close()
      expect(signature).toHaveLength(65)
      expect(attempts.length).toBeGreaterThan(0) // connect did try the network, and did not wait on it
      expect(attempts.every((host) => host.endsWith('trezor.io'))).toBe(true)
      expect(elapsed).toBeLessThan(20_000)
    } finally {
      net.Socket.prototype.connect = original
      globalThis.fetch = originalFetch
    }
  })
})

describe('typed errors before any device', () => {
  it('no Bridge at the address: TransportUnavailableError', async () => {
    await expect(TrezorSigner.open({ bridgeUrl: 'http://127.0.0.1:1', deviceTimeoutMs: 3_000 })).rejects.toMatchObject({ code: 'TRANSPORT_UNAVAILABLE' })
  })

  it('a Bridge with no Trezor plugged in: DeviceNotFoundError, bounded', async () => {
    const empty = new TrezorEmulator({ mnemonic: TEST_MNEMONIC })
    empty.unplug()
    const lonely = await startTrezorBridge(empty, { version: '3.0.5' })
    try {
      await expect(TrezorSigner.open({ bridgeUrl: lonely.url, deviceTimeoutMs: 2_000 })).rejects.toMatchObject({ code: 'DEVICE_NOT_FOUND' })
    } finally {
      await lonely.close()
    }
  })

  it('close() twice is harmless, and a closed signer says so', async () => {
    const signer = await TrezorSigner.open({ bridgeUrl: bridge.url })
    await signer.close()
    await signer.close()
    await expect(signer.signPersonalMessage('after close')).rejects.toMatchObject({ code: 'SIGNER_CLOSED' })
  })

  it('the wrong account: AccountMismatchError naming both', async () => {
    const other = LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: "m/44'/60'/0'/0/9" }).address
    const error = await TrezorSigner.open({ bridgeUrl: bridge.url, expectedAddress: other }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ACCOUNT_MISMATCH' })
    expect(String((error as Error).message)).toContain(other)
  })
})

describe('the CLI with a Trezor', () => {
  it('creates an identity and the process exits by itself (no handle left open)', async () => {
    const store = mkdtempSync(join(tmpdir(), 'xmtp-signers-trezor-'))
    const started = Date.now()
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, '..', 'cli', 'main.ts'), 'create', '--signer', 'trezor', '--trezor-bridge', bridge.url, '--store', store, '--json'],
        { timeout: 45_000 },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve({ stdout: out })),
      )
    })
    expect(JSON.parse(stdout).address).toBe(LocalSigner.fromMnemonic(TEST_MNEMONIC).address)
    // It ended on its own: execFile resolves only when the process exits.
    expect(Date.now() - started).toBeLessThan(45_000)
  })

  it('accounts --signer trezor', async () => {
    const { runCli } = await import('../cli/run.js')
    let stdout = ''
    const code = await runCli(['accounts', '--signer', 'trezor', '--trezor-bridge', bridge.url, '--scheme', 'bip44', '--count', '2', '--json'], {
      stdout: (t) => (stdout += t),
      stderr: () => {},
      env: {},
    })
    expect(code).toBe(0)
    expect(JSON.parse(stdout).accounts.map((a: { address: string }) => a.address)).toEqual([
      '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
      '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    ])
  })
})
