// What installing each entry point costs an app: the npm packages its code imports (static and lazy,
// optional peers included, as a user of that entry installs them) and everything they pull in, measured
// on disk in this checkout's node_modules. The default install (`npm install xmtp-signers`) is the
// `dependencies` closure only: every wallet SDK and viem is an optional peer of the entry that needs it.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const INSTALL_HEADING = '## Installed size: what each entry point brings'

type LockPackage = { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }>; bin?: unknown; dev?: boolean }
type Lock = { packages: Record<string, LockPackage> }

function lock(): Lock {
  return JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lock
}

/** Node's lookup in the lockfile's tree: the nearest node_modules/<name> from `from` upwards. */
function resolveIn(packages: Lock['packages'], from: string, name: string): string | undefined {
  let base = from
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`
    if (packages[candidate]) return candidate
    if (!base) return undefined
    const i = base.lastIndexOf('/node_modules/')
    base = i < 0 ? '' : base.slice(0, i)
  }
}

/** Every installed package `names` need: dependencies, optional dependencies and the peers npm installs. */
export function packageClosure(names: Iterable<string>, packages = lock().packages): Set<string> {
  const seen = new Set<string>()
  const stack = [...names].map((n) => resolveIn(packages, '', n)).filter((p): p is string => p !== undefined)
  while (stack.length) {
    const at = stack.pop()!
    if (seen.has(at)) continue
    seen.add(at)
    const p = packages[at]!
    const requiredPeers = Object.keys(p.peerDependencies ?? {}).filter((n) => !p.peerDependenciesMeta?.[n]?.optional)
    for (const name of [...Object.keys(p.dependencies ?? {}), ...Object.keys(p.optionalDependencies ?? {}), ...requiredPeers]) {
      const found = resolveIn(packages, at, name)
      if (found) stack.push(found)
    }
  }
  return seen
}

/** Bytes on disk under `dir`, without nested node_modules (those are packages of their own). */
function diskBytes(dir: string): number {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) total += diskBytes(path)
    else if (entry.isFile()) total += statSync(path).size
  }
  return total
}

const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g
/** Only what loads with the module itself: `import … from`, `export … from`, `import '…'`. */
const STATIC_IMPORT_RE = /(?:\bfrom\s*|^import\s*)['"]([^'"]+)['"]/gm
const packageName = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!)
const BUILTIN = new Set(builtinModules)
const SPECIFIER = /^(?:\.{1,2}\/|(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w.\/-]*)?$)/

// Scoped names only: a bare word such as 'viem' is also a signer kind, not a package being loaded.
const QUOTED_RE = /['"`](@[a-z0-9][\w.-]*\/[\w.-]+)['"`]/g

/**
 * The packages the built entry reaches, following our own relative imports (static and lazy, or `static` only).
 * Lazily, a peer is also reached when its name appears as a string (a loader table such as DMK's transports).
 */
export function entryPackages(entryFile: string, { staticOnly = false, peers = [] as readonly string[] } = {}): Set<string> {
  const pattern = staticOnly ? STATIC_IMPORT_RE : IMPORT_RE
  const peerNames = new Set(staticOnly ? [] : peers)
  const found = new Set<string>()
  const seen = new Set<string>()
  const stack = [resolve(ROOT, entryFile)]
  while (stack.length) {
    const file = stack.pop()!
    if (seen.has(file) || !existsSync(file)) continue
    seen.add(file)
    const text = readFileSync(file, 'utf8')
    for (const [, quoted] of text.matchAll(QUOTED_RE)) if (peerNames.has(quoted!)) found.add(quoted!)
    for (const [, specifier] of text.matchAll(pattern)) {
      if (!SPECIFIER.test(specifier!)) continue
      if (specifier!.startsWith('.')) stack.push(resolve(dirname(file), specifier!))
      // Our own name appears in doc comments' examples; it is no dependency.
      else if (!specifier!.startsWith('node:') && !BUILTIN.has(packageName(specifier!)) && packageName(specifier!) !== 'xmtp-signers') found.add(packageName(specifier!))
    }
  }
  return found
}

export type EntryFootprint = { entry: string; packages: string[]; installed: number; bytes: number; bins: string[] }

/** Optional peers any entry uses when present, for speed only: measured apart, not in each entry's footprint. */
const ACCELERATORS = ['secp256k1']
/** The Ledger entry's two ways in, by package: DMK's kits and LedgerJS's hw-* packages. */
const LEDGER_STACKS: Record<string, (name: string) => boolean> = {
  'Device Management Kit': (name) => name.startsWith('@ledgerhq/device-') || name === '@ledgerhq/context-module' || name === 'rxjs',
  LedgerJS: (name) => name.startsWith('@ledgerhq/hw-') || name === 'buffer',
}

/** Each `exports` entry of package.json, and the default install, measured. */
export function runInstallSizes(): { entries: EntryFootprint[]; defaultInstall: EntryFootprint; accelerators: EntryFootprint[] } {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { default?: string; node?: string }>
    dependencies: Record<string, string>
    peerDependencies: Record<string, string>
  }
  const { packages } = lock()
  const peers = Object.keys(manifest.peerDependencies)
  const measure = (entry: string, direct: Iterable<string>): EntryFootprint => {
    const closure = packageClosure(direct, packages)
    const bytes = [...closure].reduce((sum, at) => sum + (existsSync(join(ROOT, at)) ? diskBytes(join(ROOT, at)) : 0), 0)
    const bins = [...closure].filter((at) => packages[at]!.bin && !at.includes('/node_modules/', 'node_modules/'.length)).map((at) => at.replace(/^node_modules\//, ''))
    return { entry, packages: [...direct].sort(), installed: closure.size, bytes, bins }
  }
  const entries: EntryFootprint[] = []
  for (const [name, target] of Object.entries(manifest.exports)) {
    if (name === './package.json' || typeof target !== 'object') continue
    const file = target.default ?? target.node!
    const entry = name === '.' ? 'xmtp-signers' : `xmtp-signers/${name.slice(2)}`
    const imported = [...entryPackages(file, { peers })].filter((p) => !ACCELERATORS.includes(p))
    if (name !== './ledger') {
      entries.push(measure(entry, imported))
      continue
    }
    for (const [stack, belongs] of Object.entries(LEDGER_STACKS)) {
      const others = Object.values(LEDGER_STACKS).filter((b) => b !== belongs)
      entries.push(measure(`${entry} (${stack})`, imported.filter((p) => belongs(p) || !others.some((o) => o(p)))))
    }
  }
  return {
    entries,
    defaultInstall: measure('npm install xmtp-signers (dependencies only)', Object.keys(manifest.dependencies)),
    accelerators: ACCELERATORS.map((name) => measure(`${name} (optional, any entry: native crypto)`, [name])),
  }
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`

export function installSection(report: ReturnType<typeof runInstallSizes>, date: string): string {
  const row = (f: EntryFootprint) => `| \`${f.entry}\` | ${f.installed} | ${mb(f.bytes)} | ${f.packages.map((p) => `\`${p}\``).join(', ') || '—'} | ${f.bins.join(', ') || 'none'} |`
  return `${INSTALL_HEADING}

Measured ${date} by \`npm run bench -- --part=install\` (bench/installSize.ts) on this checkout's node_modules: for each
entry point, the npm packages its built code imports (following our own files, static and lazy imports alike; the
Ledger entry once per way in) and everything those install (dependencies, optional dependencies, required peers),
as bytes on disk; an entry's footprint includes the engine's own. Our own package is not counted, nor the optional
native crypto (its own row), which any entry uses when the app has installed it. "Tools in .bin" lists packages of that footprint that npm would link into the app's node_modules/.bin.

| what | packages installed | on disk | imports | tools in .bin |
|---|---:|---:|---|---|
${row(report.defaultInstall)}
${report.entries.map(row).join('\n')}
${report.accelerators.map(row).join('\n')}

The default install is the \`dependencies\` closure: nothing else is installed unless the app asks for it. Each
wallet SDK and viem is an optional peer dependency; an entry point whose package is missing throws
\`MissingPackageError\` (code \`MISSING_PACKAGE\`) naming the \`npm install\` command.
`
}
