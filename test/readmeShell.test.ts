/**
 * The README's shell blocks, line by line, as written. An `xmtp-signers` line that needs no device runs for real
 * (emulators, a local key, in a scratch folder, in order); one that needs real hardware, a chain or a value the
 * reader fills in (`…`, URL) is parsed by the CLI instead, which refuses unknown, mistyped or inapplicable flags.
 * Every other line must name a script, file or tool that exists here.
 */
import { execFile } from 'node:child_process'
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from '../cli/options.js'

const run = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '..')
const CLI = join(ROOT, 'cli', 'main.ts')
// By URL: the lines run in a scratch folder, where a bare `tsx` would not resolve.
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
// Anvil's tenth development key: an account none of the emulator lines use.
const TEST_PRIVATE_KEY = '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6'

type Line = { at: number; text: string }

/** Each ```sh block's command lines: continuations joined, trailing comments dropped. */
function shellLines(): Line[] {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n')
  const out: Line[] = []
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```sh') continue
    for (i++; i < lines.length && lines[i] !== '```'; i++) {
      const at = i + 1
      let text = lines[i]!
      while (text.endsWith('\\') && i + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++i]!.trim()}`
      text = text.replace(/\s+#\s.*$/, '').trim()
      if (text) out.push({ at, text })
    }
  }
  return out
}

/** Words as a POSIX shell splits them (quotes, backslashes); enough for README lines. */
function words(command: string): string[] {
  const out: string[] = []
  let word: string | undefined
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!
    if (c === "'" || c === '"') {
      const end = command.indexOf(c, i + 1)
      word = (word ?? '') + command.slice(i + 1, end)
      i = end
    } else if (c === '\\') word = (word ?? '') + command[++i]
    else if (/\s/.test(c)) {
      if (word !== undefined) out.push(word)
      word = undefined
    } else word = (word ?? '') + c
  }
  if (word !== undefined) out.push(word)
  return out
}

const PLACEHOLDER = /…|^URL$|^\[/
/** What only a person's own device, chain or node provides. */
function needsTheWorld(args: string[]): boolean {
  const flag = (name: string) => args[args.indexOf(`--${name}`) + 1]
  if (args.some((a) => PLACEHOLDER.test(a))) return true
  if (args.includes('--rpc')) return true
  const signer = flag('signer')
  if (signer === 'ledger') return flag('transport') !== 'emulator'
  if (signer === 'trezor') return flag('trezor-bridge') !== 'emulator'
  return signer === 'injected' || signer === 'smart-account'
}

const lines = shellLines()
const scratch = mkdtempSync(join(tmpdir(), 'xmtp-signers-readme-sh-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('every shell line of the README', () => {
  it('there are lines, some run for real', () => {
    expect(lines.length).toBeGreaterThan(10)
  })

  it('runs, or parses where it needs real hardware or a value the reader fills in', async () => {
    const env = { ...process.env, XMTP_SIGNERS_HOME: join(scratch, 'home'), XMTP_SIGNER_PRIVATE_KEY: TEST_PRIVATE_KEY, XMTP_SIGNERS_EMULATOR_CONFIRM_MS: '0', NO_COLOR: '1' }
    const ran: string[] = []
    for (const { at, text } of lines) {
      for (const part of text.split('&&').map((p) => p.trim())) {
        const w = words(part)
        const where = `README.md:${at}: ${part}`
        if (w[0] === 'export') {
          // The reader's own secret: the test provides a test key in its place.
          expect(w[1], where).toMatch(/^XMTP_SIGNER_[A-Z_]+=/)
          continue
        }
        if (w[0] === 'npx' && w[1] === 'xmtp-signers') {
          const args = w.slice(2)
          if (needsTheWorld(args)) {
            expect(() => parse(args), where).not.toThrow()
            continue
          }
          if (args.includes('--from')) {
            // "a bundle from xmtp-js": the test writes the one the previous line printed.
            const file = args[args.indexOf('--from') + 1]!
            if (!existsSync(join(scratch, file))) writeFileSync(join(scratch, file), JSON.parse(readFileSync(join(scratch, 'last.json'), 'utf8')).encryptedPrivateKeyBundle)
          }
          const result = await run(process.execPath, ['--import', TSX_LOADER, CLI, ...args], { cwd: scratch, env, timeout: 120_000 }).catch((e: { code?: number; stdout?: string; stderr?: string }) => e)
          expect((result as { code?: number }).code ?? 0, `${where}\n${(result as { stderr?: string }).stderr ?? ''}`).toBe(0)
          if (args.includes('--json')) writeFileSync(join(scratch, 'last.json'), (result as { stdout: string }).stdout)
          ran.push(part)
          continue
        }
        if (w[0] === 'npm') {
          const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>
          const script = w[1] === 'run' ? w[2]! : w[1]!
          expect(['ci', 'install'].includes(script) || Object.hasOwn(scripts, script), where).toBe(true)
          continue
        }
        if (w[0] === 'npx') {
          expect(existsSync(join(ROOT, 'node_modules', '.bin', w[1]!)), where).toBe(true)
          for (const path of w.slice(2).filter((a) => !a.startsWith('-') && a.includes('/'))) expect(existsSync(join(ROOT, path)), where).toBe(true)
          continue
        }
        // A script of this repository.
        accessSync(join(ROOT, w[0]!), constants.X_OK)
      }
    }
    // The emulator lines and the local-key quick start run for real.
    expect(ran.length).toBeGreaterThanOrEqual(6)
  }, 600_000)
})
