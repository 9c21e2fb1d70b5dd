// What an app gets from `npm install xmtp-signers`: a small default install with no tools for its .bin,
// every wallet SDK and viem optional, a LICENSE, and no file in the tarball twice.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { entryPackages, packageClosure } from '../bench/installSize.js'
import { isXmtpSignersError, optionalPackage } from '../src/adapter/index.js'

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies: Record<string, string>
  peerDependenciesMeta: Record<string, { optional?: boolean }>
  exports: Record<string, unknown>
}
const lockPackages = (JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { bin?: unknown }> }).packages
const WALLET_SDK = /^(@ledgerhq\/|@trezor\/|viem$|ethers$|ox$)/

describe('the default install', () => {
  it('holds no wallet SDK or viem, and installs nothing optional unasked', () => {
    expect(Object.keys(manifest.dependencies).filter((name) => WALLET_SDK.test(name))).toEqual([])
    expect(manifest.optionalDependencies ?? {}).toEqual({})
    for (const name of Object.keys(manifest.peerDependencies)) expect({ name, optional: manifest.peerDependenciesMeta[name]?.optional }).toEqual({ name, optional: true })
  })

  it('puts no tool into the app’s node_modules/.bin', () => {
    const closure = packageClosure(Object.keys(manifest.dependencies))
    expect([...closure].filter((at) => lockPackages[at]?.bin)).toEqual([])
    expect([...closure].some((at) => WALLET_SDK.test(at.replace(/^.*node_modules\//, '')))).toBe(false)
  })

  it('every package an entry point imports is a dependency or an optional peer', () => {
    const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)])
    for (const [name, target] of Object.entries(manifest.exports)) {
      if (typeof target !== 'object' || target === null) continue
      const file = (target as { default?: string; node?: string }).default ?? (target as { node?: string }).node!
      expect(existsSync(file), `${file} is built (npm run build)`).toBe(true)
      const undeclared = [...entryPackages(file)].filter((p) => !declared.has(p))
      expect({ entry: name, undeclared }).toEqual({ entry: name, undeclared: [] })
    }
  })
})

describe('entry points without their optional peers', () => {
  it('each loads with the dependencies alone: peers are imported lazily, where a missing one is MissingPackageError', () => {
    for (const [name, target] of Object.entries(manifest.exports)) {
      if (typeof target !== 'object' || target === null) continue
      const file = (target as { default?: string; node?: string }).default ?? (target as { node?: string }).node!
      const eager = [...entryPackages(file, { staticOnly: true })].filter((p) => !(p in manifest.dependencies))
      expect({ entry: name, eager }).toEqual({ entry: name, eager: [] })
    }
  })

  it('a package that is not installed is MissingPackageError naming the install command; other load failures pass through', async () => {
    const missing = optionalPackage({ packages: ['not-an-installed-package-xyz'], feature: 'This test' }, () => import(/* @vite-ignore */ `${'not-an-installed'}-package-xyz`))
    const error = await missing().catch((e: unknown) => e)
    expect(isXmtpSignersError(error, 'MISSING_PACKAGE')).toBe(true)
    expect(error).toMatchObject({ packages: ['not-an-installed-package-xyz'], nextStep: 'Install it in your app: npm install not-an-installed-package-xyz' })
    const broken = optionalPackage({ packages: ['x'], feature: 'This test' }, () => {
      throw new SyntaxError('Unexpected token')
    })
    await expect(broken()).rejects.toBeInstanceOf(SyntaxError)
  })
})

describe('the tarball', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xmtp-signers-pack-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('ships a LICENSE and no file twice', () => {
    const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop()!
    execFileSync('tar', ['-xzf', join(dir, tarball), '-C', dir])
    const root = join(dir, 'package')
    const files: string[] = []
    const walk = (d: string) => {
      for (const entry of readdirSync(d, { withFileTypes: true })) entry.isDirectory() ? walk(join(d, entry.name)) : files.push(join(d, entry.name))
    }
    walk(root)
    expect(files.map((f) => relative(root, f))).toContain('LICENSE')
    const byContent = new Map<string, string[]>()
    for (const file of files) {
      // Tiny files (an empty module's `export {};`) are alike by nature, not copies.
      if (statSync(file).size < 128) continue
      const hash = createHash('sha256').update(readFileSync(file)).digest('hex')
      byContent.set(hash, [...(byContent.get(hash) ?? []), relative(root, file)])
    }
    expect([...byContent.values()].filter((paths) => paths.length > 1)).toEqual([])
  }, 120_000)
})
