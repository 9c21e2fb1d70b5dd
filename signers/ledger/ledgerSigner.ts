import { concatBytes, hexToBytes, toHex, utf8 } from '../../src/bytes.js'
import { derivationPath, formatDerivationPath, parseDerivationPath, type DerivationScheme } from '../../src/derivationPaths.js'
import {
  AccountMismatchError,
  DeviceBusyError,
  DeviceDisconnectedError,
  InvalidInputError,
  SignerTimeoutError,
  UnsupportedAppVersionError,
  type XmtpSignersError,
} from '../../src/errors.js'
import { checksumAddress, hashPersonalMessage, normalizeSignature, publicKeyToAddress, recoverPublicKey, sameAddress, type Address } from '../../src/signature.js'
import type { Signer, SignerCapabilities, TypedData } from '../../src/signer.js'
import { withTimeout } from '../../src/timeout.js'
import { hashDomain, hashTypedData, hashTypedMessage, typedDataToJson } from '../../src/typedData.js'
import { statusWordHex, toLedgerError, WRONG_APP_STATUS_WORDS } from './errors.js'
import { STATUS_WORDS } from './statusWords.js'

/** Oldest Ethereum app we sign with: it shows personal messages as text and signs EIP-712 by hashes. */
export const MINIMUM_ETH_APP_VERSION = '1.9.0'
const WALLET = 'Ledger'

/**
 * What we need of a `@ledgerhq/hw-transport` Transport. Structural on purpose: every @ledgerhq
 * package pins its own copy of the class, so apps hand us instances of several "Transport"s.
 */
export type Transport = {
  send(cla: number, ins: number, p1: number, p2: number, data?: Uint8Array, statusList?: number[]): Promise<Uint8Array>
  exchange(apdu: Uint8Array): Promise<Uint8Array>
  close(): Promise<void>
}

export type EthApp = {
  getAddress(path: string, display?: boolean, chainCode?: boolean): Promise<{ publicKey: string; address: string; chainCode?: string }>
  getAppConfiguration(): Promise<{ version: string }>
  signPersonalMessage(path: string, messageHex: string): Promise<{ v: number; r: string; s: string }>
  signEIP712HashedMessage(path: string, domainSeparatorHex: string, hashStructMessageHex: string): Promise<{ v: number; r: string; s: string }>
  signEIP712Message(path: string, message: unknown, fullImplem?: boolean): Promise<{ v: number; r: string; s: string }>
}

/** What the person is asked to do on the device, so an app can say "check your Ledger". */
export type LedgerDeviceAction =
  | { kind: 'confirm-address'; path: string; address: string }
  | { kind: 'sign-message'; path: string; text: string }
  | { kind: 'sign-typed-data'; path: string; primaryType: string; mode: 'full' | 'hashed' }
  | { kind: 'done' }

export type LedgerSignerOptions = {
  /** An open transport (node-hid, WebHID, Speculos, the emulator, …). */
  transport?: Transport
  /** Opens a transport; with it, the signer reopens the device by itself after a disconnect. */
  openTransport?: () => Promise<Transport>
  /** Explicit path, e.g. m/44'/60'/0'/0/0; else `scheme` + `index` (default Ledger Live, index 0). */
  path?: string
  scheme?: DerivationScheme
  index?: number
  /** Refuse to open unless the device derives this account at the path (wrong seed, wrong path). */
  expectedAddress?: string
  /** A request while another waits on the device: fail at once with `DeviceBusyError` (default) or wait its turn. */
  whenBusy?: 'fail' | 'wait'
  /** Limit for exchanges that need no confirmation (default 20 s). */
  exchangeTimeoutMs?: number
  /** Limit for a confirmation the person gives on the device (default 5 min). */
  confirmationTimeoutMs?: number
  /** EIP-712 on the device: clear-signed fields, the two hashes, or full falling back to hashes (default). */
  eip712Mode?: 'auto' | 'full' | 'hashed'
  onDeviceAction?: (action: LedgerDeviceAction) => void
}

/** `m/44'/60'/0'/0/0` → `44'/60'/0'/0/0`, the form hw-app-eth takes. */
export function ledgerPath(path: string): string {
  return formatDerivationPath(parseDerivationPath(path)).slice(2)
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => parseInt(x, 10) || 0)
  const pb = b.split(/[.-]/).map((x) => parseInt(x, 10) || 0)
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0)
  return 0
}

type EthAppConstructor = new (transport: Transport, scrambleKey?: string, loadConfig?: Record<string, unknown>) => EthApp

/** Constructs hw-app-eth with its remote lookups off: they have no timeout, and we never need them. */
export async function createEthApp(transport: Transport): Promise<EthApp> {
  const Eth = await loadEthApp()
  // Without this, EIP-712 signing fetches Ledger's CAL filters and ERC-20 lists over the network.
  return new Eth(transport, 'w0w', { calServiceURL: null, cryptoassetsBaseURL: null })
}

async function loadEthApp(): Promise<EthAppConstructor> {
  // The CommonJS build: its ESM build has extension-less imports Node's ESM loader refuses.
  const module = (await import('@ledgerhq/hw-app-eth/lib/Eth')) as unknown as { default: unknown }
  const candidate = module.default as { default?: unknown }
  return (typeof candidate === 'function' ? candidate : candidate.default) as EthAppConstructor
}

/** Reads the name of the app in front (B0 01 GET APP AND VERSION), for an error that names it. */
async function openAppName(transport: Transport): Promise<string | undefined> {
  try {
    const reply = new Uint8Array(await transport.send(0xb0, 0x01, 0x00, 0x00))
    if (reply[0] !== 1) return undefined
    const length = reply[1]!
    return new TextDecoder().decode(reply.subarray(2, 2 + length))
  } catch {
    return undefined
  }
}

/**
 * One device: one exchange at a time (a queue, not a crash), bounded waits, and a fresh transport
 * after a disconnect when it knows how to open one.
 */
class LedgerConnection {
  #transport: Transport | undefined
  #eth: EthApp | undefined
  #tail: Promise<unknown> = Promise.resolve()
  #pending = 0
  readonly #open: (() => Promise<Transport>) | undefined
  readonly #whenBusy: 'fail' | 'wait'
  onReopen: ((eth: EthApp) => Promise<void>) | undefined

  constructor(options: LedgerSignerOptions) {
    if (!options.transport && !options.openTransport) {
      throw new InvalidInputError('A Ledger signer needs a transport.', {
        nextStep: 'Pass `transport` (or `openTransport`), e.g. from openLedgerTransport("hid").',
      })
    }
    this.#transport = options.transport
    this.#open = options.openTransport
    this.#whenBusy = options.whenBusy ?? 'fail'
  }

  get transport(): Transport | undefined {
    return this.#transport
  }

  async #ready(): Promise<EthApp> {
    if (this.#eth) return this.#eth
    let reopened = false
    if (!this.#transport) {
      if (!this.#open) throw new DeviceDisconnectedError({ wallet: WALLET, nextStep: 'Reconnect the Ledger and create a new signer.' })
      try {
        this.#transport = await this.#open()
      } catch (error) {
        throw toLedgerError(error)
      }
      reopened = true
    }
    this.#eth = await createEthApp(this.#transport)
    if (reopened && this.onReopen) await this.onReopen(this.#eth)
    return this.#eth
  }

  /** Runs one device interaction with exclusive access and a time limit. */
  run<T>(task: (eth: EthApp, transport: Transport) => Promise<T>, timeoutMs: number, what: string): Promise<T> {
    if (this.#whenBusy === 'fail' && this.#pending > 0) {
      return Promise.reject(
        new DeviceBusyError({ wallet: WALLET, details: `a request from this app is still waiting on the device; ${what} was not sent` }),
      )
    }
    this.#pending++
    const result = this.#tail.then(async () => {
      try {
        const eth = await this.#ready()
        return await withTimeout(task(eth, this.#transport!), timeoutMs, () => new SignerTimeoutError(timeoutMs, what, WALLET))
      } catch (error) {
        const typed = toLedgerError(error, { ...(this.#transport && isWrongApp(error) ? { openApp: await openAppName(this.#transport) } : {}) })
        // A transport that timed out or dropped may be stuck mid-APDU: start afresh next time.
        if (typed.code === 'SIGNER_DISCONNECTED' || typed.code === 'SIGNER_TIMEOUT') await this.#drop()
        throw typed
      } finally {
        this.#pending--
      }
    })
    this.#tail = result.catch(() => undefined)
    return result
  }

  async #drop(): Promise<void> {
    const transport = this.#transport
    this.#transport = undefined
    this.#eth = undefined
    if (!this.#open) return // keep it "disconnected"; without a way to reopen there is nothing to retry with
    await transport?.close().catch(() => undefined)
  }

  async close(): Promise<void> {
    const transport = this.#transport
    this.#transport = undefined
    this.#eth = undefined
    await transport?.close().catch(() => undefined)
  }
}

function isWrongApp(error: unknown): boolean {
  const status = (error as { statusCode?: number } | null)?.statusCode
  return status !== undefined && WRONG_APP_STATUS_WORDS.has(status)
}

/** A Ledger account signing through the Ethereum app, over any `@ledgerhq/hw-transport`. */
export class LedgerSigner implements Signer {
  readonly address: Address
  readonly path: string
  /** The Ethereum app's version, read with GET APP CONFIGURATION. */
  readonly appVersion: string
  readonly capabilities: SignerCapabilities = { kind: 'ledger', accountType: 'EOA', reproducibleSignatures: 'yes', typedData: true }
  readonly #connection: LedgerConnection
  readonly #options: LedgerSignerOptions

  private constructor(connection: LedgerConnection, path: string, address: Address, appVersion: string, options: LedgerSignerOptions) {
    this.#connection = connection
    this.path = path
    this.address = address
    this.appVersion = appVersion
    this.#options = options
    connection.onReopen = async (eth) => {
      // After a reconnect the device may be another one: it must still derive this account.
      const { address: again } = await eth.getAddress(ledgerPath(path))
      if (!sameAddress(again, address)) {
        throw new AccountMismatchError({ expected: address, actual: checksumAddress(again), what: `The reconnected Ledger's account at ${path}` })
      }
    }
  }

  /** Connects: reads the app version (refusing too-old apps) and the account at the chosen path. */
  static async open(options: LedgerSignerOptions): Promise<LedgerSigner> {
    const path = options.path ?? derivationPath(options.scheme ?? 'live', options.index ?? 0)
    const normalizedPath = formatDerivationPath(parseDerivationPath(path))
    const connection = new LedgerConnection(options)
    const exchangeTimeoutMs = options.exchangeTimeoutMs ?? 20_000
    try {
      const { version } = await connection.run((eth) => eth.getAppConfiguration(), exchangeTimeoutMs, 'GET APP CONFIGURATION')
      if (compareVersions(version, MINIMUM_ETH_APP_VERSION) < 0) throw new UnsupportedAppVersionError(version, MINIMUM_ETH_APP_VERSION, { wallet: WALLET })
      const { address } = await connection.run((eth) => eth.getAddress(ledgerPath(normalizedPath)), exchangeTimeoutMs, 'GET ADDRESS')
      const account = checksumAddress(address)
      if (options.expectedAddress && !sameAddress(options.expectedAddress, account)) {
        throw new AccountMismatchError({
          expected: checksumAddress(options.expectedAddress),
          actual: account,
          what: `The Ledger's account at ${normalizedPath}`,
          nextStep: 'Check the derivation path (Ledger Live, legacy or BIP-44 scheme and index) and that this is the Ledger with the intended seed.',
        })
      }
      return new LedgerSigner(connection, normalizedPath, account, version, options)
    } catch (error) {
      await connection.close()
      throw error
    }
  }

  #act(action: LedgerDeviceAction): void {
    this.#options.onDeviceAction?.(action)
  }

  get #confirmationTimeoutMs(): number {
    return this.#options.confirmationTimeoutMs ?? 5 * 60_000
  }

  /** Shows the address on the device; resolves once the person confirms it there. */
  async showAddress(): Promise<Address> {
    this.#act({ kind: 'confirm-address', path: this.path, address: this.address })
    try {
      const { address } = await this.#connection.run((eth) => eth.getAddress(ledgerPath(this.path), true), this.#confirmationTimeoutMs, 'address confirmation')
      if (!sameAddress(address, this.address)) throw new AccountMismatchError({ expected: this.address, actual: checksumAddress(address), what: 'The address shown on the Ledger' })
      return this.address
    } finally {
      this.#act({ kind: 'done' })
    }
  }

  async signPersonalMessage(text: string): Promise<Uint8Array> {
    // hw-app-eth crashes on an empty message before sending any APDU.
    if (text.length === 0) throw new InvalidInputError('The Ledger cannot sign an empty message.')
    this.#act({ kind: 'sign-message', path: this.path, text })
    try {
      const { v, r, s } = await this.#connection.run(
        (eth) => eth.signPersonalMessage(ledgerPath(this.path), toHex(utf8(text))),
        this.#confirmationTimeoutMs,
        'message signature',
      )
      return this.#checked(v, r, s, hashPersonalMessage(text), 'The Ledger message signature')
    } finally {
      this.#act({ kind: 'done' })
    }
  }

  async signTypedData(typedData: TypedData): Promise<Uint8Array> {
    const mode = this.#options.eip712Mode ?? 'auto'
    const digest = hashTypedData(typedData)
    if (mode !== 'hashed') {
      try {
        return await this.#signTypedDataFull(typedData, digest)
      } catch (error) {
        // Apps without clear-signed EIP-712 answer "instruction not supported": sign the hashes instead.
        if (mode === 'full' || (error as { deviceCode?: string }).deviceCode !== statusWordHex(STATUS_WORDS.INS_NOT_SUPPORTED)) throw error
      }
    }
    this.#act({ kind: 'sign-typed-data', path: this.path, primaryType: typedData.primaryType, mode: 'hashed' })
    try {
      const { v, r, s } = await this.#connection.run(
        (eth) => eth.signEIP712HashedMessage(ledgerPath(this.path), toHex(hashDomain(typedData)), toHex(hashTypedMessage(typedData))),
        this.#confirmationTimeoutMs,
        'typed-data signature',
      )
      return this.#checked(v, r, s, digest, 'The Ledger typed-data signature')
    } finally {
      this.#act({ kind: 'done' })
    }
  }

  async #signTypedDataFull(typedData: TypedData, digest: Uint8Array): Promise<Uint8Array> {
    this.#act({ kind: 'sign-typed-data', path: this.path, primaryType: typedData.primaryType, mode: 'full' })
    try {
      const { v, r, s } = await this.#connection.run(
        (eth) => eth.signEIP712Message(ledgerPath(this.path), typedDataToJson(typedData)),
        this.#confirmationTimeoutMs,
        'typed-data signature',
      )
      return this.#checked(v, r, s, digest, 'The Ledger typed-data signature')
    } finally {
      this.#act({ kind: 'done' })
    }
  }

  /** r ‖ s ‖ v, normalized, and recovering to this account — else a typed error naming both. */
  #checked(v: number, r: string, s: string, digest: Uint8Array, what: string): Uint8Array {
    const signature = normalizeSignature(concatBytes(hexToBytes(r.padStart(64, '0'), 'r'), hexToBytes(s.padStart(64, '0'), 's'), Uint8Array.of(v)))
    const signer = publicKeyToAddress(recoverPublicKey(digest, signature))
    if (!sameAddress(signer, this.address)) throw new AccountMismatchError({ expected: this.address, actual: signer, what })
    return signature.bytes
  }

  async close(): Promise<void> {
    await this.#connection.close()
  }
}
