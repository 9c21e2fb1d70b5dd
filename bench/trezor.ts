// Trezor part of `npm run bench`: how long a call takes to reach the device through the real
// @trezor/connect (Node build) and a Trezor Bridge, cold (a fresh process: connect not loaded yet) and
// warm (one process, after open), per signature and per createIdentity / unlockIdentity; what connect
// loads; and what its network fetch costs each signMessage when the machine is offline.
//
// The device is our TrezorEmulator behind startTrezorBridge (trezord 3.0.5 reported) on loopback; the
// path is TrezorSigner.open({ bridgeUrl }), the adapter's own. "First device message" is the moment a
// message's frame reaches the emulator (its `messages` log, entry 'in'). Cold figures come from fresh
// processes (bench/trezor-cold.ts, device in a worker thread); the loading of connect alone is timed in
// plain Node (no tsx), as compiled code runs. No network is used: every non-loopback DNS lookup fails
// (refuseNetwork in bench/trezor-cold.ts), which is what connect meets on an offline machine.
// Nothing here asserts on timings.
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { promisify } from 'node:util'
import { createIdentity, MemoryKeyStore, unlockIdentity, type ProgressEvent, type SignaturePurpose as AnyPurpose } from '../src/index.js'
import { TrezorSigner } from '../signers/trezor/index.js'
// Types only: the emulator loads @trezor/protobuf (an optional dependency), so it is imported when the part runs.
import type { TrezorBridge, TrezorEmulator } from '../signers/trezor/emulator/index.js'
import type { MachineInfo } from './ledger.js'
import { PATH, refuseNetwork, type ColdResult, type DnsAttempt, type DnsMode, type NetworkGuard } from './trezor-cold.js'
import { fmtMs, fmtRange, median, packageVersion } from './stats.js'

/** The two v2 texts an identity's create and unlock sign (v3 texts are not measured here). */
type SignaturePurpose = Exclude<AnyPurpose, 'xmtp-v3'>

export const TREZOR_HEADING = '## Trezor: time to first device message'

const require = createRequire(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')

/** Whether the optional Trezor packages are installed (the part cannot run without them). */
export function trezorInstalled(): boolean {
  try {
    for (const name of ['@trezor/connect', '@trezor/transport', '@trezor/protobuf']) require.resolve(`${name}/package.json`)
    return true
  } catch {
    return false
  }
}

/** The slow resolver of the network comparison, and of the re-open that shows init waiting for it. */
const SLOW_DNS_MS = 250
const SLOW_DNS_REOPEN_MS = 500

// ---- device messages ---------------------------------------------------------------------------------

export type Sample = { firstMessage: number[]; whole: number[] }
const sample = (): Sample => ({ firstMessage: [], whole: [] })

/** What one call exchanged: device messages in and out (by type) and bridge requests (by route). */
export type Exchange = { in: string[]; out: string[]; requests: string[] }

type MessageProbe = {
  /** Call immediately before the call being timed. */
  start(): void
  /** Milliseconds from `start()` to the first message that reached the device after it. */
  elapsed(): number
  /** Messages and bridge requests since `start()`. */
  exchange(): Exchange
}

/** Notes when the first message after `start()` reaches the device (the emulator logs it 'in'). */
function probeMessages(emulator: TrezorEmulator, bridge: TrezorBridge): MessageProbe {
  let startedAt: number | undefined
  let firstAt: number | undefined
  let messagesFrom = 0
  let requestsFrom = 0
  const push = emulator.messages.push.bind(emulator.messages)
  emulator.messages.push = (...entries) => {
    if (startedAt !== undefined && firstAt === undefined && entries.some((e) => e.direction === 'in')) firstAt = performance.now()
    return push(...entries)
  }
  return {
    start() {
      firstAt = undefined
      messagesFrom = emulator.messages.length
      requestsFrom = bridge.requests.length
      startedAt = performance.now()
    },
    elapsed() {
      if (startedAt === undefined || firstAt === undefined) throw new Error('no message reached the device since start()')
      return firstAt - startedAt
    },
    exchange() {
      const messages = emulator.messages.slice(messagesFrom)
      return {
        in: messages.filter((m) => m.direction === 'in').map((m) => m.type),
        out: messages.filter((m) => m.direction === 'out').map((m) => m.type),
        requests: bridge.requests.slice(requestsFrom).map((path) => path.split('/')[1] ?? path),
      }
    },
  }
}

async function timeCall(probe: MessageProbe, call: () => Promise<unknown>, into: Sample): Promise<Exchange> {
  probe.start()
  const start = performance.now()
  await call()
  into.whole.push(performance.now() - start)
  into.firstMessage.push(probe.elapsed())
  return probe.exchange()
}

// ---- warm: one process, after open ---------------------------------------------------------------------

export type NetworkSample = Sample & { lookups: number[]; lookupMs: number[]; warnings: number }
export type WarmReport = {
  texts: Record<SignaturePurpose, number>
  sign: Record<SignaturePurpose, Sample>
  signExchange: Exchange
  create: Sample
  unlock: Sample
  createExchange: Exchange
  unlockExchange: Exchange
  /** Definition downloads attempted per createIdentity / unlockIdentity (the distinct counts seen). */
  identityLookups: { create: number[]; unlock: number[] }
  /** signPersonalMessage ("Enable Identity") by DNS behaviour, and ethereumGetAddress (no download). */
  network: { failFast: NetworkSample; resolver: NetworkSample; slow: NetworkSample; getAddress: Sample }
  /** TrezorSigner.open again in the same process (connect loaded): DNS failing at once, or after SLOW_DNS_REOPEN_MS. */
  reopen: { failFast: Sample; slow: Sample }
}

export type TrezorOptions = { coldRuns: number; signRepeats: number; identityRepeats: number; networkRepeats: number; reopenRepeats: number; warmup: number }
export const DEFAULT_TREZOR_OPTIONS: TrezorOptions = { coldRuns: 5, signRepeats: 15, identityRepeats: 8, networkRepeats: 8, reopenRepeats: 3, warmup: 3 }

async function measureWarm(options: TrezorOptions, network: NetworkGuard, warnings: () => number): Promise<WarmReport> {
  const { startTrezorBridge, TrezorEmulator } = await import('../signers/trezor/emulator/index.js')
  const emulator = new TrezorEmulator()
  emulator.addressAt(PATH) // derive the seed now: a real device holds it
  const bridge = await startTrezorBridge(emulator, { version: '3.0.5' })
  const probe = probeMessages(emulator, bridge)
  network.mode = 'fail-fast'
  /** The signer open at the moment (close() is not idempotent: a second one throws). */
  let open: TrezorSigner | undefined
  const close = async () => {
    const signer = open
    open = undefined
    await signer?.close()
  }
  try {
    const signer = (open = await TrezorSigner.open({ bridgeUrl: bridge.url, path: PATH }))
    // The texts, exactly as createIdentity asks for them.
    const texts = {} as Record<SignaturePurpose, string>
    const onProgress = (event: ProgressEvent) => {
      if (event.type === 'signature-request' && event.purpose !== 'xmtp-v3') texts[event.purpose] = event.text
    }
    await createIdentity(signer, new MemoryKeyStore(), { onProgress })
    const purposes: SignaturePurpose[] = ['create-identity', 'enable-identity']
    const sign = { 'create-identity': sample(), 'enable-identity': sample() }
    const discard = sample()
    let signExchange: Exchange | undefined
    for (let i = 0; i < options.warmup + options.signRepeats; i++) {
      for (const purpose of i % 2 ? [...purposes].reverse() : purposes) {
        const exchange = await timeCall(probe, () => signer.signPersonalMessage(texts[purpose]), i < options.warmup ? discard : sign[purpose])
        if (purpose === 'enable-identity') signExchange = exchange
      }
    }

    const create = sample()
    const unlock = sample()
    const store = new MemoryKeyStore()
    await createIdentity(signer, store, {})
    let createExchange: Exchange | undefined
    let unlockExchange: Exchange | undefined
    const lookups = { create: new Set<number>(), unlock: new Set<number>() }
    const counted = async (into: Set<number>, call: () => Promise<Exchange>) => {
      const from = network.attempts.length
      const exchange = await call()
      into.add(network.attempts.length - from)
      return exchange
    }
    for (let i = 0; i < options.warmup + options.identityRepeats; i++) {
      const warm = i >= options.warmup
      // A fresh store each time: createIdentity refuses to replace a stored identity.
      createExchange = await counted(lookups.create, () => timeCall(probe, () => createIdentity(signer, new MemoryKeyStore(), {}), warm ? create : discard))
      unlockExchange = await counted(lookups.unlock, () => timeCall(probe, () => unlockIdentity(signer, store, {}), warm ? unlock : discard))
    }

    // The definition download each ethereumSignMessage attempts, under three DNS behaviours (rotating),
    // against a connect call that downloads nothing (ethereumGetAddress, through the signer's session).
    const connect = (await signer.session()).connect
    const networkSample = (): NetworkSample => ({ ...sample(), lookups: [], lookupMs: [], warnings: 0 })
    const net = { failFast: networkSample(), resolver: networkSample(), slow: networkSample(), getAddress: sample() }
    const modes: [DnsMode, NetworkSample][] = [['fail-fast', net.failFast], ['resolver', net.resolver], [SLOW_DNS_MS, net.slow]]
    for (let i = 0; i < options.networkRepeats; i++) {
      for (let k = 0; k < modes.length; k++) {
        const [mode, into] = modes[(i + k) % modes.length]!
        network.mode = mode
        const attemptsFrom = network.attempts.length
        const warningsFrom = warnings()
        await timeCall(probe, () => signer.signPersonalMessage(texts['enable-identity']), into)
        const attempts: DnsAttempt[] = network.attempts.slice(attemptsFrom)
        into.lookups.push(attempts.length)
        into.lookupMs.push(...attempts.map((a) => a.end - a.start))
        into.warnings += warnings() - warningsFrom
      }
      network.mode = 'fail-fast'
      await timeCall(
        probe,
        async () => {
          const result = await connect.ethereumGetAddress({ path: PATH, showOnTrezor: false, useEmptyPassphrase: true })
          if (!result.success) throw new Error(`ethereumGetAddress failed: ${result.payload.error}`)
        },
        net.getAddress,
      )
    }

    // Open again with connect already loaded: init, handshake wait, first call; DNS at once vs slow.
    await close()
    const reopen = { failFast: sample(), slow: sample() }
    for (let i = 0; i < options.reopenRepeats * 2; i++) {
      const slow = i % 2 === 1
      network.mode = slow ? SLOW_DNS_REOPEN_MS : 'fail-fast'
      await timeCall(
        probe,
        async () => {
          open = await TrezorSigner.open({ bridgeUrl: bridge.url, path: PATH })
        },
        slow ? reopen.slow : reopen.failFast,
      )
      network.mode = 'fail-fast'
      await close()
    }
    return {
      texts: { 'create-identity': new TextEncoder().encode(texts['create-identity']).length, 'enable-identity': new TextEncoder().encode(texts['enable-identity']).length },
      sign,
      signExchange: signExchange!,
      create,
      unlock,
      createExchange: createExchange!,
      unlockExchange: unlockExchange!,
      identityLookups: { create: [...lookups.create], unlock: [...lookups.unlock] },
      network: net,
      reopen,
    }
  } finally {
    network.mode = 'fail-fast'
    await close()
    await bridge.close()
  }
}

// ---- cold: fresh processes ------------------------------------------------------------------------------

const execFileAsync = promisify(execFile)

async function runCold(): Promise<ColdResult> {
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', resolve(here, 'trezor-cold.ts'), '--dns=fail-fast'], { cwd: root, timeout: 60_000 })
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '))
  if (!line) throw new Error(`bench/trezor-cold.ts printed no result:\n${stdout}`)
  const result = JSON.parse(line.slice('RESULT '.length)) as ColdResult
  if (result.connectLoadedBeforeOpen || !result.connectLoadedAfterOpen) throw new Error('bench/trezor-cold.ts: @trezor/* was loaded before the timed open, or not by it')
  const hosts = [...result.dnsAttempts, ...result.sign.dnsAttempts].map((a) => a.host)
  if (hosts.some((host) => host !== 'data.trezor.io')) throw new Error(`bench/trezor-cold.ts: unexpected lookups ${hosts.join(', ')}`)
  return result
}

/** What nodeConnect.ts loads, in a fresh plain-Node process (no tsx), as an app's compiled code does. */
const IMPORT_ONLY = `
import { createRequire } from 'node:module'
import { statSync } from 'node:fs'
import { performance } from 'node:perf_hooks'

const require = createRequire(process.cwd() + '/package.json')
const before = new Set(Object.keys(require.cache))
globalThis.gc()
const heapBefore = process.memoryUsage().heapUsed
const start = performance.now()
require('@trezor/connect')
require('@trezor/transport')
require('@trezor/protobuf/messages.json')
const ms = performance.now() - start
globalThis.gc()
const heapMB = (process.memoryUsage().heapUsed - heapBefore) / 1e6
const loaded = Object.keys(require.cache).filter((file) => !before.has(file))
const packages = {}
let bytes = 0
for (const file of loaded) {
  const size = statSync(file).size
  bytes += size
  const tail = file.includes('node_modules/') ? file.split('node_modules/').pop() : ''
  const name = /^(?:@[^/]+\\/)?[^/]+/.exec(tail)?.[0] ?? 'other'
  const entry = (packages[name] ??= { modules: 0, bytes: 0 })
  entry.modules++
  entry.bytes += size
}
console.log('RESULT ' + JSON.stringify({ ms, modules: loaded.length, bytes, heapMB, packages }))
`

export type ImportResult = { ms: number; modules: number; bytes: number; heapMB: number; packages: Record<string, { modules: number; bytes: number }> }

async function runImportOnly(): Promise<ImportResult> {
  const { stdout } = await execFileAsync(process.execPath, ['--expose-gc', '--input-type=module', '-e', IMPORT_ONLY], { cwd: root, timeout: 60_000 })
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '))
  if (!line) throw new Error(`the import-only process printed no result:\n${stdout}`)
  return JSON.parse(line.slice('RESULT '.length)) as ImportResult
}

// ---- footprint on disk ----------------------------------------------------------------------------------

export type Footprint = { packages: number; bytes: number; diskBytes: number; largest: { name: string; bytes: number }[] }

/**
 * The installed packages a set of packages needs (dependencies, optional dependencies and required peer
 * dependencies, as npm installs them), resolved from node_modules as Node would, keyed by directory.
 */
function dependencyClosure(names: readonly string[], from: string): Map<string, string> {
  const found = new Map<string, string>()
  const visit = (name: string, fromDir: string) => {
    const dir = packageDir(name, fromDir)
    if (!dir || found.has(dir)) return
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string
      dependencies?: Record<string, string>
      optionalDependencies?: Record<string, string>
      peerDependencies?: Record<string, string>
      peerDependenciesMeta?: Record<string, { optional?: boolean }>
    }
    found.set(dir, manifest.name)
    const peers = Object.keys(manifest.peerDependencies ?? {}).filter((peer) => !manifest.peerDependenciesMeta?.[peer]?.optional)
    for (const dep of [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {}), ...peers]) visit(dep, dir)
  }
  for (const name of names) visit(name, from)
  return found
}

/** Where `name` resolves from `fromDir`: node_modules lookup upwards (packages without a ./package.json export too). */
function packageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return candidate
    if (dirname(dir) === dir) return undefined
  }
}

/** Bytes of a package's own files (its nested node_modules are packages of their own), and on disk. */
function packageSize(dir: string): { bytes: number; diskBytes: number } {
  let bytes = 0
  let diskBytes = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules') continue
      const inner = packageSize(path)
      bytes += inner.bytes
      diskBytes += inner.diskBytes
    } else if (entry.isFile()) {
      const stat = statSync(path)
      bytes += stat.size
      diskBytes += stat.blocks * 512
    }
  }
  return { bytes, diskBytes }
}

function footprint(dirs: Iterable<[string, string]>): Footprint {
  const sizes = [...dirs].map(([dir, name]) => ({ name, ...packageSize(dir) }))
  const largest = new Map<string, number>()
  for (const s of sizes) largest.set(s.name, (largest.get(s.name) ?? 0) + s.bytes)
  return {
    packages: sizes.length,
    bytes: sizes.reduce((a, s) => a + s.bytes, 0),
    diskBytes: sizes.reduce((a, s) => a + s.diskBytes, 0),
    largest: [...largest].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes).slice(0, 5),
  }
}

export type Footprints = { trezor: Footprint; trezorOnly: Footprint; ours: Footprint; typescriptPeers: string[] }

/** @trezor/connect's tree (with our other Trezor peers), and what of it our required dependencies do not already bring. */
function measureFootprints(): Footprints {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; peerDependencies: Record<string, string> }
  const trezorNames = Object.keys(manifest.peerDependencies).filter((name) => name.startsWith('@trezor/'))
  const trezor = dependencyClosure(trezorNames, root)
  const ours = dependencyClosure(Object.keys(manifest.dependencies), root)
  const only = [...trezor].filter(([dir]) => !ours.has(dir))
  const typescriptPeers = [...trezor.keys()].filter((dir) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }> }
    return manifest.peerDependencies?.typescript !== undefined && !manifest.peerDependenciesMeta?.typescript?.optional
  })
  return { trezor: footprint(trezor), trezorOnly: footprint(only), ours: footprint(ours), typescriptPeers: [...new Set(typescriptPeers.map((dir) => trezor.get(dir)!))].sort() }
}

// ---- the run -----------------------------------------------------------------------------------------------

export type TrezorReport = {
  options: TrezorOptions
  versions: { connect: string; transport: string }
  warm: WarmReport
  cold: ColdResult[]
  importOnly: ImportResult[]
  footprints: Footprints
  /** Lookups of this machine's resolver for data.trezor.io, all failed: the codes seen. */
  resolverCodes: string[]
  seconds: number
}

export async function runTrezorBench(options: TrezorOptions = DEFAULT_TREZOR_OPTIONS, log: (line: string) => void = console.log): Promise<TrezorReport> {
  const started = performance.now()
  const network = refuseNetwork('fail-fast')
  // connect warns on every refused definition download; counted, not printed.
  const warn = console.warn
  let warnings = 0
  console.warn = () => void warnings++
  let warm: WarmReport
  try {
    warm = await measureWarm(options, network, () => warnings)
  } finally {
    console.warn = warn
    network.restore()
  }
  const resolverCodes = [...new Set(network.attempts.filter((a) => a.host === 'data.trezor.io').map((a) => a.code))]
  const unexpected = network.attempts.filter((a) => a.host !== 'data.trezor.io')
  if (unexpected.length) throw new Error(`connect looked up ${unexpected.map((a) => a.host).join(', ')}`)
  log(
    `warm signPersonalMessage → first device message (median): ${fmtMs(median(warm.sign['create-identity'].firstMessage))} ("Create Identity"), ` +
      `${fmtMs(median(warm.sign['enable-identity'].firstMessage))} ("Enable Identity"); whole ${fmtMs(median(warm.sign['create-identity'].whole))}, ${fmtMs(median(warm.sign['enable-identity'].whole))}`,
  )
  const cold: ColdResult[] = []
  const importOnly: ImportResult[] = []
  for (let i = 0; i < options.coldRuns; i++) {
    cold.push(await runCold())
    importOnly.push(await runImportOnly())
  }
  log(
    `cold TrezorSigner.open → first device message (median of ${options.coldRuns}): ${fmtMs(median(cold.map(firstOpenMessage)))}; ` +
      `@trezor/connect import alone ${fmtMs(median(importOnly.map((r) => r.ms)))}, ${importOnly[0]?.modules} modules`,
  )
  const footprints = measureFootprints()
  const versions = { connect: packageVersion('@trezor/connect'), transport: packageVersion('@trezor/transport') }
  return { options, versions, warm, cold, importOnly, footprints, resolverCodes, seconds: (performance.now() - started) / 1000 }
}

// ---- cold timeline -----------------------------------------------------------------------------------------

const at = (stamps: { what: string; at: number }[], match: (what: string) => boolean) => stamps.find((s) => match(s.what))?.at ?? NaN
const firstOpenMessage = (c: ColdResult) => c.messages[0]?.at ?? NaN

/** The cold open's milestones (ms after the open call). */
function milestones(c: ColdResult) {
  const enumerate = at(c.requests, (w) => w === '/enumerate')
  const acquire = at(c.requests, (w) => w.startsWith('/acquire/'))
  // connect's first call after init: its acquire, then Initialize.
  const callInitialize = c.messages.find((m) => m.what === 'Initialize' && m.at > c.initResolved)?.at ?? NaN
  return { enumerate, acquire, firstMessage: firstOpenMessage(c), callInitialize }
}

// ---- formatting ----------------------------------------------------------------------------------------------

const fmtMedian = (v: readonly number[]) => `${fmtMs(median(v))} (${fmtRange(v)})`
const fmtMB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`
const list = (names: string[]) => names.join(' → ')
const countOf = (names: string[]) => {
  const counts = new Map<string, number>()
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1)
  return [...counts].map(([n, k]) => (k > 1 ? `${n} ×${k}` : n)).join(', ')
}
/** "once", "twice", "3 times" (or "1 or 2 times" when the runs differed). */
const times = (counts: readonly number[]) =>
  counts.length === 1 && counts[0] === 1 ? 'once' : counts.length === 1 && counts[0] === 2 ? 'twice' : `${counts.join(' or ')} times`
/** Bridge requests without the /listen long polls connect keeps open anyway. */
const calls = (e: Exchange) => e.requests.filter((r) => r !== 'listen')

export function trezorSection(report: TrezorReport, machine: MachineInfo): string {
  const { warm, cold, importOnly, footprints, options } = report
  const m = cold.map(milestones)
  const col = (f: (c: ColdResult, i: number) => number) => cold.map(f)
  const row = (label: string, values: number[]) => `| ${label} | ${fmtMedian(values)} |`
  const segments = [
    row('import: `@trezor/connect`, `@trezor/transport`, the protobuf definitions', col((c) => c.importEnd)),
    row('`BridgeTransport` built, init called', col((c) => c.initCall - c.importEnd)),
    row('init until the bridge lists the device (`/enumerate`)', col((c, i) => m[i]!.enumerate - c.initCall)),
    row("connect's handshake wait (`/enumerate` → `/acquire`)", col((c, i) => m[i]!.acquire - m[i]!.enumerate)),
    row('`/acquire` → first device message', col((c, i) => m[i]!.firstMessage - m[i]!.acquire)),
  ]
  const firstTypes = [...new Set(cold.map((c) => c.messages[0]?.what ?? '?'))].join(' / ')
  const imports = importOnly.map((r) => r.ms)
  const last = importOnly[importOnly.length - 1]
  const packages = Object.entries(last?.packages ?? {}).sort((a, b) => b[1].modules - a[1].modules)
  const topPackages = packages.slice(0, 6).map(([name, p]) => `${name} ${p.modules}`).join(', ')
  const bytesTop = [...packages].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 4).map(([name, p]) => `${name} ${fmtMB(p.bytes)}`).join(', ')
  const lazy = median(cold.map((c) => c.modules.restOfOpen))
  const coldSignLookups = [...new Set(cold.map((c) => c.sign.dnsAttempts.length))]
  const n = warm.network
  const delta = (a: Sample, b: Sample) => median(a.firstMessage) - median(b.firstMessage)
  const lookupsPerSign = (s: NetworkSample) => [...new Set(s.lookups)].join(' or ')
  const resolverLookup = fmtMedian(n.resolver.lookupMs)
  const openInit = col((c) => c.initCall - c.importEnd)
  const fp = footprints
  const typescriptPeers = fp.typescriptPeers
  return `${TREZOR_HEADING}

What the Trezor issue asks of \`bench/\`: the time from a call to its first device message and per
signature, cold (first import) and warm. Generated by \`bench/trezor.ts\` (with
\`bench/trezor-cold.ts\` in fresh processes) as part of \`npm run bench\`; \`npm run bench -- --part=trezor\`
regenerates only this section (about ${Math.ceil(report.seconds)} s).

- Date: ${machine.date}; Node ${machine.node}; ${machine.cpu}; ${machine.os}
- Load average (1 / 5 / 15 min) at start: ${machine.loadStart}; at end: ${machine.loadEnd}
- \`TrezorSigner.open({ bridgeUrl })\` drives the real \`@trezor/connect\` ${report.versions.connect} (Node build, with
  \`@trezor/transport\` ${report.versions.transport}'s \`BridgeTransport\`), unchanged, against the Trezor emulator
  (\`signers/trezor/emulator\`, Model T firmware 2.9.1, account ${PATH} of the public test mnemonic)
  behind \`startTrezorBridge\` (trezord 3.0.5 reported) over loopback HTTP. The emulator approves at
  once (no person), so the times are host-side overhead plus the emulator's own work.
- A device message is timed when its frame reaches the emulator (its \`messages\` log, entry \`in\`).
- Offline throughout: every DNS lookup for a host other than loopback fails (ENOTFOUND) — at once unless
  a row says otherwise — so connect's downloads from data.trezor.io fail the way they do on a machine
  without network, and the figures do not depend on a network. Connect's warnings about them are counted, not printed.

### Cold: \`TrezorSigner.open\` → first device message, and the first signature

${options.coldRuns} fresh \`node --import tsx bench/trezor-cold.ts\` processes. Each starts the emulator and its
bridge in a worker thread (own module cache: the emulator loads \`@trezor/protobuf\`, part of connect's
tree), checks nothing of \`@trezor/*\` is loaded in the main thread, then times \`TrezorSigner.open\` and a
first \`signPersonalMessage\` (${warm.texts['enable-identity']}-byte "Enable Identity" text). Milestones: the loads \`nodeConnect.ts\` makes
(a wrapper around Node's CommonJS loader), connect's \`init\` (wrapped), the bridge's request log and the
device's message log (stamped in the worker on the shared monotonic clock). Median (min–max).

| segment of open → first device message | time |
| --- | ---: |
${segments.join('\n')}
| **open → first device message** (${firstTypes}: connect's device handshake) | **${fmtMedian(col((_, i) => m[i]!.firstMessage))}** |
| open → init resolved (handshake done: Cancel, GetFeatures) | ${fmtMedian(col((c) => c.initResolved))} |
| open → first message of connect's first call (Initialize of \`ethereumGetAddress\`) | ${fmtMedian(col((_, i) => m[i]!.callInitialize))} |
| whole \`TrezorSigner.open\` | ${fmtMedian(col((c) => c.openResolved))} |
| first \`signPersonalMessage\` → first device message (Initialize) | ${fmtMedian(col((c) => c.sign.firstMessage))} |
| whole first \`signPersonalMessage\` | ${fmtMedian(col((c) => c.sign.whole))} |
| **open call → first signature** | **${fmtMedian(col((c) => c.firstSignature))}** |

- Under tsx (how this process runs) the import is slower than compiled code sees it: the same three
  \`require\`s in a fresh plain-Node process take ${fmtMs(median(imports))} (${fmtRange(imports)}, ${importOnly.length} processes; last subsection).
- "\`BridgeTransport\` built" (${fmtMs(median(openInit))}): \`TrezorSigner\` builds connect's \`BridgeTransport\` from the protobuf definitions before \`init\`.
- Init until the device is listed: connect's core starts and awaits the \`releases.v1.json\` download (refused
  here in ${fmtMs(median(col((c) => (c.dnsAttempts[0] ? c.dnsAttempts[0].end - c.dnsAttempts[0].start : NaN))))}), asks the bridge its version (\`POST /\`) and enumerates.
- The handshake wait is connect's fixed 100 × 2 + 501 = 701 ms before it touches a device it has just
  seen (\`DeviceList.onDeviceConnected\`; no option changes it in Node). Its handshake then sends
  Cancel and GetFeatures, and \`init\` resolves.
- The first call (\`ethereumGetAddress\`, in open) loads ${lazy} more CommonJS modules (connect's Ethereum
  methods, \`@ethereumjs/*\`); the first signature loads ${median(cold.map((c) => c.modules.sign))}. Node, tsx, our modules and the device thread
  took ${fmtMs(median(cold.map((c) => c.processReadyMs)))} before the open (median, not counted). The first signature looked up data.trezor.io
  ${times(coldSignLookups)} (below).

### Warm: per signature and per identity operation

One process, one \`TrezorSigner\` (opened once, untimed), the emulator and its bridge in the same process
(their work on the same thread is in the figures). ${options.warmup} untimed rounds
first; signatures alternate between the two texts (${options.signRepeats} each), \`createIdentity\` goes into a fresh
\`MemoryKeyStore\` each time and \`unlockIdentity\` reads one stored identity (${options.identityRepeats} each). Whole-call
times include our checks (recovering each signature's account) and, for create / unlock, the engine's
own work. Median (min–max).

| call | → first device message | whole call |
| --- | ---: | ---: |
| \`signPersonalMessage\`, "Create Identity" (${warm.texts['create-identity']}-byte text) | ${fmtMedian(warm.sign['create-identity'].firstMessage)} | ${fmtMedian(warm.sign['create-identity'].whole)} |
| \`signPersonalMessage\`, "Enable Identity" (${warm.texts['enable-identity']}-byte text) | ${fmtMedian(warm.sign['enable-identity'].firstMessage)} | ${fmtMedian(warm.sign['enable-identity'].whole)} |
| \`createIdentity\` (key generation first; 2 signatures) | ${fmtMedian(warm.create.firstMessage)} | ${fmtMedian(warm.create.whole)} |
| \`unlockIdentity\` (1 signature) | ${fmtMedian(warm.unlock.firstMessage)} | ${fmtMedian(warm.unlock.whole)} |
| \`TrezorSigner.open\` again after \`close\` (connect loaded; ${options.reopenRepeats} times) | ${fmtMedian(warm.reopen.failFast.firstMessage)} | ${fmtMedian(warm.reopen.failFast.whole)} |

- Each signature is one connect call, and each connect call starts over with the device: to the device
  ${list(warm.signExchange.in)} (${warm.signExchange.in.length} messages), from it ${list(warm.signExchange.out)};
  bridge requests ${countOf(calls(warm.signExchange))} (besides the \`/listen\` long poll). \`createIdentity\` sends ${warm.createExchange.in.length} messages, \`unlockIdentity\` ${warm.unlockExchange.in.length}.
- Before its first message, every \`signPersonalMessage\` also waits for connect's attempt to download the
  Ethereum network definition (next table).
- A re-open in the same process skips the import but not init and the 701 ms handshake wait.

### Network: connect's download on every signMessage, offline

\`ethereumSignMessage\` always tries \`https://data.trezor.io/firmware/eth-definitions/slip44/60/network.dat\`
(cross-fetch → node-fetch, no timeout) before it touches the device, and on failure warns on the console
and goes on (docs/trezor-connect-notes.md §3). Same warm signer, "Enable Identity" text, the three DNS
behaviours rotating (${options.networkRepeats} calls each), against \`ethereumGetAddress\` through the same connect (no
download for slip44 60). Median (min–max).

| call, DNS behaviour | → first device message | whole call | lookups per call | console warnings |
| --- | ---: | ---: | ---: | ---: |
| \`ethereumGetAddress\` (no download) | ${fmtMedian(n.getAddress.firstMessage)} | ${fmtMedian(n.getAddress.whole)} | 0 | 0 |
| \`signPersonalMessage\`, DNS fails at once | ${fmtMedian(n.failFast.firstMessage)} | ${fmtMedian(n.failFast.whole)} | ${lookupsPerSign(n.failFast)} | ${n.failFast.warnings} in ${n.failFast.whole.length} |
| \`signPersonalMessage\`, this machine's resolver (fails: ${report.resolverCodes.join(', ') || '–'}; lookup ${resolverLookup}) | ${fmtMedian(n.resolver.firstMessage)} | ${fmtMedian(n.resolver.whole)} | ${lookupsPerSign(n.resolver)} | ${n.resolver.warnings} in ${n.resolver.whole.length} |
| \`signPersonalMessage\`, DNS fails after ${SLOW_DNS_MS} ms | ${fmtMedian(n.slow.firstMessage)} | ${fmtMedian(n.slow.whole)} | ${lookupsPerSign(n.slow)} | ${n.slow.warnings} in ${n.slow.whole.length} |
| \`TrezorSigner.open\` again, DNS fails at once (releases.v1.json in init) | ${fmtMedian(warm.reopen.failFast.firstMessage)} | ${fmtMedian(warm.reopen.failFast.whole)} | | |
| \`TrezorSigner.open\` again, DNS fails after ${SLOW_DNS_REOPEN_MS} ms | ${fmtMedian(warm.reopen.slow.firstMessage)} | ${fmtMedian(warm.reopen.slow.whole)} | | |

- When DNS fails at once (here this machine's resolver fails in about ${fmtMs(median(n.resolver.lookupMs))}) the attempt costs little: the first
  device message comes ${fmtMs(median(n.failFast.firstMessage))} / ${fmtMs(median(n.resolver.firstMessage))} after the call, against ${fmtMs(median(n.getAddress.firstMessage))} for \`ethereumGetAddress\`, which downloads nothing
  (the two calls differ in more than the download; the difference is within their spread).
- A slow failure is paid in full, in series, on every signature: ${SLOW_DNS_MS} ms of DNS added
  ${fmtMs(delta(n.slow, n.failFast))} before the first message (medians). Nothing is cached between calls (the failed download is
  retried each time): \`createIdentity\` looked data.trezor.io up ${times(warm.identityLookups.create)}, \`unlockIdentity\` ${times(warm.identityLookups.unlock)}.
- Init waits the same way for \`releases.v1.json\` (bounded by connect at 5 s): ${SLOW_DNS_REOPEN_MS} ms of DNS added
  ${fmtMs(median(warm.reopen.slow.firstMessage) - median(warm.reopen.failFast.firstMessage))} to open → first device message (medians of ${options.reopenRepeats}).
- Not measured here: a network that drops packets silently. node-fetch then waits for the TCP connect
  with no timeout of its own (notes §3), before the device is touched.

### What \`@trezor/connect\` loads (why it is an optional dependency)

- Loading what \`signers/trezor/nodeConnect.ts\` loads (\`@trezor/connect\`, \`@trezor/transport\`, the
  protobuf definitions) in a fresh plain-Node process: ${fmtMs(median(imports))} (${fmtRange(imports)}, ${importOnly.length} processes);
  ${last?.modules} CommonJS modules, ${fmtMB(last?.bytes ?? NaN)} of JavaScript and JSON read, ${(last?.heapMB ?? NaN).toFixed(1)} MB of heap after GC,
  from ${packages.length} packages (most modules: ${topPackages}; most bytes: ${bytesTop}).
  Connect's first call loads ${lazy} more (cold table).
- Installed: \`@trezor/connect\` with its dependencies (and our optional \`@trezor/transport\`,
  \`@trezor/protobuf\`) is ${fp.trezor.packages} packages, ${fmtMB(fp.trezor.bytes)} of files (${fmtMB(fp.trezor.diskBytes)} on disk; largest:
  ${fp.trezor.largest.map((p) => `${p.name} ${fmtMB(p.bytes)}`).join(', ')}); ${fp.trezorOnly.packages} of those packages,
  ${fmtMB(fp.trezorOnly.bytes)} (${fmtMB(fp.trezorOnly.diskBytes)} on disk), are not already needed by our required dependencies
  (${fp.ours.packages} packages, ${fmtMB(fp.ours.bytes)}). Connect is multi-coin (Cardano, Solana, Stellar, XRP,
  Bitcoin-like …); signing an Ethereum message uses a small part of it.${
    typescriptPeers.length
      ? ` npm also installs \`typescript\` for it: a required peer dependency of ${typescriptPeers.length} of its packages (${typescriptPeers.slice(0, 2).join(', ')} …).`
      : ''
  }
`
}
