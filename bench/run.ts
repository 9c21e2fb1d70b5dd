// Benchmark: xmtp-signers vs @xmtp/xmtp-js, side by side in one process.
//
//   npm run bench                       (= node --import tsx bench/run.ts)
//
// What the project measures, one part each: the engine against xmtp-js, the device traffic (Ledger
// APDUs, Trezor messages) and the bundle sizes. Retired parts' findings: docs/bench-findings.md.
//
// Options (a plain run needs none):
//   --seconds=<n>          measuring budget for the whole run (default 40; warm-up and setup come on top)
//   --round-ms=<n>         length of one timed round (default 250)
//   --no-write             print the table, leave docs/benchmarks.md alone
//   --part=engine|ledger|trezor|bundle|install|import
//                          run one part only (default all six); the other parts' sections of
//                          docs/benchmarks.md are kept as they are
//   --cold-runs=<n>        ledger and trezor parts: fresh processes per cold figure (default 5)
// The ledger part (bench/ledger.ts) counts the APDUs and bytes createIdentity / unlockIdentity take
// with hw-app-eth over the device emulator, against the protocol's minimum, and times call → first
// APDU. The trezor part (bench/trezor.ts) times call → first device message and per signature through
// @trezor/connect and the Trezor emulator's bridge, cold and warm, offline.
// The bundle part (bench/bundleSize.ts) builds the engine, the injected signer, the IndexedDB store and
// the hardware chunks with Vite, as a web app ships them, and gzips them against @xmtp/xmtp-js.
// The import part (bench/importTime.ts) times `import()` of each entry point in fresh Node processes.
//
// Method: fixtures are built and cross-checked (each engine must read the other's bytes), each
// operation is warmed up on both sides, then rounds of ours / theirs alternate (the order flips every
// pair) until the operation's share of the budget is spent. A round runs one side back to back for
// a fixed time and yields operations per second; the table reports the median round per side.
// Nothing here asserts on timings.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import os from 'node:os'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { backendDescriptions, makeContactBundles, measureContactBundles, measureContactBundlesInWorkers, nobleSecp256k1Version, oursNobleCurvesVersion, oursNobleSecp256k1Version, prepareOperations, signer, xmtpVersion, type BatchThroughput, type Operation } from './engine.js'
import { DEFAULT_LEDGER_OPTIONS, LEDGER_HEADING, ledgerSection, runLedgerBench, type LedgerReport } from './ledger.js'
import { DEFAULT_TREZOR_OPTIONS, TREZOR_HEADING, runTrezorBench, trezorInstalled, trezorSection, type TrezorReport } from './trezor.js'
import { BUNDLE_HEADING, bundleSection, runBundleBench } from './bundleSize.js'
import { INSTALL_HEADING, installSection, runInstallSizes } from './installSize.js'
import { IMPORT_HEADING, importSection, runImportTimes } from './importTime.js'
import { ledgerDmkSection, runLedgerDmkBench } from './ledgerDmk.js'
import { median, packageVersion } from './stats.js'

type Part = 'engine' | 'ledger' | 'trezor' | 'bundle' | 'install' | 'import'
type Options = { part?: Part; coldRuns: number; seconds: number; write: boolean; roundMs: number; warmupMs: number }

function parseOptions(argv: string[]): Options {
  const options: Options = { seconds: 40, write: true, roundMs: 250, warmupMs: 500, coldRuns: DEFAULT_LEDGER_OPTIONS.coldRuns }
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=', 2) as [string, string | undefined]
    if (key === 'seconds' && value && Number(value) > 0) options.seconds = Number(value)
    else if (key === 'round-ms' && value && Number(value) > 0) options.roundMs = Number(value)
    else if (key === 'no-write') options.write = false
    else if (key === 'part' && (value === 'engine' || value === 'ledger' || value === 'trezor' || value === 'bundle' || value === 'install' || value === 'import')) options.part = value
    else if (key === 'cold-runs' && value && Number.isInteger(Number(value)) && Number(value) > 0) options.coldRuns = Number(value)
    else throw new Error(`unknown option ${arg}`)
  }
  return options
}

/** Runs `op` back to back for `ms` and returns operations per second. */
async function round(op: () => Promise<unknown>, ms: number): Promise<number> {
  let count = 0
  const start = performance.now()
  let now = start
  do {
    await op()
    count++
    now = performance.now()
  } while (now - start < ms)
  return (count * 1000) / (now - start)
}

type Result = { operation: Operation; ours: number[]; theirs: number[] }
const SIDES = ['ours', 'theirs'] as const

/** ours ÷ theirs for each pair of adjacent rounds: less sensitive than the medians to load that changes during the run. */
function pairedRatios({ ours, theirs }: Result): number[] {
  return ours.slice(0, theirs.length).map((o, i) => o / theirs[i]!)
}

async function measure(operation: Operation, budgetMs: number, options: Options): Promise<Result> {
  await round(operation.ours, options.warmupMs)
  await round(operation.theirs, options.warmupMs)
  const result: Result = { operation, ours: [], theirs: [] }
  const start = performance.now()
  for (let pair = 0; pair < 3 || performance.now() - start < budgetMs; pair++) {
    // The order flips every pair, so drifting load falls on both sides alike.
    for (const side of pair % 2 === 0 ? SIDES : [...SIDES].reverse()) result[side].push(await round(operation[side], options.roundMs))
  }
  return result
}

const fmt = (n: number) => (Number.isNaN(n) ? '–' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1))
const fmtRatio = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–')

const range = (v: readonly number[]) => (v.length ? `${fmt(Math.min(...v))}–${fmt(Math.max(...v))} (${v.length} rounds)` : '–')

function rows(results: Result[]) {
  return results.map(({ operation, ours, theirs }) => {
    const o = median(ours)
    const t = median(theirs)
    return {
      name: operation.name,
      description: operation.description,
      ours: o,
      theirs: t,
      ratio: o / t,
      pairedRatio: median(pairedRatios({ operation, ours, theirs })),
      spread: `xmtp-signers ${range(ours)}, xmtp-js ${range(theirs)}`,
    }
  })
}

function table(results: Result[]): string {
  const lines = ['| operation | xmtp-signers ops/s | xmtp-js ops/s | ratio |', '| --- | ---: | ---: | ---: |']
  for (const r of rows(results)) lines.push(`| ${r.name} | ${fmt(r.ours)} | ${fmt(r.theirs)} | ${fmtRatio(r.ratio)} |`)
  return lines.join('\n')
}

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ')

function machine() {
  const cpus = os.cpus()
  return {
    node: process.version,
    cpu: `${cpus[0]?.model.trim() ?? 'unknown CPU'} × ${cpus.length} logical cores`,
    os: `${os.type()} ${os.release()} (${process.arch})`,
  }
}

function document(results: Result[], options: Options, date: string, load: { start: string; end: string }, batch: BatchThroughput[]): string {
  const m = machine()
  const detail = rows(results)
  return `# Benchmarks

xmtp-signers against \`@xmtp/xmtp-js@${xmtpVersion}\` (the reference XMTP v2 client), both run in the
same Node process, alternating. Generated by \`bench/run.ts\`; regenerate with

\`\`\`sh
npm run bench        # = node --import tsx bench/run.ts  (every section, about five minutes)
npm run bench -- --part=engine   # this section only (about a minute)
\`\`\`

- Date: ${date}
- Node: ${m.node}
- CPU: ${m.cpu}
- OS: ${m.os}
- Load average (1 / 5 / 15 min) at start: ${load.start}; at end: ${load.end}. Other work on the machine
  slows both sides; the alternation spreads it over both, but figures from a busy machine are noisier.

Ratio = xmtp-signers ops/s ÷ xmtp-js ops/s (above 1.0: xmtp-signers is faster). Each figure is the
median of ${options.roundMs} ms rounds, taken after a warm-up; the two libraries' rounds alternate
(order flipped every pair) within a ${options.seconds} s measuring budget. Single-threaded figures:
each operation is awaited before the next starts.

${table(results)}

Backends (\`cryptoBackend()\`; the engine picks one at load, \`XMTP_SIGNERS_NATIVE=0\` forces pure-js; the bench
switches between them in one process, and both give the same bytes):
${Object.entries(backendDescriptions()).map(([name, text]) => `- ${name}: ${text}`).join('\n')}

**\`verifyContactBundles\`, ${batch[0]?.count.toLocaleString('en-US') ?? 0} distinct contact bundles** (bundles per second; on the
calling thread, and on \`ContactBundleVerifier\`'s worker threads from \`xmtp-signers/verify-workers\`, started before timing; cache hits
are answered on the calling thread either way):

| backend | threads | no cache | filling a cold cache | the same bundles again, cached |
| --- | --- | ---: | ---: | ---: |
${batch.map((b) => `| ${b.backend} | ${b.threads === undefined ? 'calling thread' : `${b.threads} worker threads`} | ${fmt(b.uncachedPerSecond)} | ${fmt(b.coldPerSecond)} | ${fmt(b.cachedPerSecond)} |`).join('\n')}

Spread of the rounds (min–max ops/s), and the median of the per-pair ratios (each xmtp-signers round
against the xmtp-js round next to it):
${detail.map((r) => `- ${r.name}: ${r.spread}; paired ratio ${fmtRatio(r.pairedRatio)}`).join('\n')}

## What each operation does (the same work on both sides)

${detail.map((r) => `- **${r.name}**: ${r.description}`).join('\n')}

**The wallet.** Both libraries talk to the same in-process wallet, account ${signer.address}
(Hardhat's public test key #0): xmtp-signers through \`LocalSigner\`, xmtp-js through a
\`{ getAddress, signMessage }\` object that calls that same \`LocalSigner\` and returns 0x-hex. So every
wallet signature costs the same on both sides (secp256k1 ECDSA from \`@noble/curves\` ${oursNobleCurvesVersion},
RFC 6979), and the figures compare the engines. No network and no key store: the encrypted bytes stay
in memory.

**xmtp-js side.** Key generation is xmtp-js's \`PrivateKeyBundleV1.generate(wallet)\` (what
\`Client.create\` runs). Its storage code (\`NetworkKeyManager.toEncryptedBytes\` /
\`fromEncryptedBytes\`) is not exported, so \`bench/engine.ts\` carries those two methods line for line,
built on xmtp-js's exported \`encrypt\`/\`decrypt\`/\`Ciphertext\`/\`PrivateKeyBundleV1\` and the
\`@xmtp/proto\` and \`viem\` instances xmtp-js itself loads. Its crypto: \`@noble/secp256k1\`
${nobleSecp256k1Version}, viem for the EIP-191 hash, WebCrypto for sha256, HKDF and AES-GCM. Verify is
\`decodeContactBundle\`, \`walletSignatureAddress()\` and \`identityKey.verifyKey(preKey)\`.

**Crypto libraries differ.** On the native backend xmtp-signers runs libsecp256k1; on pure-js it makes keys and
signatures with \`@noble/secp256k1\` ${oursNobleSecp256k1Version} (a precomputed base-point table, the same steps for
every scalar) and verifies and recovers with its own variable-time code (\`src/crypto/publicCurve.ts\`, public inputs
only). xmtp-js uses \`@noble/secp256k1\` ${nobleSecp256k1Version} (precomputed tables) and viem's own copy of
\`@noble/curves\` for its "Enable Identity" check. Those per-primitive costs are part of each engine's figures.

**Checks that differ.** Both engines check what the rows above list. Beyond that:
- create-and-encrypt: xmtp-signers recovers the first wallet signature once, keeps the account's key, and
  checks the second signature against it before using it; xmtp-js recovers only the "Enable Identity"
  signature (\`viem.verifyMessage\`, awaited inside the timed operation here).
- verify and unlock: xmtp-signers also checks that both public keys are points on the curve, that the
  prekey signature is low-s and that its stored recovery bit is right, and that the two keys differ; after
  decrypting it checks the attestation against the key the "Enable Identity" signature recovered to, and the
  prekey signature by re-signing with the identity key (a full verify only if that differs).
- unlock: xmtp-js checks nothing after decrypting; to make the work equal the benchmark then calls its
  \`walletSignatureAddress()\`, \`verifyKey()\` and \`validatePublicKeys()\`.
`
}

/** The engine part: the table of ours vs xmtp-js, and its section of docs/benchmarks.md. */
async function runEngine(options: Options): Promise<string> {
  const started = performance.now()
  const loadAtStart = loadAverage()
  const operations = await prepareOperations()
  const m = machine()
  console.log(`xmtp-signers vs @xmtp/xmtp-js@${xmtpVersion} — node ${m.node}, ${m.cpu}`)
  console.log(`load average ${loadAtStart}`)
  console.log(`fixtures ready and cross-checked in ${((performance.now() - started) / 1000).toFixed(1)} s; measuring for ${options.seconds} s\n`)
  const results: Result[] = []
  for (const operation of operations) {
    const result = await measure(operation, (options.seconds * 1000) / operations.length, options)
    results.push(result)
    const [r] = rows([result])
    console.log(`${r!.name}: xmtp-signers ${fmt(r!.ours)} ops/s, xmtp-js ${fmt(r!.theirs)} ops/s, ratio ${fmtRatio(r!.ratio)} (paired ${fmtRatio(r!.pairedRatio)}); ${r!.spread}`)
  }
  console.log(`\n${table(results)}\n`)
  const contactBundles = makeContactBundles(10_000)
  // One thread per core (2 here): the pool's default, one fewer, leaves a core to the calling thread, which a bench does not need.
  const batch = [...measureContactBundles(contactBundles), ...(await measureContactBundlesInWorkers(contactBundles, Math.max(2, os.availableParallelism())))]
  for (const b of batch) {
    const where = b.threads === undefined ? 'verifyContactBundles' : `ContactBundleVerifier, ${b.threads} threads`
    console.log(`${where} ×${b.count} (${b.backend}): ${fmt(b.uncachedPerSecond)}/s uncached, ${fmt(b.coldPerSecond)}/s cold cache, ${fmt(b.cachedPerSecond)}/s cached`)
  }
  console.log(`engine part: ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
  return document(results, options, today(), { start: loadAtStart, end: loadAverage() }, batch)
}

/** The ledger part: APDU traffic and call → first APDU (bench/ledger.ts). */
async function runLedger(options: Options): Promise<string> {
  const m = machine()
  const loadStart = loadAverage()
  console.log(`Ledger: hw-app-eth over the device emulator — node ${m.node}, ${m.cpu}; load average ${loadStart}`)
  const report: LedgerReport = await runLedgerBench({ ...DEFAULT_LEDGER_OPTIONS, coldRuns: options.coldRuns })
  console.log('Ledger: the Device Management Kit over the emulator\'s Speculos REST API')
  const dmk = await runLedgerDmkBench()
  console.log(`DMK: createIdentity ${dmk.create.signApdus} SIGN APDUs + ${dmk.create.pollApdus} polls, unlockIdentity ${dmk.unlock.signApdus} + ${dmk.unlock.pollApdus}`)
  console.log(`ledger part: ${report.seconds.toFixed(1)} s\n`)
  const versions = { dmk: packageVersion('@ledgerhq/device-management-kit'), signerKit: packageVersion('@ledgerhq/device-signer-kit-ethereum') }
  return `${ledgerSection(report, { date: today(), node: m.node, cpu: m.cpu, os: m.os, loadStart, loadEnd: loadAverage() })}\n${ledgerDmkSection(dmk, versions)}`
}

/** The trezor part: time to first device message through @trezor/connect (bench/trezor.ts); skipped without the optional Trezor packages. */
async function runTrezor(options: Options): Promise<string | undefined> {
  if (!trezorInstalled()) {
    console.log('Trezor: skipped, @trezor/connect (an optional dependency) is not installed\n')
    return undefined
  }
  const m = machine()
  const loadStart = loadAverage()
  console.log(`Trezor: @trezor/connect over the emulator's bridge — node ${m.node}, ${m.cpu}; load average ${loadStart}`)
  const report: TrezorReport = await runTrezorBench({ ...DEFAULT_TREZOR_OPTIONS, coldRuns: options.coldRuns })
  console.log(`trezor part: ${report.seconds.toFixed(1)} s\n`)
  return trezorSection(report, { date: today(), node: m.node, cpu: m.cpu, os: m.os, loadStart, loadEnd: loadAverage() })
}

/** The bundle part: gzip sizes of what a web app ships, against xmtp-js (bench/bundleSize.ts). */
async function runBundle(): Promise<string> {
  const m = machine()
  const loadStart = loadAverage()
  console.log('Bundle sizes: Vite builds of the engine, the injected signer and the hardware chunks, against xmtp-js')
  const report = await runBundleBench()
  console.log(`bundle part: ${report.seconds.toFixed(1)} s\n`)
  return bundleSection(report, { date: today(), node: m.node, cpu: m.cpu, os: m.os, loadStart, loadEnd: loadAverage() })
}

/** The install part: bytes on disk each entry point brings (bench/installSize.ts). */
function runInstall(): string {
  const report = runInstallSizes()
  for (const f of [report.defaultInstall, ...report.entries]) console.log(`${f.entry}: ${f.installed} packages, ${(f.bytes / 1e6).toFixed(2)} MB`)
  return installSection(report, today())
}


/** The import part: `import()` time of each entry point in fresh processes (bench/importTime.ts). */
function runImport(): string {
  const m = machine()
  const loadStart = loadAverage()
  console.log('Import time: each entry point in fresh Node processes, compiled by tsc')
  const report = runImportTimes()
  for (const r of report.rows) console.log(`${r.entry}: ${r.medianMs.toFixed(1)} ms`)
  console.log(`import part: ${report.seconds.toFixed(1)} s\n`)
  return importSection(report, { date: today(), node: m.node, cpu: m.cpu, os: m.os, loadStart, loadEnd: loadAverage() })
}

const today = () => new Date().toISOString().slice(0, 10)

type SectionName = Part
type Sections = Partial<Record<SectionName, string>>
/** Each part's section after the engine's starts with its heading; a new section goes at the end, in this order. */
const HEADINGS: [Exclude<SectionName, 'engine'>, string][] = [['ledger', LEDGER_HEADING], ['trezor', TREZOR_HEADING], ['bundle', BUNDLE_HEADING], ['install', INSTALL_HEADING], ['import', IMPORT_HEADING]]

/**
 * An existing docs/benchmarks.md split into the engine section (with the title) and the parts' sections,
 * whatever their order in the file; `order` lists the sections as the file has them.
 */
function splitDocument(text: string): { sections: Sections; order: SectionName[] } {
  const starts = HEADINGS.map(([name, heading]) => ({ name, at: text.indexOf(`\n${heading}`) }))
    .filter((s) => s.at >= 0)
    .sort((a, b) => a.at - b.at)
  const sections: Sections = {}
  const engine = starts.length ? text.slice(0, starts[0]!.at) : text
  if (engine) sections.engine = engine
  starts.forEach((s, i) => {
    sections[s.name] = text.slice(s.at + 1, starts[i + 1]?.at ?? text.length)
  })
  return { sections, order: ['engine', ...starts.map((s) => s.name)] }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  const started = performance.now()
  const runs = (part: Part) => options.part === undefined || options.part === part
  const engine = runs('engine') ? await runEngine(options) : undefined
  const ledger = runs('ledger') ? await runLedger(options) : undefined
  const trezor = runs('trezor') ? await runTrezor(options) : undefined
  const bundle = runs('bundle') ? await runBundle() : undefined
  const install = runs('install') ? runInstall() : undefined
  const imports = runs('import') ? runImport() : undefined
  if (options.write && [engine, ledger, trezor, bundle, install, imports].some((text) => text !== undefined)) {
    const out = resolve(dirname(fileURLToPath(import.meta.url)), '../docs/benchmarks.md')
    const { sections: previous, order } = splitDocument(existsSync(out) ? readFileSync(out, 'utf8') : '')
    const texts: Sections = {
      engine: engine ?? previous.engine ?? '# Benchmarks\n',
      ledger: ledger ?? previous.ledger,
      trezor: trezor ?? previous.trezor,
      bundle: bundle ?? previous.bundle,
      install: install ?? previous.install,
      import: imports ?? previous.import,
    }
    // Sections stay where the file has them; new ones are appended.
    const names = [...order, ...HEADINGS.map(([name]) => name).filter((name) => !order.includes(name))]
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, names.map((name) => texts[name]).filter((text) => text !== undefined).join('\n'))
    const fresh: Sections = { engine, ledger, trezor, bundle, install, import: imports }
    const kept = (Object.keys(texts) as SectionName[]).filter((name) => fresh[name] === undefined && previous[name] !== undefined)
    console.log(`written to ${out}${kept.length ? ` (the ${kept.join(' and ')} section${kept.length > 1 ? 's' : ''} kept as ${kept.length > 1 ? 'they were' : 'it was'})` : ''}`)
  }
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

await main()
