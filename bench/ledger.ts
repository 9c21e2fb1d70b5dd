// Ledger part of `npm run bench`: what createIdentity / unlockIdentity cost in APDU traffic with the
// real @ledgerhq/hw-app-eth over our device emulator, against the fewest APDUs and bytes the Ethereum
// app's protocol allows (255 data bytes per APDU), and how long a call takes to reach the device.
//
// Traffic is read from the emulator's transcript (every command/response pair, hex). The minimum is
// computed from the actual text lengths, and a 255-byte chunker (bench-only, raw APDUs) is run
// against a second emulator to check that the minimum is accepted and gives the same signatures.
// "Call → first APDU" wraps the emulator's `exchange` (bench/firstApdu.ts): in process, and over TCP
// through the real Speculos transport; cold figures come from fresh Node processes (bench/ledger-cold.ts).
// Nothing here asserts on timings.
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { promisify } from 'node:util'
import {
  createIdentity,
  MemoryKeyStore,
  parseDerivationPath,
  unlockIdentity,
  type ProgressEvent,
  type SignaturePurpose as AnyPurpose,
} from '../src/index.js'
import { LedgerSigner, openLedgerSpeculos, type Transport } from '../signers/ledger/index.js'
import { APDU, apduPrefix, encodePath, MAX_APDU_DATA, USB } from '../signers/ledger/protocol.js'
import { createEmulatorTransport, LedgerEmulator, startSpeculosServer, TEST_MNEMONIC } from '../signers/ledger/emulator/index.js'
import { probeFirstApdu, SIGN_TEXT, type FirstApduProbe } from './firstApdu.js'
import type { ColdResult } from './ledger-cold.js'
import { fmtMs, fmtRange, median, packageVersion } from './stats.js'

/** The two v2 texts an identity's create and unlock sign (v3 texts are not measured here). */
type SignaturePurpose = Exclude<AnyPurpose, 'xmtp-v3'>

export const LEDGER_HEADING = '## Ledger: APDU traffic and time to first APDU'

const require = createRequire(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')

/** The account every figure uses: Ledger Live index 0 of the public test mnemonic. */
const PATH = "m/44'/60'/0'/0/0"
const PATH_INDEXES = parseDerivationPath(PATH)
const PATH_LEVELS = PATH_INDEXES.length
/** The Ethereum app's limit on data bytes per APDU (Lc is one byte). */
const APP_MAX_DATA = MAX_APDU_DATA
/** What @ledgerhq/hw-app-eth 7.9 puts in one SIGN PERSONAL MESSAGE APDU. */
const HW_APP_ETH_CHUNK = 150
const APDU_HEADER = 5
const STATUS_WORD = 2
const SIGNATURE = 65

/** USB HID framing as hw-transport-webhid / node-hid use it: 64-byte reports, node-hid's channel. */
const hidFraming = (require('@ledgerhq/hw-transport-webhid/lib/hid-framing') as { default: (channel: number, packetSize: number) => { makeBlocks(apdu: Buffer): Uint8Array[] } }).default(
  USB.NODE_HID_CHANNEL,
  USB.HID_REPORT_SIZE,
)
/** Reports one message of `bytes` takes over USB HID (the device frames its answers the same way). */
const hidReports = (bytes: number) => hidFraming.makeBlocks(Buffer.alloc(bytes)).length

export const hwAppEthVersion = packageVersion('@ledgerhq/hw-app-eth')
const speculosTransportVersion = packageVersion('@ledgerhq/hw-transport-node-speculos')

// ---- traffic ---------------------------------------------------------------------------------

export type Traffic = { apdus: number; commandBytes: number; responseBytes: number; hidReports: number }
type Pair = { command: string; response: string }

const ZERO: Traffic = { apdus: 0, commandBytes: 0, responseBytes: 0, hidReports: 0 }

function add(...all: Traffic[]): Traffic {
  return all.reduce((a, b) => ({
    apdus: a.apdus + b.apdus,
    commandBytes: a.commandBytes + b.commandBytes,
    responseBytes: a.responseBytes + b.responseBytes,
    hidReports: a.hidReports + b.hidReports,
  }), ZERO)
}

function traffic(commandLengths: readonly number[], responseLengths: readonly number[]): Traffic {
  const sum = (v: readonly number[]) => v.reduce((a, b) => a + b, 0)
  return {
    apdus: commandLengths.length,
    commandBytes: sum(commandLengths),
    responseBytes: sum(responseLengths),
    hidReports: sum(commandLengths.map(hidReports)) + sum(responseLengths.map(hidReports)),
  }
}

/** Traffic of a transcript slice (hex strings: two characters a byte). */
function measured(pairs: readonly Pair[]): Traffic {
  return traffic(pairs.map((p) => p.command.length / 2), pairs.map((p) => p.response.length / 2))
}

/**
 * SIGN PERSONAL MESSAGE for a message of `messageBytes` with at most `maxData` data bytes per APDU:
 * the first APDU carries path count, 4 bytes per path level and the u32 message length before the
 * first message bytes; every APDU but the last is answered by the status word alone, the last by
 * v ‖ r ‖ s and the status word.
 */
export function personalSignPlan(messageBytes: number, maxData: number, pathLevels = PATH_LEVELS): { data: number[]; traffic: Traffic } {
  const prefix = 1 + 4 * pathLevels + 4
  const first = Math.min(messageBytes, maxData - prefix)
  const data = [prefix + first]
  for (let rest = messageBytes - first; rest > 0; rest -= Math.min(rest, maxData)) data.push(Math.min(rest, maxData))
  const commands = data.map((d) => APDU_HEADER + d)
  const responses = commands.map((_, i) => (i === commands.length - 1 ? SIGNATURE + STATUS_WORD : STATUS_WORD))
  return { data, traffic: traffic(commands, responses) }
}

/** The SIGN PERSONAL MESSAGE APDUs with up to 255 data bytes each, sent raw: what a 255-byte chunker sends. */
async function signPersonalMessage255(transport: Transport, message: Uint8Array): Promise<Uint8Array> {
  const { cla, ins, p1, p2 } = APDU.SIGN_PERSONAL_MESSAGE
  const length = Buffer.alloc(4)
  length.writeUInt32BE(message.length)
  const prefix = Buffer.concat([encodePath(PATH_INDEXES), length])
  let offset = Math.min(message.length, APP_MAX_DATA - prefix.length)
  let response = await transport.send(cla, ins, p1.FIRST, p2.NONE, Buffer.concat([prefix, message.subarray(0, offset)]))
  while (offset < message.length) {
    const end = Math.min(message.length, offset + APP_MAX_DATA)
    response = await transport.send(cla, ins, p1.MORE, p2.NONE, Buffer.from(message.subarray(offset, end)))
    offset = end
  }
  return response
}

export type RequestTraffic = {
  operation: 'create' | 'unlock'
  purpose: SignaturePurpose
  textBytes: number
  ours: Traffic
  /** hw-app-eth's 150-byte chunking, computed: it should equal `ours`. */
  model150: Traffic
  minimum: Traffic
  /** The 255-byte chunker run against a second emulator: equals `minimum`, same signature as ours. */
  chunk255: Traffic
  sameSignature: boolean
  /** Data bytes of each APDU we sent, and of the minimum's. */
  oursData: number[]
  minimumData: number[]
}

export type TrafficReport = {
  open: Traffic
  openCommands: string[]
  requests: RequestTraffic[]
  create: { ours: Traffic; minimum: Traffic }
  unlock: { ours: Traffic; minimum: Traffic }
  /** APDUs that were not SIGN PERSONAL MESSAGE inside create/unlock (expected none). */
  otherApdusInOperations: number
}

/** Command names by their first two bytes (`e008` → SIGN PERSONAL MESSAGE), from the protocol table. */
const COMMAND_NAMES: Record<string, string> = Object.fromEntries(Object.entries(APDU).map(([name, command]) => [apduPrefix(command), name.replaceAll('_', ' ')]))
const SIGN_PERSONAL_MESSAGE_PREFIX = apduPrefix(APDU.SIGN_PERSONAL_MESSAGE)

/** One createIdentity and one unlockIdentity, after LedgerSigner.open, with every APDU accounted for. */
async function measureTraffic(): Promise<TrafficReport> {
  const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
  const signer = await LedgerSigner.open({ transport: createEmulatorTransport(emulator), path: PATH })
  const openPairs = emulator.transcript.slice()
  const store = new MemoryKeyStore()
  // Each signature request starts where the transcript stands when the engine announces it.
  const marks: { at: number; purpose: SignaturePurpose; text: string }[] = []
  const onProgress = (event: ProgressEvent) => {
    if (event.type === 'signature-request' && event.purpose !== 'xmtp-v3') marks.push({ at: emulator.transcript.length, purpose: event.purpose, text: event.text })
  }
  const run = async (operation: 'create' | 'unlock', call: () => Promise<unknown>) => {
    const from = emulator.transcript.length
    marks.length = 0
    await call()
    const to = emulator.transcript.length
    const before = marks[0]?.at ?? to
    return { operation, other: before - from, segments: marks.map((m, i) => ({ ...m, pairs: emulator.transcript.slice(m.at, marks[i + 1]?.at ?? to) })) }
  }
  const created = await run('create', () => createIdentity(signer, store, { onProgress }))
  const unlocked = await run('unlock', () => unlockIdentity(signer, store, { onProgress }))
  await signer.close()
  if (emulator.apduCount !== emulator.transcript.length) throw new Error(`the emulator received ${emulator.apduCount} APDUs but answered ${emulator.transcript.length}`)

  // The same texts through a 255-byte chunker, on a second device with the same seed.
  const device255 = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
  const transport255 = createEmulatorTransport(device255)
  const requests: RequestTraffic[] = []
  let otherApdus = created.other + unlocked.other
  for (const { operation, segments } of [created, unlocked]) {
    for (const segment of segments) {
      const message = new TextEncoder().encode(segment.text)
      const signs = segment.pairs.filter((p) => p.command.startsWith(SIGN_PERSONAL_MESSAGE_PREFIX))
      otherApdus += segment.pairs.length - signs.length
      const from = device255.transcript.length
      const response = await signPersonalMessage255(transport255, message)
      const pairs255 = device255.transcript.slice(from)
      const minimum = personalSignPlan(message.length, APP_MAX_DATA)
      requests.push({
        operation,
        purpose: segment.purpose,
        textBytes: message.length,
        ours: measured(segment.pairs),
        model150: personalSignPlan(message.length, HW_APP_ETH_CHUNK).traffic,
        minimum: minimum.traffic,
        chunk255: measured(pairs255),
        sameSignature: Buffer.from(response).toString('hex') === signs[signs.length - 1]?.response,
        oursData: signs.map((p) => p.command.length / 2 - APDU_HEADER),
        minimumData: minimum.data,
      })
    }
  }
  await transport255.close()
  const total = (operation: 'create' | 'unlock') => {
    const rs = requests.filter((r) => r.operation === operation)
    return { ours: add(...rs.map((r) => r.ours)), minimum: add(...rs.map((r) => r.minimum)) }
  }
  return {
    open: measured(openPairs),
    openCommands: openPairs.map((p) => COMMAND_NAMES[p.command.slice(0, 4)] ?? p.command.slice(0, 4)),
    requests,
    create: total('create'),
    unlock: total('unlock'),
    otherApdusInOperations: otherApdus,
  }
}

// ---- time to first APDU --------------------------------------------------------------------------

export type Sample = { firstApdu: number[]; whole: number[] }
export type WarmTimes = { sign: Sample; create: Sample; unlock: Sample }

async function timeCall(probe: FirstApduProbe, call: () => Promise<unknown>, into: Sample): Promise<void> {
  probe.start()
  const start = performance.now()
  await call()
  into.whole.push(performance.now() - start)
  into.firstApdu.push(probe.elapsed())
}

/** Warm figures on one open signer: repeated signPersonalMessage, createIdentity, unlockIdentity. */
async function measureWarm(kind: 'memory' | 'tcp', repeats: { sign: number; identity: number; warmup: number }): Promise<WarmTimes> {
  const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
  const probe = probeFirstApdu(emulator)
  const server = kind === 'tcp' ? await startSpeculosServer(emulator) : undefined
  const transport = server ? await openLedgerSpeculos(server.url) : createEmulatorTransport(emulator)
  const signer = await LedgerSigner.open({ transport, path: PATH })
  const times: WarmTimes = { sign: { firstApdu: [], whole: [] }, create: { firstApdu: [], whole: [] }, unlock: { firstApdu: [], whole: [] } }
  const discard: Sample = { firstApdu: [], whole: [] }
  try {
    for (let i = 0; i < repeats.warmup + repeats.sign; i++) await timeCall(probe, () => signer.signPersonalMessage(SIGN_TEXT), i < repeats.warmup ? discard : times.sign)
    const store = new MemoryKeyStore()
    for (let i = 0; i < repeats.warmup + repeats.identity; i++) {
      const warm = i >= repeats.warmup
      // A fresh store each time: createIdentity refuses to replace a stored identity.
      const fresh = new MemoryKeyStore()
      await timeCall(probe, () => createIdentity(signer, fresh, {}), warm ? times.create : discard)
      if (i === 0) await createIdentity(signer, store, {})
      await timeCall(probe, () => unlockIdentity(signer, store, {}), warm ? times.unlock : discard)
    }
  } finally {
    await signer.close()
    await server?.close()
  }
  return times
}

const execFileAsync = promisify(execFile)

async function runCold(kind: 'memory' | 'tcp'): Promise<ColdResult> {
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', resolve(here, 'ledger-cold.ts'), `--transport=${kind}`], { cwd: root, timeout: 60_000 })
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '))
  if (!line) throw new Error(`bench/ledger-cold.ts printed no result:\n${stdout}`)
  const result = JSON.parse(line.slice('RESULT '.length)) as ColdResult
  if (result.hwAppEthLoadedBeforeOpen || !result.hwAppEthLoadedAfterOpen) throw new Error('bench/ledger-cold.ts: hw-app-eth was loaded before the timed open, or not by it')
  return result
}

/** Loading hw-app-eth alone in a fresh plain-Node process (no tsx), as an app's compiled code does. */
const IMPORT_ONLY = `
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'

const require = createRequire(process.cwd() + '/package.json')
const before = new Set(Object.keys(require.cache))
const start = performance.now()
await import('@ledgerhq/hw-app-eth/lib/Eth')
const ms = performance.now() - start
const loaded = Object.keys(require.cache).filter((file) => !before.has(file))
const packages = {}
for (const file of loaded) {
  const tail = file.includes('node_modules/') ? file.split('node_modules/').pop() : ''
  const found = /^(?:@[^/]+\\/)?[^/]+/.exec(tail)?.[0] ?? 'other'
  // Scoped packages other than Ledger's own count together (@ethersproject/* is one library).
  const name = found.startsWith('@') && !found.startsWith('@ledgerhq/') ? found.split('/')[0] + '/*' : found
  packages[name] = (packages[name] ?? 0) + 1
}
console.log('RESULT ' + JSON.stringify({ ms, modules: loaded.length, packages }))
`

export type ImportResult = { ms: number; modules: number; packages: Record<string, number> }

async function runImportOnly(): Promise<ImportResult> {
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', IMPORT_ONLY], { cwd: root, timeout: 60_000 })
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '))
  if (!line) throw new Error(`the import-only process printed no result:\n${stdout}`)
  return JSON.parse(line.slice('RESULT '.length)) as ImportResult
}

// ---- the run -----------------------------------------------------------------------------------------

export type LedgerOptions = { coldRuns: number; signRepeats: number; identityRepeats: number; warmup: number }
export const DEFAULT_LEDGER_OPTIONS: LedgerOptions = { coldRuns: 5, signRepeats: 50, identityRepeats: 15, warmup: 3 }

export type LedgerReport = {
  options: LedgerOptions
  traffic: TrafficReport
  warm: { memory: WarmTimes; tcp: WarmTimes }
  cold: { memory: ColdResult[]; tcp: ColdResult[] }
  importOnly: ImportResult[]
  seconds: number
}

export async function runLedgerBench(options: LedgerOptions = DEFAULT_LEDGER_OPTIONS, log: (line: string) => void = console.log): Promise<LedgerReport> {
  const started = performance.now()
  const trafficReport = await measureTraffic()
  log(trafficSummary(trafficReport))
  const repeats = { sign: options.signRepeats, identity: options.identityRepeats, warmup: options.warmup }
  const warm = { memory: await measureWarm('memory', repeats), tcp: await measureWarm('tcp', repeats) }
  log(`warm call → first APDU (median): signPersonalMessage ${fmtMs(median(warm.memory.sign.firstApdu))} in process, ${fmtMs(median(warm.tcp.sign.firstApdu))} over TCP`)
  // Fresh processes one at a time, alternating, so neither transport gets the quieter moments.
  const cold: LedgerReport['cold'] = { memory: [], tcp: [] }
  const importOnly: ImportResult[] = []
  for (let i = 0; i < options.coldRuns; i++) {
    cold.memory.push(await runCold('memory'))
    cold.tcp.push(await runCold('tcp'))
    importOnly.push(await runImportOnly())
  }
  log(
    `cold LedgerSigner.open → first APDU (median of ${options.coldRuns}): ${fmtMs(median(cold.memory.map((c) => c.openToFirstApduMs)))} in process, ` +
      `${fmtMs(median(cold.tcp.map((c) => c.openToFirstApduMs)))} over TCP; hw-app-eth import alone ${fmtMs(median(importOnly.map((r) => r.ms)))}`,
  )
  return { options, traffic: trafficReport, warm, cold, importOnly, seconds: (performance.now() - started) / 1000 }
}

// ---- formatting ----------------------------------------------------------------------------------

const ratio = (a: number, b: number) => (a / b).toFixed(2)
const bytes = (t: Traffic) => t.commandBytes + t.responseBytes
const pct = (saved: number, of: number) => `${Math.round((100 * saved) / of)} %`

function trafficSummary(r: TrafficReport): string {
  return [
    `open: ${r.open.apdus} APDUs, ${bytes(r.open)} bytes`,
    `createIdentity: ${r.create.ours.apdus} APDUs, ${bytes(r.create.ours)} bytes (minimum ${r.create.minimum.apdus} APDUs, ${bytes(r.create.minimum)} bytes)`,
    `unlockIdentity: ${r.unlock.ours.apdus} APDUs, ${bytes(r.unlock.ours)} bytes (minimum ${r.unlock.minimum.apdus} APDUs, ${bytes(r.unlock.minimum)} bytes)`,
  ].join('\n')
}

const PURPOSE_LABEL: Record<SignaturePurpose, string> = { 'create-identity': '"Create Identity"', 'enable-identity': '"Enable Identity"' }
const sameTraffic = (a: Traffic, b: Traffic) => a.apdus === b.apdus && a.commandBytes === b.commandBytes && a.responseBytes === b.responseBytes && a.hidReports === b.hidReports

function trafficRow(label: string, ours: Traffic, min: Traffic): string {
  return (
    `| ${label} | ${ours.apdus} / ${min.apdus} | ${ours.commandBytes} / ${min.commandBytes} | ${ours.responseBytes} / ${min.responseBytes} ` +
    `| ${ours.hidReports} / ${min.hidReports} | ${ratio(ours.apdus, min.apdus)} | ${ratio(bytes(ours), bytes(min))} |`
  )
}

function trafficTable(r: TrafficReport): string {
  const lines = [
    '| exchange | APDUs ours / min | command bytes ours / min | response bytes ours / min | USB HID reports ours / min | APDU ratio | byte ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    trafficRow(`open: ${r.openCommands.join(' + ')}`, r.open, r.open),
  ]
  for (const operation of ['create', 'unlock'] as const) {
    const name = operation === 'create' ? 'createIdentity' : 'unlockIdentity'
    for (const q of r.requests.filter((x) => x.operation === operation)) {
      lines.push(trafficRow(`${name}: ${PURPOSE_LABEL[q.purpose]} request, ${q.textBytes}-byte text`, q.ours, q.minimum))
    }
    lines.push(trafficRow(`**${name} total**`, r[operation].ours, r[operation].minimum))
  }
  lines.push(trafficRow('open + createIdentity (first use)', add(r.open, r.create.ours), add(r.open, r.create.minimum)))
  lines.push(trafficRow('open + unlockIdentity (every later use)', add(r.open, r.unlock.ours), add(r.open, r.unlock.minimum)))
  return lines.join('\n')
}

function savings(label: string, ours: Traffic, min: Traffic): string {
  return (
    `- ${label}: ${ours.apdus - min.apdus} of ${ours.apdus} APDU exchanges (${pct(ours.apdus - min.apdus, ours.apdus)}), ` +
    `${bytes(ours) - bytes(min)} of ${bytes(ours)} bytes (${pct(bytes(ours) - bytes(min), bytes(ours))}), ` +
    `${ours.hidReports - min.hidReports} of ${ours.hidReports} USB HID reports (${pct(ours.hidReports - min.hidReports, ours.hidReports)}).`
  )
}

function timeRow(label: string, memory: readonly number[], tcp: readonly number[]): string {
  return `| ${label} | ${fmtMs(median(memory))} (${fmtRange(memory)}) | ${fmtMs(median(tcp))} (${fmtRange(tcp)}) |`
}

export type MachineInfo = { date: string; node: string; cpu: string; os: string; loadStart: string; loadEnd: string }

export function ledgerSection(report: LedgerReport, machine: MachineInfo): string {
  const { traffic: r, warm, cold, importOnly, options } = report
  const chunkChecked = r.requests.every((q) => sameTraffic(q.chunk255, q.minimum) && q.sameSignature)
  const modelMatches = r.requests.every((q) => sameTraffic(q.model150, q.ours))
  const create = r.requests.find((q) => q.purpose === 'create-identity')
  const enable = r.requests.find((q) => q.purpose === 'enable-identity')
  const firstChunk = HW_APP_ETH_CHUNK - (1 + 4 * PATH_LEVELS + 4)
  const firstChunk255 = APP_MAX_DATA - (1 + 4 * PATH_LEVELS + 4)
  const c = (kind: 'memory' | 'tcp', key: 'openToFirstApduMs' | 'openMs' | 'signToFirstApduMs' | 'signMs' | 'processReadyMs') => cold[kind].map((x) => x[key])
  const tcpOpen = cold.tcp.map((x) => x.transportOpenMs ?? NaN)
  const importMs = importOnly.map((x) => x.ms)
  const modules = median(importOnly.map((x) => x.modules))
  const packages = Object.entries(importOnly[0]?.packages ?? {}).sort((a, b) => b[1] - a[1])
  const topPackages = packages.slice(0, 6).map(([name, n]) => `${name} ${n}`).join(', ')
  const split = (data: number[]) => data.join(' + ')
  const signBytes = new TextEncoder().encode(SIGN_TEXT).length
  const signApdus = personalSignPlan(signBytes, HW_APP_ETH_CHUNK).traffic.apdus
  return `${LEDGER_HEADING}

What the issue asks of \`bench/\`: APDU exchanges and bytes per create and per unlock, against the
minimum the 255-byte APDU limit allows, and the time from a call to its first APDU. Generated by
\`bench/ledger.ts\` (with \`bench/ledger-cold.ts\` in fresh processes) as part of \`npm run bench\`;
\`npm run bench -- --part=ledger\` regenerates only this section (about ${Math.ceil(report.seconds)} s).

- Date: ${machine.date}; Node ${machine.node}; ${machine.cpu}; ${machine.os}
- Load average (1 / 5 / 15 min) at start: ${machine.loadStart}; at end: ${machine.loadEnd}
- \`LedgerSigner\` drives the real \`@ledgerhq/hw-app-eth\` ${hwAppEthVersion}, unchanged, against the device
  emulator (\`signers/ledger/emulator\`, account ${PATH} of the public test mnemonic, Ethereum app
  1.13.0 reported): in process through \`createEmulatorTransport\`, and over loopback TCP through the
  real \`@ledgerhq/hw-transport-node-speculos\` ${speculosTransportVersion} and \`startSpeculosServer\`. The emulator
  answers at once (no confirmation delay), so the times are host-side overhead only.

### APDU exchanges and bytes

After \`LedgerSigner.open\`, one \`createIdentity\` and then one \`unlockIdentity\` of that identity
(\`MemoryKeyStore\`), counted from the emulator's transcript; each \`signature-request\` progress event
starts a request's share. Command bytes include the 5-byte APDU header; response bytes are the data
plus the 2-byte status word. USB HID reports are the 64-byte frames both ways that these APDUs take
over USB (hw-transport's own framing, \`makeBlocks\`), what a real device actually moves.
**min** is the fewest the Ethereum app's protocol allows for the same text with its limit of 255
data bytes per APDU: the first SIGN PERSONAL MESSAGE APDU carries the path count (1 byte), 4 bytes
per path level (${PATH_LEVELS} here) and the 4-byte message length, then ${firstChunk255} text bytes; every later
one 255; each APDU but the last is answered by the status word alone, the last by v ‖ r ‖ s (65
bytes) and the status word. Open has nothing to split: its minimum is what it sends. Ratios are
ours ÷ min (APDUs; command + response bytes).

${trafficTable(r)}

**Why the gap.**
- hw-app-eth ${hwAppEthVersion} cuts SIGN PERSONAL MESSAGE into APDUs of 150 data bytes, so its first APDU
  carries ${firstChunk} text bytes after the 25-byte path and length prefix where the app would take ${firstChunk255}, and every
  later one 150 instead of 255.${
    create ? `\n- The ${create.textBytes}-byte "Create Identity" text goes as ${split(create.oursData)} data bytes instead of ${split(create.minimumData)}.` : ''
  }${
    enable
      ? `\n- The ${enable.textBytes}-byte "Enable Identity" text, ${enable.textBytes - firstChunk} byte${enable.textBytes - firstChunk === 1 ? '' : 's'} over ${firstChunk}, goes as ${split(enable.oursData)} instead of ${split(enable.minimumData)}: ` +
        `every create and every unlock pays a whole extra APDU round trip for its last ${enable.oursData[enable.oursData.length - 1]} bytes.`
      : ''
  }
- Each extra APDU costs a 5-byte header, a 2-byte status-word answer and a USB round trip: the
  bytes barely change, the number of exchanges doubles.
- We use hw-app-eth unchanged, so we inherit its chunk size. ${
    modelMatches
      ? "A 150-byte chunking computed from the same text lengths gives exactly the measured counts."
      : "**The measured counts differ from a 150-byte chunking computed from the same texts: hw-app-eth's chunking has changed; trust the table, not this paragraph.**"
  }

**What 255-byte chunks would save.** A bench-only chunker (raw APDUs, 255 data bytes each) sent the
same texts to a second emulator with the same seed: ${
    chunkChecked
      ? 'the app accepted them, the signatures are byte for byte those of the hw-app-eth run, and the traffic equals the minimum above.'
      : '**it did not reproduce the minimum and the same signatures: see the run\'s output.**'
  } Savings:
${savings('per createIdentity', r.create.ours, r.create.minimum)}
${savings('per unlockIdentity', r.unlock.ours, r.unlock.minimum)}
${savings('per first use (open + createIdentity)', add(r.open, r.create.ours), add(r.open, r.create.minimum))}
${savings('per later use (open + unlockIdentity)', add(r.open, r.unlock.ours), add(r.open, r.unlock.minimum))}
${r.otherApdusInOperations === 0 ? '' : `\nNote: ${r.otherApdusInOperations} APDU(s) inside create/unlock were not SIGN PERSONAL MESSAGE; they are counted in the rows above.\n`}
### Time from call to first APDU

From the call to the moment its first APDU reaches the emulator's \`exchange\` (in process: through
hw-transport's exchange; over TCP: after the Speculos framing, the loopback socket and the server).
Median (min–max).

| call | in process | over TCP (Speculos transport) |
| --- | ---: | ---: |
${timeRow(`cold: \`LedgerSigner.open\` → GET APP CONFIGURATION (${options.coldRuns} fresh processes; loads hw-app-eth)`, c('memory', 'openToFirstApduMs'), c('tcp', 'openToFirstApduMs'))}
${timeRow('cold: whole `LedgerSigner.open`', c('memory', 'openMs'), c('tcp', 'openMs'))}
${timeRow('cold: first `signPersonalMessage` of the process → first APDU', c('memory', 'signToFirstApduMs'), c('tcp', 'signToFirstApduMs'))}
${timeRow(`cold: whole first \`signPersonalMessage\` (${signBytes}-byte text, ${signApdus} APDUs)`, c('memory', 'signMs'), c('tcp', 'signMs'))}
${timeRow(`warm: \`signPersonalMessage\` → first APDU (${options.signRepeats} calls)`, warm.memory.sign.firstApdu, warm.tcp.sign.firstApdu)}
${timeRow(`warm: whole \`signPersonalMessage\` (${signApdus} APDUs)`, warm.memory.sign.whole, warm.tcp.sign.whole)}
${timeRow(`warm: \`createIdentity\` → first APDU (${options.identityRepeats} calls; key generation first)`, warm.memory.create.firstApdu, warm.tcp.create.firstApdu)}
${timeRow(`warm: whole \`createIdentity\` (${r.create.ours.apdus} APDUs)`, warm.memory.create.whole, warm.tcp.create.whole)}
${timeRow(`warm: \`unlockIdentity\` → first APDU (${options.identityRepeats} calls)`, warm.memory.unlock.firstApdu, warm.tcp.unlock.firstApdu)}
${timeRow(`warm: whole \`unlockIdentity\` (${r.unlock.ours.apdus} APDUs)`, warm.memory.unlock.whole, warm.tcp.unlock.whole)}

- Cold: each figure is a fresh \`node --import tsx bench/ledger-cold.ts\` process, which starts the
  emulator (and for TCP its server, then \`openLedgerSpeculos\`: ${fmtMs(median(tcpOpen))}, ${fmtRange(tcpOpen)}), checks
  hw-app-eth is not loaded yet, then times \`LedgerSigner.open\` and a first \`signPersonalMessage\`.
  Node, tsx and our modules took ${fmtMs(median(c('memory', 'processReadyMs')))} before that (median, not counted).
  \`LedgerSigner\` loads hw-app-eth on its first device interaction, which is \`open\`: so a cold
  open carries the module loading, and by the first \`signPersonalMessage\` it is already done.
- Loading \`@ledgerhq/hw-app-eth/lib/Eth\` alone in a fresh plain-Node process (no tsx, as compiled
  code runs): ${fmtMs(median(importMs))} (${fmtRange(importMs)}, ${options.coldRuns} processes). It loads ${modules} CommonJS modules
  (most from: ${topPackages}); its SIGN PERSONAL MESSAGE code uses only
  its path parser and \`transport.send\`.
- Warm: one open signer per transport, ${options.warmup} untimed calls first; \`createIdentity\` into a fresh
  \`MemoryKeyStore\` each time, \`unlockIdentity\` of one stored identity. Whole-call times include
  the engine's own work and the signature checks (recovering each signature's account).
`
}
