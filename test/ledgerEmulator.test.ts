import { createRequire } from 'node:module'
import net from 'node:net'
import type * as EthModule from '@ledgerhq/hw-app-eth'
import type * as SpeculosModule from '@ledgerhq/hw-transport-node-speculos'
import { HDKey } from '@scure/bip32'
import { mnemonicToSeedSync } from '@scure/bip39'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalSigner } from '../signers/local/index.js'
import {
  DEFAULT_APP_VERSION,
  HASHED_EIP712_REMOVED_IN,
  LedgerEmulator,
  STATUS_WORDS,
  TEST_MNEMONIC,
  createEmulatorTransport,
  renderPersonalMessage,
  startSpeculosServer,
  type DeviceScreen,
  type SpeculosServer,
  type Transport,
} from '../signers/ledger/emulator/index.js'
import { toHex } from '../src/bytes.js'
import { normalizeSignature, publicKeyToAddress, recoverPersonalSignAddress, recoverPublicKey } from '../src/signature.js'
import type { TypedData } from '../src/signer.js'
import { createIdentityText } from '../src/texts.js'
import { hashDomain, hashTypedData, hashTypedMessage } from '../src/typedData.js'

// The real hw-app-eth and Speculos transport, loaded as CommonJS (their ESM builds do not run under Node).
const require = createRequire(import.meta.url)
const Eth: typeof EthModule.default.default = require('@ledgerhq/hw-app-eth').default
const SpeculosTransport: typeof SpeculosModule.default.default = require('@ledgerhq/hw-transport-node-speculos').default
type EthApp = InstanceType<typeof Eth>

/**
 * hw-app-eth's signEIP712Message fetches Ledger's CAL (filters) and cryptoassets CDN (ERC-20
 * signatures) with axios and no timeout; null URLs skip both requests.
 */
const OFFLINE_LOAD_CONFIG = { calServiceURL: null, cryptoassetsBaseURL: null, nftExplorerBaseURL: null, pluginBaseURL: null }

// Every outgoing connection is recorded; any that is not loopback fails at once (before DNS), so a
// fetch can never stall a test and the suite proves what hw-app-eth tries to reach.
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost'])
const outboundAttempts: string[] = []
const originalConnect = net.Socket.prototype.connect
beforeAll(() => {
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const [first, second] = args
    const options = typeof first === 'object' && first !== null ? (first as { host?: string; port?: number | string }) : undefined
    // An object without a port is a local (IPC) connection; HTTP agents also pass the URL path as `path`.
    const tcp = options ? options.port !== undefined : typeof first === 'number' || /^\d+$/.test(String(first))
    const host = (options ? options.host : typeof second === 'string' ? second : undefined) ?? 'localhost'
    if (tcp && !LOOPBACK_HOSTS.has(host)) {
      outboundAttempts.push(host)
      process.nextTick(() => this.destroy(Object.assign(new Error(`blocked outbound connection to ${host}`), { code: 'ECONNREFUSED' })))
      return this
    }
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args)
  } as typeof net.Socket.prototype.connect
})
afterAll(() => {
  net.Socket.prototype.connect = originalConnect
})

const PATH = "m/44'/60'/0'/0/0"
const LEDGER_PATH = "44'/60'/0'/0/0" // how hw-app-eth callers usually write it
/** Today's GET APP CONFIGURATION data: flags 22 (external token info, web3-checks opt-in answered), then the version. */
const TODAY_CONFIGURATION = `22${DEFAULT_APP_VERSION.split('.').map((n) => Number(n).toString(16).padStart(2, '0')).join('')}`

type Failure = { name: string; statusCode?: number; message: string }
async function failure(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise
  } catch (error) {
    return error as Failure
  }
  throw new Error('expected the call to fail')
}

function signatureHex({ v, r, s }: { v: number; r: string; s: string }): string {
  return r + s + v.toString(16).padStart(2, '0')
}

function recoverDigest(digest: Uint8Array, result: { v: number; r: string; s: string }): string {
  return publicKeyToAddress(recoverPublicKey(digest, normalizeSignature(signatureHex(result))))
}

/** Rejects if `promise` has not settled within `ms`: no wait in this file is unbounded. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout>
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  )
}

const MAIL: TypedData = {
  domain: { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
  types: {
    EIP712Domain: [
      { name: 'name', type: 'string' },
      { name: 'version', type: 'string' },
      { name: 'chainId', type: 'uint256' },
      { name: 'verifyingContract', type: 'address' },
    ],
    Person: [
      { name: 'name', type: 'string' },
      { name: 'wallets', type: 'address[]' },
    ],
    Mail: [
      { name: 'from', type: 'Person' },
      { name: 'to', type: 'Person[]' },
      { name: 'contents', type: 'string' },
      { name: 'priority', type: 'int8' },
      { name: 'urgent', type: 'bool' },
      { name: 'attachment', type: 'bytes' },
      { name: 'tag', type: 'bytes4' },
      { name: 'grid', type: 'uint16[2][]' },
      { name: 'amount', type: 'uint256' },
    ],
  },
  primaryType: 'Mail',
  message: {
    from: { name: 'Cow', wallets: ['0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826', '0xDeaDbeefdEAdbeefdEadbEEFdeadbeEFdEaDbeeF'] },
    to: [
      { name: 'Bob', wallets: ['0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB'] },
      { name: 'Alice', wallets: [] },
    ],
    // Longer than one APDU: the value goes in two parts (P1 01 then 00).
    contents: `Hello, Bob! ${'x'.repeat(300)}`,
    priority: -5,
    urgent: true,
    attachment: '0xdeadbeef',
    tag: '0x01020304',
    grid: [
      [1, 2],
      [300, 65535],
    ],
    amount: '1000000000000000000000',
  },
}

/** The emulator and a way to open a fresh transport to it, over one of the two transports. */
type Bench = { emulator: LedgerEmulator; open(): Promise<Transport>; close(): Promise<void> }

async function inProcessBench(emulator = new LedgerEmulator()): Promise<Bench> {
  const transports: Transport[] = []
  return {
    emulator,
    open: async () => {
      const transport = createEmulatorTransport(emulator)
      transports.push(transport)
      return transport
    },
    close: async () => {
      await Promise.all(transports.map((t) => t.close()))
    },
  }
}

async function speculosBench(emulator = new LedgerEmulator()): Promise<Bench & { server: SpeculosServer }> {
  const server = await startSpeculosServer(emulator)
  const transports: Transport[] = []
  return {
    emulator,
    server,
    open: async () => {
      const transport = await within(5_000, SpeculosTransport.open({ apduPort: server.port, host: '127.0.0.1' }))
      transports.push(transport)
      return transport
    },
    close: async () => {
      await Promise.all(transports.map((t) => t.close()))
      await server.close()
    },
  }
}

const BENCHES = [
  ['in-process transport', inProcessBench],
  ['Speculos TCP server + hw-transport-node-speculos', speculosBench],
] as const

describe.each(BENCHES)('hw-app-eth over the %s', (_, makeBench) => {
  let bench: Bench
  let eth: EthApp
  beforeAll(async () => {
    bench = await makeBench()
    eth = new Eth(await bench.open(), 'w0w', OFFLINE_LOAD_CONFIG)
  })
  afterAll(async () => {
    await bench.close()
  })

  it('getAddress (with and without display, with chain code) matches addressAt, LocalSigner and BIP-32', async () => {
    const { emulator } = bench
    const seed = HDKey.fromMasterSeed(mnemonicToSeedSync(TEST_MNEMONIC))
    for (const path of [PATH, "m/44'/60'/1'/0/0", "m/44'/60'/0'/1", "m/44'/60'/0'/0/2"]) {
      const expected = LocalSigner.fromMnemonic(TEST_MNEMONIC, { path }).address
      expect(emulator.addressAt(path)).toBe(expected)
      const silent = await eth.getAddress(path.slice(2))
      expect(silent.address).toBe(expected)
      expect(publicKeyToAddress(Uint8Array.from(Buffer.from(silent.publicKey, 'hex')))).toBe(expected)
      expect(silent.chainCode).toBeUndefined()
      const withChainCode = await eth.getAddress(path, false, true)
      expect(withChainCode.chainCode).toBe(toHex(seed.derive(path).chainCode!))
    }
    // Hardhat's account #0: an answer known outside this project.
    expect(emulator.addressAt(LEDGER_PATH)).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')

    const before = emulator.screens.length
    const shown = await eth.getAddress(LEDGER_PATH, true, true)
    expect(shown.address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')
    expect(emulator.screens.slice(before)).toEqual([{ kind: 'address', path: PATH, address: shown.address }])
  })

  it("getAppConfiguration reports today's app version", async () => {
    expect((await eth.getAppConfiguration()).version).toBe(DEFAULT_APP_VERSION)
  })

  it('signs the XMTP Create Identity text; the device shows it, newlines as \\x0a', async () => {
    const { emulator } = bench
    const text = createIdentityText(new Uint8Array(65).fill(0x04))
    const seen: DeviceScreen[] = []
    emulator.onScreen = (screen) => seen.push(screen)
    const before = emulator.transcript.length
    const result = await eth.signPersonalMessage(LEDGER_PATH, Buffer.from(text, 'utf8').toString('hex'))
    emulator.onScreen = undefined
    expect([27, 28]).toContain(result.v)
    expect(recoverPersonalSignAddress(text, normalizeSignature(signatureHex(result)))).toBe(emulator.addressAt(PATH))
    // The same bytes as a local key: RFC 6979 signatures are reproducible, as XMTP storage needs.
    expect(Buffer.from(normalizeSignature(signatureHex(result)).bytes)).toEqual(Buffer.from(await LocalSigner.fromMnemonic(TEST_MNEMONIC).signPersonalMessage(text)))
    const rendered = `XMTP : Create Identity\\x0a${'04'.repeat(65)}\\x0a\\x0aFor more info: https://xmtp.org/signatures/`
    expect(seen).toEqual([{ kind: 'sign-message', path: PATH, text: rendered }])
    expect(emulator.screens.at(-1)).toEqual(seen[0])
    // 203 bytes: hw-app-eth sends a 150-byte first APDU (path, length, 125 bytes) and one more.
    const commands = emulator.transcript.slice(before).map((t) => t.command)
    expect(commands.map((c) => c.slice(0, 8))).toEqual(['e0080000', 'e0088000'])
    expect(emulator.transcript[before]!.response).toBe('9000')
  })

  it('signs a 1,000-byte message sent in 7 APDUs (125 + 5 × 150 + 125 bytes) and renders its non-printable bytes', async () => {
    const { emulator } = bench
    const message = Uint8Array.from({ length: 1000 }, (_, i) => i % 256)
    const before = emulator.transcript.length
    const result = await eth.signPersonalMessage(LEDGER_PATH, toHex(message))
    expect(recoverPersonalSignAddress(message, normalizeSignature(signatureHex(result)))).toBe(emulator.addressAt(PATH))
    const exchanges = emulator.transcript.slice(before)
    expect(exchanges).toHaveLength(7)
    expect(exchanges.map((e) => e.command.length / 2 - 5)).toEqual([150, 150, 150, 150, 150, 150, 125])
    expect(exchanges.slice(0, 6).every((e) => e.response === '9000')).toBe(true)
    const screen = emulator.screens.at(-1)!
    expect(screen).toEqual({ kind: 'sign-message', path: PATH, text: renderPersonalMessage(message) })
    if (screen.kind !== 'sign-message') throw new Error('unreachable')
    expect(screen.text.startsWith('\\x00\\x01')).toBe(true)
    expect(screen.text).toContain(' !"#$%&')
  })

  it("signEIP712HashedMessage: today's app refuses it with 6b00 and shows nothing", async () => {
    const { emulator } = bench
    const before = emulator.screens.length
    const refused = await failure(eth.signEIP712HashedMessage(LEDGER_PATH, toHex(hashDomain(MAIL)), toHex(hashTypedMessage(MAIL))))
    expect(refused).toMatchObject({ name: 'TransportStatusError', statusCode: STATUS_WORDS.INVALID_P1_P2 })
    expect(emulator.screens.length).toBe(before)
  })

  it('signEIP712Message (full): the device rebuilds the typed data from 1A/1C APDUs and signs its digest', async () => {
    const { emulator } = bench
    const before = emulator.transcript.length
    const result = await eth.signEIP712Message(LEDGER_PATH, MAIL as unknown as Parameters<EthApp['signEIP712Message']>[1])
    expect(recoverDigest(hashTypedData(MAIL), result)).toBe(emulator.addressAt(PATH))
    expect(emulator.screens.at(-1)).toEqual({
      kind: 'sign-typed-data',
      mode: 'full',
      path: PATH,
      primaryType: 'Mail',
      domain: { name: 'Ether Mail', version: '1', chainId: '1', verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
      message: {
        from: { name: 'Cow', wallets: ['0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826', '0xDeaDbeefdEAdbeefdEadbEEFdeadbeEFdEaDbeeF'] },
        to: [
          { name: 'Bob', wallets: ['0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB'] },
          { name: 'Alice', wallets: [] },
        ],
        contents: MAIL.message.contents,
        priority: '-5',
        urgent: true,
        attachment: '0xdeadbeef',
        tag: '0x01020304',
        grid: [
          ['1', '2'],
          ['300', '65535'],
        ],
        amount: '1000000000000000000000',
      },
    })
    const ins = new Set(emulator.transcript.slice(before).map((t) => t.command.slice(0, 4)))
    expect([...ins].sort()).toEqual(['b001', 'e00c', 'e01a', 'e01c']) // no filtering (1E) without CAL data
    expect(outboundAttempts).toEqual([]) // the offline load config reached nothing
  })

  it('each fault gives the documented status word or error name through hw-app-eth', async () => {
    const { emulator } = bench
    const cases: [Parameters<LedgerEmulator['injectFault']>[0], Partial<Failure>][] = [
      [{ type: 'locked' }, { name: 'LockedDeviceError', statusCode: STATUS_WORDS.DEVICE_LOCKED }],
      [{ type: 'app-closed' }, { name: 'TransportStatusError', statusCode: 0x6e01 }],
      [{ type: 'wrong-app' }, { name: 'TransportStatusError', statusCode: 0x6e00 }],
      [{ type: 'os-menu' }, { name: 'TransportStatusError', statusCode: 0x6901 }],
      [{ type: 'reject' }, { name: 'TransportStatusError', statusCode: 0x6985 }],
    ]
    for (const [fault, expected] of cases) {
      emulator.injectFault(fault)
      expect(await failure(eth.getAddress(LEDGER_PATH, true))).toMatchObject(expected)
      // Once only: the next call succeeds.
      expect((await eth.getAddress(LEDGER_PATH)).address).toBe(emulator.addressAt(PATH))
    }
    emulator.injectFault({ type: 'reject' })
    expect(await failure(eth.signPersonalMessage(LEDGER_PATH, toHex(new Uint8Array(400).fill(0x41))))).toMatchObject({ statusCode: 0x6985 })
    emulator.injectFault({ type: 'reject' })
    expect(await failure(eth.signEIP712Message(LEDGER_PATH, MAIL as never))).toMatchObject({ statusCode: 0x6985 })
  })

  it('persistent faults last until clearFaults(); the dashboard and other apps answer GET APP AND VERSION', async () => {
    const { emulator } = bench
    const transport = (eth as unknown as { transport: Transport }).transport
    const appAndVersion = async () => {
      const r = await transport.send(0xb0, 0x01, 0x00, 0x00)
      return { name: r.subarray(2, 2 + r[1]!).toString('ascii'), version: r.subarray(3 + r[1]!, 3 + r[1]! + r[2 + r[1]!]!).toString('ascii') }
    }
    emulator.injectFault({ type: 'app-closed', persistent: true })
    expect(await appAndVersion()).toEqual({ name: 'BOLOS', version: '2.2.3' })
    expect(await failure(eth.signPersonalMessage(LEDGER_PATH, '41'))).toMatchObject({ statusCode: 0x6e01 })
    // hw-app-eth reads the version first, then its first E0 APDU meets the dashboard.
    expect(await failure(eth.signEIP712Message(LEDGER_PATH, MAIL as never))).toMatchObject({ statusCode: 0x6e01 })
    emulator.clearFaults()
    emulator.injectFault({ type: 'wrong-app', appName: 'Solana', persistent: true })
    expect((await appAndVersion()).name).toBe('Solana')
    expect(await failure(eth.getAppConfiguration())).toMatchObject({ statusCode: 0x6e00 })
    emulator.clearFaults()
    emulator.injectFault({ type: 'locked', persistent: true })
    for (let i = 0; i < 2; i++) expect(await failure(eth.getAppConfiguration())).toMatchObject({ name: 'LockedDeviceError', statusCode: 0x5515 })
    emulator.clearFaults()
    expect(await appAndVersion()).toEqual({ name: 'Ethereum', version: DEFAULT_APP_VERSION })
  })

  it('delay: the next APDU is answered after the given time', async () => {
    bench.emulator.injectFault({ type: 'delay', ms: 250 })
    const started = performance.now()
    await eth.getAppConfiguration()
    expect(performance.now() - started).toBeGreaterThanOrEqual(240)
    const again = performance.now()
    await eth.getAppConfiguration()
    expect(performance.now() - again).toBeLessThan(240)
  })

  it('hw-transport refuses a second call while one waits on the device (TransportError, id TransportLocked)', async () => {
    const { emulator } = bench
    let approve!: () => void
    const approved = new Promise<void>((resolve) => (approve = resolve))
    const person = new LedgerEmulator({ decide: async () => (await approved, 'approve' as const) })
    // The bench's emulator is not the one with the slow person: swap in a bench of its own.
    const other = await makeBench(person)
    try {
      const slowEth = new Eth(await other.open(), 'w0w', OFFLINE_LOAD_CONFIG)
      const first = slowEth.getAddress(LEDGER_PATH, true)
      await within(2_000, (async () => {
        while (person.screens.length === 0) await new Promise((r) => setTimeout(r, 5))
      })())
      expect(await failure(slowEth.getAddress(LEDGER_PATH))).toMatchObject({ name: 'TransportError', id: 'TransportLocked' })
      approve()
      expect((await within(2_000, first)).address).toBe(emulator.addressAt(PATH))
    } finally {
      await other.close()
    }
  })

  it('disconnect at APDU N mid-chunking, then reconnect and a new transport', async () => {
    const { emulator } = bench
    const message = toHex(new Uint8Array(1000).fill(0x61))
    const received = emulator.apduCount
    const answered = emulator.transcript.length
    emulator.injectFault({ type: 'disconnect', atApdu: 3 })
    const error = await within(5_000, failure(eth.signPersonalMessage(LEDGER_PATH, message)))
    expect(error.name).toBe('DisconnectedDeviceDuringOperation')
    expect(emulator.apduCount - received).toBe(3)
    expect(emulator.transcript.length - answered).toBe(2) // two chunks answered, the third never
    expect(emulator.connected).toBe(false)
    // The old transport is dead, as a USB one would be.
    expect((await within(5_000, failure(eth.getAppConfiguration()))).name).toMatch(/^Disconnected|^Error$|EPIPE|ECONNRESET/)
    emulator.reconnect()
    eth = new Eth(await bench.open(), 'w0w', OFFLINE_LOAD_CONFIG)
    const result = await eth.signPersonalMessage(LEDGER_PATH, message)
    expect(recoverPersonalSignAddress('a'.repeat(1000), normalizeSignature(signatureHex(result)))).toBe(emulator.addressAt(PATH))
  })
})

describe('in-process transport specifics', () => {
  let bench: Bench
  beforeAll(async () => {
    bench = await inProcessBench()
  })
  afterAll(async () => {
    await bench.close()
  })

  it('busy: the exchange rejects with TransportRaceCondition; concurrent raw exchanges do too', async () => {
    const transport = await bench.open()
    const eth = new Eth(transport, 'w0w', OFFLINE_LOAD_CONFIG)
    bench.emulator.injectFault({ type: 'busy' })
    expect(await failure(eth.getAddress(LEDGER_PATH))).toMatchObject({ name: 'TransportRaceCondition' })
    expect((await eth.getAddress(LEDGER_PATH)).address).toBe(bench.emulator.addressAt(PATH))
    // hw-transport's own atomic guard: two raw exchanges at once.
    bench.emulator.injectFault({ type: 'delay', ms: 50 })
    const first = transport.exchange(Buffer.from('e006000000', 'hex'))
    expect(await failure(transport.exchange(Buffer.from('e006000000', 'hex')))).toMatchObject({ name: 'TransportRaceCondition' })
    expect((await first).toString('hex')).toBe(`${TODAY_CONFIGURATION}9000`)
  })

  it('the transport emits "disconnect" on unplug, and an exchange waiting for the person rejects', async () => {
    const emulator = new LedgerEmulator({ decide: () => new Promise(() => {}) }) // a person who never decides
    const transport = createEmulatorTransport(emulator)
    const eth = new Eth(transport, 'w0w', OFFLINE_LOAD_CONFIG)
    const events: string[] = []
    transport.on('disconnect', (e: Error) => events.push(e.name))
    const pending = eth.getAddress(LEDGER_PATH, true)
    await within(2_000, (async () => {
      while (emulator.screens.length === 0) await new Promise((r) => setTimeout(r, 5))
    })())
    emulator.unplug()
    expect((await within(2_000, failure(pending))).name).toBe('DisconnectedDeviceDuringOperation')
    expect(events).toEqual(['DisconnectedDevice'])
    await transport.close()
  })

  it('an exchange abortTimeoutMs bounds a person who never answers', async () => {
    const emulator = new LedgerEmulator({ decide: () => new Promise(() => {}) })
    const transport = createEmulatorTransport(emulator)
    const path = Buffer.from('058000002c8000003c800000000000000000000000', 'hex')
    expect(await failure(transport.send(0xe0, 0x02, 0x01, 0x00, path, undefined, { abortTimeoutMs: 50 }))).toMatchObject({
      name: 'TransportExchangeTimeoutError',
    })
    await transport.close()
  })
})

describe('the simulated person and the seed', () => {
  it('decide() sees each screen and can reject one; confirmDelayMs is the time taken per confirmation', async () => {
    const asked: DeviceScreen['kind'][] = []
    const emulator = new LedgerEmulator({ confirmDelayMs: 300, decide: (screen) => (asked.push(screen.kind), screen.kind === 'sign-typed-data' ? 'reject' : 'approve') })
    const transport = createEmulatorTransport(emulator)
    const eth = new Eth(transport, 'w0w', OFFLINE_LOAD_CONFIG)
    let started = performance.now()
    await eth.getAddress(LEDGER_PATH)
    expect(performance.now() - started).toBeLessThan(290) // nothing to confirm
    started = performance.now()
    await eth.getAddress(LEDGER_PATH, true)
    expect(performance.now() - started).toBeGreaterThanOrEqual(290)
    expect(await failure(eth.signEIP712Message(LEDGER_PATH, MAIL as never))).toMatchObject({ name: 'TransportStatusError', statusCode: 0x6985 })
    await eth.signPersonalMessage(LEDGER_PATH, '41')
    expect(asked).toEqual(['address', 'sign-typed-data', 'sign-message'])
    expect(emulator.screens.map((s) => s.kind)).toEqual(asked)
    await transport.close()
  })

  it('a passphrase gives another wallet, the one LocalSigner derives with it', () => {
    const withPassphrase = new LedgerEmulator({ passphrase: 'correct horse' })
    expect(withPassphrase.addressAt(PATH)).toBe(LocalSigner.fromMnemonic(TEST_MNEMONIC, { passphrase: 'correct horse' }).address)
    expect(withPassphrase.addressAt(PATH)).not.toBe(new LedgerEmulator().addressAt(PATH))
    expect(() => new LedgerEmulator({ mnemonic: 'not a phrase' })).toThrow(/BIP-39/)
    expect(() => new LedgerEmulator({ appVersion: '1.x' })).toThrow(/version/)
    expect(() => new LedgerEmulator().addressAt("m/44'/60'/0'/0/0/0/0/0/0/0/0")).toThrow(/at most 10/)
  })
})

describe('device-side validation (raw APDUs)', () => {
  const emulator = new LedgerEmulator({ appVersion: '1.10.3' })
  const sw = async (hex: string) => toHex(await emulator.exchange(Buffer.from(hex, 'hex'))).slice(-4)
  const path = '058000002c8000003c800000000000000000000000'

  it('answers unknown INS, bad P1/P2, bad lengths and broken sequences with the documented status words', async () => {
    expect(await sw('e0ff000000')).toBe('6d00')
    expect(await sw('e002020015' + path)).toBe('6b00')
    expect(await sw('e002000016' + path)).toBe('6700') // Lc says 22, 21 follow
    expect(await sw('e0020000010b')).toBe('6a80') // 11 path levels
    expect(await sw('e00200000100')).toBe('6a80') // no path level
    expect(await sw('e0088000026161')).toBe('6a80') // a later chunk with no first one
    expect(await sw('e00800001b' + path + '000000016161')).toBe('6a80') // more than the announced byte
    expect(await sw('e00c000015' + path)).toBe('6a80') // hashed mode without the hashes
    expect(await sw('e00c000115' + path)).toBe('6a80') // full mode with nothing sent
    expect(await sw('e01c000006' + toHex(Buffer.from('Nobody')))).toBe('6a80')
    expect(await sw('e106000000')).toBe('6e00')
    expect(await sw('e006000000')).toBe('9000')
    expect(toHex(await emulator.exchange(Buffer.from('e006000000', 'hex')))).toBe('00010a039000')
  })

  it('rejects hw-app-eth field encodings the device cannot take (a 254-byte string is truncated by hw-app-eth 7.9)', async () => {
    const transport = createEmulatorTransport(new LedgerEmulator())
    const eth = new Eth(transport, 'w0w', OFFLINE_LOAD_CONFIG)
    const typed = { ...MAIL, message: { ...MAIL.message, contents: 'y'.repeat(254) } }
    // 2 length bytes + 254 = 256 bytes: hw-app-eth makes ceil(256 / 256) = 1 slice of 255 and drops the last byte.
    expect(await failure(eth.signEIP712Message(LEDGER_PATH, typed as never))).toMatchObject({ statusCode: 0x6a80 })
    const ok = { ...MAIL, message: { ...MAIL.message, contents: 'y'.repeat(253) } }
    expect(recoverDigest(hashTypedData(ok), await eth.signEIP712Message(LEDGER_PATH, ok as never))).toBe(emulator.addressAt(PATH))
    await transport.close()
  })
})

describe('app versions', () => {
  it('an app without full EIP-712 (Nano S, < 1.9.19) answers 6d00 to it; the hashed mode still signs', async () => {
    const emulator = new LedgerEmulator({ appVersion: '1.9.18', eip712Full: false })
    const transport = createEmulatorTransport(emulator)
    const eth = new Eth(transport, 'w0w', OFFLINE_LOAD_CONFIG)
    expect((await eth.getAppConfiguration()).version).toBe('1.9.18')
    expect(await failure(eth.signEIP712Message(LEDGER_PATH, MAIL as never))).toMatchObject({ name: 'TransportStatusError', statusCode: 0x6d00 })
    const result = await eth.signEIP712HashedMessage(LEDGER_PATH, toHex(hashDomain(MAIL)), toHex(hashTypedMessage(MAIL)))
    expect(recoverDigest(hashTypedData(MAIL), result)).toBe(emulator.addressAt(PATH))
    await transport.close()
  })

  it('hw-app-eth drives full EIP-712 the same way for an app before 1.11.1 (v1 filters)', async () => {
    const emulator = new LedgerEmulator({ appVersion: '1.10.3' })
    const transport = createEmulatorTransport(emulator)
    const eth = new Eth(transport, 'w0w', OFFLINE_LOAD_CONFIG)
    expect(recoverDigest(hashTypedData(MAIL), await eth.signEIP712Message(LEDGER_PATH, MAIL as never))).toBe(emulator.addressAt(PATH))
    await transport.close()
  })
})

describe('EIP-712 filtering (INS 1E)', () => {
  it('takes the filtering APDUs hw-app-eth sends for CAL filters (here static, as a library user injects them) and signs', async () => {
    const { getSchemaHashForMessage } = require('@ledgerhq/evm-tools/message/EIP712/index') as { getSchemaHashForMessage(m: unknown): string }
    const sig = 'ab'.repeat(72) // never checked by the emulator: only Ledger can sign CAL data
    const filters = {
      contractName: { label: 'Ether Mail', signature: sig },
      fields: [
        { format: 'raw', label: 'Contents', path: 'contents', signature: sig },
        { format: 'raw', label: 'Recipient wallet', path: 'to.[].wallets.[]', signature: sig },
      ],
    }
    const id = `1:${String(MAIL.domain.verifyingContract).toLowerCase()}:${getSchemaHashForMessage(MAIL)}`
    const emulator = new LedgerEmulator()
    const transport = createEmulatorTransport(emulator)
    const eth = new Eth(transport, 'w0w', { ...OFFLINE_LOAD_CONFIG, staticEIP712SignaturesV2: { [id]: filters } })
    const result = await eth.signEIP712Message(LEDGER_PATH, MAIL as never)
    expect(recoverDigest(hashTypedData(MAIL), result)).toBe(emulator.addressAt(PATH))
    const filtering = emulator.transcript.filter((t) => t.command.startsWith('e01e')).map((t) => t.command.slice(4, 8))
    // activate, contract name, a shown field for Bob's wallet, Alice's empty wallets discarded (path, then the field), contents.
    expect(filtering).toEqual(['0100', '000f', '00ff', '0001', '01ff', '00ff'])
    await transport.close()
  })
})

describe('hashed EIP-712 on an Ethereum app older than its removal', () => {
  const older = (() => {
    const [major, minor] = HASHED_EIP712_REMOVED_IN.split('.').map(Number)
    return `${major}.${minor! - 1}.0`
  })()
  for (const options of [{ appVersion: older }, { eip712Hashed: true }]) {
    it(`signEIP712HashedMessage (${JSON.stringify(options)}): the two hashes on screen, a signature of the EIP-712 digest`, async () => {
      const emulator = new LedgerEmulator(options)
      const eth = new Eth(createEmulatorTransport(emulator), 'w0w', OFFLINE_LOAD_CONFIG)
      const domainHash = toHex(hashDomain(MAIL))
      const messageHash = toHex(hashTypedMessage(MAIL))
      const result = await eth.signEIP712HashedMessage(LEDGER_PATH, domainHash, messageHash)
      expect(recoverDigest(hashTypedData(MAIL), result)).toBe(emulator.addressAt(PATH))
      expect(emulator.screens.at(-1)).toEqual({ kind: 'sign-typed-data', mode: 'hashed', path: PATH, primaryType: '', domainHash: `0x${domainHash}`, messageHash: `0x${messageHash}` })
    })
  }

  it('eip712Hashed: false refuses it on an older app too', async () => {
    const emulator = new LedgerEmulator({ appVersion: '1.13.0', eip712Hashed: false })
    const eth = new Eth(createEmulatorTransport(emulator), 'w0w', OFFLINE_LOAD_CONFIG)
    expect(await failure(eth.signEIP712HashedMessage(LEDGER_PATH, toHex(hashDomain(MAIL)), toHex(hashTypedMessage(MAIL))))).toMatchObject({ statusCode: STATUS_WORDS.INVALID_P1_P2 })
  })
})

describe('hw-app-eth network use', () => {
  it('signEIP712Message with the default load config tries Ledger CAL and CDN; offline it falls back and still signs', async () => {
    const emulator = new LedgerEmulator()
    const transport = createEmulatorTransport(emulator)
    const eth = new Eth(transport) // default loadConfig: the way most integrations construct it
    outboundAttempts.length = 0
    const result = await within(10_000, eth.signEIP712Message(LEDGER_PATH, MAIL as never))
    expect(recoverDigest(hashTypedData(MAIL), result)).toBe(emulator.addressAt(PATH))
    expect([...new Set(outboundAttempts)].sort()).toEqual(['cdn.live.ledger.com', 'crypto-assets-service.api.ledger.com'])
    outboundAttempts.length = 0
    // getAddress, signPersonalMessage and the hashed mode reach nothing.
    await eth.getAddress(LEDGER_PATH)
    await eth.signPersonalMessage(LEDGER_PATH, '41')
    await failure(eth.signEIP712HashedMessage(LEDGER_PATH, toHex(hashDomain(MAIL)), toHex(hashTypedMessage(MAIL)))) // 6b00 on today's app
    expect(outboundAttempts).toEqual([])
    await transport.close()
  })
})

describe('Speculos TCP server', () => {
  it('listens on loopback only, frames APDUs, and close() frees the port', async () => {
    const emulator = new LedgerEmulator()
    await expect(startSpeculosServer(emulator, { host: '0.0.0.0' })).rejects.toThrow(/loopback only/)
    const server = await startSpeculosServer(emulator)
    expect(server.host).toBe('127.0.0.1')
    expect(server.url).toBe(`speculos://127.0.0.1:${server.port}`)
    // Two requests in one write, each answered in its own frame.
    const socket = net.connect(server.port, '127.0.0.1')
    const frames: Buffer[] = []
    const gotTwo = new Promise<void>((resolve) =>
      socket.on('data', (d: Buffer) => {
        frames.push(d)
        if (Buffer.concat(frames).length >= 2 * (4 + 4 + 2)) resolve()
      }),
    )
    const request = Buffer.from('00000005e006000000', 'hex')
    socket.write(Buffer.concat([request, request]))
    await within(2_000, gotTwo)
    expect(Buffer.concat(frames).toString('hex')).toBe(`00000004${TODAY_CONFIGURATION}9000`.repeat(2))
    socket.destroy()
    await server.close()
    // The port is free again: a new server can take it.
    const again = await startSpeculosServer(emulator, { port: server.port })
    expect(again.port).toBe(server.port)
    await again.close()
    await expect(within(2_000, SpeculosTransport.open({ apduPort: server.port, host: '127.0.0.1' }))).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  })

  it('busy closes the connection that asked (a TCP client cannot receive an error name)', async () => {
    const bench = await speculosBench()
    try {
      const eth = new Eth(await bench.open(), 'w0w', OFFLINE_LOAD_CONFIG)
      bench.emulator.injectFault({ type: 'busy' })
      expect((await within(5_000, failure(eth.getAddress(LEDGER_PATH)))).name).toMatch(/^DisconnectedDevice/)
      const fresh = new Eth(await bench.open(), 'w0w', OFFLINE_LOAD_CONFIG)
      expect((await fresh.getAddress(LEDGER_PATH)).address).toBe(bench.emulator.addressAt(PATH))
    } finally {
      await bench.close()
    }
  })
})

afterAll(() => {
  // No test reached past loopback except the one that demonstrates hw-app-eth's default fetches.
  expect(outboundAttempts).toEqual([])
})
