// Import part of `npm run bench`: how long `import('xmtp-signers/…')` takes in a fresh Node process, per
// entry point, as compiled code runs (tsc output, no tsx), against `require('@xmtp/xmtp-js')`. Wallet SDKs,
// viem and ethers load on first use, so an entry's figure is the engine plus that entry's own modules.
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { performance } from 'node:perf_hooks'
import { fmtMs, fmtRange, median } from './stats.js'
import type { MachineInfo } from './ledger.js'

export const IMPORT_HEADING = '## Import time: loading each entry point'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
// Inside the repository, so the compiled files resolve packages from its node_modules as dist/ does.
const OUT = join(ROOT, 'node_modules', '.cache', 'xmtp-signers-import-bench')

/** Entry points an app imports at run time (emulators and test helpers are left out). */
const ENTRIES = ['.', './wire', './adapter', './local', './injected', './viem', './ethers', './smart-account', './ledger', './trezor', './file-store', './indexeddb-store', './network', './verify-workers']

export type ImportRow = { entry: string; runsMs: number[]; medianMs: number }
export type ImportReport = { rows: ImportRow[]; runs: number; compileSeconds: number; seconds: number; xmtpVersion: string; processStartMs: number }

// Timed inside the child: from just before the import to just after it settles.
const IMPORT_ESM = 'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t))'
const REQUIRE_CJS =
  "const { createRequire } = await import('node:module'); const require = createRequire(process.argv[1]); const t = performance.now(); require(process.argv[2]); process.stdout.write(String(performance.now() - t))"
const START_ONLY = 'process.stdout.write(String(performance.now()))'

function child(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 }))
}

function times(runs: number, once: () => number): number[] {
  once() // the first run warms the file-system cache, as every later start of an app finds it
  return Array.from({ length: runs }, once)
}

export function runImportTimes({ runs = 7 } = {}): ImportReport {
  const started = performance.now()
  rmSync(OUT, { recursive: true, force: true })
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--outDir', OUT, '--declaration', 'false', '--declarationMap', 'false', '--sourceMap', 'false'], {
    cwd: ROOT,
    stdio: 'inherit',
  })
  const compileSeconds = (performance.now() - started) / 1000
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { default?: string; node?: string }> }
  const fileOf = (entry: string) => pathToFileURL(join(OUT, (manifest.exports[entry]!.node ?? manifest.exports[entry]!.default)!.replace(/^\.\/dist\//, ''))).href
  const rows: ImportRow[] = []
  const row = (entry: string, runsMs: number[]) => rows.push({ entry, runsMs, medianMs: median(runsMs) })
  for (const entry of ENTRIES) {
    const name = entry === '.' ? 'xmtp-signers' : `xmtp-signers/${entry.slice(2)}`
    row(entry === '.' ? `${name} (native backend)` : name, times(runs, () => child(IMPORT_ESM, [fileOf(entry)])))
    if (entry === '.') row(`${name} (XMTP_SIGNERS_NATIVE=0)`, times(runs, () => child(IMPORT_ESM, [fileOf(entry)], { ...process.env, XMTP_SIGNERS_NATIVE: '0' })))
  }
  const xmtpVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules', '@xmtp', 'xmtp-js', 'package.json'), 'utf8')) as { version: string }).version
  row(`@xmtp/xmtp-js ${xmtpVersion} (require)`, times(runs, () => child(REQUIRE_CJS, [join(ROOT, 'package.json'), '@xmtp/xmtp-js'])))
  const processStartMs = median(times(runs, () => child(START_ONLY, [])))
  rmSync(OUT, { recursive: true, force: true })
  return { rows, runs, compileSeconds, seconds: (performance.now() - started) / 1000, xmtpVersion, processStartMs }
}

export function importSection(report: ImportReport, machine: MachineInfo): string {
  const lines = ['| import | median | min–max |', '| --- | ---: | ---: |']
  for (const r of report.rows) lines.push(`| \`${r.entry}\` | ${fmtMs(r.medianMs)} | ${fmtRange(r.runsMs)} |`)
  const engine = report.rows[0]!
  const xmtp = report.rows[report.rows.length - 1]!
  return `${IMPORT_HEADING}

The time \`await import()\` of each entry point takes in a fresh Node process, as an app's compiled code
loads it (the package compiled by tsc, no tsx), ${report.runs} processes each after one untimed run; the
reference is \`require('@xmtp/xmtp-js')\` (its ESM build does not load in plain Node). Generated by
\`bench/importTime.ts\` as part of \`npm run bench\`; \`npm run bench -- --part=import\` regenerates only this
section (about ${Math.max(5, Math.ceil(report.seconds / 5) * 5)} s, ${Math.round(report.compileSeconds)} s of it compiling).

- Date: ${machine.date}; Node ${machine.node}; ${machine.cpu}; ${machine.os}
- Load average (1 / 5 / 15 min) at start: ${machine.loadStart}; at end: ${machine.loadEnd}
- Node itself starts in ${fmtMs(report.processStartMs)} (median, not counted above).

${lines.join('\n')}

- **The engine imports in ${fmtMs(engine.medianMs)}** with the native backend (which loads the optional
  \`secp256k1\` addon at import), against ${fmtMs(xmtp.medianMs)} for xmtp-js.
- Nothing an entry point names as an optional peer (a wallet SDK, viem, ethers) is loaded by its import:
  each loads on the first call that needs it (\`test/package.test.ts\` checks every entry loads with the
  dependencies alone). So \`xmtp-signers/smart-account\` costs its own code, and viem only when a signature is
  checked; \`xmtp-signers/ledger\` costs its code, and the DMK or hw-app-eth on \`open\`.
`
}
