import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')

describe('generated protobuf code', () => {
  it('is exactly what proto/message_contents.proto generates (one source of truth)', () => {
    const out = mkdtempSync(join(tmpdir(), 'xmtp-signers-proto-'))
    execFileSync('bash', [join(root, 'scripts', 'generate-proto.sh'), out], { cwd: root, stdio: 'pipe', timeout: 60_000 })
    for (const file of ['message_contents.js', 'message_contents.d.ts']) {
      expect(readFileSync(join(out, file), 'utf8'), `${file} is stale: run npm run proto`).toBe(readFileSync(join(root, 'src', 'proto', file), 'utf8'))
    }
  })

  it('uses no reflection or code generation at run time (strict Content-Security-Policy)', () => {
    const code = readFileSync(join(root, 'src', 'proto', 'message_contents.js'), 'utf8')
    expect(code).toMatch(/^import \$protobuf from "protobufjs\/minimal\.js";/m)
    expect(code).not.toMatch(/\beval\s*\(|\bFunction\s*\(/)
  })
})
