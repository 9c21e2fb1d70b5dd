/**
 * The Ledger signer on Ledger's Device Management Kit: the real DMK, signer-kit-ethereum and speculos
 * transport against our emulator behind Speculos' REST API (today's Ethereum app), offline.
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterEach, describe, expect, it } from 'vitest'
import { checkSignerConformance } from '../src/adapter/conformance.js'
import {
  createIdentity,
  hashTypedData,
  MemoryKeyStore,
  normalizeSignature,
  publicKeyToAddress,
  recoverPersonalSignAddress,
  rotatePreKey,
  toHex,
  unlockIdentity,
  verifyEncodedBundle,
} from '../src/index.js'
import { recoverPublicKey } from '../src/signature.js'
import type { DeviceAction } from '../src/adapter/index.js'
import { LocalSigner } from '../signers/local/index.js'
import { derivationPath, discoverLedgerAccounts, LedgerSigner, MINIMUM_ETH_APP_VERSION, type LedgerSignerOptions } from '../signers/ledger/index.js'
import { createEmulatorTransport, LedgerEmulator, startSpeculosHttpServer, TEST_MNEMONIC, type LedgerFault } from '../signers/ledger/emulator/index.js'
import { MAIL_TYPED_DATA } from './support/typedData.js'
import { xmtpJsLoadsStoredBundle } from './support/xmtpJsPeer.js'
import { encodePrivateKeyBundle } from '../src/wire.js'
import { runCli } from '../cli/run.js'
import { launchChromium } from './browser/support/chromium.js'
import { pageScript } from './browser/support/pageScripts.js'
import { serveStatic } from './browser/support/staticServer.js'
import { VirtualLedger } from './browser/support/ledgerHid.js'
import { coinbaseMessageTypedData, erc7739PersonalSignTypedData, safeMessageTypedData } from '../signers/smart-account/schemes/index.js'
import { hashPersonalMessage, to0xHex } from '../src/adapter/index.js'

const LIVE_0 = "m/44'/60'/0'/0/0"

type Server = Awaited<ReturnType<typeof startSpeculosHttpServer>>
const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined)
})

async function device(options: ConstructorParameters<typeof LedgerEmulator>[0] = {}): Promise<{ emulator: LedgerEmulator; server: Server }> {
  const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC, ...options })
  const server = await startSpeculosHttpServer(emulator)
  cleanups.push(() => server.close())
  return { emulator, server }
}

async function openDmk(server: Server, options: Partial<LedgerSignerOptions> = {}): Promise<LedgerSigner> {
  const signer = await LedgerSigner.open({ dmk: server.url as `http://${string}`, ...options })
  cleanups.push(() => signer.close())
  return signer
}

describe('LedgerSigner on DMK over the Speculos REST API', () => {
  it('opens on DMK by name, reads the app version and the account, and signs a non-ASCII text as bytes', async () => {
    const { emulator, server } = await device()
    const actions: DeviceAction[] = []
    const signer = await openDmk(server, { onDeviceAction: (a) => actions.push(a) })
    expect(signer.stack).toBe('dmk')
    expect(signer.path).toBe(LIVE_0)
    expect(signer.address).toBe(LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: LIVE_0 }).address)
    expect(signer.appVersion).toMatch(/^\d+\.\d+\.\d+/)
    const text = 'héllo wörld — ✓ 日本'
    const signature = await signer.signPersonalMessage(text)
    expect(recoverPersonalSignAddress(text, normalizeSignature(signature))).toBe(signer.address)
    expect(toHex(signature)).toBe(toHex(await LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: LIVE_0 }).signPersonalMessage(text)))
    expect(actions).toEqual([{ kind: 'sign-message', path: LIVE_0, text }, { kind: 'done' }])
    expect(emulator.screens.filter((s) => s.kind === 'sign-message')).toHaveLength(1)
  })

  it('runs the engine create → unlock → rotate-prekey → verify on DMK, byte-identical to a software key', async () => {
    const { emulator, server } = await device()
    const signer = await openDmk(server)
    const store = new MemoryKeyStore()
    const created = await createIdentity(signer, store)
    const unlocked = await unlockIdentity(signer, store)
    expect(toHex(unlocked.identity.identityPublicKey)).toBe(toHex(created.identity.identityPublicKey))
    // The stored bundle opens in @xmtp/xmtp-js with the same key, publishing nothing.
    const theirs = await xmtpJsLoadsStoredBundle(created, { mnemonic: TEST_MNEMONIC, path: LIVE_0 })
    expect(toHex(theirs.privateKeyBundle)).toBe(toHex(encodePrivateKeyBundle(created.identity.exportPrivateKeyBundle())))
    expect(theirs.publishes).toBe(0)
    const rotated = await rotatePreKey(signer, store)
    expect(toHex(rotated.identity.identityPublicKey)).toBe(toHex(created.identity.identityPublicKey))
    expect(verifyEncodedBundle(rotated.identity.encodeContactBundle(2), { expectedAddress: signer.address }).valid).toBe(true)
    const texts = emulator.screens.filter((s) => s.kind === 'sign-message').map((s) => (s as { text: string }).text)
    expect(texts[0]).toMatch(/^XMTP : Create Identity/)
    expect(texts[1]).toMatch(/^XMTP : Enable Identity/)
    // One E0 08 APDU for a text under 255 bytes; a long one goes in 255-byte APDUs (first, then P1 80).
    expect(emulator.transcript.filter((x) => x.command.startsWith('e008')).every((x) => x.command.startsWith('e00800'))).toBe(true)
    const long = 'ünïcödé '.repeat(60)
    const before = emulator.transcript.length
    expect(recoverPersonalSignAddress(long, normalizeSignature(await signer.signPersonalMessage(long)))).toBe(signer.address)
    const chunks = emulator.transcript.slice(before).filter((x) => x.command.startsWith('e008'))
    expect(chunks.length).toBeGreaterThan(2)
    expect(chunks.slice(1).every((x) => x.command.startsWith('e00880'))).toBe(true)
    expect(Math.max(...chunks.map((x) => x.command.length / 2 - 5))).toBe(255)
    const local = LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: LIVE_0 })
    expect(toHex(await signer.signPersonalMessage(texts[1]!))).toBe(toHex(await local.signPersonalMessage(texts[1]!)))
  })

  it('signs EIP-712 through DMK signTypedData, offline, in full on the device (today’s app)', async () => {
    const { emulator, server } = await device()
    const actions: DeviceAction[] = []
    const signer = await openDmk(server, { onDeviceAction: (a) => actions.push(a) })
    const signature = normalizeSignature(await signer.signTypedData(MAIL_TYPED_DATA))
    expect(publicKeyToAddress(recoverPublicKey(hashTypedData(MAIL_TYPED_DATA), signature))).toBe(signer.address)
    expect(emulator.screens.some((s) => s.kind === 'sign-typed-data' && s.mode === 'full')).toBe(true)
    expect(emulator.screens.some((s) => s.kind === 'sign-typed-data' && s.mode === 'hashed')).toBe(false)
    expect(actions).toEqual([{ kind: 'sign-typed-data', path: LIVE_0, primaryType: 'Mail', mode: 'full' }, { kind: 'done' }])
  })

  it('signs a smart account owner’s EIP-712 (Safe, Coinbase-style, ERC-7739) through DMK with no request off the loopback', async () => {
    const { emulator, server } = await device()
    const signer = await openDmk(server)
    const seen: string[] = []
    const realFetch = globalThis.fetch
    // Every fetch DMK makes is recorded: only the loopback Speculos API may be reached (no Ledger backend).
    globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
      seen.push(String(input instanceof Request ? input.url : input))
      return realFetch(input, init)
    }) as typeof fetch
    try {
      const text = 'XMTP : Create Identity — ünïcödé'
      const ctx = { account: '0x00000000000000000000000000000000DeaDBeef' as const, chainId: 8453, hash: to0xHex(hashPersonalMessage(text)), message: text, eip712Domain: { name: 'Account', version: '1' } }
      for (const typedData of [safeMessageTypedData(ctx), coinbaseMessageTypedData(ctx), erc7739PersonalSignTypedData(ctx)]) {
        const signature = normalizeSignature(await signer.signTypedData(typedData))
        expect(publicKeyToAddress(recoverPublicKey(hashTypedData(typedData), signature))).toBe(signer.address)
      }
    } finally {
      globalThis.fetch = realFetch
    }
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.every((url) => url.startsWith(server.url))).toBe(true)
    expect(emulator.screens.filter((s) => s.kind === 'sign-typed-data' && s.mode === 'full')).toHaveLength(3)
  })

  it('derives by scheme, index and path, discovers accounts and shows the address, on DMK', async () => {
    const { emulator, server } = await device()
    for (const [scheme, index] of [['live', 2], ['legacy', 3], ['bip44', 4]] as const) {
      const signer = await openDmk(server, { scheme, index })
      expect(signer.path).toBe(derivationPath(scheme, index))
      expect(signer.address).toBe(LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: signer.path }).address)
      await signer.close()
    }
    const signer = await openDmk(server, { path: "m/44'/60'/7'/0/1" })
    expect(signer.address).toBe(LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: "m/44'/60'/7'/0/1" }).address)
    for (const scheme of ['live', 'legacy', 'bip44'] as const) {
      const accounts = await discoverLedgerAccounts(signer, { scheme, count: 2, start: 1 })
      expect(accounts.map((a) => a.path)).toEqual([derivationPath(scheme, 1), derivationPath(scheme, 2)])
      for (const a of accounts) expect(a.address).toBe(LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: a.path }).address)
    }
    const actions: DeviceAction[] = []
    const showing = await openDmk(server, { onDeviceAction: (a) => actions.push(a) })
    expect(await showing.showAddress()).toBe(showing.address)
    expect(actions).toEqual([{ kind: 'confirm-address', path: LIVE_0, address: showing.address }, { kind: 'done' }])
    expect(emulator.screens.some((s) => s.kind === 'address')).toBe(true)
  })

  it(`refuses an Ethereum app older than ${MINIMUM_ETH_APP_VERSION} on DMK too, and an unknown transport before touching anything`, async () => {
    const { server } = await device({ appVersion: '1.8.0' })
    await expect(openDmk(server)).rejects.toMatchObject({ code: 'UNSUPPORTED_APP_VERSION', name: 'UnsupportedAppVersionError' })
    await expect(LedgerSigner.open({ dmk: 'bluetooth' as 'node-hid' })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(LedgerSigner.open({ dmk: 'node-hid', transport: createEmulatorTransport(new LedgerEmulator()) })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(LedgerSigner.open({ dmk: 'web-hid' })).rejects.toMatchObject({ code: 'TRANSPORT_UNAVAILABLE' })
  })

  it('says when nothing answers at the Speculos URL, bounded, typed', async () => {
    // A port that was just free: nothing listens there.
    const { createServer } = await import('node:net')
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as { port: number }).port
    await new Promise((resolve) => probe.close(resolve))
    const started = Date.now()
    const error = await LedgerSigner.open({ dmk: `http://127.0.0.1:${port}`, discoveryTimeoutMs: 3_000 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'TRANSPORT_UNAVAILABLE', shortMessage: 'Nothing answers at the Speculos REST address.' })
    expect((error as { nextStep: string }).nextStep).toMatch(/startSpeculosHttpServer/)
    expect(Date.now() - started).toBeLessThan(4_000)
  })
})

// Each fault, on each kind of step, through the real DMK: a typed error with the next step (nothing stored,
// the retry succeeds), or success where DMK recovers by itself (it waits for an unlock, opens the app).
const FAULTS: { fault: LedgerFault; expect: string | 'recovers' }[] = [
  { fault: { type: 'reject' }, expect: 'USER_REJECTED' },
  { fault: { type: 'locked' }, expect: 'recovers' },
  { fault: { type: 'app-closed' }, expect: 'recovers' },
  { fault: { type: 'wrong-app' }, expect: 'recovers' },
  { fault: { type: 'os-menu' }, expect: 'DEVICE_MENU_OPEN' },
  { fault: { type: 'busy' }, expect: 'SIGNER_BUSY' },
  { fault: { type: 'disconnect' }, expect: 'SIGNER_DISCONNECTED' },
  { fault: { type: 'delay', ms: 300 }, expect: 'recovers' },
]

const STEPS = ['create', 'unlock', 'rotate-prekey'] as const

describe('the fault matrix on DMK (each fault × each step)', () => {
  for (const { fault, expect: outcome } of FAULTS) {
    for (const step of STEPS) {
      it(`${fault.type} during ${step}: ${outcome === 'recovers' ? 'DMK recovers and the step completes' : `${outcome} with a next step, nothing stored or changed, the retry succeeds`}`, async () => {
        const { emulator, server } = await device()
        const actions: DeviceAction[] = []
        const signer = await openDmk(server, { onDeviceAction: (a) => actions.push(a) })
        const store = new MemoryKeyStore()
        if (step !== 'create') await createIdentity(signer, store)
        const topic = `/xmtp/0/privatestore-${signer.address}/key_bundle/proto`
        const storedBefore = await store.get(topic)
        const run = () => (step === 'create' ? createIdentity(signer, store) : step === 'unlock' ? unlockIdentity(signer, store) : rotatePreKey(signer, store))
        // A state fault applies to the next APDU: DMK's B0 01 before the signature, or the signature itself.
        emulator.injectFault(fault)
        const first = await run().then(
          () => undefined,
          (e: unknown) => e,
        )
        if (outcome === 'recovers') {
          expect(first).toBeUndefined()
          if (fault.type === 'locked') expect(actions).toContainEqual({ kind: 'unlock-device' })
          if (fault.type === 'app-closed' || fault.type === 'wrong-app') {
            expect(actions).toContainEqual({ kind: 'open-app', app: 'Ethereum' })
            expect(emulator.transcript.some((x) => x.command.startsWith('e0d8'))).toBe(true)
          }
          expect(await unlockIdentity(signer, store)).toBeTruthy()
          return
        }
        expect(first).toMatchObject({ code: outcome })
        expect((first as { nextStep?: string }).nextStep).toBeTruthy()
        const storedAfter = await store.get(topic)
        expect(storedAfter === undefined ? undefined : toHex(storedAfter)).toBe(storedBefore === undefined ? undefined : toHex(storedBefore))
        emulator.clearFaults()
        if (!emulator.connected) emulator.reconnect()
        const done = await run()
        expect(verifyEncodedBundle(done.identity.encodeContactBundle(2), { expectedAddress: signer.address }).valid).toBe(true)
      })
    }
  }

  it('persistent faults DMK cannot get past end typed, with the next step; the retry after they clear succeeds', async () => {
    const cases = [
      { fault: { type: 'app-closed' }, code: 'WRONG_APP', nextStep: /Install the Ethereum app/ },
      { fault: { type: 'wrong-app' }, code: 'WRONG_APP', nextStep: /Install the Ethereum app/ },
      { fault: { type: 'locked' }, code: 'DEVICE_LOCKED', nextStep: /PIN/ },
      { fault: { type: 'os-menu' }, code: 'DEVICE_MENU_OPEN', nextStep: /Close it/ },
    ] as const
    for (const { fault, code, nextStep } of cases) {
      const { emulator, server } = await device()
      const signer = await openDmk(server, { confirmationTimeoutMs: 1_500 })
      emulator.injectFault({ ...fault, persistent: true })
      const started = Date.now()
      const error = await signer.signPersonalMessage('stuck').catch((e: unknown) => e)
      expect(error, fault.type).toMatchObject({ code })
      expect((error as { nextStep: string }).nextStep).toMatch(nextStep)
      expect(Date.now() - started).toBeLessThan(2_500)
      emulator.clearFaults()
      expect(recoverPersonalSignAddress('unstuck', normalizeSignature(await signer.signPersonalMessage('unstuck')))).toBe(signer.address)
    }
  })

  it('maps the same device answer to the same typed error on both stacks', async () => {
    for (const fault of [{ type: 'reject' }, { type: 'os-menu' }] as const) {
      const { emulator, server } = await device()
      const dmk = await openDmk(server)
      const ledgerJs = await LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator) })
      cleanups.push(() => ledgerJs.close())
      emulator.injectFault(fault)
      const viaDmk = await dmk.signPersonalMessage('same answer').catch((e: unknown) => e)
      emulator.injectFault(fault)
      const viaLedgerJs = await ledgerJs.signPersonalMessage('same answer').catch((e: unknown) => e)
      for (const key of ['code', 'name', 'shortMessage', 'nextStep'] as const) expect((viaDmk as Record<string, unknown>)[key]).toBe((viaLedgerJs as Record<string, unknown>)[key])
    }
  })
})

describe('abort, timeout and close on DMK', () => {
  it('an abort while the device shows the prompt ends within a second; the next request works once the person answers it', async () => {
    let answer: ((decision: 'approve' | 'reject') => void) | undefined
    let holding = true
    const { server } = await device({ decide: () => (holding ? new Promise((resolve) => (answer = resolve)) : 'approve') })
    const actions: DeviceAction[] = []
    const signer = await openDmk(server, { onDeviceAction: (a) => actions.push(a) })
    const controller = new AbortController()
    const pending = signer.signPersonalMessage('hold on', { signal: controller.signal })
    while (!answer) await new Promise((resolve) => setTimeout(resolve, 10))
    const started = Date.now()
    controller.abort()
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' })
    expect(Date.now() - started).toBeLessThan(1_000)
    expect(actions).toEqual([
      { kind: 'sign-message', path: LIVE_0, text: 'hold on' },
      { kind: 'reject-on-device', path: LIVE_0, what: 'message signature' },
      { kind: 'done' },
    ])
    holding = false
    const next = signer.signPersonalMessage('next')
    // The person rejects the abandoned prompt on the device, as `reject-on-device` asked.
    setTimeout(() => answer!('reject'), 300)
    expect(recoverPersonalSignAddress('next', normalizeSignature(await next))).toBe(signer.address)
  })

  it('a confirmation timeout cancels the DMK action and is typed; the next request works', async () => {
    let answer: ((decision: 'approve' | 'reject') => void) | undefined
    let holding = true
    const { server } = await device({ decide: () => (holding ? new Promise((resolve) => (answer = resolve)) : 'approve') })
    const signer = await openDmk(server, { confirmationTimeoutMs: 400 })
    const started = Date.now()
    await expect(signer.signPersonalMessage('too slow')).rejects.toMatchObject({ code: 'SIGNER_TIMEOUT' })
    expect(Date.now() - started).toBeLessThan(1_400)
    holding = false
    answer!('reject')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(recoverPersonalSignAddress('in time', normalizeSignature(await signer.signPersonalMessage('in time')))).toBe(signer.address)
  })

  it('a second request while one waits on the device fails at once with SIGNER_BUSY (whenBusy fail), or waits its turn', async () => {
    const { server } = await device({ confirmDelayMs: 300 })
    const failing = await openDmk(server)
    const first = failing.signPersonalMessage('one')
    await expect(failing.signPersonalMessage('two')).rejects.toMatchObject({ code: 'SIGNER_BUSY' })
    await first
    await failing.close()
    const waiting = await openDmk(server, { whenBusy: 'wait' })
    const [a, b] = await Promise.all([waiting.signPersonalMessage('one'), waiting.signPersonalMessage('two')])
    expect(recoverPersonalSignAddress('one', normalizeSignature(a))).toBe(waiting.address)
    expect(recoverPersonalSignAddress('two', normalizeSignature(b))).toBe(waiting.address)
  })

  it('close() disconnects the session and stops DMK’s timers: a process that opened, signed and closed exits by itself', async () => {
    const script = `
      import { LedgerSigner } from './signers/ledger/index.ts'
      import { LedgerEmulator, startSpeculosHttpServer } from './signers/ledger/emulator/index.ts'
      const server = await startSpeculosHttpServer(new LedgerEmulator())
      const signer = await LedgerSigner.open({ dmk: server.url })
      await signer.signPersonalMessage('bye')
      const timersOpen = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
      await signer.close()
      await new Promise((resolve) => setImmediate(resolve))
      // The Speculos server is still up here: any timer left is the signer's (DMK's pings, the transport's poll).
      const timersClosed = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
      await server.close()
      process.stdout.write(JSON.stringify({ timersOpen, timersClosed, closedAt: Date.now() }) + '\\n')
    `
    const root = join(import.meta.dirname, '..')
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const exited = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        resolve(null)
      }, 20_000)
      child.on('close', (code) => {
        clearTimeout(timer)
        resolve(code)
      })
    })
    const exitedAt = Date.now()
    expect(exited, stderr).toBe(0)
    const report = JSON.parse(stdout) as { timersOpen: number; timersClosed: number; closedAt: number }
    expect(report.timersOpen).toBeGreaterThan(0)
    expect(report.timersClosed).toBe(0)
    expect(exitedAt - report.closedAt).toBeLessThan(2_000)
  }, 30_000)

  it('keeps the Signer contract (checkSignerConformance) on DMK', async () => {
    const { server } = await device()
    const report = await checkSignerConformance(() => openDmk(server), { requestTimeoutMs: 15_000 })
    expect(report, JSON.stringify(report.failures, null, 2)).toEqual({ ok: true, failures: [] })
  }, 60_000)
})

describe('the LedgerJS path on today’s Ethereum app', () => {
  it('refuses hashed EIP-712 with a typed error that names the DMK path', async () => {
    const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
    const signer = await LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator), eip712Mode: 'hashed' })
    cleanups.push(() => signer.close())
    expect(signer.stack).toBe('ledgerjs')
    const error = await signer.signTypedData(MAIL_TYPED_DATA).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'UNSUPPORTED_OPERATION' })
    expect((error as Error).message).toMatch(/no longer signs hashed EIP-712/)
    expect((error as { nextStep: string }).nextStep).toMatch(/LedgerSigner\.open\(\{ dmk:/)
    // Full EIP-712 still works on LedgerJS, as does personal_sign.
    const full = await LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator), eip712Mode: 'full' })
    cleanups.push(() => full.close())
    expect(publicKeyToAddress(recoverPublicKey(hashTypedData(MAIL_TYPED_DATA), normalizeSignature(await full.signTypedData(MAIL_TYPED_DATA))))).toBe(full.address)
  })
})

describe('loading DMK', () => {
  it('bundles for the browser: the DMK packages resolve through the dynamic imports, no Node built-in is required', async () => {
    const result = await build({
      entryPoints: [join(import.meta.dirname, '..', 'signers', 'ledger', 'dmkLoader.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      splitting: true,
      outdir: '/tmp/xmtp-signers-dmk-bundle',
      write: false,
      logLevel: 'silent',
      metafile: true,
    })
    const inputs = Object.keys(result.metafile.inputs)
    for (const name of ['device-management-kit', 'device-signer-kit-ethereum', 'device-transport-kit-web-hid', 'device-transport-kit-speculos']) {
      expect(inputs.some((path) => path.includes(`@ledgerhq/${name}/lib/esm`))).toBe(true)
    }
    const [, entry] = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('dmkLoader.js'))!
    // DMK is split out of the entry into chunks: it loads only when a Ledger is used.
    expect(Object.keys(entry.inputs).some((path) => path.includes('@ledgerhq/'))).toBe(false)
    expect(result.outputFiles.map((f) => f.text).join('\n')).not.toMatch(/require\(["']node:/)
  }, 60_000)

  it('never loads DMK for the engine or another adapter', async () => {
    const result = await build({
      stdin: { contents: `export * from './src/index.ts'\nexport * from './signers/local/index.ts'`, resolveDir: join(import.meta.dirname, '..'), loader: 'ts' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      metafile: true,
    })
    expect(Object.keys(result.metafile.inputs).some((path) => path.includes('@ledgerhq/'))).toBe(false)
  })
})


/** Runs a command in a child Node with tsx; `preload` runs first (e.g. to hide a package). */
async function nodeChild(script: string, preload?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = join(import.meta.dirname, '..')
  const args = ['--import', 'tsx', ...(preload ? ['--require', preload] : []), '--input-type=module', '-e', script]
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      resolve(null)
    }, 20_000)
    child.on('close', (c) => {
      clearTimeout(timer)
      resolve(c)
    })
  })
  return { code, stdout, stderr }
}

describe('DMK is optional', () => {
  it('a missing DMK package is MISSING_PACKAGE naming the npm install line', async () => {
    const { writeFileSync } = await import('node:fs')
    const hide = join(mkdtempSync(join(tmpdir(), 'xmtp-signers-dmk-')), 'hide-dmk.cjs')
    // As if the optional dependency were not installed: resolving it fails the way Node's does.
    writeFileSync(
      hide,
      `const Module = require('module'); const resolve = Module._resolveFilename;
       Module._resolveFilename = function (request, ...rest) {
         if (request === '@ledgerhq/device-management-kit') { const e = new Error("Cannot find module '" + request + "'"); e.code = 'MODULE_NOT_FOUND'; throw e }
         return resolve.call(this, request, ...rest)
       }`,
    )
    const { code, stdout, stderr } = await nodeChild(
      `import { LedgerSigner } from './signers/ledger/index.ts'
       const error = await LedgerSigner.open({ dmk: 'http://127.0.0.1:9' }).catch((e) => e)
       process.stdout.write(JSON.stringify({ code: error.code, nextStep: error.nextStep }))`,
      hide,
    )
    expect(code, stderr).toBe(0)
    const error = JSON.parse(stdout) as { code: string; nextStep: string }
    expect(error.code).toBe('MISSING_PACKAGE')
    expect(error.nextStep).toBe('Install it in your app: npm install @ledgerhq/device-management-kit @ledgerhq/device-signer-kit-ethereum @ledgerhq/context-module @ledgerhq/device-transport-kit-speculos rxjs')
  }, 30_000)
})

describe('the CLI on DMK', () => {
  async function cli(args: string[]) {
    let stdout = ''
    let stderr = ''
    const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { XMTP_SIGNERS_HOME: mkdtempSync(join(tmpdir(), 'xmtp-signers-cli-')) } })
    return { code, stdout, stderr }
  }

  it('--transport http://HOST:PORT reaches a Speculos REST API through DMK; the stacks and transports that do not fit are usage errors', async () => {
    const { server } = await device()
    const store = mkdtempSync(join(tmpdir(), 'xmtp-signers-cli-'))
    const created = await cli(['create', '--signer', 'ledger', '--transport', server.url, '--store', store, '--json'])
    expect(created.code, created.stderr).toBe(0)
    expect(JSON.parse(created.stdout)).toMatchObject({ address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266' })
    expect(String(JSON.parse(created.stdout).signer)).toContain('DMK')
    const emulated = await cli(['unlock', '--signer', 'ledger', '--transport', 'emulator', '--store', store, '--json'])
    expect(emulated.code, emulated.stderr).toBe(0)
    expect(String(JSON.parse(emulated.stdout).signer)).toContain('DMK')
    const ledgerJs = await cli(['unlock', '--signer', 'ledger', '--transport', 'emulator', '--ledger-stack', 'ledgerjs', '--store', store, '--json'])
    expect(ledgerJs.code, ledgerJs.stderr).toBe(0)
    expect(String(JSON.parse(ledgerJs.stdout).signer)).toContain('LedgerJS')
    expect((await cli(['create', '--signer', 'ledger', '--transport', server.url, '--ledger-stack', 'ledgerjs'])).code).toBe(2)
    expect((await cli(['create', '--signer', 'ledger', '--transport', 'speculos://127.0.0.1:9999', '--ledger-stack', 'dmk'])).code).toBe(2)
    expect((await cli(['create', '--signer', 'ledger', '--ledger-stack', 'hw-app-eth'])).code).toBe(2)
  }, 60_000)
})

describe('the other ways in to DMK', () => {
  it('uses a DMK session the app holds ({ dmk, sessionId }), and leaves it open on close', async () => {
    const { server } = await device()
    const require = createRequire(import.meta.url)
    const { DeviceManagementKitBuilder } = require('@ledgerhq/device-management-kit')
    const { speculosTransportFactory } = require('@ledgerhq/device-transport-kit-speculos')
    // isE2E: no server poll timer, so this test's own DMK leaves nothing behind either.
    const dmk = new DeviceManagementKitBuilder().addTransport(speculosTransportFactory(server.url, true)).build()
    cleanups.push(async () => dmk.close())
    const found = await new Promise((resolve) => {
      const subscription = dmk.startDiscovering({}).subscribe({ next: (d: unknown) => resolve(d) })
      cleanups.push(async () => subscription.unsubscribe())
    })
    const sessionId: string = await dmk.connect({ device: found })
    const signer = await LedgerSigner.open({ dmk: { dmk, sessionId } })
    expect(signer.stack).toBe('dmk')
    expect(recoverPersonalSignAddress('app session', normalizeSignature(await signer.signPersonalMessage('app session')))).toBe(signer.address)
    await signer.close()
    await expect(signer.signPersonalMessage('after close')).rejects.toMatchObject({ code: 'SIGNER_CLOSED' })
    // The session is the app's: still connected after the signer closed.
    const again = await LedgerSigner.open({ dmk: { dmk, sessionId } })
    expect(again.address).toBe(signer.address)
    await again.close()
    await dmk.disconnect({ sessionId })
  })

  it("the default, LedgerSigner.open({}) in Node, is DMK over node-hid: with no Ledger plugged in, DEVICE_NOT_FOUND within the bound, naming udev, and the process exits", async () => {
    const { code, stdout, stderr } = await nodeChild(
      `import { LedgerSigner } from './signers/ledger/index.ts'
       const started = Date.now()
       const error = await LedgerSigner.open({ discoveryTimeoutMs: 2000 }).catch((e) => e)
       process.stdout.write(JSON.stringify({ code: error.code, nextStep: error.nextStep, ms: Date.now() - started }))`,
    )
    expect(code, stderr).toBe(0)
    const result = JSON.parse(stdout) as { code: string; nextStep: string; ms: number }
    // Where the node-hid kit is not installed, or its native node-hid and usb do not load, the answer says so instead.
    let kit: 'loads' | 'missing' | 'broken' = 'loads'
    try {
      createRequire(import.meta.url)('@ledgerhq/device-transport-kit-node-hid')
    } catch (error) {
      kit = (error as { code?: string }).code === 'MODULE_NOT_FOUND' ? 'missing' : 'broken'
    }
    expect(result.code).toBe({ loads: 'DEVICE_NOT_FOUND', missing: 'MISSING_PACKAGE', broken: 'TRANSPORT_UNAVAILABLE' }[kit])
    expect(result.nextStep).toMatch(kit === 'loads' ? /udev/ : /npm install .*device-transport-kit-node-hid/)
    expect(result.ms).toBeLessThan(4_000)
  }, 30_000)
})

describe('DMK in Chromium over the real web-hid transport', () => {
  it('create → unlock → verify through the virtual WebHID Ledger; the second open reuses the permission (no second chooser)', async () => {
    const root = join(import.meta.dirname, '..')
    // The page's code as an app's bundler makes it: DMK and the web-hid kit arrive through the loader's dynamic imports.
    const bundle = await build({
      stdin: {
        contents: `
          import { LedgerSigner } from './signers/ledger/ledgerSigner.ts'
          import { createIdentity, MemoryKeyStore, unlockIdentity, verifyEncodedBundle, toHex } from './src/index.ts'
          window.runLedger = async () => {
            try {
              const actions = []
              const store = new MemoryKeyStore()
              const first = await LedgerSigner.open({ dmk: 'web-hid', onDeviceAction: (a) => actions.push(a.kind) })
              const created = await createIdentity(first, store)
              await first.close()
              const again = await LedgerSigner.open({ dmk: 'web-hid' })
              const unlocked = await unlockIdentity(again, store)
              await again.close()
              return {
                stack: first.stack,
                address: first.address,
                same: toHex(unlocked.identity.identityPublicKey) === toHex(created.identity.identityPublicKey),
                valid: verifyEncodedBundle(created.identity.encodeContactBundle(2), { expectedAddress: first.address }).valid,
                actions,
              }
            } catch (e) {
              return { error: (e && e.code) + ': ' + (e && e.message) }
            }
          }
          document.body.dataset.ready = 'true'
        `,
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      splitting: true,
      outdir: '/page',
      write: false,
      logLevel: 'silent',
    })
    const files: Record<string, string> = {
      '/index.html': '<!doctype html><html><head><link rel="icon" href="data:,"></head><body><button id="go">Connect</button><script type="module" src="/stdin.js"></script></body></html>',
    }
    for (const file of bundle.outputFiles) files[file.path.slice('/page'.length)] = file.text
    const server = await serveStatic({ root: mkdtempSync(join(tmpdir(), 'xmtp-signers-dmk-page-')), headers: {}, extra: files })
    cleanups.push(() => server.close())
    const chromium = await launchChromium()
    cleanups.push(() => chromium.close())
    const ledger = new VirtualLedger(new LedgerEmulator({ mnemonic: TEST_MNEMONIC }))
    const page = await chromium.context.newPage()
    const problems: string[] = []
    const requests: string[] = []
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()))
    page.on('pageerror', (error) => problems.push(`${error.name}: ${error.message}`))
    page.on('request', (request) => requests.push(request.url()))
    await page.exposeBinding('__virtualLedger', (_source, request) => ledger.handle(request))
    await page.addInitScript({ content: `window.__xmtpTestOptions = ${JSON.stringify({ hid: 'virtual', device: ledger.id })}` })
    await page.addInitScript({ content: await pageScript('virtualHid') })
    await page.goto(`${server.url}/index.html`)
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' })
    // WebHID asks for the device only during a click.
    await page.evaluate(() => document.getElementById('go')!.addEventListener('click', () => void (window as unknown as { runLedger(): Promise<unknown> }).runLedger().then((r) => ((window as unknown as { result: unknown }).result = r))))
    await page.click('#go')
    await page.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, { timeout: 45_000 })
    const result = (await page.evaluate(() => (window as unknown as { result: unknown }).result)) as Record<string, unknown>
    expect(result).toEqual({ stack: 'dmk', address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', same: true, valid: true, actions: ['sign-message', 'done', 'sign-message', 'done'] })
    expect(ledger.dialogs).toBe(1)
    expect(ledger.usb.framingErrors).toEqual([])
    expect(ledger.emulator.transcript.filter((x) => x.command.startsWith('e008'))).toHaveLength(3)
    expect(problems).toEqual([])
    expect(requests.every((url) => url.startsWith(server.url) || url.startsWith('data:'))).toBe(true)
  }, 120_000)
})
