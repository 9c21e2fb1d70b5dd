// One cold start of the Trezor path, run by bench/trezor.ts in a fresh Node process:
//
//   node --import tsx bench/trezor-cold.ts [--dns=fail-fast|resolver]
//
// The device (TrezorEmulator behind startTrezorBridge, reporting trezord 3.0.5) runs in a worker
// thread: the emulator loads @trezor/protobuf, part of @trezor/connect's own tree, and a worker has its
// own module cache, so the main thread loads connect as an app's first use does (none of it loaded
// yet, checked). The worker stamps every bridge request and every message reaching the device with
// process.hrtime, the monotonic clock all threads share, and derives its seed before anything is timed.
//
// The main thread times TrezorSigner.open({ bridgeUrl }) and a first signPersonalMessage, observing
// only: a wrapper around Node's CommonJS loader (when @trezor/connect, @trezor/transport and the
// protobuf definitions load), around connect's init (call, resolution) and a DEVICE_EVENT listener
// added inside it (connect's device-connect). No network is used: every non-loopback DNS lookup fails
// (ENOTFOUND) at once (--dns=fail-fast, default) or once this machine's resolver has answered
// (--dns=resolver; a resolved address is refused too). Prints one line, `RESULT {json}`, then exits:
// a refused releases.v1.json fetch leaves connect's 5 s abort timer running (trezor-connect-notes §4).
//
// bench/trezor.ts imports refuseNetwork and the types from here; the run itself starts only when this
// file is the process's entry point (or the device worker).
import dns from 'node:dns'
import Module, { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'

/** Milliseconds on the monotonic clock shared by every thread (and process) of this machine. */
const clock = () => Number(process.hrtime.bigint()) / 1e6

/** The account every figure uses (Trezor Suite / Ledger Live index 0 of the public test mnemonic). */
export const PATH = "m/44'/60'/0'/0/0"

export type Stamp = { what: string; at: number }

// ---- no network -------------------------------------------------------------------------------------

/** 'fail-fast': refused at once; 'resolver': after this machine's resolver answered; a number: after that many ms. */
export type DnsMode = 'fail-fast' | 'resolver' | number
export type DnsAttempt = { host: string; start: number; end: number; code: string }
export type NetworkGuard = {
  /** Changeable at any time: applies to the next lookup. */
  mode: DnsMode
  /** Every non-loopback lookup, refused, with clock() times. */
  readonly attempts: DnsAttempt[]
  restore(): void
}

/**
 * Refuses every non-loopback DNS lookup (dns.lookup: what node-fetch, undici's fetch and net use to
 * reach a host name) with ENOTFOUND: at once ('fail-fast': an offline machine whose resolver fails
 * immediately), after this machine's resolver answered ('resolver': its real failure time; an address,
 * if it finds one, is refused as well, so nothing ever connects), or after a fixed time (a number of
 * ms: a resolver that is slow to give up).
 */
export function refuseNetwork(mode: DnsMode): NetworkGuard {
  const lookup = dns.lookup
  const loopback = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '::1'
  const guard: NetworkGuard = {
    mode,
    attempts: [],
    restore: () => {
      dns.lookup = lookup
    },
  }
  const patched = function (this: unknown, host: string, ...rest: unknown[]) {
    if (typeof host !== 'string' || loopback(host)) return (lookup as (...args: unknown[]) => unknown).apply(this, [host, ...rest])
    const callback = rest[rest.length - 1] as (error: NodeJS.ErrnoException) => void
    const start = clock()
    const fail = (code: string) => {
      guard.attempts.push({ host, start, end: clock(), code })
      callback(Object.assign(new Error(`getaddrinfo ${code} ${host}`), { code, syscall: 'getaddrinfo', hostname: host }))
    }
    if (guard.mode === 'fail-fast') process.nextTick(fail, 'ENOTFOUND')
    else if (guard.mode === 'resolver') lookup(host, { all: true }, (error) => fail(error?.code ?? 'ENOTFOUND'))
    else setTimeout(fail, guard.mode, 'ENOTFOUND')
    return {}
  }
  dns.lookup = patched as unknown as typeof dns.lookup
  return guard
}

// ---- the device side (worker thread) ----------------------------------------------------------------

type DeviceLog = { requests: Stamp[]; messages: Stamp[] }
type ToDevice = { type: 'report' } | { type: 'close' }
type FromDevice = { type: 'ready'; url: string } | { type: 'report'; log: DeviceLog } | { type: 'closed' }
const DEVICE_ROLE = 'xmtp-signers bench: trezor device'

async function deviceThread(): Promise<void> {
  const { TrezorEmulator, startTrezorBridge } = await import('../signers/trezor/emulator/index.js')
  const emulator = new TrezorEmulator()
  // Derive the seed now (PBKDF2, ~0.1 s): a real device holds it; the first timed request should not pay for it.
  emulator.addressAt(PATH)
  const log: DeviceLog = { requests: [], messages: [] }
  // The emulator logs a message 'in' when its frame reaches the device (emulator.write, from /call or /post).
  const messagesPush = emulator.messages.push.bind(emulator.messages)
  emulator.messages.push = (...entries) => {
    const at = clock()
    for (const entry of entries) if (entry.direction === 'in') log.messages.push({ what: entry.type, at })
    return messagesPush(...entries)
  }
  const bridge = await startTrezorBridge(emulator, { version: '3.0.5' })
  const requestsPush = bridge.requests.push.bind(bridge.requests)
  bridge.requests.push = (...paths) => {
    const at = clock()
    for (const path of paths) log.requests.push({ what: path, at })
    return requestsPush(...paths)
  }
  const port = parentPort!
  port.on('message', (message: ToDevice) => {
    if (message.type === 'report') port.postMessage({ type: 'report', log } satisfies FromDevice)
    else void bridge.close().then(() => port.postMessage({ type: 'closed' } satisfies FromDevice))
  })
  port.postMessage({ type: 'ready', url: bridge.url } satisfies FromDevice)
}

// ---- the host side (main thread) --------------------------------------------------------------------

const require = createRequire(import.meta.url)
/** CommonJS modules loaded so far (connect and its whole tree are CommonJS). */
const cjsModules = () => Object.keys(require.cache).length
const loaded = (pkg: string) => Object.keys(require.cache).some((file) => file.includes(`/node_modules/${pkg}/`))

export type ColdResult = {
  dns: 'fail-fast' | 'resolver'
  /** performance.now() when the timed open starts: Node, tsx, our modules and the device thread ready. */
  processReadyMs: number
  connectLoadedBeforeOpen: boolean
  connectLoadedAfterOpen: boolean
  /** Every time below: ms after the TrezorSigner.open call. */
  importStart: number
  /** @trezor/connect, @trezor/transport and @trezor/protobuf/messages.json loaded (nodeConnect.ts). */
  importEnd: number
  initCall: number
  initResolved: number
  deviceConnectEvent: number
  openResolved: number
  /** The first signPersonalMessage resolved: the time to the first signature. */
  firstSignature: number
  /** CommonJS modules loaded by the import, by the rest of open (connect's first call), by the first signature. */
  modules: { import: number; restOfOpen: number; sign: number }
  /** Bridge requests (path) and device messages (type) during open, in order. */
  requests: Stamp[]
  messages: Stamp[]
  /** Non-loopback DNS lookups during open (all refused; ms after the open call). */
  dnsAttempts: DnsAttempt[]
  /** The first signPersonalMessage of the process (ms after its call). */
  sign: { firstMessage: number; whole: number; messages: Stamp[]; dnsAttempts: DnsAttempt[] }
  /** console.warn calls (connect warns on every refused definition download), silenced. */
  warnings: number
}

async function hostThread(): Promise<void> {
  const dnsArg = process.argv.find((arg) => arg.startsWith('--dns='))?.slice('--dns='.length) ?? 'fail-fast'
  if (dnsArg !== 'fail-fast' && dnsArg !== 'resolver') throw new Error('usage: trezor-cold.ts [--dns=fail-fast|resolver]')
  const network = refuseNetwork(dnsArg)
  let warnings = 0
  console.warn = () => void warnings++

  // The device, in its own thread and module cache; it gets ready while this thread loads our modules.
  const tsx = import.meta.resolve('tsx/esm/api')
  const worker = new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}) })`, {
    eval: true,
    workerData: { role: DEVICE_ROLE },
  })
  const fromDevice = <T extends FromDevice['type']>(type: T) =>
    new Promise<Extract<FromDevice, { type: T }>>((resolve, reject) => {
      const onMessage = (message: FromDevice) => {
        if (message.type !== type) return
        worker.off('message', onMessage)
        worker.off('error', reject)
        resolve(message as Extract<FromDevice, { type: T }>)
      }
      worker.on('message', onMessage)
      worker.on('error', reject)
    })
  const deviceReady = fromDevice('ready')
  const { TrezorSigner } = await import('../signers/trezor/index.js')
  const { enableIdentityText } = await import('../src/index.js')
  const text = enableIdentityText(new Uint8Array(32).fill(7))
  const { url } = await deviceReady

  // Observation: CommonJS loads of connect's entry points, connect's init, device-connect.
  const stamps = { importStart: NaN, importEnd: NaN, initCall: NaN, initResolved: NaN, deviceConnectEvent: NaN }
  const modulesAt = { importEnd: 0 }
  const watched = new Set(['@trezor/connect', '@trezor/transport', '@trezor/protobuf/messages.json'])
  type Loader = { _load: (request: string, parent: unknown, isMain: boolean) => unknown }
  type ConnectLike = { init: (settings: unknown) => Promise<unknown>; on: (event: string, listener: (event: { type: string }) => void) => void }
  const loader = Module as unknown as Loader
  const load = loader._load
  // The loads nodeConnect.ts makes (connect itself requires @trezor/transport too, from inside its import).
  const fromNodeConnect = (parent: unknown) => /[\\/]signers[\\/]trezor[\\/]nodeConnect\.[jt]s$/.test((parent as { filename?: string } | null)?.filename ?? '')
  loader._load = function (request, parent, isMain) {
    if (!watched.has(request) || !fromNodeConnect(parent)) return load.call(this, request, parent, isMain)
    if (Number.isNaN(stamps.importStart)) stamps.importStart = clock()
    const exports = load.call(this, request, parent, isMain)
    stamps.importEnd = clock()
    modulesAt.importEnd = cjsModules()
    if (request === '@trezor/connect') observeInit((exports as { default: ConnectLike }).default)
    return exports
  }
  let observed = false
  const fromNodeConnectSeen = () => !Number.isNaN(stamps.importEnd) && observed
  function observeInit(connect: ConnectLike): void {
    if (observed) return
    observed = true
    const init = connect.init
    connect.init = async function (this: unknown, settings: unknown) {
      stamps.initCall = clock()
      connect.on('DEVICE_EVENT', (event) => {
        if (event.type === 'device-connect' && Number.isNaN(stamps.deviceConnectEvent)) stamps.deviceConnectEvent = clock()
      })
      try {
        return await init.call(this, settings)
      } finally {
        stamps.initResolved = clock()
      }
    }
  }

  const connectLoadedBeforeOpen = Object.keys(require.cache).some((file) => file.includes('/node_modules/@trezor/'))
  const modulesBefore = cjsModules()
  const processReadyMs = performance.now()

  const openCall = clock()
  const signer = await TrezorSigner.open({ bridgeUrl: url })
  const openResolved = clock()
  const modulesAfterOpen = cjsModules()
  const connectLoadedAfterOpen = loaded('@trezor/connect')
  const openDns = network.attempts.length

  const signCall = clock()
  await signer.signPersonalMessage(text)
  const signResolved = clock()
  const modulesAfterSign = cjsModules()
  if (!fromNodeConnectSeen()) throw new Error('trezor-cold.ts: the loads of nodeConnect.ts were not observed (renamed?)')

  worker.postMessage({ type: 'report' } satisfies ToDevice)
  const { log } = await fromDevice('report')
  await signer.close()
  worker.postMessage({ type: 'close' } satisfies ToDevice)
  await fromDevice('closed')
  await worker.terminate()

  const since = (origin: number) => (s: Stamp) => ({ what: s.what, at: s.at - origin })
  const dnsSince = (origin: number) => (a: DnsAttempt) => ({ ...a, start: a.start - origin, end: a.end - origin })
  const inOpen = (s: Stamp) => s.at >= openCall && s.at <= openResolved
  const inSign = (s: Stamp) => s.at >= signCall && s.at <= signResolved
  const signMessages = log.messages.filter(inSign)
  if (signMessages.length === 0) throw new Error('no device message during signPersonalMessage')
  const result: ColdResult = {
    dns: dnsArg,
    processReadyMs,
    connectLoadedBeforeOpen,
    connectLoadedAfterOpen,
    importStart: stamps.importStart - openCall,
    importEnd: stamps.importEnd - openCall,
    initCall: stamps.initCall - openCall,
    initResolved: stamps.initResolved - openCall,
    deviceConnectEvent: stamps.deviceConnectEvent - openCall,
    openResolved: openResolved - openCall,
    firstSignature: signResolved - openCall,
    modules: { import: modulesAt.importEnd - modulesBefore, restOfOpen: modulesAfterOpen - modulesAt.importEnd, sign: modulesAfterSign - modulesAfterOpen },
    requests: log.requests.filter(inOpen).map(since(openCall)),
    messages: log.messages.filter(inOpen).map(since(openCall)),
    dnsAttempts: network.attempts.slice(0, openDns).map(dnsSince(openCall)),
    sign: {
      firstMessage: signMessages[0]!.at - signCall,
      whole: signResolved - signCall,
      messages: signMessages.map(since(signCall)),
      dnsAttempts: network.attempts.slice(openDns).map(dnsSince(signCall)),
    },
    warnings,
  }
  console.log(`RESULT ${JSON.stringify(result)}`)
  process.exit(0)
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === DEVICE_ROLE) await deviceThread()
else if (isMainThread && process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await hostThread()
