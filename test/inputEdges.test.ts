/**
 * Every input at the edge (issue 10, part 3): hex parsed in one linear pass, CLI inputs that are
 * regular files only and capped before reading, EIP-712 typed data validated before hashing — each
 * failure a typed INVALID_INPUT at once, never INTERNAL, a hang or a stack overflow.
 */
import { execFileSync, spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hashTypedData as viemHashTypedData } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../cli/run.js'
import { MAX_INPUT_BYTES } from '../cli/input.js'
import { LocalSigner } from '../signers/local/index.js'
import { hexToBytes, toHex } from '../src/bytes.js'
import { createIdentity, MemoryKeyStore, verifyEncodedBundle, type TypedData } from '../src/index.js'
import { hashTypedData, TYPED_DATA_LIMITS } from '../src/typedData.js'
import { MAIL_TYPED_DATA } from './support/typedData.js'

const tempDir = () => mkdtempSync(join(tmpdir(), 'xmtp-signers-edges-'))
const PRIVATE_KEY = '59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'

async function cli(args: string[], extra: Partial<Parameters<typeof runCli>[1]> = {}) {
  let stdout = ''
  let stderr = ''
  const started = Date.now()
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { XMTP_SIGNERS_HOME: tempDir() }, ...extra })
  return { code, stdout, stderr, ms: Date.now() - started, json: () => JSON.parse(stdout) as { error?: { code: string; message: string; nextStep: string | null } } }
}

const expectInvalidInput = (result: Awaited<ReturnType<typeof cli>>, message: RegExp) => {
  expect(result.code, result.stdout + result.stderr).toBe(1)
  const { error } = result.json()
  expect(error?.code).toBe('INVALID_INPUT')
  expect(error?.message).toMatch(message)
  expect(error?.nextStep).toBeTruthy()
  expect(result.ms).toBeLessThan(2_000)
}

describe('hex without backtracking', () => {
  it('an 8 MB hex string parses in one pass (the old regex overflowed the stack at 3.3 MB)', () => {
    const bytes = new Uint8Array(4 * 1024 * 1024).map((_, i) => (i * 7) & 0xff)
    const hex = `0x${Buffer.from(bytes).toString('hex')}`
    expect(hex.length).toBeGreaterThan(8_000_000)
    const started = Date.now()
    const parsed = hexToBytes(hex)
    const upper = hexToBytes(`0x${hex.slice(2).toUpperCase()}`)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(Buffer.compare(parsed, bytes)).toBe(0)
    expect(Buffer.compare(upper, bytes)).toBe(0)
  })

  it('an 8 MB hex bundle given to verifyEncodedBundle is a MalformedBundleError, not a RangeError', () => {
    const hex = 'ab'.repeat(4 * 1024 * 1024)
    expect(() => verifyEncodedBundle(hex)).toThrow(expect.objectContaining({ code: 'MALFORMED_BUNDLE' }))
  })

  it('odd length, a stray character anywhere, and non-strings are INVALID_INPUT naming the value', () => {
    expect(() => hexToBytes('abc', 'signature')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', shortMessage: 'The signature is not valid hex.' }))
    expect(() => hexToBytes(`${'ab'.repeat(2_000_000)}zz`)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: expect.stringContaining('character 4000000') }))
    expect(() => hexToBytes('0xg0')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    expect(() => hexToBytes(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    expect(hexToBytes(' 0x0aFF\n')).toEqual(Uint8Array.of(0x0a, 0xff))
    expect(hexToBytes('')).toEqual(new Uint8Array())
  })
})

describe('CLI inputs: regular files only, capped before reading', () => {
  const dir = tempDir()
  let socketServer: Server
  const socketPath = join(dir, 'bundle.sock')
  const fifoPath = join(dir, 'bundle.fifo')
  let contactHex: string
  beforeAll(async () => {
    execFileSync('mkfifo', [fifoPath])
    socketServer = createServer()
    await new Promise<void>((resolve) => socketServer.listen(socketPath, resolve))
    const { identity } = await createIdentity(LocalSigner.fromPrivateKey(PRIVATE_KEY), new MemoryKeyStore())
    contactHex = toHex(identity.encodeContactBundle(1))
  })
  afterAll(() => new Promise<void>((resolve) => socketServer.close(() => resolve())))

  it('a directory, FIFO, socket or device as verify FILE / unlock --from FILE: INVALID_INPUT at once, saying what to pass', async () => {
    const cases: [string, RegExp][] = [
      [dir, /is a directory/],
      [fifoPath, /is a named pipe/],
      [socketPath, /is a socket/],
      ['/dev/zero', /is a character device/],
      ['/dev/urandom', /is a character device/],
      ['/dev/null', /is a character device/],
    ]
    for (const [path, message] of cases) {
      expectInvalidInput(await cli(['verify', path, '--json']), message)
      expectInvalidInput(await cli(['unlock', '--signer', 'private-key', '--from', path, '--json'], { env: { XMTP_SIGNER_PRIVATE_KEY: PRIVATE_KEY } }), message)
    }
  })

  it('a file over the 1 MiB cap is refused from its size, before reading; just under the cap it is read (and judged)', async () => {
    const big = join(dir, 'big.bin')
    writeFileSync(big, new Uint8Array(MAX_INPUT_BYTES + 1))
    expectInvalidInput(await cli(['verify', big, '--json']), /larger than any bundle/)
    const hexFile = join(dir, 'big.hex')
    writeFileSync(hexFile, 'ab'.repeat(MAX_INPUT_BYTES / 2 - 1)) // 1 MiB of hex: read, then not a bundle
    const read = await cli(['verify', hexFile, '--json'])
    expect(read.code).toBe(1)
    expect(read.json().error?.code).toBe('MALFORMED_BUNDLE')
  })

  it('an 8 MB hex argument is refused by its length; a 3.3 MB one neither overflows the stack nor ends INTERNAL', async () => {
    expectInvalidInput(await cli(['verify', 'ab'.repeat(4 * 1024 * 1024), '--json']), /larger than any bundle/)
    const mid = await cli(['verify', 'ab'.repeat(Math.floor(MAX_INPUT_BYTES * 0.9)), '--json'])
    expect(mid.json().error?.code).toBe('MALFORMED_BUNDLE')
    expectInvalidInput(await cli(['verify', 'not-a-file-nor-hex', '--json']), /neither a file nor hex/)
  })

  it('regular files (raw or hex, through a symlink too) still verify', async () => {
    const raw = join(dir, 'contact.bin')
    writeFileSync(raw, hexToBytes(contactHex))
    const hex = join(dir, 'contact.hex')
    writeFileSync(hex, `0x${contactHex}\n`)
    execFileSync('ln', ['-sf', raw, join(dir, 'link.bin')])
    for (const file of [raw, hex, join(dir, 'link.bin')]) expect((await cli(['verify', file, '--json'])).code, file).toBe(0)
  })

  it('XMTP_SIGNER_SCRYPT_LOG_N, --chain-id and --index typos are usage errors, not NaN defaults', async () => {
    const env = { XMTP_SIGNER_PRIVATE_KEY: PRIVATE_KEY, XMTP_SIGNER_PASSPHRASE: 'correct horse', XMTP_SIGNER_SCRYPT_LOG_N: '1O' }
    const typo = await cli(['create', '--signer', 'private-key', '--storage-key', 'passphrase', '--store', tempDir()], { env })
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain('XMTP_SIGNER_SCRYPT_LOG_N must be a whole number')
    const chain = await cli(['create', '--signer', 'smart-account', '--rpc', 'http://127.0.0.1:1', '--account', '0x0000000000000000000000000000000000000001', '--scheme', 'safe', '--owner', 'private-key', '--chain-id', 'x1'], { env })
    expect(chain.code).toBe(2)
    expect(chain.stderr).toContain('--chain-id is a whole number')
    expect((await cli(['create', '--signer', 'ledger', '--transport', 'emulator', '--index', '1e3'])).code).toBe(2)
  })
})

describe('CLI standard input (spawned, so stdin is a real pipe, socket or device)', () => {
  const main = join(import.meta.dirname, '..', 'cli', 'main.ts')
  let contactHex: string
  beforeAll(async () => {
    const { identity } = await createIdentity(LocalSigner.fromPrivateKey(PRIVATE_KEY), new MemoryKeyStore())
    contactHex = toHex(identity.encodeContactBundle(1))
  })

  /** Runs the CLI with `stdin` as given ('pipe' is a socketpair in libuv on Linux) and `input` written to it. */
  function run(args: string[], stdin: 'pipe' | number, input?: string): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
    const started = Date.now()
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], { stdio: [stdin, 'pipe', 'pipe'], env: { ...process.env, XMTP_SIGNERS_HOME: tempDir() } })
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (d) => (stdout += d))
    child.stderr!.on('data', (d) => (stderr += d))
    // The CLI may refuse the input before reading all of it: the write then meets a closed pipe.
    child.stdin?.on('error', () => undefined)
    if (stdin === 'pipe') child.stdin!.end(input ?? '')
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    return new Promise((resolve) =>
      child.on('close', (code) => {
        clearTimeout(killer)
        resolve({ code, stdout, stderr, ms: Date.now() - started })
      }),
    )
  }

  it('verify - reads the bundle from a pipe or socket on standard input', async () => {
    const result = await run(['verify', '-', '--json'], 'pipe', `${contactHex}\n`)
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout).valid).toBe(true)
  })

  it('/dev/stdin when stdin is a socket: INVALID_INPUT saying to pass - (it was INTERNAL ENXIO)', async () => {
    const result = await run(['verify', '/dev/stdin', '--json'], 'pipe', contactHex)
    expect(result.code).toBe(1)
    const { error } = JSON.parse(result.stdout)
    expect(error.code).toBe('INVALID_INPUT')
    expect(error.message).toContain('is a socket')
    expect(error.nextStep).toContain('-')
  })

  it('verify - with /dev/zero on standard input is refused at once; over the cap on a pipe is refused', async () => {
    const zero = openSync('/dev/zero', 'r')
    try {
      const result = await run(['verify', '-', '--json'], zero)
      expect(result.code).toBe(1)
      expect(JSON.parse(result.stdout).error.code).toBe('INVALID_INPUT')
    } finally {
      closeSync(zero)
    }
    const big = await run(['verify', '-', '--json'], 'pipe', 'ab'.repeat(MAX_INPUT_BYTES))
    expect(big.code).toBe(1)
    expect(JSON.parse(big.stdout).error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('larger than any bundle') })
  })
})

describe('EIP-712 typed data validated at the edge', () => {
  const invalid = (typedData: unknown, details: RegExp) => {
    const started = Date.now()
    expect(() => hashTypedData(typedData as TypedData)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: expect.stringMatching(details) }))
    expect(Date.now() - started).toBeLessThan(2_000)
  }
  const mail = MAIL_TYPED_DATA

  it('known-good typed data hashes exactly as viem does (Mail, arrays, fixed bytes, small ints)', () => {
    expect(toHex(hashTypedData(mail))).toBe('be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2')
    const rich: TypedData = {
      domain: { name: 'x', chainId: 8453, salt: `0x${'11'.repeat(32)}` },
      types: { Item: [{ name: 'id', type: 'uint8' }, { name: 'tag', type: 'bytes4' }, { name: 'delta', type: 'int128' }], Bag: [{ name: 'items', type: 'Item[]' }, { name: 'grid', type: 'uint256[2][]' }, { name: 'ok', type: 'bool' }, { name: 'data', type: 'bytes' }] },
      primaryType: 'Bag',
      message: { items: [{ id: 1, tag: '0xdeadbeef', delta: '-5' }, { id: 255, tag: '0x01020304', delta: 7 }], grid: [[1, 2], [3, 4]], ok: true, data: '0x00ff' },
    }
    expect(toHex(hashTypedData(rich))).toBe(viemHashTypedData(rich as never).slice(2))
    expect(toHex(hashTypedData(mail))).toBe(viemHashTypedData(mail as never).slice(2))
  })

  it('type names on Object.prototype never resolve to prototype members', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      invalid({ ...mail, types: { ...mail.types, Mail: [{ name: 'x', type: name }] }, message: { x: {} } }, new RegExp(`unknown type "${name.replace(/_/g, '_')}"`))
      invalid({ ...mail, primaryType: name }, /is not one of the types|no type named/)
    }
    // A data object's inherited members are not its values: `contents` from the prototype reads as missing.
    invalid({ ...mail, message: Object.assign(Object.create({ contents: 'inherited' }), { from: mail.message.from, to: mail.message.to }) }, /string: expected text/)
    // An own type named `constructor` is an ordinary struct.
    const own = JSON.parse('{"constructor":[{"name":"v","type":"uint8"}],"Root":[{"name":"c","type":"constructor"}]}')
    expect(hashTypedData({ domain: { name: 'x' }, types: own, primaryType: 'Root', message: { c: { v: 1 } } })).toHaveLength(32)
  })

  it('non-array type fields, malformed fields and duplicate field names', () => {
    invalid({ ...mail, types: { ...mail.types, Mail: 'from Person' } }, /types\.Mail must be an array/)
    invalid({ ...mail, types: { ...mail.types, Mail: { length: 1, 0: { name: 'a', type: 'string' } } } }, /must be an array/)
    invalid({ ...mail, types: { ...mail.types, Person: [{ name: 'name' }] } }, /not \{ name: string, type: string \}/)
    invalid({ ...mail, types: { ...mail.types, Person: [{ name: 'a', type: 'string' }, { name: 'a', type: 'string' }] } }, /two fields named "a"/)
    invalid({ ...mail, types: 'Mail' }, /types must be an object/)
    invalid(null, /must be an object/)
    invalid({ ...mail, domain: 'Ether Mail' }, /domain must be an object/)
  })

  it('type widths: bytes1..32, int/uint 8..256 in steps of 8; anything else, or an unknown type, is refused', () => {
    const one = (type: string, value: unknown) => ({ domain: { name: 'x' }, types: { T: [{ name: 'v', type }] }, primaryType: 'T', message: { v: value } })
    for (const type of ['bytes99', 'bytes0', 'bytes33', 'bytes01']) invalid(one(type, '0x00'), /bytes1 … bytes32|unknown type/)
    for (const type of ['uint7', 'int264', 'uint300', 'uint0', 'int9']) invalid(one(type, 1), /8 … 256 bits/)
    invalid(one('float', 1), /unknown type "float"/)
    invalid(one('uint256[x]', [1]), /not a whole number/)
    invalid(one('uint256]', [1]), /unmatched/)
    for (const type of ['bytes1', 'bytes32', 'uint8', 'int256', 'uint', 'int']) expect(hashTypedData(one(type, type.startsWith('bytes') ? '0x01' : 1) as TypedData)).toHaveLength(32)
    invalid(one('uint256', '9'.repeat(10_000)), /10000-character string is not an integer/)
  })

  it('deep recursion and 2-million-item arrays fail fast and typed (no RangeError, no stack overflow)', () => {
    let deep: Record<string, unknown> = {}
    for (let i = 0; i < 10_000; i++) deep = { next: [deep] }
    invalid({ domain: { name: 'x' }, types: { Node: [{ name: 'next', type: 'Node[]' }] }, primaryType: 'Node', message: deep }, /nests deeper than 32/)
    invalid({ domain: { name: 'x' }, types: { T: [{ name: 'v', type: 'uint8[]' }] }, primaryType: 'T', message: { v: new Array(2_000_000).fill(1) } }, /exceeds 10000/)
    invalid({ domain: { name: 'x' }, types: { T: [{ name: 'v', type: 'uint8[2000000]' }] }, primaryType: 'T', message: { v: [] } }, /exceeds 10000/)
    const manyTypes = Object.fromEntries(Array.from({ length: TYPED_DATA_LIMITS.types + 1 }, (_, i) => [`T${i}`, [{ name: 'v', type: 'uint8' }]]))
    invalid({ domain: { name: 'x' }, types: manyTypes, primaryType: 'T0', message: { v: 1 } }, /struct types, more than/)
  })

  it('a signer refuses bad typed data with INVALID_INPUT before signing', async () => {
    const signer = LocalSigner.fromPrivateKey(PRIVATE_KEY)
    await expect(signer.signTypedData!({ ...mail, types: { ...mail.types, Mail: [{ name: 'x', type: 'bytes99' }] } })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })
})
