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
import type { SignOptions, Signer, SignerCapabilities, TypedData } from '../../src/signer.js'
import { abortable, throwIfAborted, validTimeoutMs, withDeadline } from '../../src/timeout.js'
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
  /**
   * The request was aborted or timed out while the Ledger still shows it (hw-app-eth cannot cancel a
   * prompt): ask the person to reject it there. `done` follows once the device has answered it.
   */
  | { kind: 'reject-on-device'; path: string; what: string }
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

/** How one device interaction is bounded and who hears that it was abandoned. */
type RunOptions = {
  timeoutMs: number
  what: string
  signal?: AbortSignal | undefined
  /** The request's turn on the device has come (after any queue): it is about to be sent. */
  onSent?: () => void
  /** The caller gave up (abort, timeout) while the device still holds the exchange: it may show a prompt. */
  onAbandoned?: () => void
  /** The device answered an abandoned exchange at last (the person rejected or approved it, or it was unplugged). */
  onAbandonedSettled?: () => void
}

/**
 * One device: one exchange at a time (a queue, not a crash), every wait bounded by the caller's
 * timeout and signal, and a fresh transport after any transport failure when it knows how to open one.
 * hw-app-eth has no APDU-level cancel: an aborted exchange stays on the device until the person answers
 * it, so later requests queue behind it (within their own bound) instead of colliding with it.
 */
class LedgerConnection {
  #transport: Transport | undefined
  #eth: EthApp | undefined
  #opening: Promise<EthApp> | undefined
  /** Settles once the device has answered everything asked of it so far. */
  #tail: Promise<void> = Promise.resolve()
  /** Requests whose callers still wait for the answer. */
  #waiting = 0
  /** Exchanges the caller gave up on while the device still holds them. */
  #abandoned = 0
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

  #ready(): Promise<EthApp> {
    if (this.#eth) return Promise.resolve(this.#eth)
    // One opening at a time: a request that gave up while opening must not make a second one start.
    this.#opening ??= this.#openEth().finally(() => (this.#opening = undefined))
    return this.#opening
  }

  async #openEth(): Promise<EthApp> {
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
    const eth = await createEthApp(this.#transport)
    if (reopened && this.onReopen) await this.onReopen(eth)
    this.#eth = eth
    return eth
  }

  /** Runs one device interaction with exclusive access, bounded by `timeoutMs` and `signal`. */
  async run<T>(task: (eth: EthApp, transport: Transport) => Promise<T>, options: RunOptions): Promise<T> {
    const { timeoutMs, what, signal } = options
    // Aborted already: nothing reaches the device.
    throwIfAborted(signal, what)
    if (this.#whenBusy === 'fail' && this.#waiting > 0) {
      throw new DeviceBusyError({ wallet: WALLET, details: `a request from this app is still waiting on the device; ${what} was not sent` })
    }
    this.#waiting++
    const previous = this.#tail
    let release!: () => void
    const mine = new Promise<void>((resolve) => (release = resolve))
    this.#tail = previous.then(() => mine)
    const behindAbandoned = this.#abandoned > 0
    let onDevice: Promise<T> | undefined
    let settled = false
    try {
      return await withDeadline(
        async (deadline) => {
          await abortable(previous, deadline, what)
          options.onSent?.()
          onDevice = this.#onDevice(task)
          onDevice.then(
            () => (settled = true),
            () => (settled = true),
          )
          void onDevice.then(release, release)
          return await onDevice
        },
        {
          timeoutMs,
          signal,
          what,
          onTimeout: () =>
            onDevice === undefined && behindAbandoned
              ? new DeviceBusyError({
                  wallet: WALLET,
                  details: `the Ledger still shows an earlier request this app gave up on; ${what} was not sent`,
                  nextStep: 'Reject the earlier request on the Ledger (or unplug it), then retry.',
                })
              : new SignerTimeoutError(timeoutMs, what, WALLET),
        },
      )
    } catch (error) {
      if (onDevice === undefined) release()
      else if (!settled) {
        this.#abandoned++
        options.onAbandoned?.()
        const done = () => {
          this.#abandoned--
          options.onAbandonedSettled?.()
        }
        onDevice.then(done, done)
      }
      throw toLedgerError(error)
    } finally {
      this.#waiting--
    }
  }

  /** The exchange itself; it holds the device until it settles, whether or not its caller still waits. */
  async #onDevice<T>(task: (eth: EthApp, transport: Transport) => Promise<T>): Promise<T> {
    try {
      const eth = await this.#ready()
      return await task(eth, this.#transport!)
    } catch (error) {
      const transport = this.#transport
      const typed = toLedgerError(error, { ...(transport && isWrongApp(error) ? { openApp: await openAppName(transport) } : {}) })
      // Any failure that is not the device's own answer may have left the transport dead or mid-APDU.
      if (this.#open ? !isDeviceAnswer(error) && typed.code !== 'SIGNER_BUSY' : typed.code === 'SIGNER_DISCONNECTED') await this.#drop()
      throw typed
    }
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

/** A status word (the device answered, so the transport works) rather than a transport failure. */
function isDeviceAnswer(error: unknown): boolean {
  const e = error as { statusCode?: unknown; name?: unknown } | null
  return typeof e?.statusCode === 'number' || e?.name === 'LockedDeviceError'
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
  readonly #confirmationTimeoutMs: number

  private constructor(connection: LedgerConnection, path: string, address: Address, appVersion: string, options: LedgerSignerOptions) {
    this.#connection = connection
    this.path = path
    this.address = address
    this.appVersion = appVersion
    this.#options = options
    this.#confirmationTimeoutMs = validTimeoutMs(options.confirmationTimeoutMs, 'confirmationTimeoutMs', 5 * 60_000)
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
    // Checked before the device is touched: NaN or Infinity would mean "wait forever".
    const exchangeTimeoutMs = validTimeoutMs(options.exchangeTimeoutMs, 'exchangeTimeoutMs', 20_000)
    validTimeoutMs(options.confirmationTimeoutMs, 'confirmationTimeoutMs', 5 * 60_000)
    const connection = new LedgerConnection(options)
    try {
      const { version } = await connection.run((eth) => eth.getAppConfiguration(), { timeoutMs: exchangeTimeoutMs, what: 'GET APP CONFIGURATION' })
      if (compareVersions(version, MINIMUM_ETH_APP_VERSION) < 0) throw new UnsupportedAppVersionError(version, MINIMUM_ETH_APP_VERSION, { wallet: WALLET })
      const { address } = await connection.run((eth) => eth.getAddress(ledgerPath(normalizedPath)), { timeoutMs: exchangeTimeoutMs, what: 'GET ADDRESS' })
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

  /**
   * Shows `action` to the app, runs the device request, and says `done` once the device is idle again;
   * an abandoned request first says `reject-on-device`, and `done` waits for the device's answer.
   */
  async #onDevice<T>(action: LedgerDeviceAction, task: (eth: EthApp) => Promise<T>, what: string, signal: AbortSignal | undefined): Promise<T> {
    throwIfAborted(signal, what)
    let sent = false
    let abandoned = false
    try {
      return await this.#connection.run(task, {
        timeoutMs: this.#confirmationTimeoutMs,
        what,
        signal,
        // Said when the request leaves the queue, so an app never shows two requests at once.
        onSent: () => {
          sent = true
          this.#act(action)
        },
        onAbandoned: () => {
          abandoned = true
          this.#act({ kind: 'reject-on-device', path: this.path, what })
        },
        onAbandonedSettled: () => this.#act({ kind: 'done' }),
      })
    } finally {
      if (sent && !abandoned) this.#act({ kind: 'done' })
    }
  }

  /** Shows the address on the device; resolves once the person confirms it there. */
  async showAddress(options: SignOptions = {}): Promise<Address> {
    const { address } = await this.#onDevice(
      { kind: 'confirm-address', path: this.path, address: this.address },
      (eth) => eth.getAddress(ledgerPath(this.path), true),
      'address confirmation',
      options.signal,
    )
    if (!sameAddress(address, this.address)) throw new AccountMismatchError({ expected: this.address, actual: checksumAddress(address), what: 'The address shown on the Ledger' })
    return this.address
  }

  async signPersonalMessage(text: string, options: SignOptions = {}): Promise<Uint8Array> {
    throwIfAborted(options.signal, 'message signature')
    // hw-app-eth crashes on an empty message before sending any APDU.
    if (text.length === 0) throw new InvalidInputError('The Ledger cannot sign an empty message.')
    const { v, r, s } = await this.#onDevice(
      { kind: 'sign-message', path: this.path, text },
      (eth) => eth.signPersonalMessage(ledgerPath(this.path), toHex(utf8(text))),
      'message signature',
      options.signal,
    )
    return this.#checked(v, r, s, hashPersonalMessage(text), 'The Ledger message signature')
  }

  async signTypedData(typedData: TypedData, options: SignOptions = {}): Promise<Uint8Array> {
    throwIfAborted(options.signal, 'typed-data signature')
    const mode = this.#options.eip712Mode ?? 'auto'
    const digest = hashTypedData(typedData)
    if (mode !== 'hashed') {
      try {
        const { v, r, s } = await this.#onDevice(
          { kind: 'sign-typed-data', path: this.path, primaryType: typedData.primaryType, mode: 'full' },
          (eth) => eth.signEIP712Message(ledgerPath(this.path), typedDataToJson(typedData)),
          'typed-data signature',
          options.signal,
        )
        return this.#checked(v, r, s, digest, 'The Ledger typed-data signature')
      } catch (error) {
        // Apps without clear-signed EIP-712 answer "instruction not supported": sign the hashes instead.
        if (mode === 'full' || (error as { deviceCode?: string }).deviceCode !== statusWordHex(STATUS_WORDS.INS_NOT_SUPPORTED)) throw error
      }
    }
    const { v, r, s } = await this.#onDevice(
      { kind: 'sign-typed-data', path: this.path, primaryType: typedData.primaryType, mode: 'hashed' },
      (eth) => eth.signEIP712HashedMessage(ledgerPath(this.path), toHex(hashDomain(typedData)), toHex(hashTypedMessage(typedData))),
      'typed-data signature',
      options.signal,
    )
    return this.#checked(v, r, s, digest, 'The Ledger typed-data signature')
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
