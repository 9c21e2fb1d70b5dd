import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli/run.js'
import { FileKeyStore } from '../stores/fileKeyStore.js'
import { hexToBytes, toHex, verifyEncodedBundle } from '../src/index.js'
import { decodeContactBundle, decodeSignedPublicKeyBundle, encodeContactBundleV1 } from '../src/wire.js'
import { TEST_MNEMONIC } from '../src/adapter/index.js'

const PRIVATE_KEY = '59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d' // Anvil account 1
const ADDRESS = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const OTHER_KEY = '5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a' // Anvil account 2

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { XMTP_SIGNERS_HOME: tempDir(), ...env } })
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> }
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'xmtp-signers-cli-'))

describe('xmtp-signers CLI', () => {
  it('create --json prints the public material, stores the encrypted bundle, never the key', async () => {
    const store = tempDir()
    const result = await cli(['create', '--signer', 'private-key', '--store', store, '--json'], { XMTP_SIGNER_PRIVATE_KEY: PRIVATE_KEY })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const out = result.json()
    expect(out.address).toBe(ADDRESS)
    expect(out.identityPublicKey).toMatch(/^04[0-9a-f]{128}$/)
    expect(out.preKeyPublicKey).toMatch(/^04[0-9a-f]{128}$/)
    expect(out.storageTopic).toBe(`/xmtp/0/privatestore-${ADDRESS}/key_bundle/proto`)
    const v2 = decodeSignedPublicKeyBundle(hexToBytes(out.publicKeyBundle as string))
    expect(toHex(v2.identityKey.publicKey)).toBe(out.identityPublicKey)
    const contact = decodeContactBundle(hexToBytes(out.contactBundle as string))
    expect(contact.version).toBe(1)
    const stored = await new FileKeyStore(store).get(out.storageTopic as string)
    expect(toHex(stored!)).toBe(out.encryptedPrivateKeyBundle)
    expect(result.stdout).not.toContain(PRIVATE_KEY)
  })

  it('narrates each step for a person: the text to sign and why', async () => {
    const result = await cli(['create', '--signer', 'private-key', '--store', tempDir()], { XMTP_SIGNER_PRIVATE_KEY: PRIVATE_KEY })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('XMTP : Create Identity')
    expect(result.stdout).toContain('XMTP : Enable Identity')
    expect(result.stdout).toContain('Why: Create Identity')
    expect(result.stdout).toContain('Why: Enable Identity')
    expect(result.stdout).toContain(`recovers to ${ADDRESS}`)
    expect(result.stdout).not.toContain(PRIVATE_KEY)
  })

  it('unlocks from the store and from a file (raw or hex), refuses a second create', async () => {
    const store = tempDir()
    const env = { XMTP_SIGNER_PRIVATE_KEY: PRIVATE_KEY }
    const created = (await cli(['create', '--signer', 'private-key', '--store', store, '--json'], env)).json()

    const again = await cli(['create', '--signer', 'private-key', '--store', store, '--json'], env)
    expect(again.code).toBe(1)
    expect(again.json()).toMatchObject({ error: { code: 'IDENTITY_EXISTS', name: 'IdentityExistsError' } })
    expect(((again.json().error as Record<string, string>).nextStep)).toContain('unlock')

    const unlocked = (await cli(['unlock', '--signer', 'private-key', '--store', store, '--json'], env)).json()
    expect(unlocked.identityPublicKey).toBe(created.identityPublicKey)
    expect(unlocked.contactBundle).toBe(created.contactBundle)

    const rawFile = join(tempDir(), 'bundle.bin')
    writeFileSync(rawFile, hexToBytes(created.encryptedPrivateKeyBundle as string))
    const hexFile = join(tempDir(), 'bundle.hex')
    writeFileSync(hexFile, `0x${created.encryptedPrivateKeyBundle as string}\n`)
    for (const file of [rawFile, hexFile]) {
      const fromFile = await cli(['unlock', '--signer', 'private-key', '--from', file, '--json'], env)
      expect(fromFile.code).toBe(0)
      expect(fromFile.json().identityPublicKey).toBe(created.identityPublicKey)
    }

    const wrongWallet = await cli(['unlock', '--signer', 'private-key', '--from', rawFile, '--json'], { XMTP_SIGNER_PRIVATE_KEY: OTHER_KEY })
    expect(wrongWallet.code).toBe(1)
    expect(wrongWallet.json()).toMatchObject({ error: { code: 'BUNDLE_DECRYPTION_FAILED' } })
  })

  it('unlocks a bundle that xmtp-js generated and stored, and verifies its contact bundle', async () => {
    const vectors = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'xmtp-js-vectors.json'), 'utf8'))
    const expected = vectors.vectors.find((v: { name: string }) => v.name === vectors.storedBundleFixture.vector).expected
    const file = join(import.meta.dirname, '..', vectors.storedBundleFixture.file)
    const env = { XMTP_SIGNER_MNEMONIC: TEST_MNEMONIC }
    const unlocked = await cli(['unlock', '--signer', 'mnemonic', '--from', file, '--json'], env)
    expect(unlocked.code, unlocked.stdout).toBe(0)
    const out = unlocked.json()
    expect(out.address).toBe(expected.address)
    expect(out.identityPublicKey).toBe(expected.identityPublicKey)
    expect(out.preKeyPublicKey).toBe(expected.preKeyPublicKey)
    expect(out.contactBundle).toBe(expected.contactBundleV1)
    expect(out.publicKeyBundle).toBe(expected.signedPublicKeyBundle)
    const verified = await cli(['verify', expected.contactBundleV2, '--address', expected.address, '--json'])
    expect(verified.code).toBe(0)
    expect(verified.json().valid).toBe(true)
  })

  it('rotates the prekey and keeps the old one', async () => {
    const store = tempDir()
    const env = { XMTP_SIGNER_MNEMONIC: TEST_MNEMONIC }
    const created = (await cli(['create', '--signer', 'mnemonic', '--path', "m/44'/60'/0'/0/1", '--store', store, '--json'], env)).json()
    expect(created.address).toBe(ADDRESS)
    const rotated = (await cli(['rotate-prekey', '--signer', 'mnemonic', '--path', "m/44'/60'/0'/0/1", '--store', store, '--json'], env)).json()
    expect(rotated.preKeyPublicKeys).toEqual([rotated.preKeyPublicKey, created.preKeyPublicKey])
  })

  it('verifies bundles given as hex or file, with reasons', async () => {
    const created = (await cli(['create', '--signer', 'private-key', '--store', tempDir(), '--json'], { XMTP_SIGNER_PRIVATE_KEY: PRIVATE_KEY })).json()
    for (const field of ['contactBundle', 'contactBundleV2', 'publicKeyBundle', 'publicKeyBundleV1']) {
      const result = await cli(['verify', created[field] as string, '--json'])
      expect(result.code, field).toBe(0)
      expect(result.json()).toMatchObject({ valid: true, walletAddress: ADDRESS })
    }
    const file = join(tempDir(), 'contact.bin')
    writeFileSync(file, hexToBytes(created.contactBundle as string))
    expect((await cli(['verify', file, '--address', ADDRESS])).code).toBe(0)

    const wrongAccount = await cli(['verify', file, '--address', '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', '--json'])
    expect(wrongAccount.code).toBe(1)
    expect(wrongAccount.json().valid).toBe(false)
    expect(JSON.stringify(wrongAccount.json().checks)).toContain('expected 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')

    const garbage = await cli(['verify', 'deadbeef', '--json'])
    expect(garbage.code).toBe(1)
    expect(garbage.json()).toMatchObject({ error: { code: 'MALFORMED_BUNDLE' } })
  })

  it('exits 2 on usage errors, and never takes a secret from the command line', async () => {
    expect((await cli([])).code).toBe(2)
    expect((await cli(['frobnicate'])).code).toBe(2)
    expect((await cli(['create', '--nope'])).code).toBe(2)
    expect((await cli(['create', '--signer', 'private-key'])).stderr).toContain('XMTP_SIGNER_PRIVATE_KEY')
    const leaked = await cli(['create', '--signer', 'private-key', `--private-key=${PRIVATE_KEY}`])
    expect(leaked.code).toBe(2)
    expect(leaked.stderr).toContain('environment')
    expect(leaked.stderr).not.toContain(PRIVATE_KEY)
    expect((await cli(['--help'])).code).toBe(0)
  })

  it('defaults the store to the per-user directory and prints where it is', async () => {
    const home = tempDir()
    const result = await cli(['create', '--signer', 'private-key'], { XMTP_SIGNER_PRIVATE_KEY: PRIVATE_KEY, XMTP_SIGNERS_HOME: home })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`Key store: ${home}`)
  })

  it('demo runs create → unlock → verify with no setup', async () => {
    const result = await cli(['demo', '--store', tempDir(), '--json'])
    expect(result.code).toBe(0)
    const out = result.json()
    expect(out.unlocked).toBe(true)
    expect((out.verification as { valid: boolean }[]).map((v) => v.valid)).toEqual([true, true])
  })

  it('runs as a process with code generation from strings disabled (strict CSP equivalent)', async () => {
    const store = tempDir()
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--disallow-code-generation-from-strings', '--import', 'tsx', join(import.meta.dirname, '..', 'cli', 'main.ts'), 'demo', '--store', store, '--json'],
      { timeout: 30_000 },
    )
    expect(JSON.parse(stdout).unlocked).toBe(true)
    expect(readFileSync(new FileKeyStore(store).pathFor(JSON.parse(stdout).storageTopic)).length).toBeGreaterThan(300)
  })
})

describe('xmtp-signers CLI with a Ledger', () => {
  it('demo runs on the Ledger emulator by default, showing what the device shows', async () => {
    const result = await cli(['demo', '--store', tempDir()])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('Ledger over the built-in emulator')
    expect(result.stdout).toContain('[emulated Ledger screen] Sign message: "XMTP : Create Identity\\x0a')
    expect(result.stdout).toContain('On your Ledger')
    expect(result.stdout).toContain('Demo complete')
  })

  it('create and unlock with --signer ledger over the emulator, by scheme and index', async () => {
    const store = tempDir()
    const args = ['--signer', 'ledger', '--transport', 'emulator', '--scheme', 'bip44', '--index', '1', '--store', store, '--json']
    const created = await cli(['create', ...args])
    expect(created.code, created.stdout).toBe(0)
    expect(created.json().address).toBe(ADDRESS) // bip44 index 1 of the test mnemonic = Anvil account 1
    expect(String(created.json().signer)).toContain("path m/44'/60'/0'/0/1")
    const unlocked = await cli(['unlock', ...args])
    expect(unlocked.json().identityPublicKey).toBe(created.json().identityPublicKey)
  })

  it('--confirm-address shows the account on the device first', async () => {
    const result = await cli(['create', '--signer', 'ledger', '--transport', 'emulator', '--confirm-address', '--store', tempDir()])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('[emulated Ledger screen] Verify address 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')
    expect((await cli(['create', '--signer', 'mnemonic', '--confirm-address'], { XMTP_SIGNER_MNEMONIC: TEST_MNEMONIC })).code).toBe(2)
  })

  it('create over speculos:// against the emulator’s TCP server', async () => {
    const { LedgerEmulator, startSpeculosServer, TEST_MNEMONIC } = await import('../signers/ledger/emulator/index.js')
    const server = await startSpeculosServer(new LedgerEmulator({ mnemonic: TEST_MNEMONIC }))
    try {
      const result = await cli(['create', '--signer', 'ledger', '--transport', server.url, '--store', tempDir(), '--json'])
      expect(result.code, result.stdout).toBe(0)
      expect(result.json().address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')
    } finally {
      await server.close()
    }
  })

  it('lists accounts with scheme, index and path', async () => {
    const result = await cli(['accounts', '--signer', 'ledger', '--transport', 'emulator', '--scheme', 'bip44', '--count', '2', '--json'])
    expect(result.code).toBe(0)
    expect(result.json()).toEqual({
      scheme: 'bip44',
      accounts: [
        { address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', path: "m/44'/60'/0'/0/0", scheme: 'bip44', index: 0 },
        { address: ADDRESS, path: "m/44'/60'/0'/0/1", scheme: 'bip44', index: 1 },
      ],
    })
  })

  it('rejects mixing --path with --scheme, and unknown transports, as usage errors', async () => {
    expect((await cli(['create', '--signer', 'ledger', '--transport', 'emulator', '--path', "m/44'/60'/0'/0/0", '--scheme', 'live'])).code).toBe(2)
    expect((await cli(['create', '--signer', 'ledger', '--transport', 'bluetooth'])).code).toBe(2)
  })
})

describe('verify says whose keys it checked (issue 10, part 4)', () => {
  /** A contact bundle whose wallet signature's recovery bit was flipped: it recovers to an address nobody controls. */
  async function flippedRecoveryBundle(): Promise<string> {
    const created = (await cli(['create', '--signer', 'private-key', '--store', tempDir(), '--json'], { XMTP_SIGNER_PRIVATE_KEY: PRIVATE_KEY })).json()
    const contact = decodeContactBundle(hexToBytes(created.contactBundle as string))
    if (contact.version !== 1) throw new Error('expected a v1 contact bundle')
    const signature = contact.keyBundle.identityKey.signature as { kind: 'walletEcdsaCompact' | 'ecdsaCompact'; compact: Uint8Array; recovery: 0 | 1 }
    const identityKey = { ...contact.keyBundle.identityKey, signature: { ...signature, recovery: (1 - signature.recovery) as 0 | 1 } }
    return toHex(encodeContactBundleV1({ ...contact.keyBundle, identityKey }))
  }

  it('without --address: "the attestation is by 0x…; no address was given to compare with", never "✓ Valid … for 0x…"', async () => {
    const bundle = await flippedRecoveryBundle()
    const text = await cli(['verify', bundle])
    const report = verifyEncodedBundle(bundle)
    expect(report.attestedBy).toBeDefined()
    expect(report.attestedBy).not.toBe(ADDRESS)
    expect(report.expectedAddress).toBeUndefined()
    expect(text.stdout).toContain(`the attestation is by ${report.attestedBy}; no address was given to compare with`)
    expect(text.stdout).not.toMatch(/✓ Valid \S+ for 0x/)
    expect(text.stdout).toContain('Pass --address 0x… to check it')
    expect(text.stdout).toContain(toHex(report.identityPublicKey))
    const json = await cli(['verify', bundle, '--json'])
    expect(json.json()).toMatchObject({ attestedBy: report.attestedBy, expectedAddress: null, accountChecked: false, note: expect.stringContaining('No --address was given') })
    const checked = await cli(['verify', bundle, '--address', ADDRESS, '--json'])
    expect(checked.code).toBe(1)
    expect(checked.json()).toMatchObject({ valid: false, accountChecked: true, expectedAddress: ADDRESS, attestedBy: report.attestedBy })
  })

  it('with --address that matches: "✓ Valid … for 0x…" as before', async () => {
    const created = (await cli(['create', '--signer', 'private-key', '--store', tempDir(), '--json'], { XMTP_SIGNER_PRIVATE_KEY: PRIVATE_KEY })).json()
    const result = await cli(['verify', created.contactBundleV2 as string, '--address', ADDRESS])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`✓ Valid ContactBundleV2 for ${ADDRESS}`)
    expect(result.stdout).not.toContain('no address was given')
    expect(verifyEncodedBundle(created.contactBundleV2 as string, { expectedAddress: ADDRESS })).toMatchObject({ attestedBy: ADDRESS, expectedAddress: ADDRESS, valid: true })
  })
})

describe('Ctrl-C aborts the running command (issue 10, part 6)', () => {
  /** A JSON-RPC wallet that answers the account and chain but never answers a signature: a person who has not confirmed yet. */
  async function waitingWallet() {
    const { createServer } = await import('node:http')
    const seen: string[] = []
    const pending: import('node:http').ServerResponse[] = []
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => {
        const { id, method } = JSON.parse(body) as { id: number; method: string }
        seen.push(method)
        const answer = (result: unknown) => res.end(JSON.stringify({ jsonrpc: '2.0', id, result }))
        if (method === 'eth_accounts' || method === 'eth_requestAccounts') answer([ADDRESS])
        else if (method === 'eth_chainId') answer('0x1')
        else if (method === 'personal_sign') pending.push(res)
        else res.end(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32601, message: 'method not found' } }))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as import('node:net').AddressInfo).port
    return {
      url: `http://127.0.0.1:${port}`,
      seen,
      close: () => {
        for (const res of pending) res.destroy()
        server.closeAllConnections()
        return new Promise<void>((resolve) => server.close(() => resolve()))
      },
    }
  }

  for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} while the wallet waits for a confirmation: exits ${exitCode} within a second with ABORTED, nothing stored`, async () => {
      const wallet = await waitingWallet()
      const store = tempDir()
      const { spawn } = await import('node:child_process')
      const { readdirSync } = await import('node:fs')
      try {
        const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'cli', 'main.ts'), 'create', '--signer', 'injected', '--rpc', wallet.url, '--store', store], {
          stdio: ['ignore', 'pipe', 'pipe'],
        })
        let stdout = ''
        let stderr = ''
        child.stderr.on('data', (d) => (stderr += d))
        const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`the CLI never asked for a signature:\n${stdout}\n${stderr}`)), 20_000)
          child.stdout.on('data', (d) => {
            stdout += d
            if (stdout.includes('Your wallet is asked to sign')) {
              clearTimeout(timer)
              resolve()
            }
          })
        })
        // The request is out: wait until the wallet holds it, then interrupt.
        for (let i = 0; i < 100 && !wallet.seen.includes('personal_sign'); i++) await new Promise((r) => setTimeout(r, 20))
        expect(wallet.seen).toContain('personal_sign')
        const sent = Date.now()
        child.kill(signal)
        const code = await exited
        expect(Date.now() - sent).toBeLessThan(1_000)
        expect(code).toBe(exitCode)
        expect(stderr).toContain('was aborted')
        expect(stderr).toContain('Nothing was stored')
        expect(readdirSync(store)).toEqual([])
      } finally {
        await wallet.close()
      }
    })
  }

  it('--json: an aborted command prints the typed error with code ABORTED (in process, through io.signal)', async () => {
    const wallet = await waitingWallet()
    try {
      const controller = new AbortController()
      let stdout = ''
      const running = runCli(['create', '--signer', 'injected', '--rpc', wallet.url, '--store', tempDir(), '--json'], {
        stdout: (t) => (stdout += t),
        stderr: () => undefined,
        env: {},
        signal: controller.signal,
      })
      for (let i = 0; i < 200 && !wallet.seen.includes('personal_sign'); i++) await new Promise((r) => setTimeout(r, 20))
      controller.abort()
      expect(await running).toBe(1)
      expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'ABORTED', name: 'OperationAbortedError' } })
    } finally {
      await wallet.close()
    }
  })
})

describe('Ctrl-C reaches the device prompt (Ledger and Trezor emulators, a person slow to confirm)', () => {
  for (const [wallet, args] of [
    ['Ledger', ['--signer', 'ledger', '--transport', 'emulator']],
    ['Trezor', ['--signer', 'trezor', '--trezor-bridge', 'emulator']],
  ] as const) {
    it(`${wallet}: SIGINT while the device shows the prompt exits 130 within a second, ABORTED, nothing stored`, async () => {
      const store = tempDir()
      const { spawn } = await import('node:child_process')
      const { readdirSync } = await import('node:fs')
      const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'cli', 'main.ts'), 'create', ...args, '--store', store], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, XMTP_SIGNERS_EMULATOR_CONFIRM_MS: '30000' },
      })
      let stdout = ''
      let stderr = ''
      child.stderr.on('data', (d) => (stderr += d))
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`the device never showed a prompt:\n${stdout}\n${stderr}`)), 30_000)
          child.stdout.on('data', (d) => {
            stdout += d
            if (stdout.includes(`On your ${wallet}: read the message`)) {
              clearTimeout(timer)
              resolve()
            }
          })
        })
        await new Promise((r) => setTimeout(r, 200))
        const sent = Date.now()
        child.kill('SIGINT')
        const code = await exited
        expect(Date.now() - sent).toBeLessThan(1_000)
        expect(code).toBe(130)
        expect(stderr).toContain('was aborted')
        expect(readdirSync(store)).toEqual([])
      } finally {
        child.kill('SIGKILL')
      }
    })
  }

  it('a typo in XMTP_SIGNERS_EMULATOR_CONFIRM_MS is a usage error', async () => {
    expect((await cli(['create', '--signer', 'ledger', '--transport', 'emulator', '--store', tempDir()], { XMTP_SIGNERS_EMULATOR_CONFIRM_MS: '5s' })).code).toBe(2)
  })
})

describe('the CLI from tables, with its own hints (issue 11)', () => {
  it('an engine error keeps its API next step and gets the CLI’s own hint, in text and in --json', async () => {
    const store = tempDir()
    const env = { XMTP_SIGNER_PRIVATE_KEY: PRIVATE_KEY }
    expect((await cli(['create', '--signer', 'private-key', '--store', store, '--json'], env)).code).toBe(0)
    const json = await cli(['create', '--signer', 'private-key', '--store', store, '--json'], env)
    const error = json.json().error as Record<string, string>
    expect(error).toMatchObject({ code: 'IDENTITY_EXISTS', hint: expect.stringContaining('xmtp-signers unlock') })
    expect(error.nextStep).toContain('unlockIdentity')
    expect(error.nextStep).not.toMatch(/--|xmtp-signers /)
    const text = await cli(['create', '--signer', 'private-key', '--store', store], env)
    expect(text.code).toBe(1)
    expect(text.stderr).toContain(`What to do: ${error.nextStep}`)
    expect(text.stderr).toContain(`With this CLI: ${error.hint}`)
  })

  it('STORAGE_KEY_SOURCE: the hint names the --storage-key value the identity needs', async () => {
    const store = tempDir()
    const env = { XMTP_SIGNER_PRIVATE_KEY: PRIVATE_KEY, XMTP_SIGNER_PASSPHRASE: 'correct horse battery staple', XMTP_SIGNER_SCRYPT_LOG_N: '10' }
    expect((await cli(['create', '--signer', 'private-key', '--storage-key', 'passphrase', '--store', store, '--json'], env)).code).toBe(0)
    const withoutFlag = await cli(['unlock', '--signer', 'private-key', '--store', store, '--json'], env)
    expect(withoutFlag.json().error).toMatchObject({ code: 'STORAGE_KEY_SOURCE', hint: expect.stringContaining('--storage-key passphrase') })
    expect((withoutFlag.json().error as Record<string, string>).nextStep).toContain("storageKey: { source: 'passphrase'")
    expect((await cli(['unlock', '--signer', 'private-key', '--storage-key', 'passphrase', '--store', store, '--json'], env)).code).toBe(0)
  })

  it('every hint is worded in this CLI’s flags or commands; an error without one prints hint: null', async () => {
    const { CLI_HINTS } = await import('../cli/hints.js')
    const { ERROR_CLASSES } = await import('../src/index.js')
    for (const [code, hint] of Object.entries(CLI_HINTS)) {
      expect(Object.keys(ERROR_CLASSES), code).toContain(code)
      if (typeof hint === 'string') expect(hint, code).toMatch(/--[a-z]|xmtp-signers [a-z]|the command/)
    }
    const garbage = await cli(['verify', 'deadbeef', '--json'])
    expect(garbage.json().error).toMatchObject({ code: 'MALFORMED_BUNDLE', hint: expect.stringContaining('--format') })
    const noHint = await cli(['verify', 'not-a-file-nor-hex', '--json'])
    expect(noHint.json().error).toMatchObject({ code: 'INVALID_INPUT', hint: null })
    expect((await cli(['verify', 'not-a-file-nor-hex'])).stderr).not.toContain('With this CLI')
  })

  it('the option set and the usage text come from the signer and command tables', async () => {
    const { OPTIONS } = await import('../cli/options.js')
    const { COMMANDS } = await import('../cli/commands.js')
    const { SIGNERS } = await import('../cli/signers/index.js')
    const { DERIVATION_SCHEMES } = await import('../src/index.js')
    const { SCHEMES } = await import('../signers/smart-account/index.js')
    const help = await cli(['--help'])
    for (const signer of SIGNERS) {
      expect(help.stdout).toContain(signer.usage)
      for (const flag of Object.keys(signer.flags)) expect(OPTIONS, `--${flag} of ${signer.kind}`).toHaveProperty(flag)
    }
    for (const [name, command] of Object.entries(COMMANDS)) {
      expect(help.stdout).toContain(command.usage)
      expect(command.usage).toContain(`xmtp-signers ${name}`)
      for (const flag of Object.keys(command.flags)) expect(OPTIONS).toHaveProperty(flag)
    }
    expect(help.stdout).toContain(`--scheme ${Object.keys(DERIVATION_SCHEMES).join('|')}`)
    expect(help.stdout).toContain(`--account-scheme ${Object.keys(SCHEMES).join('|')}`)
    expect((await cli(['create', '--signer', 'nope'])).stderr).toContain(`one of: ${SIGNERS.map((s) => s.kind).join(', ')}`)
    for (const name of ['constructor', '__proto__', 'toString']) expect((await cli([name])).code, name).toBe(2)
  })

  it('--scheme is always the derivation: a smart account’s scheme is --account-scheme; the old --scheme safe still works, with a deprecation line', async () => {
    const env = { XMTP_SIGNER_PRIVATE_KEY: PRIVATE_KEY }
    // --chain-id x1 stops each run before any RPC call, after the schemes were read.
    const base = ['create', '--signer', 'smart-account', '--rpc', 'http://127.0.0.1:1', '--account', '0x0000000000000000000000000000000000000001', '--owner', 'private-key']
    const old = await cli([...base, '--scheme', 'safe', '--chain-id', 'x1'], env)
    expect(old.code).toBe(2)
    expect(old.stderr).toContain('--scheme safe for a smart account is deprecated: use --account-scheme safe')
    expect(old.stderr).toContain('--chain-id is a whole number')
    const current = await cli([...base, '--account-scheme', 'safe', '--chain-id', 'x1'], env)
    expect(current.code).toBe(2)
    expect(current.stderr).not.toContain('deprecated')
    expect(current.stderr).toContain('--chain-id is a whole number')
    // --scheme with --account-scheme is the owner's derivation: a private key has none.
    const ownerScheme = await cli([...base, '--account-scheme', 'safe', '--scheme', 'bip44'], env)
    expect(ownerScheme.code).toBe(2)
    expect(ownerScheme.stderr).toContain('--transport, --scheme and --index apply to hardware signers.')
    const unknown = await cli([...base, '--account-scheme', 'nope'], env)
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('--account-scheme must be one of: safe, coinbase, erc7739, erc1271.')
    expect((await cli([...base], env)).stderr).toContain('needs --rpc URL, --account 0x…, --account-scheme safe|coinbase|erc7739|erc1271 and --owner <kind>')
  })
})
