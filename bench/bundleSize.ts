// Bundle part of `npm run bench`: what a web app ships, gzipped. Each bundle is built by Vite (the
// bundler of examples/web, same version, same settings: production mode, minified, ES2022), from a
// small entry that keeps exactly the API it lists alive, as an app that calls it would:
// - the engine alone; the engine + the injected signer (EIP-1193 / EIP-6963); + the IndexedDB store;
// - the hardware adapters as an app loads them, behind `import()`: what a click on "Ledger" or
//   "Trezor" adds to what the page already has;
// - @xmtp/xmtp-js 13.0.4 for the same job (generate the keys, encrypt/decrypt the stored bundle,
//   decode and check a contact bundle), and its Client, which is what apps import to get keys.
// Sizes are the sum over the files the browser fetches (each JS/CSS/WASM file gzipped on its own,
// level 9, as a static server precompresses them). Nothing here asserts on sizes.
// The builds go to node_modules/.cache/xmtp-signers-bundle-bench and are removed afterwards
// (BUNDLE_BENCH_KEEP=1 keeps them to look inside).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { gzipSync } from 'node:zlib'
import { build, version as viteVersion, type AliasOptions } from 'vite'
import exampleConfig from '../examples/web/vite.config.js'
import type { MachineInfo } from './ledger.js'

export const BUNDLE_HEADING = '## Bundle size: what a web app ships'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')
// Inside the repository, so the entries resolve packages from its node_modules.
const work = join(root, 'node_modules', '.cache', 'xmtp-signers-bundle-bench')

type Manifest = Record<string, { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[]; css?: string[]; assets?: string[] }>

export type BundleRow = {
  name: string
  /** What the entry keeps alive, for the table. */
  contents: string
  files: number
  minifiedBytes: number
  /** Every file the browser may fetch, `import()`ed chunks included. */
  gzipBytes: number
  /** Only what the page loads before any `import()`; undefined for rows that are themselves lazy. */
  upFrontGzipBytes?: number
}

export type BundleReport = {
  rows: BundleRow[]
  viteVersion: string
  xmtpVersion: string
  seconds: number
  /** engine + injected ÷ xmtp-js (same job), gzip. */
  ratio: number
  ratioToClient: number
}

type Built = { dir: string; manifest: Manifest }

async function buildEntry(name: string, files: Record<string, string>): Promise<Built> {
  const dir = join(work, name)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text)
  await build({
    configFile: false,
    root: dir,
    logLevel: 'silent',
    mode: 'production',
    resolve: { alias: exampleConfig.resolve?.alias as AliasOptions },
    build: {
      outDir: join(dir, 'dist'),
      emptyOutDir: true,
      manifest: true,
      target: 'es2022',
      reportCompressedSize: false,
      chunkSizeWarningLimit: 100_000,
      rolldownOptions: { input: join(dir, 'entry.js') },
    },
  })
  return { dir, manifest: JSON.parse(readFileSync(join(dir, 'dist', '.vite', 'manifest.json'), 'utf8')) as Manifest }
}

/**
 * The files a chunk makes the browser fetch: its static imports, CSS and assets, and with `lazy` its
 * `import()`s too. Chunks in `loaded` are already in the page and are not followed.
 */
function closure(manifest: Manifest, key: string, lazy: boolean, loaded: ReadonlySet<string> = new Set()): Set<string> {
  const keys = new Set<string>()
  const visit = (k: string) => {
    if (keys.has(k) || loaded.has(k) || !manifest[k]) return
    keys.add(k)
    const chunk = manifest[k]!
    for (const next of [...(chunk.imports ?? []), ...(lazy ? (chunk.dynamicImports ?? []) : [])]) visit(next)
  }
  visit(key)
  const files = new Set<string>()
  for (const k of keys) for (const f of [manifest[k]!.file, ...(manifest[k]!.css ?? []), ...(manifest[k]!.assets ?? [])]) files.add(f)
  return files
}

/** The chunk keys the entry loads before any `import()`. */
function staticKeys(manifest: Manifest, key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key) || !manifest[key]) return seen
  seen.add(key)
  for (const next of manifest[key]!.imports ?? []) staticKeys(manifest, next, seen)
  return seen
}

const entryKey = (manifest: Manifest) => Object.keys(manifest).find((k) => manifest[k]!.isEntry)!

function measure(built: Built, files: Iterable<string>, name: string, contents: string): BundleRow {
  let minifiedBytes = 0
  let gzipBytes = 0
  let count = 0
  for (const file of files) {
    const bytes = readFileSync(join(built.dir, 'dist', file))
    minifiedBytes += bytes.length
    gzipBytes += gzipSync(bytes, { level: 9 }).length
    count++
  }
  return { name, contents, files: count, minifiedBytes, gzipBytes }
}

const keep = (names: string[]) => `globalThis.app = { ${names.join(', ')} }\n`

const ENGINE = ['createIdentity', 'unlockIdentity', 'unlockOrCreateIdentity', 'verifyEncodedBundle', 'MemoryKeyStore']
const INJECTED = ['InjectedSigner', 'discoverInjectedWallets']
const engineImport = `import { ${ENGINE.join(', ')} } from 'xmtp-signers'\n`
const injectedImport = `import { ${INJECTED.join(', ')} } from 'xmtp-signers/injected'\n`
const storeImport = `import { IndexedDbKeyStore } from 'xmtp-signers/indexeddb-store'\n`

export async function runBundleBench(log: (line: string) => void = console.log): Promise<BundleReport> {
  const started = performance.now()
  const rows: BundleRow[] = []
  const single = async (name: string, contents: string, source: string) => {
    const built = await buildEntry(name.replace(/\W+/g, '-'), { 'entry.js': source })
    const key = entryKey(built.manifest)
    const row: BundleRow = {
      ...measure(built, closure(built.manifest, key, true), name, contents),
      upFrontGzipBytes: measure(built, closure(built.manifest, key, false), name, contents).gzipBytes,
    }
    log(`${name}: ${kB(row.upFrontGzipBytes!)} gzip up front, ${kB(row.gzipBytes)} with lazy chunks (${kB(row.minifiedBytes)} minified, ${row.files} files)`)
    rows.push(row)
    return row
  }

  // The floor: the engine's pure-JS cryptography alone, exactly what src/crypto/pureJs.ts imports.
  await single(
    'floor: the crypto alone',
    '@noble/secp256k1 (keys, signing), publicCurve.ts (verify, recover), @noble/hashes (sha256, keccak, HKDF; scrypt lazy), AES-GCM through WebCrypto',
    `import { pureJsCurve, pureJsHashes } from '${join(root, 'src', 'crypto', 'pureJs.ts')}'\n` + keep(['pureJsCurve', 'pureJsHashes']),
  )

  await single('engine', ENGINE.join(', '), engineImport + keep(ENGINE))
  const injected = await single('engine + injected signer', `the engine + ${INJECTED.join(', ')}`, engineImport + injectedImport + keep([...ENGINE, ...INJECTED]))
  await single('engine + injected + IndexedDB store', 'the above + IndexedDbKeyStore', engineImport + injectedImport + storeImport + keep([...ENGINE, ...INJECTED, 'IndexedDbKeyStore']))

  // Hardware adapters as an app loads them: behind import(), on top of what the page already has.
  const app = await buildEntry('app-with-hardware', {
    'entry.js':
      engineImport +
      injectedImport +
      storeImport +
      keep([...ENGINE, ...INJECTED, 'IndexedDbKeyStore']) +
      `globalThis.ledger = () => import('./ledger.js')\nglobalThis.trezor = () => import('./trezor.js')\n`,
    'ledger.js': `export { LedgerSigner, openLedgerWebHid } from 'xmtp-signers/ledger'\n`,
    'trezor.js': `export { TrezorSigner } from 'xmtp-signers/trezor'\nexport { default as TrezorConnect } from '@trezor/connect-web'\n`,
  })
  const upFront = staticKeys(app.manifest, entryKey(app.manifest))
  const added = (key: string) => closure(app.manifest, key, true, upFront)
  for (const [name, key, contents] of [
    ['Ledger chunks (on click)', 'ledger.js', 'LedgerSigner, openLedgerWebHid + @ledgerhq/hw-transport-webhid, hw-app-eth, the `buffer` polyfill'],
    ['Trezor chunks (on click)', 'trezor.js', 'TrezorSigner + @trezor/connect-web'],
  ] as const) {
    const row = measure(app, added(key), name, contents)
    log(`${name}: ${kB(row.gzipBytes)} gzip (${kB(row.minifiedBytes)} minified, ${row.files} files)`)
    rows.push(row)
  }

  const xmtpJs = await single(
    `@xmtp/xmtp-js ${xmtpVersion()}, same job`,
    'PrivateKeyBundleV1, encrypt, decrypt, decodeContactBundle',
    `import { PrivateKeyBundleV1, encrypt, decrypt, decodeContactBundle } from '@xmtp/xmtp-js'\n` + keep(['PrivateKeyBundleV1', 'encrypt', 'decrypt', 'decodeContactBundle']),
  )
  const client = await single(`@xmtp/xmtp-js ${xmtpVersion()}, Client`, 'Client (Client.create makes and stores the keys)', `import { Client } from '@xmtp/xmtp-js'\n` + keep(['Client']))
  if (!process.env.BUNDLE_BENCH_KEEP) rmSync(work, { recursive: true, force: true })
  return {
    rows,
    viteVersion,
    xmtpVersion: xmtpVersion(),
    seconds: (performance.now() - started) / 1000,
    ratio: injected.gzipBytes / xmtpJs.gzipBytes,
    ratioToClient: injected.gzipBytes / client.gzipBytes,
  }
}

function xmtpVersion(): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', '@xmtp', 'xmtp-js', 'package.json'), 'utf8')) as { version: string }).version
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`

export function bundleSection(report: BundleReport, machine: MachineInfo): string {
  const lines = ['| bundle | contents | files | minified | gzip, loaded at start | gzip, with lazy chunks |', '| --- | --- | ---: | ---: | ---: | ---: |']
  for (const r of report.rows) {
    const upFront = r.upFrontGzipBytes === undefined ? '—' : `**${kB(r.upFrontGzipBytes)}**`
    lines.push(`| ${r.name} | ${r.contents} | ${r.files} | ${kB(r.minifiedBytes)} | ${upFront} | ${kB(r.gzipBytes)} |`)
  }
  const injected = report.rows.find((r) => r.name === 'engine + injected signer')!
  const floor = report.rows.find((r) => r.name.startsWith('floor'))!
  return `${BUNDLE_HEADING}

Gzip sizes of the engine alone, the engine + the injected signer, and each hardware chunk, against
\`@xmtp/xmtp-js\` bundled for the same job. Generated by
\`bench/bundleSize.ts\` as part of \`npm run bench\`; \`npm run bench -- --part=bundle\` regenerates only
this section (about ${Math.max(5, Math.ceil(report.seconds / 5) * 5)} s).

- Date: ${machine.date}; Node ${machine.node}; Vite ${report.viteVersion} (production build, minified, ES2022)
- Each bundle is a Vite build of a small entry that keeps the listed API alive (as an app calling it
  would); the hardware rows are what a click adds, loaded with \`import()\` by a page that already has
  the engine, the injected signer and the IndexedDB store. Sizes sum every file the browser fetches,
  each gzipped on its own (level 9). "Loaded at start" is what the page fetches before any \`import()\`;
  the engine's lazy chunk is scrypt, fetched only to open a passphrase-protected bundle.

${lines.join('\n')}

**Engine + injected signer: ${kB(injected.upFrontGzipBytes!)} gzip loaded at start (target ≤ 35 kB), ${kB(injected.gzipBytes)} with
the lazy scrypt chunk.** The floor, the pure-JS cryptography alone, is ${kB(floor.upFrontGzipBytes!)} (${kB(floor.gzipBytes)} with scrypt);
the rest (${kB(injected.upFrontGzipBytes! - floor.upFrontGzipBytes!)}) is the engine's own code: the protobuf codec, the key model, the checks, the
typed errors with their messages, EIP-712 hashing, the injected signer.

**Engine + injected signer ÷ xmtp-js for the same job: ${report.ratio.toFixed(3)}** (÷ its Client:
${report.ratioToClient.toFixed(3)}). Where the bytes come from: [bench-findings.md](bench-findings.md).

- Tree-shaking: an app that uses only the injected signer ships no Ledger or Trezor code; each
  hardware adapter, with its vendor packages, is its own lazy chunk (\`test/browser/web.test.ts\`
  checks this on the example's build and that no Ledger chunk is fetched on the injected path).
- The Ledger chunks include the \`buffer\` package: Ledger's packages use Node's global \`Buffer\`,
  and \`openLedgerWebHid\` installs it only then. The engine and the injected path need no polyfill.
- xmtp-js declares no \`sideEffects\`, so its four functions keep most of its code, and its
  WebAssembly user-preferences module, in the bundle.
`
}
