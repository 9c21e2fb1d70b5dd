import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import net from 'node:net'
import type * as ConnectModule from '@trezor/connect'
import type * as TransportModule from '@trezor/transport'
import { HDKey } from '@scure/bip32'
import { mnemonicToSeedSync } from '@scure/bip39'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { LocalSigner } from '../signers/local/index.js'
import {
  DEFAULT_PIN,
  OTHER_APP,
  TEST_MNEMONIC,
  TrezorEmulator,
  decodeFrame,
  encodeFrame,
  startTrezorBridge,
  type TrezorBridge,
  type TrezorEmulatorOptions,
} from '../signers/trezor/emulator/index.js'
import { toHex, to0xHex } from '../src/bytes.js'
import { normalizeSignature, recoverPersonalSignAddress, recoverPublicKey, publicKeyToAddress } from '../src/signature.js'
import type { TypedData } from '../src/signer.js'
import { createIdentityText } from '../src/texts.js'
import { hashDomain, hashTypedData, hashTypedMessage } from '../src/typedData.js'

// The real @trezor/connect (Node build) and @trezor/transport, loaded as CommonJS: under native Node
// ESM `import TrezorConnect from '@trezor/connect'` gives module.exports, whose `.default` is the API.
const require = createRequire(import.meta.url)
const TrezorConnect: typeof ConnectModule.default.default = require('@trezor/connect').default
const { DEVICE, DEVICE_EVENT, UI, UI_EVENT, UI_RESPONSE, TRANSPORT_EVENT } = require('@trezor/connect') as typeof ConnectModule
const { BridgeTransport } = require('@trezor/transport') as typeof TransportModule
/** The protobuf definitions connect uses; BridgeTransport's constructor needs them. */
const MESSAGES = require('@trezor/protobuf/messages.json') as Record<string, unknown>

type Result = { success: true; payload: any } | { success: false; payload: { error: string; code?: string } }
const PATH = "m/44'/60'/0'/0/0"
const MANIFEST = { appName: 'xmtp-signers tests', email: 'dev@example.com', appUrl: 'https://example.com' }

// ——— Offline guard: every outgoing connection is recorded; any that is not loopback is refused at once
// (before DNS), for sockets (node-fetch, used by connect's cross-fetch) and global fetch (undici).
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost', '[::1]'])
const outbound: { via: 'net' | 'fetch'; target: string; at: number }[] = []
/** Loopback ports anything in this process connected to: only our bridges', never trezord's 21325/21328. */
const loopbackPorts = new Set<number>()
const originalConnect = net.Socket.prototype.connect
const originalFetch = globalThis.fetch
beforeAll(() => {
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    // net.connect() hands over its normalized arguments as one array: [options, callback].
    const [first, second] = Array.isArray(args[0]) ? (args[0] as unknown[]) : args
    const options = typeof first === 'object' && first !== null ? (first as { host?: string; port?: number | string }) : undefined
    const tcp = options ? options.port !== undefined : typeof first === 'number' || /^\d+$/.test(String(first))
    const host = (options ? options.host : typeof second === 'string' ? second : undefined) ?? 'localhost'
    if (tcp && LOOPBACK_HOSTS.has(host)) loopbackPorts.add(Number(options ? options.port : first))
    if (tcp && !LOOPBACK_HOSTS.has(host)) {
      outbound.push({ via: 'net', target: host, at: performance.now() })
      process.nextTick(() => this.destroy(Object.assign(new Error(`blocked outbound connection to ${host}`), { code: 'ECONNREFUSED' })))
      return this
    }
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args)
  } as typeof net.Socket.prototype.connect
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    if (!LOOPBACK_HOSTS.has(url.hostname)) {
      outbound.push({ via: 'fetch', target: url.href, at: performance.now() })
      throw new TypeError(`fetch failed: blocked outbound request to ${url.host}`)
    }
    return originalFetch(input, init)
  }) as typeof fetch
  // connect warns on every ethereumSignMessage that it could not download the network definition.
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})
afterAll(() => {
  net.Socket.prototype.connect = originalConnect
  globalThis.fetch = originalFetch
  vi.restoreAllMocks()
})

// ——— The recipe (see .research/trezor-connect-notes.md), and what each test watches.
const uiEvents: { type: string; payload: any }[] = []
const deviceEvents: { type: string; payload: any }[] = []
let onUi: ((event: { type: string; payload: any }) => void) | undefined
/** dispose() removes every listener added with TrezorConnect.on: add them again before each init. */
function addListeners(): void {
  TrezorConnect.on(UI_EVENT, (event: any) => {
    uiEvents.push(event)
    onUi?.(event)
  })
  TrezorConnect.on(DEVICE_EVENT, (event: any) => deviceEvents.push(event))
}

function nextDeviceEvent(type: string, timeoutMs: number): Promise<any> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within ${timeoutMs} ms`)), timeoutMs)
    const listener = (event: any) => {
      clearTimeout(timer)
      TrezorConnect.off(type as any, listener)
      resolve(event)
    }
    TrezorConnect.on(type as any, listener)
  })
}

/** init against one loopback bridge only, then wait for the device; returns how long each part took. */
async function initConnect(port: number, { waitForDevice = true } = {}): Promise<{ initMs: number; deviceMs: number }> {
  const started = performance.now()
  addListeners()
  const connected = waitForDevice ? nextDeviceEvent(DEVICE.CONNECT, 5_000) : undefined
  await TrezorConnect.init({
    manifest: MANIFEST,
    // The transport's own `id` is optional in practice (connect fills it); its types say otherwise.
    transports: [new BridgeTransport({ port, messages: MESSAGES } as ConstructorParameters<typeof BridgeTransport>[0])],
    popup: false,
    lazyLoad: false,
    debug: false,
    pendingTransportEvent: true,
    transportReconnect: false,
  })
  const initMs = performance.now() - started
  await connected
  return { initMs, deviceMs: performance.now() - started }
}

async function withEmulator(options: TrezorEmulatorOptions = {}) {
  const emulator = new TrezorEmulator(options)
  const bridge = await startTrezorBridge(emulator)
  const timing = await initConnect(bridge.port)
  return { emulator, bridge, timing }
}

function failure(result: Result): { error: string; code?: string } {
  if (result.success) throw new Error(`expected a failure, got ${JSON.stringify(result.payload)}`)
  return result.payload
}

function ok(result: Result): any {
  if (!result.success) throw new Error(`expected success, got ${JSON.stringify(result.payload)}`)
  return result.payload
}

const MAIL: TypedData = {
  types: {
    EIP712Domain: [
      { name: 'name', type: 'string' },
      { name: 'version', type: 'string' },
      { name: 'chainId', type: 'uint256' },
      { name: 'verifyingContract', type: 'address' },
    ],
    Person: [
      { name: 'name', type: 'string' },
      { name: 'wallets', type: 'address[]' },
    ],
    Mail: [
      { name: 'from', type: 'Person' },
      { name: 'to', type: 'Person[]' },
      { name: 'contents', type: 'string' },
      { name: 'tags', type: 'bytes32[2]' },
      { name: 'delta', type: 'int16' },
      { name: 'urgent', type: 'bool' },
      { name: 'attachment', type: 'bytes' },
    ],
  },
  primaryType: 'Mail',
  domain: { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
  message: {
    from: { name: 'Cow', wallets: ['0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826', '0xDeaDbeefdEAdbeefdEadbEEFdeadbeEFdEaDbeeF'] },
    to: [
      { name: 'Bob', wallets: ['0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB'] },
      { name: 'Ünïcödé ✓', wallets: [] },
    ],
    contents: 'Hello, Bob!',
    tags: [`0x${'11'.repeat(32)}`, `0x${'22'.repeat(32)}`],
    delta: -300,
    urgent: true,
    attachment: '0xc0ffee',
  },
}

describe('the real @trezor/connect 9.7 against the emulated bridge (Model T, firmware 2.9.1)', () => {
  let emulator: TrezorEmulator
  let bridge: TrezorBridge
  let timing: { initMs: number; deviceMs: number }
  beforeAll(async () => {
    ;({ emulator, bridge, timing } = await withEmulator())
  })
  afterAll(async () => {
    onUi = undefined
    TrezorConnect.dispose()
    await bridge.close()
  })

  it('init uses only our bridge (no call to port 21325) and the device connects with realistic features', async () => {
    const connect = deviceEvents.find((e) => e.type === DEVICE.CONNECT)!.payload
    expect(connect).toMatchObject({ type: 'acquired', label: 'My Trezor', status: 'available', mode: 'normal', firmware: 'valid', firmwareType: 'universal' })
    expect(connect.features).toMatchObject({ vendor: 'trezor.io', major_version: 2, minor_version: 9, patch_version: 1, model: 'T', internal_model: 'T2T1', initialized: true, unlocked: true })
    expect(connect.features.capabilities).toContain('Capability_Ethereum')
    // Connect compares Features.revision with its bundled release file: no online lookup is needed.
    expect(connect.authenticityChecks.firmwareRevision).toEqual({ success: true })
    expect(bridge.requests.slice(0, 3)).toEqual(['/', '/enumerate', '/listen'])
    expect([...loopbackPorts]).toEqual([bridge.port])
    // init waits for the device's handshake, which connect starts 0.7 s after it appears; nothing else waits.
    expect(timing.initMs).toBeGreaterThan(600)
    expect(timing.deviceMs).toBeLessThan(3_000)
    expect(emulator.messages.slice(0, 4)).toEqual([
      { direction: 'in', type: 'Cancel' },
      { direction: 'out', type: 'Failure' },
      { direction: 'in', type: 'GetFeatures' },
      { direction: 'out', type: 'Features' },
    ])
  })

  it('ethereumGetAddress with and without showOnTrezor equals LocalSigner.fromMnemonic for several paths', async () => {
    const paths = ["m/44'/60'/0'/0/0", "m/44'/60'/0'/0/7", "m/44'/60'/3'/0/0", "m/44'/60'/0'/1"]
    for (const path of paths) {
      const expected = LocalSigner.fromMnemonic(TEST_MNEMONIC, { path }).address
      expect(emulator.addressAt(path)).toBe(expected)
      const silent = ok((await TrezorConnect.ethereumGetAddress({ path, showOnTrezor: false })) as Result)
      expect(silent).toMatchObject({ address: expected, serializedPath: path })
      const before = emulator.screens.length
      const shown = ok((await TrezorConnect.ethereumGetAddress({ path, showOnTrezor: true })) as Result)
      expect(shown.address).toBe(expected)
      expect(emulator.screens.slice(before)).toEqual([{ kind: 'address', path, address: expected }])
    }
    // showOnTrezor defaults to true: connect asks silently first, then again with the address on screen.
    const mark = emulator.messages.length
    await TrezorConnect.ethereumGetAddress({ path: PATH })
    expect(emulator.messages.slice(mark).filter((m) => m.direction === 'in' && m.type === 'EthereumGetAddress')).toHaveLength(2)
    expect(uiEvents.some((e) => e.type === UI.REQUEST_BUTTON && e.payload.code === 'ButtonRequest_Address')).toBe(true)
  })

  it('ethereumGetPublicKey gives the BIP-32 xpub of the path', async () => {
    const payload = ok((await TrezorConnect.ethereumGetPublicKey({ path: "m/44'/60'/0'", showOnTrezor: false })) as Result)
    const expected = HDKey.fromMasterSeed(mnemonicToSeedSync(TEST_MNEMONIC)).derive("m/44'/60'/0'")
    expect(payload.xpub).toBe(expected.publicExtendedKey)
  })

  it('ethereumSignMessage of the XMTP "Create Identity" text recovers to the address and equals LocalSigner byte for byte', async () => {
    const text = createIdentityText(new Uint8Array(76).map((_, i) => (i * 37) & 0xff))
    const local = LocalSigner.fromMnemonic(TEST_MNEMONIC)
    const payload = ok((await TrezorConnect.ethereumSignMessage({ path: PATH, message: text })) as Result)
    expect(payload.address).toBe(local.address)
    expect(payload.signature).toMatch(/^[0-9a-f]{130}$/) // no 0x; v is 1b or 1c
    expect(['1b', '1c']).toContain(payload.signature.slice(128))
    expect(recoverPersonalSignAddress(text, normalizeSignature(payload.signature))).toBe(local.address)
    expect(payload.signature).toBe(toHex(await local.signPersonalMessage(text)))
    expect(emulator.screens.at(-1)).toEqual({ kind: 'sign-message', path: PATH, text })
    expect(emulator.messages.slice(-4).map((m) => m.type)).toEqual(['EthereumSignMessage', 'ButtonRequest', 'ButtonAck', 'EthereumMessageSignature'])
  })

  it('ethereumSignTypedData (metamask_v4_compat) pulls types and values, shows both hashes and signs the EIP-712 digest', async () => {
    const local = LocalSigner.fromMnemonic(TEST_MNEMONIC)
    const payload = ok((await TrezorConnect.ethereumSignTypedData({ path: PATH, data: MAIL as any, metamask_v4_compat: true })) as Result)
    expect(payload.address).toBe(local.address)
    expect(payload.signature).toBe(to0xHex(await local.signTypedData(MAIL)))
    const digest = hashTypedData(MAIL)
    expect(publicKeyToAddress(recoverPublicKey(digest, normalizeSignature(payload.signature)))).toBe(local.address)
    expect(emulator.screens.at(-1)).toEqual({
      kind: 'sign-typed-data',
      mode: 'full',
      path: PATH,
      primaryType: 'Mail',
      domainHash: to0xHex(hashDomain(MAIL)),
      messageHash: to0xHex(hashTypedMessage(MAIL)),
      domain: { name: 'Ether Mail', version: '1' },
    })
    const types = emulator.messages.filter((m) => m.direction === 'out').map((m) => m.type)
    expect(types).toContain('EthereumTypedDataStructRequest')
    expect(types).toContain('EthereumTypedDataValueRequest')
  })

  it('the simulated person: decide() sees each screen and can reject (Failure_ActionCancelled); the reject fault does the same', async () => {
    const seen: string[] = []
    const approve = emulator.decide
    emulator.decide = (screen) => {
      seen.push(screen.kind)
      return screen.kind === 'sign-message' ? 'reject' : 'approve'
    }
    try {
      await TrezorConnect.ethereumGetAddress({ path: PATH, showOnTrezor: true })
      expect(failure((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'no' })) as Result)).toEqual({ error: 'Cancelled', code: 'Failure_ActionCancelled' })
      expect(seen).toEqual(['address', 'sign-message'])
    } finally {
      emulator.decide = approve
    }
    emulator.injectFault({ type: 'reject' })
    expect(failure((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'no' })) as Result)).toEqual({ error: 'Cancelled', code: 'Failure_ActionCancelled' })
    // The fault was used once.
    expect(ok((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'yes' })) as Result).address).toBe(emulator.addressAt(PATH))
    // 'cancel', the fault's old name, still rejects.
    emulator.injectFault({ type: 'cancel' })
    expect(failure((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'no' })) as Result)).toEqual({ error: 'Cancelled', code: 'Failure_ActionCancelled' })
  })

  it('TrezorConnect.cancel() while the device waits for the person: Method_Interrupted, or Method_Cancel with a reason', async () => {
    for (const reason of [undefined, 'closed by the user']) {
      onUi = (event) => {
        if (event.type === UI.REQUEST_BUTTON) setTimeout(() => TrezorConnect.cancel(reason), 20)
      }
      const slow = stallPerson(emulator)
      const result = failure((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'cancel me' })) as Result)
      slow.restore()
      onUi = undefined
      expect(result).toEqual(reason ? { error: reason, code: 'Method_Cancel' } : { error: 'Popup closed', code: 'Method_Interrupted' })
      // connect sent Cancel on /post while its /call (ButtonAck) waited; the device answered that call with Failure.
      expect(emulator.messages.slice(-3).map((m) => `${m.direction} ${m.type}`)).toEqual(['in ButtonAck', 'in Cancel', 'out Failure'])
    }
    expect(ok((await TrezorConnect.ethereumGetAddress({ path: PATH, showOnTrezor: false })) as Result).address).toBe(emulator.addressAt(PATH))
  })

  it('a second call while one waits on the device: Device_CallInProgress', async () => {
    const slow = stallPerson(emulator)
    const first = TrezorConnect.ethereumSignMessage({ path: PATH, message: 'first' })
    await waitUntil(() => emulator.screens.at(-1)?.kind === 'sign-message' && (emulator.screens.at(-1) as { text: string }).text === 'first')
    const second = failure((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'second' })) as Result)
    expect(second).toEqual({ error: 'Device call in progress', code: 'Device_CallInProgress' })
    slow.restore()
    expect(ok((await first) as Result).address).toBe(emulator.addressAt(PATH))
  })

  it('pin: PinMatrixRequest → UI.REQUEST_PIN; the right PIN signs, a wrong one gives Failure_PinInvalid after 3 tries, no answer + cancel() gives Method_Interrupted', async () => {
    emulator.injectFault({ type: 'pin' })
    onUi = (event) => {
      if (event.type === UI.REQUEST_PIN) TrezorConnect.uiResponse({ type: UI_RESPONSE.RECEIVE_PIN, payload: DEFAULT_PIN })
    }
    expect(ok((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'pin' })) as Result).address).toBe(emulator.addressAt(PATH))
    expect(emulator.messages.some((m) => m.type === 'PinMatrixAck')).toBe(true)

    emulator.injectFault({ type: 'pin' })
    let asked = 0
    onUi = (event) => {
      if (event.type === UI.REQUEST_PIN) {
        asked++
        TrezorConnect.uiResponse({ type: UI_RESPONSE.RECEIVE_PIN, payload: '9999' })
      }
    }
    expect(failure((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'pin' })) as Result)).toEqual({ error: 'PIN invalid', code: 'Failure_PinInvalid' })
    expect(asked).toBe(3)
    expect(uiEvents.map((e) => e.type)).toContain(UI.INVALID_PIN_ATTEMPTS_DEPLETED)

    onUi = (event) => {
      if (event.type === UI.REQUEST_PIN) setTimeout(() => TrezorConnect.cancel(), 10)
    }
    expect(failure((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'pin' })) as Result)).toEqual({ error: 'Popup closed', code: 'Method_Interrupted' })
    expect(emulator.messages.slice(-2).map((m) => m.type)).toEqual(['Cancel', 'Failure'])
    emulator.clearFaults()
    onUi = undefined
  })

  it('passphrase: PassphraseRequest → UI.REQUEST_PASSPHRASE; the entered passphrase opens that wallet; connect tells wallets apart per instance', async () => {
    emulator.injectFault({ type: 'passphrase', persistent: true })
    let passphrase = 'hidden wallet'
    onUi = (event) => {
      if (event.type === UI.REQUEST_PASSPHRASE) TrezorConnect.uiResponse({ type: UI_RESPONSE.RECEIVE_PASSPHRASE, payload: { value: passphrase, save: true } })
    }
    try {
      // A hidden wallet is another device "instance" for connect: instance 0 already is the standard wallet.
      const hidden = ok((await TrezorConnect.ethereumGetAddress({ path: PATH, showOnTrezor: false, device: { instance: 1 } })) as Result)
      expect(hidden.address).toBe(LocalSigner.fromMnemonic(TEST_MNEMONIC, { passphrase: 'hidden wallet' }).address)
      expect(hidden.address).not.toBe(emulator.addressAt(PATH))
      // Instance 0 with another passphrase: connect's session check (a Testnet GetAddress) sees another wallet.
      passphrase = 'typo'
      expect(failure((await TrezorConnect.ethereumGetAddress({ path: PATH, showOnTrezor: false })) as Result)).toEqual({ error: 'Passphrase is incorrect', code: 'Device_InvalidState' })
      // useEmptyPassphrase answers "" without asking the app.
      const asked = uiEvents.length
      const standard = ok((await TrezorConnect.ethereumGetAddress({ path: PATH, showOnTrezor: false, useEmptyPassphrase: true })) as Result)
      expect(standard.address).toBe(emulator.addressAt(PATH))
      expect(uiEvents.slice(asked).some((e) => e.type === UI.REQUEST_PASSPHRASE)).toBe(false)
      // No answer: cancel() ends the call.
      onUi = (event) => {
        if (event.type === UI.REQUEST_PASSPHRASE) setTimeout(() => TrezorConnect.cancel(), 10)
      }
      expect(failure((await TrezorConnect.ethereumGetAddress({ path: PATH, showOnTrezor: false, device: { instance: 2 } })) as Result)).toEqual({
        error: 'Popup closed',
        code: 'Method_Interrupted',
      })
    } finally {
      onUi = undefined
      emulator.clearFaults()
    }
  })

  it('busy: the bridge answers "other call in progress"; connect reports it as Device_InitializeFailed or Failure_UnknownCode', async () => {
    emulator.injectFault({ type: 'busy' })
    expect(failure((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'busy' })) as Result)).toEqual({
      error: 'Initialize failed: other call in progress',
      code: 'Device_InitializeFailed',
    })
    emulator.injectFault({ type: 'busy', on: 'EthereumSignMessage' })
    expect(failure((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'busy' })) as Result)).toEqual({ error: 'other call in progress', code: 'Failure_UnknownCode' })
    expect(ok((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'free' })) as Result).address).toBe(emulator.addressAt(PATH))
  })

  it('used-elsewhere: another app takes the device mid-call → Device_UsedElsewhere; the next call takes it back', async () => {
    emulator.injectFault({ type: 'used-elsewhere', on: 'ButtonAck' })
    expect(failure((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'stolen' })) as Result)).toEqual({
      error: 'Device is used in another window',
      code: 'Device_UsedElsewhere',
    })
    const listed = (await (await originalFetch(`${bridge.url}/enumerate`, { method: 'POST', headers: { Origin: 'https://wallet.trezor.io' } })).json()) as { sessionOwner: string }[]
    expect(listed[0]!.sessionOwner).toBe(OTHER_APP)
    expect(ok((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'mine again' })) as Result).address).toBe(emulator.addressAt(PATH))
  })

  it('delay: the next message is answered late, and the call simply takes that long', async () => {
    emulator.injectFault({ type: 'delay', ms: 400, on: 'EthereumSignMessage' })
    const started = performance.now()
    ok((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'slow' })) as Result)
    expect(performance.now() - started).toBeGreaterThanOrEqual(390)
  })

  it('offline: the signature completes while every non-loopback connection is refused, and nothing waits on a timeout', async () => {
    const mark = outbound.length
    const started = performance.now()
    ok((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'offline' })) as Result)
    const took = performance.now() - started
    // ethereumSignMessage always asks data.trezor.io for the Ethereum network definition (cross-fetch → net).
    expect(outbound.slice(mark).map((o) => `${o.via} ${o.target}`)).toEqual(['net data.trezor.io'])
    expect(took).toBeLessThan(1_500)
    // Typed data and addresses use connect's bundled network list: no request at all.
    const mark2 = outbound.length
    ok((await TrezorConnect.ethereumSignTypedData({ path: PATH, data: MAIL as any, metamask_v4_compat: true })) as Result)
    ok((await TrezorConnect.ethereumGetAddress({ path: PATH, showOnTrezor: false })) as Result)
    expect(outbound.slice(mark2)).toEqual([])
    // Everything ever attempted in this file went to data.trezor.io and was refused.
    expect(new Set(outbound.map((o) => new URL(o.via === 'fetch' ? o.target : `https://${o.target}`).hostname))).toEqual(new Set(['data.trezor.io']))
    expect(outbound.some((o) => o.via === 'fetch' && o.target === 'https://data.trezor.io/firmware/config/releases.v1.json')).toBe(true)
  })

  it('disconnect mid-call → Device_Disconnected and device-disconnect; reconnect() brings device-connect back and signing resumes', async () => {
    emulator.injectFault({ type: 'disconnect', on: 'ButtonAck' })
    const gone = nextDeviceEvent(DEVICE.DISCONNECT, 3_000)
    expect(failure((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'unplug' })) as Result)).toEqual({ error: 'Device disconnected', code: 'Device_Disconnected' })
    await gone
    const listed = await (await originalFetch(`${bridge.url}/enumerate`, { method: 'POST', headers: { Origin: 'https://wallet.trezor.io' } })).json()
    expect(listed).toEqual([])
    const back = nextDeviceEvent(DEVICE.CONNECT, 6_000)
    const started = performance.now()
    emulator.reconnect()
    await back
    // connect waits 2 s + 0.7 s before it talks to a device that vanished mid-call ("auth penalty").
    expect(performance.now() - started).toBeGreaterThan(2_000)
    expect(ok((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'back' })) as Result).address).toBe(emulator.addressAt(PATH))
  })

  it('no device: a call waits (UI.SELECT_DEVICE) until one connects or cancel() ends it with Method_Interrupted', async () => {
    emulator.unplug()
    await nextDeviceEvent(DEVICE.DISCONNECT, 3_000)
    onUi = (event) => {
      if (event.type === UI.SELECT_DEVICE) setTimeout(() => TrezorConnect.cancel(), 10)
    }
    expect(failure((await TrezorConnect.ethereumGetAddress({ path: PATH, showOnTrezor: false })) as Result)).toEqual({ error: 'Popup closed', code: 'Method_Interrupted' })
    onUi = undefined
    // Plugged in while a call waits: the call goes on by itself.
    const pending = TrezorConnect.ethereumGetAddress({ path: PATH, showOnTrezor: false })
    await waitUntil(() => uiEvents.filter((e) => e.type === UI.SELECT_DEVICE).length >= 2)
    emulator.reconnect()
    expect(ok((await pending) as Result).address).toBe(emulator.addressAt(PATH))
  })

  it('a call pending at dispose() never settles; cancel() first settles it (last test: it disposes connect)', async () => {
    const slow = stallPerson(emulator)
    const onScreen = (text: string) => () => emulator.screens.at(-1)?.kind === 'sign-message' && (emulator.screens.at(-1) as { text: string }).text === text
    const cancelled = TrezorConnect.ethereumSignMessage({ path: PATH, message: 'cancelled' })
    await waitUntil(onScreen('cancelled'))
    TrezorConnect.cancel()
    expect(failure((await cancelled) as Result).code).toBe('Method_Interrupted')

    const abandoned = TrezorConnect.ethereumSignMessage({ path: PATH, message: 'abandoned' })
    await waitUntil(onScreen('abandoned'))
    TrezorConnect.dispose()
    const outcome = await Promise.race([abandoned.then(() => 'settled'), new Promise((resolve) => setTimeout(resolve, 500, 'pending'))])
    expect(outcome).toBe('pending')
    slow.restore()
  })
})

describe('Model One (T1B1, firmware 1.13.1): typed data is signed from its two hashes', () => {
  let emulator: TrezorEmulator
  let bridge: TrezorBridge
  beforeAll(async () => {
    ;({ emulator, bridge } = await withEmulator({ model: 'T1B1', label: 'Model One' }))
  })
  afterAll(async () => {
    TrezorConnect.dispose()
    await bridge.close()
  })

  it('connects, signs a message and signs typed data with EthereumSignTypedHash', async () => {
    const local = LocalSigner.fromMnemonic(TEST_MNEMONIC)
    expect(ok((await TrezorConnect.ethereumSignMessage({ path: PATH, message: 'one' })) as Result).signature).toBe(toHex(await local.signPersonalMessage('one')))
    const payload = ok(
      (await TrezorConnect.ethereumSignTypedData({
        path: PATH,
        data: MAIL as any,
        metamask_v4_compat: true,
        domain_separator_hash: toHex(hashDomain(MAIL)),
        message_hash: toHex(hashTypedMessage(MAIL)),
      })) as Result,
    )
    expect(payload.signature).toBe(to0xHex(await local.signTypedData(MAIL)))
    expect(emulator.messages.filter((m) => m.direction === 'in').map((m) => m.type)).toContain('EthereumSignTypedHash')
    expect(emulator.screens.at(-1)).toEqual({ kind: 'sign-typed-data', mode: 'hashed', path: PATH, primaryType: '', domainHash: to0xHex(hashDomain(MAIL)), messageHash: to0xHex(hashTypedMessage(MAIL)) })
    // Without the hashes connect refuses a Model One (after Initialize, before any Ethereum message).
    const mark = emulator.messages.length
    const refused = failure((await TrezorConnect.ethereumSignTypedData({ path: PATH, data: MAIL as any, metamask_v4_compat: true })) as Result)
    expect(refused).toEqual({ error: 'Invalid parameter "domain_separator_hash" (= undefined): Expected required property', code: 'Failure_UnknownCode' })
    expect(emulator.messages.slice(mark).some((m) => m.type.startsWith('Ethereum'))).toBe(false)
  })
})

describe('no bridge: Transport_Missing', () => {
  it('init resolves, the transport errors, and a call fails at once with Transport_Missing (UI.TRANSPORT)', async () => {
    const bridge = await startTrezorBridge(new TrezorEmulator())
    await bridge.close() // a port nobody listens on
    const transportErrors: unknown[] = []
    const onTransport = (event: any) => transportErrors.push(event)
    TrezorConnect.on(TRANSPORT_EVENT, onTransport)
    await initConnect(bridge.port, { waitForDevice: false })
    const started = performance.now()
    const mark = uiEvents.length
    expect(failure((await TrezorConnect.ethereumGetAddress({ path: PATH, showOnTrezor: false })) as Result)).toEqual({ error: 'Transport is missing', code: 'Transport_Missing' })
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(uiEvents.slice(mark).map((e) => e.type)).toContain(UI.TRANSPORT)
    expect(transportErrors).toContainEqual(expect.objectContaining({ type: 'transport-error', payload: expect.objectContaining({ error: 'Network request failed' }) }))
    TrezorConnect.off(TRANSPORT_EVENT, onTransport)
    TrezorConnect.dispose()
  })
})

// A CLI in plain Node ESM: inits, signs, disposes and must exit by itself. The bridge runs here.
const CHILD = `
import { createRequire } from 'node:module'
import net from 'node:net'
const require = createRequire(process.cwd() + '/')
const refuse = process.env.FETCH_MODE === 'refuse'
const loopback = new Set(['127.0.0.1', '::1', 'localhost', '[::1]'])
const connect = net.Socket.prototype.connect
net.Socket.prototype.connect = function (...args) {
  const [first, second] = Array.isArray(args[0]) ? args[0] : args
  const o = typeof first === 'object' && first ? first : undefined
  const host = (o ? o.host : typeof second === 'string' ? second : undefined) ?? 'localhost'
  if ((o ? o.port !== undefined : true) && !loopback.has(host)) {
    process.nextTick(() => this.destroy(Object.assign(new Error('blocked ' + host), { code: 'ECONNREFUSED' })))
    return this
  }
  return connect.apply(this, args)
}
const realFetch = globalThis.fetch
globalThis.fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input))
  if (loopback.has(url.hostname)) return realFetch(input, init)
  // Refused, connect leaves a 5 s timer behind; answered (404), it clears it.
  if (refuse) throw new TypeError('fetch failed')
  return new Response(null, { status: 404 })
}
console.warn = () => {}
const TrezorConnect = require('@trezor/connect').default
const { DEVICE } = require('@trezor/connect')
const { BridgeTransport } = require('@trezor/transport')
const withDevice = process.env.NO_BRIDGE !== '1'
const started = performance.now()
const connected = withDevice ? new Promise((resolve) => TrezorConnect.on(DEVICE.CONNECT, resolve)) : undefined
await TrezorConnect.init({
  manifest: ${JSON.stringify(MANIFEST)},
  transports: [new BridgeTransport({ port: Number(process.env.BRIDGE_PORT), messages: require('@trezor/protobuf/messages.json') })],
  popup: false, lazyLoad: false, debug: false, pendingTransportEvent: true, transportReconnect: process.env.RECONNECT === '1',
})
await connected
const result = withDevice
  ? await TrezorConnect.ethereumSignMessage({ path: "${PATH}", message: 'from a child process' })
  : await TrezorConnect.ethereumGetAddress({ path: "${PATH}", showOnTrezor: false })
process.stdout.write(JSON.stringify({ result, initToDispose: performance.now() - started }) + '\\n')
TrezorConnect.dispose()
const disposedAt = performance.now()
setImmediate(() => process.stdout.write(JSON.stringify({ resources: process.getActiveResourcesInfo() }) + '\\n'))
process.on('exit', () => process.stdout.write(JSON.stringify({ exitAfterDispose: performance.now() - disposedAt }) + '\\n'))
`

function runChild(port: number, fetchMode: 'answer' | 'refuse', env: Record<string, string> = {}): Promise<{ code: number | null; lines: any[]; wallMs: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
      cwd: process.cwd(),
      env: { ...process.env, BRIDGE_PORT: String(port), FETCH_MODE: fetchMode, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(killer)
      resolve({ code, stderr, wallMs: performance.now() - started, lines: stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) })
    })
  })
}

describe('a Node process that inits, signs and disposes exits by itself', () => {
  it('right after dispose() when the release-config fetch gets an answer; within 5 s of init when it is refused; never cleanly with transportReconnect and no bridge', async () => {
    const emulators = [new TrezorEmulator(), new TrezorEmulator(), new TrezorEmulator()]
    const bridges = await Promise.all(emulators.map((e) => startTrezorBridge(e)))
    await bridges[2]!.close() // a port nobody listens on
    try {
      const [answered, refused, reconnecting] = await Promise.all([
        runChild(bridges[0]!.port, 'answer'),
        runChild(bridges[1]!.port, 'refuse'),
        runChild(bridges[2]!.port, 'answer', { NO_BRIDGE: '1', RECONNECT: '1' }),
      ])
      for (const run of [answered, refused]) {
        expect(run.code, run.stderr).toBe(0)
        const [first] = run.lines
        expect(first.result.success).toBe(true)
        expect(first.result.payload.signature).toBe(toHex(await LocalSigner.fromMnemonic(TEST_MNEMONIC).signPersonalMessage('from a child process')))
      }
      const exitAfterDispose = (run: { lines: any[] }) => run.lines.at(-1).exitAfterDispose as number
      expect(exitAfterDispose(answered)).toBeLessThan(500)
      // Refused: connect's releases.v1.json timer (5 s, not cleared when fetch rejects) is the one handle left.
      expect(refused.lines[1].resources).toContain('Timeout')
      expect(refused.lines[0].initToDispose + exitAfterDispose(refused)).toBeLessThan(5_000 + 1_000)
      expect(exitAfterDispose(refused)).toBeGreaterThan(exitAfterDispose(answered))
      // transportReconnect: true (connect's default) with no bridge: the call fails at once with
      // Transport_Missing, but dispose() then leaves an unhandled rejection ("Disposing") and Node exits 1.
      expect(reconnecting.lines[0].result.payload).toEqual({ error: 'Transport is missing', code: 'Transport_Missing' })
      expect(reconnecting.code).toBe(1)
      expect(reconnecting.stderr).toContain('Error: Disposing')
    } finally {
      await Promise.all(bridges.slice(0, 2).map((b) => b.close()))
    }
  })
})

describe('the bridge, spoken to directly (trezord protocol)', () => {
  const post = (bridge: TrezorBridge, path: string, body?: string, origin: string | null = 'https://wallet.trezor.io') =>
    originalFetch(`${bridge.url}${path}`, { method: 'POST', body, headers: origin ? { Origin: origin } : {} })

  it('checks the Origin as trezord does, and speaks its JSON and hex', async () => {
    const emulator = new TrezorEmulator({ model: 'T3T1', label: 'Bench' })
    const bridge = await startTrezorBridge(emulator, { listenTimeoutMs: 200 })
    try {
      expect((await post(bridge, '/', undefined, null)).status).toBe(403)
      expect((await post(bridge, '/', undefined, 'https://evil.example')).status).toBe(403)
      expect((await post(bridge, '/', undefined, 'http://localhost:5173')).status).toBe(200)
      expect(await (await post(bridge, '/')).json()).toEqual({ version: '2.0.33' })
      const [device] = (await (await post(bridge, '/enumerate')).json()) as any[]
      expect(device).toMatchObject({ path: '1', vendor: 0x1209, product: 0x53c1, session: null })
      // /listen answers at once when the caller's view is stale, else after the bound.
      const started = performance.now()
      expect(await (await post(bridge, '/listen', JSON.stringify([device]))).json()).toEqual([device])
      expect(performance.now() - started).toBeGreaterThanOrEqual(190)
      expect((await (await post(bridge, '/acquire/1/7')).json()) as unknown).toEqual({ error: 'wrong previous session' })
      expect((await (await post(bridge, '/acquire/9/null')).json()) as unknown).toEqual({ error: 'device not found' })
      const { session } = (await (await post(bridge, '/acquire/1/null', JSON.stringify({ sessionOwner: 'test' }))).json()) as { session: string }
      const call = async (type: string, message: Record<string, unknown> = {}) => {
        const response = await post(bridge, `/call/${session}`, toHex(encodeFrame(type, message)))
        expect(response.status).toBe(200)
        return decodeFrame(Buffer.from(await response.text(), 'hex'))
      }
      const features = await call('Initialize')
      expect(features).toMatchObject({ type: 'Features', message: { model: 'Safe 5', internal_model: 'T3T1', label: 'Bench', major_version: 2, revision: 'acd56d0113a547e9b5983510b0ce9de079e30e05' } })
      expect(features.message.session_id).toMatch(/^[0-9a-f]{64}$/)
      expect(await call('EthereumGetAddress', { address_n: [0x8000002c, 0x8000003c, 0x80000000, 0, 0] })).toEqual({ type: 'EthereumAddress', message: { _old_address: null, address: emulator.addressAt(PATH), mac: null } })
      expect(await call('GetFirmwareHash', {})).toEqual({ type: 'Failure', message: { code: 'Failure_UnexpectedMessage', message: 'Unexpected message' } })
      expect(await call('Cancel')).toEqual({ type: 'Failure', message: { code: 'Failure_ActionCancelled', message: 'Cancelled' } })
      // /post then /read: what connect's handshake does.
      expect((await post(bridge, `/post/${session}`, toHex(encodeFrame('GetFeatures')))).status).toBe(200)
      expect(decodeFrame(Buffer.from(await (await post(bridge, `/read/${session}`)).text(), 'hex')).type).toBe('Features')
      expect(await (await post(bridge, `/call/${session}`, 'zz')).json()).toEqual({ error: 'malformed data' })
      expect(await (await post(bridge, `/call/${session}`, '0037000000ff')).json()).toEqual({ error: 'malformed data' })
      expect(await (await post(bridge, '/call/999', toHex(encodeFrame('GetFeatures')))).json()).toEqual({ error: 'session not found' })
      const [held] = (await (await post(bridge, '/enumerate')).json()) as any[]
      expect(held).toMatchObject({ session, sessionOwner: 'test' })
      expect(await (await post(bridge, `/release/${session}`)).json()).toEqual({ session })
      expect(await (await post(bridge, `/release/${session}`)).json()).toEqual({ error: 'session not found' })
    } finally {
      await bridge.close()
    }
  })

  it('close() ends open long polls and frees the port', async () => {
    const bridge = await startTrezorBridge(new TrezorEmulator(), { listenTimeoutMs: 60_000 })
    const [device] = (await (await post(bridge, '/enumerate')).json()) as any[]
    const poll = post(bridge, '/listen', JSON.stringify([device])).then(
      () => 'answered',
      () => 'closed',
    )
    await new Promise((resolve) => setTimeout(resolve, 50))
    const started = performance.now()
    await bridge.close()
    expect(await poll).toBe('closed')
    expect(performance.now() - started).toBeLessThan(1_000)
    const reuse = net.createServer()
    await new Promise<void>((resolve, reject) => {
      reuse.once('error', reject)
      reuse.listen({ host: '127.0.0.1', port: bridge.port, exclusive: true }, resolve)
    })
    await new Promise<void>((resolve) => reuse.close(() => resolve()))
  })

  it('refuses to listen beyond loopback and validates its options', async () => {
    await expect(startTrezorBridge(new TrezorEmulator(), { host: '0.0.0.0' })).rejects.toThrow(/loopback/)
    expect(() => new TrezorEmulator({ mnemonic: 'not a phrase' })).toThrow(/BIP-39/)
    expect(() => new TrezorEmulator({ model: 'T1B1', firmware: [2, 9, 1] })).toThrow(/major version/)
    expect(() => new TrezorEmulator().injectFault({ type: 'disconnect', on: 'NoSuchMessage' })).toThrow(/message type/)
  })
})

/** Holds the person's decision until restore(): the device sits on its confirmation screen. */
function stallPerson(emulator: TrezorEmulator): { restore(): void } {
  const previous = emulator.decide
  let release = () => {}
  const gate = new Promise<void>((resolve) => (release = resolve))
  emulator.decide = async (screen) => {
    await gate
    return previous(screen)
  }
  return {
    restore: () => {
      emulator.decide = previous
      release()
    },
  }
}

async function waitUntil(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const started = performance.now()
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
