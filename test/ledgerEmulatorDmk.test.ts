import { createRequire } from 'node:module'
import net from 'node:net'
import type * as DmkModule from '@ledgerhq/device-management-kit'
import type * as SignerEthModule from '@ledgerhq/device-signer-kit-ethereum'
import type * as SpeculosModule from '@ledgerhq/device-transport-kit-speculos'
import type * as RxModule from 'rxjs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_APP_VERSION,
  LedgerEmulator,
  STATUS_WORDS,
  startSpeculosHttpServer,
  type LedgerEmulatorOptions,
  type SpeculosHttpServer,
} from '../signers/ledger/emulator/index.js'
import { encodePath } from '../signers/ledger/protocol.js'
import { toHex } from '../src/bytes.js'
import { normalizeSignature, publicKeyToAddress, recoverPersonalSignAddress, recoverPublicKey } from '../src/signature.js'
import type { TypedData } from '../src/signer.js'
import { createIdentityText } from '../src/texts.js'
import { hashDomain, hashTypedData, hashTypedMessage } from '../src/typedData.js'
import { MAIL_TYPED_DATA } from './support/typedData.js'

// The real DMK, Ethereum signer kit and Speculos transport, loaded as CommonJS (their ESM builds use directory imports Node refuses).
const require = createRequire(import.meta.url)
const { DeviceManagementKitBuilder }: typeof DmkModule = require('@ledgerhq/device-management-kit')
const { SignerEthBuilder }: typeof SignerEthModule = require('@ledgerhq/device-signer-kit-ethereum')
const { speculosTransportFactory }: typeof SpeculosModule = require('@ledgerhq/device-transport-kit-speculos')
const { firstValueFrom, filter, tap }: typeof RxModule = require('rxjs')

type Dmk = ReturnType<InstanceType<typeof DeviceManagementKitBuilder>['build']>
type SignerEth = ReturnType<InstanceType<typeof SignerEthBuilder>['build']>
type ContextModule = Parameters<InstanceType<typeof SignerEthBuilder>['withContextModule']>[0]
type ActionState = { status: string; output?: unknown; error?: unknown; intermediateValue?: { requiredUserInteraction?: string } }

const PATH = "44'/60'/0'/0/0"
const ACCOUNT = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266' // Hardhat's account #0: known outside this project
const ORIGIN_TOKEN = 'xmtp-signers-test'

/** A context module that never leaves the machine: no clear-signing metadata, answered at once. */
const OFFLINE_CONTEXT: ContextModule = {
  getContexts: async () => [],
  getFieldContext: async () => ({ type: 'error', error: new Error('offline: no clear-signing context') }) as never,
  getTypedDataFilters: async () => ({ type: 'error', error: new Error('offline: no typed-data filters') }),
  report: async () => {},
}

// Every connection that is not loopback fails at once and is recorded: the suite proves DMK stays offline.
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])
const outboundAttempts: string[] = []
const originalFetch = globalThis.fetch
const originalConnect = net.Socket.prototype.connect
beforeAll(() => {
  globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)
    if (!LOOPBACK.has(url.hostname.replace(/^\[|\]$/g, ''))) {
      outboundAttempts.push(url.hostname)
      return Promise.reject(new TypeError(`blocked outbound request to ${url.hostname}`))
    }
    return originalFetch(input, init)
  }) as typeof fetch
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const [first] = args
    const host = typeof first === 'object' && first !== null ? ((first as { host?: string }).host ?? 'localhost') : 'localhost'
    if (typeof first === 'object' && first !== null && (first as { port?: unknown }).port !== undefined && !LOOPBACK.has(host)) {
      outboundAttempts.push(host)
      process.nextTick(() => this.destroy(Object.assign(new Error(`blocked outbound connection to ${host}`), { code: 'ECONNREFUSED' })))
      return this
    }
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args)
  } as typeof net.Socket.prototype.connect
})
afterAll(() => {
  globalThis.fetch = originalFetch
  net.Socket.prototype.connect = originalConnect
  expect(outboundAttempts).toEqual([])
})

/** Rejects if `promise` has not settled within `ms`: no wait in this file is unbounded. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout>
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  )
}

type Rig = { emulator: LedgerEmulator; server: SpeculosHttpServer; dmk: Dmk; sessionId: string; signer: SignerEth }
const rigs: Rig[] = []
afterEach(async () => {
  const servers = new Set<SpeculosHttpServer>()
  for (const rig of rigs.splice(0)) {
    await rig.dmk.disconnect({ sessionId: rig.sessionId }).catch(() => {})
    rig.dmk.close()
    servers.add(rig.server)
  }
  for (const server of servers) await server.close()
})

/** An emulator behind the Speculos REST server, and a DMK session on it through the real speculos transport. */
async function rig(options: LedgerEmulatorOptions = {}, { pollEvents = false } = {}): Promise<Rig> {
  const emulator = new LedgerEmulator(options)
  const server = await startSpeculosHttpServer(emulator)
  // isE2E (the second argument) turns off the transport's 2-second GET /events poll, unless a test watches it.
  const dmk = new DeviceManagementKitBuilder().addTransport(speculosTransportFactory(server.url, !pollEvents)).build()
  const device = await within(5_000, firstValueFrom(dmk.startDiscovering({})))
  const sessionId = await within(5_000, dmk.connect({ device }))
  const signer = new SignerEthBuilder({ dmk, sessionId, originToken: ORIGIN_TOKEN }).withContextModule(OFFLINE_CONTEXT).build()
  const made = { emulator, server, dmk, sessionId, signer }
  rigs.push(made)
  return made
}

/** Runs a DMK device action to its end; resolves with the final state and every user interaction it asked for. */
async function run(action: { observable: RxModule.Observable<unknown> }, ms = 10_000): Promise<{ final: ActionState; interactions: string[] }> {
  const interactions: string[] = []
  const final = await within(
    ms,
    firstValueFrom(
      (action.observable as RxModule.Observable<ActionState>).pipe(
        tap((state) => {
          const wanted = state.intermediateValue?.requiredUserInteraction
          if (state.status === 'pending' && wanted && wanted !== 'none' && interactions.at(-1) !== wanted) interactions.push(wanted)
        }),
        filter((state) => state.status === 'completed' || state.status === 'error' || state.status === 'stopped'),
      ),
      // A cancelled action may complete without a final state.
      { defaultValue: { status: 'ended-without-state' } },
    ),
  )
  return { final, interactions }
}

function signatureOf(output: unknown): ReturnType<typeof normalizeSignature> {
  const { r, s, v } = output as { r: string; s: string; v: number }
  return normalizeSignature(r.slice(2) + s.slice(2) + v.toString(16).padStart(2, '0'))
}

/** The commands (CLA INS, hex) the device received since `from`. */
const commandsSince = (emulator: LedgerEmulator, from: number) => emulator.transcript.slice(from).map((t) => t.command)
const insOf = (commands: string[]) => commands.map((c) => c.slice(0, 4))

async function postApdu(server: SpeculosHttpServer, hex: string): Promise<string> {
  const response = await within(5_000, originalFetch(`${server.url}/apdu`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ data: hex }) }))
  expect(response.status).toBe(200)
  return ((await response.json()) as { data: string }).data
}

describe('Speculos REST API', () => {
  it('POST /apdu answers {"data": hex data ‖ SW}; bad requests get 4xx; other hosts, 403', async () => {
    const emulator = new LedgerEmulator()
    await expect(startSpeculosHttpServer(emulator, { host: '0.0.0.0' })).rejects.toThrow(/loopback only/)
    const server = await startSpeculosHttpServer(emulator)
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
      const name = Buffer.from('Ethereum').toString('hex')
      const version = Buffer.from(DEFAULT_APP_VERSION).toString('hex')
      const versionLength = (version.length / 2).toString(16).padStart(2, '0')
      expect(await postApdu(server, 'b0010000')).toBe(`0108${name}${versionLength}${version}01009000`)
      expect(await postApdu(server, 'e0ff0000')).toBe(STATUS_WORDS.INS_NOT_SUPPORTED.toString(16))
      const post = (body: string, contentType = 'application/json') => originalFetch(`${server.url}/apdu`, { method: 'POST', headers: { 'Content-Type': contentType }, body })
      expect((await post('not json')).status).toBe(400)
      expect((await post(JSON.stringify({ data: 'e0' }))).status).toBe(400) // shorter than CLA INS P1 P2
      expect((await post(JSON.stringify({ data: 'xyz0' }))).status).toBe(400)
      expect((await post(JSON.stringify({ data: 'b0010000' }), 'text/plain')).status).toBe(415) // a web page cannot send this without a preflight
      await expect(post(JSON.stringify({ data: 'aa'.repeat(5000) }))).rejects.toThrow() // over the body bound: the connection is closed
      expect((await originalFetch(`${server.url}/apdu`)).status).toBe(405)
      expect((await originalFetch(`${server.url}/screenshot`)).status).toBe(404)
      // DNS rebinding: a page on another name that resolves here is refused.
      const rebound = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(server.port, '127.0.0.1', () => socket.write('GET /events HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n'))
        let text = ''
        socket.on('data', (d) => (text += d.toString()))
        socket.on('end', () => resolve(text))
        socket.on('error', reject)
      })
      expect(rebound.startsWith('HTTP/1.1 403')).toBe(true)
    } finally {
      await server.close()
    }
  })

  it('GET /events lists the texts drawn, ?currentscreenonly the screen in front, DELETE clears; ?stream=true streams them', async () => {
    const emulator = new LedgerEmulator()
    const server = await startSpeculosHttpServer(emulator)
    try {
      const events = async (query = '') => ((await (await originalFetch(`${server.url}/events${query}`)).json()) as { events: { text: string }[] }).events.map((e) => e.text)
      expect(await events()).toEqual([])
      const stream = await originalFetch(`${server.url}/events?stream=true`)
      expect(stream.headers.get('content-type')).toBe('text/event-stream')
      const reader = stream.body!.getReader()
      await postApdu(server, `e0020100${toHex(Uint8Array.of(21))}${toHex(encodePath([0x8000002c, 0x8000003c, 0x80000000, 0, 0]))}`)
      expect(await events()).toEqual(['Verify Ethereum address', ACCOUNT, 'Approve', 'Reject'])
      let streamed = ''
      while (!streamed.includes('Reject')) streamed += new TextDecoder().decode((await within(2_000, reader.read())).value)
      const lines = streamed.split('\n').filter((l) => l.startsWith('data: '))
      expect(lines.map((l) => (JSON.parse(l.slice(6)) as { text: string }).text)).toEqual(['Verify Ethereum address', ACCOUNT, 'Approve', 'Reject'])
      await postApdu(server, `e0080000${(21 + 4 + 2).toString(16)}${toHex(encodePath([0x8000002c, 0x8000003c, 0x80000000, 0, 0]))}000000024869`)
      expect(await events('?currentscreenonly=true')).toEqual(['Review message', 'Hi', 'Sign message', 'Reject'])
      expect(await events()).toHaveLength(8)
      expect((await originalFetch(`${server.url}/events`, { method: 'DELETE' })).status).toBe(200)
      expect(await events()).toEqual([])
      // close() ends the stream and frees the port: nothing keeps the process alive.
      await server.close()
      let ended = false
      while (!ended) ended = (await within(2_000, reader.read())).done
      await expect(originalFetch(`${server.url}/events`)).rejects.toThrow()
    } finally {
      await server.close().catch(() => {})
    }
  })

  it('APDUs wait their turn behind a prompt; busy answers 409; an unplugged device closes connections as a Speculos that went away', async () => {
    let answer: (decision: 'approve') => void = () => {}
    const emulator = new LedgerEmulator({ decide: () => new Promise((resolve) => (answer = resolve)) })
    const server = await startSpeculosHttpServer(emulator)
    try {
      const post = (hex: string) => originalFetch(`${server.url}/apdu`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ data: hex }) })
      const showAddress = `e002010015${toHex(encodePath([0x8000002c, 0x8000003c, 0x80000000, 0, 0]))}` // P1 01: the device waits for the person
      const shown = post(showAddress)
      while (!emulator.busy) await new Promise((r) => setTimeout(r, 5))
      let configurationAnswered = false
      const configuration = post('e0060000').then((r) => ((configurationAnswered = true), r))
      await new Promise((r) => setTimeout(r, 100))
      expect(configurationAnswered).toBe(false) // in line behind the prompt, not refused
      answer('approve')
      expect(((await (await within(2_000, shown)).json()) as { data: string }).data).toMatch(/9000$/)
      expect(((await (await within(2_000, configuration)).json()) as { data: string }).data).toMatch(/9000$/)
      emulator.injectFault({ type: 'busy' })
      expect((await post('e0060000')).status).toBe(409)
      const waiting = post(showAddress)
      while (!emulator.busy) await new Promise((r) => setTimeout(r, 5))
      emulator.unplug()
      await expect(within(2_000, waiting)).rejects.toThrow()
      await expect(within(2_000, originalFetch(`${server.url}/events`))).rejects.toThrow()
      emulator.reconnect()
      expect(await postApdu(server, 'e0060000')).toMatch(/9000$/)
    } finally {
      await server.close()
    }
  })
})

describe('the real DMK over the Speculos REST API', () => {
  it('getAddress: E0 02 after the B0 01 probes; with checkOnDevice the device shows the address', async () => {
    const { emulator, signer } = await rig()
    const from = emulator.transcript.length
    const { final } = await run(signer.getAddress(PATH))
    expect(final).toMatchObject({ status: 'completed', output: { address: ACCOUNT } })
    const commands = commandsSince(emulator, from)
    expect(insOf(commands)).toEqual(['b001', 'e002'])
    expect(commands.at(-1)!.slice(4, 8)).toBe('0000') // silent, no chain code
    const shown = await run(signer.getAddress(PATH, { checkOnDevice: true }))
    expect(shown.final).toMatchObject({ status: 'completed', output: { address: ACCOUNT } })
    expect(shown.interactions).toContain('verify-address')
    expect(emulator.screens.at(-1)).toEqual({ kind: 'address', path: `m/${PATH}`, address: ACCOUNT })
  })

  it('signMessage of an XMTP text as bytes: one E0 08 APDU under 255 bytes, recovering to the account', async () => {
    const { emulator, signer } = await rig()
    const text = createIdentityText(new Uint8Array(65).fill(0x04))
    const bytes = new TextEncoder().encode(text)
    const from = emulator.transcript.length
    const { final, interactions } = await run(signer.signMessage(PATH, bytes))
    expect(final.status).toBe('completed')
    expect(recoverPersonalSignAddress(text, signatureOf(final.output))).toBe(ACCOUNT)
    expect(interactions).toEqual(['sign-personal-message'])
    const signing = commandsSince(emulator, from).filter((c) => c.startsWith('e008'))
    expect(signing).toHaveLength(1)
    expect(signing[0]!.length / 2 - 5).toBe(21 + 4 + bytes.length)
    expect(emulator.screens.at(-1)).toMatchObject({ kind: 'sign-message', text: text.replaceAll('\n', '\\x0a') })
  })

  it('signMessage of 600 bytes: DMK chunks at 255 bytes (P1 00, then 80) and the signature recovers', async () => {
    const { emulator, signer } = await rig()
    const message = Uint8Array.from({ length: 600 }, (_, i) => 0x20 + (i % 90))
    const from = emulator.transcript.length
    const { final } = await run(signer.signMessage(PATH, message))
    expect(final.status).toBe('completed')
    expect(recoverPersonalSignAddress(message, signatureOf(final.output))).toBe(ACCOUNT)
    const chunks = commandsSince(emulator, from).filter((c) => c.startsWith('e008'))
    expect(chunks.map((c) => c.slice(4, 6))).toEqual(['00', '80', '80'])
    expect(chunks.map((c) => c.length / 2 - 5)).toEqual([255, 255, 600 + 25 - 510])
  })

  it('signTypedData: full EIP-712 (1A definitions, 1C values with a 400-byte string in two parts, 0C P2 01), offline, recovering', async () => {
    const { emulator, signer } = await rig()
    const typedData = {
      ...MAIL_TYPED_DATA,
      types: { ...MAIL_TYPED_DATA.types, Mail: [...MAIL_TYPED_DATA.types.Mail!, { name: 'attachments', type: 'bytes32[]' }] },
      message: { ...MAIL_TYPED_DATA.message, contents: 'x'.repeat(400), attachments: [] },
    } as TypedData
    const from = emulator.transcript.length
    const { final, interactions } = await run(signer.signTypedData(PATH, typedData as never))
    expect(final.status, JSON.stringify(final.error)).toBe('completed')
    expect(publicKeyToAddress(recoverPublicKey(hashTypedData(typedData), signatureOf(final.output)))).toBe(ACCOUNT)
    expect(interactions).toContain('sign-typed-data')
    const commands = commandsSince(emulator, from)
    expect([...new Set(insOf(commands))].sort()).toEqual(['b001', 'e002', 'e006', 'e00c', 'e01a', 'e01c', 'e020'])
    expect(commands.filter((c) => c.startsWith('e01c01ff'))).toHaveLength(1) // the long string's first part
    expect(commands.at(-1)!.slice(0, 8)).toBe('e00c0001')
    expect(emulator.screens.at(-1)).toMatchObject({ kind: 'sign-typed-data', mode: 'full', primaryType: 'Mail', message: { contents: 'x'.repeat(400), attachments: [] } })
  })

  it("hashed EIP-712 is refused by today's app (6b00); DMK's own fallback to it fails typed; an older app signs it", async () => {
    const { server, emulator } = await rig()
    const hashed = `e00c0000${(21 + 64).toString(16)}${toHex(encodePath([0x8000002c, 0x8000003c, 0x80000000, 0, 0]))}${toHex(hashDomain(MAIL_TYPED_DATA))}${toHex(hashTypedMessage(MAIL_TYPED_DATA))}`
    expect(await postApdu(server, hashed)).toBe('6b00')
    expect(emulator.screens).toEqual([])
    // An app without full EIP-712 makes DMK fall back to the hashed command, which today's app no longer has.
    const neither = await rig({ eip712Full: false })
    const refused = await run(neither.signer.signTypedData(PATH, MAIL_TYPED_DATA as never))
    expect(refused.final.status).toBe('error')
    expect(insOf(neither.emulator.transcript.map((t) => t.command))).toContain('e00c')
    expect(neither.emulator.transcript.at(-1)!.response).toBe('6b00')
    // A Nano S era app (hashed only) still signs through DMK's fallback.
    const nanoS = await rig({ appVersion: '1.9.18', eip712Full: false })
    const signed = await run(nanoS.signer.signTypedData(PATH, MAIL_TYPED_DATA as never))
    expect(signed.final.status).toBe('completed')
    expect(publicKeyToAddress(recoverPublicKey(hashTypedData(MAIL_TYPED_DATA), signatureOf(signed.final.output)))).toBe(ACCOUNT)
    expect(nanoS.emulator.screens.at(-1)).toMatchObject({ kind: 'sign-typed-data', mode: 'hashed' })
  })

  it('app-closed: DMK reads the OS version, opens the Ethereum app (the person confirms) and signs', async () => {
    const { emulator, signer } = await rig()
    const from = emulator.transcript.length
    emulator.injectFault({ type: 'app-closed' })
    const { final, interactions } = await run(signer.signMessage(PATH, new TextEncoder().encode('hello')))
    expect(final.status).toBe('completed')
    expect(recoverPersonalSignAddress('hello', signatureOf(final.output))).toBe(ACCOUNT)
    expect(interactions).toContain('confirm-open-app')
    expect(insOf(commandsSince(emulator, from))).toEqual(['b001', 'e001', 'e0d8', 'b001', 'e008'])
    expect(emulator.transcript[from]!.response).toBe(`0105${Buffer.from('BOLOS').toString('hex')}05${Buffer.from('2.2.3').toString('hex')}01009000`)
    expect(emulator.screens.map((s) => s.kind)).toEqual(['open-app', 'sign-message'])
  })

  it('app-closed, persistent: the Ethereum app cannot be opened (6807), DMK ends in a typed error; after clearFaults() it signs', async () => {
    const { emulator, signer } = await rig()
    emulator.injectFault({ type: 'app-closed', persistent: true })
    const { final } = await run(signer.signMessage(PATH, new TextEncoder().encode('hello')))
    expect(final).toMatchObject({ status: 'error', error: { _tag: 'OpenAppCommandError', errorCode: '6807' } })
    emulator.clearFaults()
    expect((await run(signer.signMessage(PATH, new TextEncoder().encode('hello')))).final.status).toBe('completed')
  })

  it('the person refuses to open the app: 5501, DMK error', async () => {
    const { emulator, signer } = await rig({ decide: (screen) => (screen.kind === 'open-app' ? 'reject' : 'approve') })
    emulator.injectFault({ type: 'app-closed' })
    const { final } = await run(signer.signMessage(PATH, new TextEncoder().encode('hello')))
    expect(final).toMatchObject({ status: 'error', error: { errorCode: '5501' } })
  })

  it('wrong-app: DMK closes the other app (B0 A7), opens Ethereum and signs', async () => {
    const { emulator, signer } = await rig()
    const from = emulator.transcript.length
    emulator.injectFault({ type: 'wrong-app', appName: 'Solana' })
    const { final } = await run(signer.signMessage(PATH, new TextEncoder().encode('hello')))
    expect(final.status).toBe('completed')
    expect(insOf(commandsSince(emulator, from))).toEqual(['b001', 'b0a7', 'e0d8', 'b001', 'e008'])
    expect(emulator.transcript[from]!.response).toContain(Buffer.from('Solana').toString('hex'))
  })

  it('reject: the person rejects the message, DMK ends in error 6985 and the next request works', async () => {
    const { emulator, signer } = await rig()
    emulator.injectFault({ type: 'reject' })
    const { final } = await run(signer.signMessage(PATH, new TextEncoder().encode('hello')))
    expect(final).toMatchObject({ status: 'error', error: { errorCode: '6985' } })
    expect((await run(signer.signMessage(PATH, new TextEncoder().encode('hello')))).final.status).toBe('completed')
  })

  it('locked: DMK asks to unlock and polls B0 01 until the device answers, then signs; one that stays locked ends on cancel()', async () => {
    const { emulator, signer } = await rig()
    emulator.injectFault({ type: 'locked' })
    const unlocked = await run(signer.signMessage(PATH, new TextEncoder().encode('hello')))
    expect(unlocked.final.status).toBe('completed')
    expect(unlocked.interactions[0]).toBe('unlock-device')
    expect(emulator.transcript.filter((t) => t.response === STATUS_WORDS.DEVICE_LOCKED.toString(16))).toHaveLength(1)
    // A device that stays locked: DMK's own unlock wait bounds it; cancel ends it sooner, as an engine abort would.
    emulator.injectFault({ type: 'locked', persistent: true })
    const action = signer.signMessage(PATH, new TextEncoder().encode('hello'))
    const ended = run(action)
    await new Promise((r) => setTimeout(r, 1_500))
    action.cancel()
    expect((await ended).final.status).not.toBe('completed')
  })

  it('disconnect at the signing APDU: the request fails, DMK ends in error; after reconnect() a new session signs', async () => {
    const first = await rig({}, { pollEvents: true })
    first.emulator.injectFault({ type: 'disconnect', atApdu: 2 }) // B0 01, then E0 08
    const { final } = await run(first.signer.signMessage(PATH, new TextEncoder().encode('hello')))
    expect(final.status).toBe('error')
    expect(first.emulator.connected).toBe(false)
    first.emulator.reconnect()
    const server = first.server
    const dmk = new DeviceManagementKitBuilder().addTransport(speculosTransportFactory(server.url, true)).build()
    const sessionId = await within(5_000, dmk.connect({ device: await within(5_000, firstValueFrom(dmk.startDiscovering({}))) }))
    rigs.push({ ...first, dmk, sessionId })
    const signer = new SignerEthBuilder({ dmk, sessionId, originToken: ORIGIN_TOKEN }).withContextModule(OFFLINE_CONTEXT).build()
    expect((await run(signer.signMessage(PATH, new TextEncoder().encode('hello')))).final.status).toBe('completed')
  })

  it('busy and delay: a busy device fails the request (HTTP 409), a slow one answers late', async () => {
    const { emulator, signer } = await rig()
    emulator.injectFault({ type: 'busy' })
    expect((await run(signer.signMessage(PATH, new TextEncoder().encode('hello')))).final.status).toBe('error')
    const { emulator: slow, signer: slowSigner } = await rig()
    slow.injectFault({ type: 'delay', ms: 300 })
    const started = Date.now()
    expect((await run(slowSigner.signMessage(PATH, new TextEncoder().encode('hello')))).final.status).toBe('completed')
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    expect(emulator.connected).toBe(true)
  })

  it('os-menu: DMK ends in error with the OS status word 6901', async () => {
    const { emulator, signer } = await rig()
    emulator.injectFault({ type: 'os-menu' })
    const { final } = await run(signer.signMessage(PATH, new TextEncoder().encode('hello')))
    expect(final).toMatchObject({ status: 'error' })
    expect(emulator.transcript.some((t) => t.response === STATUS_WORDS.OS_MENU_OPEN.toString(16))).toBe(true)
  })
})
