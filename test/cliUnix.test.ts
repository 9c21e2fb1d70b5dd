// The CLI as a Unix tool, spawned as a person runs it: closed pipes, usage errors, per-command help,
// arguments checked before any device, no temporary leftovers, and a prompt exit (Trezor included).
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { COMMANDS } from '../cli/commands.js'
import { closest } from '../cli/didYouMean.js'
import { LocalSigner } from '../signers/local/index.js'
import { createIdentity, MemoryKeyStore, toHex } from '../src/index.js'

const PRIVATE_KEY = '59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d' // Anvil account 1
const MAIN = join(import.meta.dirname, '..', 'cli', 'main.ts')
const tempDir = () => mkdtempSync(join(tmpdir(), 'xmtp-signers-unix-'))

type Run = { code: number | null; stdout: string; stderr: string; ms: number; lastStdoutMs: number }

/** Runs the real CLI (tsx) with its own home and, when given, its own TMPDIR. */
function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const started = Date.now()
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, XMTP_SIGNERS_HOME: tempDir(), ...env },
  })
  let stdout = ''
  let stderr = ''
  let lastStdoutMs = 0
  child.stdout.on('data', (d) => {
    stdout += d
    lastStdoutMs = Date.now() - started
  })
  child.stderr.on('data', (d) => (stderr += d))
  const killer = setTimeout(() => child.kill('SIGKILL'), 40_000)
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(killer)
      resolve({ code, stdout, stderr, ms: Date.now() - started, lastStdoutMs })
    }),
  )
}

/** `xmtp-signers … | reader` in bash: the CLI's exit code (PIPESTATUS) and its stderr. */
function pipeInto(args: string[], reader: string): Promise<{ code: string; stderr: string }> {
  const script = `"$0" --import tsx "$1" "\${@:2}" 2>"$ERR_FILE" | ${reader} >/dev/null; echo "\${PIPESTATUS[0]}"; cat "$ERR_FILE"`
  const child = spawn('bash', ['-c', script, process.execPath, MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, XMTP_SIGNERS_HOME: tempDir(), ERR_FILE: join(tempDir(), 'stderr') },
  })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  return new Promise((resolve) =>
    child.on('close', () => {
      const [code = '', ...rest] = out.split('\n')
      resolve({ code, stderr: rest.join('\n') })
    }),
  )
}

let bundleHex: string
beforeAll(async () => {
  const { identity } = await createIdentity(LocalSigner.fromPrivateKey(PRIVATE_KEY), new MemoryKeyStore())
  bundleHex = toHex(identity.encodeContactBundle(1))
})

describe('a closed pipe ends quietly', () => {
  it('verify <bundle> | true and | head -c1: exit 0, no EPIPE trace (three runs each)', async () => {
    const runs = await Promise.all([...Array(3)].flatMap(() => [pipeInto(['verify', bundleHex], 'true'), pipeInto(['verify', bundleHex], 'head -c1')]))
    for (const result of runs) {
      expect(result.stderr).toBe('')
      expect(result.code).toBe('0')
    }
  }, 60_000)
})

describe('usage errors: one line, the command’s usage, did you mean', () => {
  it('a mistyped flag: one line naming the closest flag, then only that command’s usage', async () => {
    const result = await run(['verify', bundleHex, '--adress', '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    const lines = result.stderr.trimEnd().split('\n')
    expect(lines[0]).toBe('xmtp-signers: Unknown flag --adress. Did you mean --address?')
    expect(result.stderr).toContain(COMMANDS.verify!.usage)
    expect(result.stderr).toContain('xmtp-signers verify --help')
    expect(result.stderr).not.toContain('xmtp-signers create')
    expect(result.stderr).not.toContain('Signers:')
    expect(result.stderr).not.toMatch(/positional argument|place it at the end/) // Node's parseArgs text
    expect(lines.length).toBeLessThanOrEqual(1 + COMMANDS.verify!.usage.split('\n').length + 2)
  })

  it('a mistyped command names the closest command; a missing value says so in CLI terms', async () => {
    const typo = await run(['verfy', bundleHex])
    expect(typo.code).toBe(2)
    expect(typo.stderr.split('\n')[0]).toBe('xmtp-signers: Unknown command "verfy". Did you mean verify?')
    const missing = await run(['create', '--signer', 'local', '--store'])
    expect(missing.code).toBe(2)
    expect(missing.stderr.split('\n')[0]).toBe('xmtp-signers: --store needs a value (--store VALUE or --store=VALUE).')
    expect(missing.stderr).toContain(COMMANDS.create!.usage)
    expect(missing.stderr).not.toContain('Options:')
  })

  it('a mistyped signer kind names the closest kind', async () => {
    expect(closest('lokal', ['private-key', 'mnemonic', 'local', 'ledger'])).toBe('local')
    expect(closest('trezr', ['ledger', 'trezor'])).toBe('trezor')
    expect(closest('zzzzzz', ['ledger', 'trezor'])).toBeUndefined()
    const result = await run(['create', '--signer', 'trezr'])
    expect(result.code).toBe(2)
    expect(result.stderr.split('\n')[0]).toContain('Did you mean --signer trezor?')
  })

  it('a flag the command (or its signer) does not read is refused, never silently ignored; a short flag gets its long name', async () => {
    const cases: [string[], string][] = [
      [['verify', bundleHex, '--path', "m/44'/60'/0'/0/0"], 'xmtp-signers: --path does not apply to verify.'],
      [['create', '--signer', 'local', '--trezor-bridge', 'http://127.0.0.1:1'], 'xmtp-signers: --trezor-bridge does not apply to create with --signer local.'],
      [['demo', '--transport', 'hid'], 'xmtp-signers: --transport does not apply to demo.'],
      [['create', '--signer', 'ledger', '-p', "m/44'/60'/0'/0/0"], 'xmtp-signers: Unknown flag -p. Did you mean --path?'],
    ]
    for (const [args, first] of cases) {
      const result = await run(args)
      expect({ args, code: result.code, first: result.stderr.split('\n')[0] }).toEqual({ args, code: 2, first })
    }
    // A smart account reads its owner's flags too.
    const owned = await run(['create', '--signer', 'smart-account', '--owner', 'ledger', '--transport', 'emulator', '--trezor-bridge', 'x'])
    expect(owned.stderr.split('\n')[0]).toBe('xmtp-signers: --trezor-bridge does not apply to create with --signer smart-account.')
  })

  it('--json: the usage error is a JSON object on stdout, exit 2, nothing on stderr', async () => {
    const result = await run(['create', '--nope', '--json'])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('')
    const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string; usage: string } }
    expect(error.code).toBe('USAGE')
    expect(error.message).toBe('Unknown flag --nope.')
    expect(error.usage).toContain(COMMANDS.create!.usage)
    const later = await run(['verify', bundleHex, '--address', '0x123', '--json'])
    expect(later.code).toBe(2)
    expect(JSON.parse(later.stdout).error).toMatchObject({ code: 'USAGE', message: expect.stringContaining('0x123') })
  })
})

describe('per-command help', () => {
  it('verify --help and help demo print that command’s usage only, exit 0', async () => {
    const verify = await run(['verify', '--help'])
    expect(verify.code).toBe(0)
    expect(verify.stderr).toBe('')
    expect(verify.stdout).toContain(COMMANDS.verify!.usage)
    expect(verify.stdout).toContain('--address 0x…')
    expect(verify.stdout).not.toContain('xmtp-signers create')
    expect(verify.stdout).not.toContain('--signer trezor')
    const demo = await run(['help', 'demo'])
    expect(demo.code).toBe(0)
    expect(demo.stdout).toContain(COMMANDS.demo!.usage)
    expect(demo.stdout).not.toContain(COMMANDS.verify!.usage)
    const create = await run(['create', '-h'])
    expect(create.code).toBe(0)
    expect(create.stdout).toContain('--signer trezor')
    expect(create.stdout).toContain('--signer local')
    expect(create.stdout).not.toContain('--address 0x…')
  })
})

describe('arguments are checked before anything is read or touched', () => {
  it('verify --address 0x123 is a usage error naming the address, before the bundle is read', async () => {
    const result = await run(['verify', join(tempDir(), 'no-such-file'), '--address', '0x123'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr.split('\n')[0]).toMatch(/^xmtp-signers: --address 0x123: not an Ethereum address/)
    expect(result.stderr).not.toContain('NOT valid')
    const checksum = await run(['verify', bundleHex, '--address', '0x70997970C51812dc3A010C7d01b50e0d17dc79c8'])
    expect(checksum.code).toBe(2)
    expect(checksum.stderr.split('\n')[0]).toContain('checksum')
  })

  it('a bad --index fails as usage before a Ledger over USB is opened', async () => {
    const result = await run(['create', '--signer', 'ledger', '--transport', 'hid', '--index', 'x', '--json'])
    expect(result.code).toBe(2)
    expect(JSON.parse(result.stdout).error).toMatchObject({ code: 'USAGE', message: '--index is a whole number, 0 or more.' })
  })
})

describe('the same signer names in every command; nothing left behind', () => {
  it('create --signer local opens the key demo --signer local uses', async () => {
    const created = await run(['create', '--signer', 'local', '--store', tempDir(), '--json'])
    expect(created.code, created.stderr).toBe(0)
    const demo = await run(['demo', '--signer', 'local', '--json'], { TMPDIR: tempDir() })
    expect(demo.code, demo.stderr).toBe(0)
    expect(JSON.parse(created.stdout).address).toBe(JSON.parse(demo.stdout).address)
    // The demo's own store is removed before it prints: its path is not reported as if it stayed.
    expect(JSON.parse(demo.stdout)).toMatchObject({ temporaryStoreRemoved: true })
    expect(JSON.parse(demo.stdout)).not.toHaveProperty('store')
  })

  it('demo (Ledger emulator and local key) removes the store it made in the temporary folder', async () => {
    for (const args of [['demo'], ['demo', '--signer', 'local', '--json']]) {
      const tmp = tempDir()
      const result = await run(args, { TMPDIR: tmp })
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toBe('')
      expect(readdirSync(tmp).filter((name) => name.startsWith('xmtp-signers-demo-'))).toEqual([])
    }
  }, 60_000)
})

describe('Trezor (the built-in emulator behind a loopback Bridge)', () => {
  it('create exits promptly after its last line, with nothing from @trezor/connect on stderr', async () => {
    for (const json of [true, false]) {
      const result = await run(['create', '--signer', 'trezor', '--trezor-bridge', 'emulator', '--store', tempDir(), ...(json ? ['--json'] : [])])
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toBe('')
      if (json) expect(JSON.parse(result.stdout).address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')
      else expect(result.stdout).toContain('Created and stored a new XMTP identity')
      // Before: about 3.5 s after the last line, on connect's firmware-list fetch timer.
      expect(result.ms - result.lastStdoutMs).toBeLessThan(1000)
    }
  }, 90_000)
})
