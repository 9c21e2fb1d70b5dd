import {
  abortable,
  optionalPackage,
  DeviceBusyError,
  DeviceDisconnectedError,
  SignerClosedError,
  formatDerivationPath,
  InvalidInputError,
  parseDerivationPath,
  SignerTimeoutError,
  throwIfAborted,
  withDeadline,
} from '../../src/adapter/index.js'
import { statusWordOf, toLedgerError, WALLET, WRONG_APP_STATUS_WORDS } from './errors.js'
import { APDU } from './protocol.js'

/**
 * What we need of a `@ledgerhq/hw-transport` Transport. Structural on purpose: every @ledgerhq
 * package pins its own copy of the class, so apps hand us instances of several "Transport"s.
 */
export type Transport = {
  send(cla: number, ins: number, p1: number, p2: number, data?: Uint8Array, statusList?: number[]): Promise<Uint8Array>
  exchange(apdu: Uint8Array): Promise<Uint8Array>
  close(): Promise<void>
}

/** What we use of `@ledgerhq/hw-app-eth`'s Eth class. */
export type EthApp = {
  getAddress(path: string, display?: boolean, chainCode?: boolean): Promise<{ publicKey: string; address: string; chainCode?: string }>
  getAppConfiguration(): Promise<{ version: string }>
  signPersonalMessage(path: string, messageHex: string): Promise<{ v: number; r: string; s: string }>
  signEIP712HashedMessage(path: string, domainSeparatorHex: string, hashStructMessageHex: string): Promise<{ v: number; r: string; s: string }>
  signEIP712Message(path: string, message: unknown, fullImplem?: boolean): Promise<{ v: number; r: string; s: string }>
}

export type LedgerConnectionOptions = {
  /** An open transport (node-hid, WebHID, Speculos, the emulator, …). */
  transport?: Transport
  /** Opens a transport; with it, the connection reopens the device by itself after a disconnect. */
  openTransport?: () => Promise<Transport>
  /** A request while another waits on the device: fail at once with `DeviceBusyError` (default) or wait its turn. */
  whenBusy?: 'fail' | 'wait'
}

/** Default bound on an exchange that needs no confirmation. */
export const DEFAULT_EXCHANGE_TIMEOUT_MS = 20_000

/** How one device interaction is bounded and who hears that it was abandoned. */
export type RunOptions = {
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

/** `m/44'/60'/0'/0/0` → `44'/60'/0'/0/0`, the form hw-app-eth takes. */
export function ledgerPath(path: string): string {
  return formatDerivationPath(parseDerivationPath(path)).slice(2)
}

type EthAppConstructor = new (transport: Transport, scrambleKey?: string, loadConfig?: Record<string, unknown>) => EthApp

/** Constructs hw-app-eth with its remote lookups off: they have no timeout, and we never need them. */
export async function createEthApp(transport: Transport): Promise<EthApp> {
  const Eth = await loadEthApp()
  // Without this, EIP-712 signing fetches Ledger's CAL filters and ERC-20 lists over the network.
  return new Eth(transport, 'w0w', { calServiceURL: null, cryptoassetsBaseURL: null })
}

// The CommonJS build: its ESM build has extension-less imports Node's ESM loader refuses.
const importEthApp = optionalPackage(
  { packages: ['@ledgerhq/hw-app-eth', '@ledgerhq/hw-transport'], feature: 'The Ledger LedgerJS path (a hw-transport you hold)' },
  () => import('@ledgerhq/hw-app-eth/lib/Eth'),
)

async function loadEthApp(): Promise<EthAppConstructor> {
  const module = (await importEthApp()) as unknown as { default: unknown }
  const candidate = module.default as { default?: unknown }
  return (typeof candidate === 'function' ? candidate : candidate.default) as EthAppConstructor
}

/** Reads the name of the app in front (GET APP AND VERSION), for an error that names it. */
async function openAppName(transport: Transport): Promise<string | undefined> {
  const { cla, ins, p1, p2, format } = APDU.GET_APP_AND_VERSION
  try {
    const reply = new Uint8Array(await transport.send(cla, ins, p1.NONE, p2.NONE))
    if (reply[0] !== format) return undefined
    const length = reply[1]!
    return new TextDecoder().decode(reply.subarray(2, 2 + length))
  } catch {
    return undefined
  }
}

/** A status word (the device answered, so the transport works) rather than a transport failure. */
function isDeviceAnswer(error: unknown): boolean {
  return statusWordOf(error) !== undefined || (error as { name?: unknown } | null)?.name === 'LockedDeviceError'
}

function isWrongApp(error: unknown): boolean {
  const status = statusWordOf(error)
  return status !== undefined && WRONG_APP_STATUS_WORDS.has(status)
}

/**
 * One device: one exchange at a time (a queue, not a crash), every wait bounded by the caller's
 * timeout and signal, and a fresh transport after any transport failure when it knows how to open one.
 * hw-app-eth has no APDU-level cancel: an aborted exchange stays on the device until the person answers
 * it, so later requests queue behind it (within their own bound) instead of colliding with it.
 */
export class LedgerConnection {
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
  /** Runs after the connection opened a new transport by itself, before it is used (e.g. to check the account). */
  onReopen: ((eth: EthApp) => Promise<void>) | undefined

  constructor(options: LedgerConnectionOptions) {
    if (!options.transport && !options.openTransport) {
      throw new InvalidInputError('A Ledger signer needs a transport.', {
        nextStep: 'Pass `transport` (or `openTransport`), e.g. from openLedgerTransport("hid").',
      })
    }
    this.#transport = options.transport
    this.#open = options.openTransport
    this.#whenBusy = options.whenBusy ?? 'fail'
  }

  #closed = false

  get transport(): Transport | undefined {
    return this.#transport
  }

  #ready(): Promise<EthApp> {
    if (this.#closed) return Promise.reject(new SignerClosedError({ wallet: WALLET, nextStep: 'Open a new LedgerSigner.' }))
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
    this.#closed = true
    const transport = this.#transport
    this.#transport = undefined
    this.#eth = undefined
    await transport?.close().catch(() => undefined)
  }
}
