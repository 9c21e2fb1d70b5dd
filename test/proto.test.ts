import { bundleForBrowser } from './support/browserBundle.js'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')

describe('the protobuf layer (src/proto.ts): no protobuf runtime, nothing a strict Content-Security-Policy refuses', () => {
  it('the engine and xmtp-signers/wire bundle without protobufjs or long (whose load probes WebAssembly)', async () => {
    const { code, inputs } = await bundleForBrowser(`export * from './src/index.ts'\nexport * from './src/wire.ts'\n`)
    expect(inputs).toContain('src/proto.ts')
    expect(inputs.filter((path) => /node_modules\/(long|protobufjs|@protobufjs)\//.test(path))).toEqual([])
    expect(code).not.toMatch(/\bWebAssembly\b|\beval\s*\(|\bnew Function\s*\(/)
  })

  it('package.json no longer depends on protobufjs or long, and no generated code is left to go stale', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
    expect(Object.keys(pkg.dependencies ?? {}).filter((name) => name === 'long' || name === 'protobufjs' || name.startsWith('@protobufjs/'))).toEqual([])
    expect(existsSync(join(root, 'src', 'proto'))).toBe(false)
  })
})
