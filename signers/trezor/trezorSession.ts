import { abortable, DeviceNotFoundError, DevicePinRequiredError, InvalidInputError, SignerTimeoutError, throwIfAborted, validTimeoutMs, withDeadline, withTimeout } from '../../src/adapter/index.js'
import type { ConnectResult, TrezorConnectApi } from './connectApi.js'
import { closedSignerError, toTrezorError } from './errors.js'

// TrezorConnect's event names (stable strings in connect 9).
const DEVICE_EVENT = 'DEVICE_EVENT'
const DEVICE_CONNECT = 'device-connect'
/** A Trezor another app holds a session on: a call takes it back, so it counts as present. */
const DEVICE_CONNECT_UNACQUIRED = 'device-connect_unacquired'
const TRANSPORT_EVENT = 'TRANSPORT_EVENT'
const TRANSPORT_ERROR = 'transport-error'
const UI_EVENT = 'UI_EVENT'
const REQUEST_PIN = 'ui-request_pin'
const REQUEST_PASSPHRASE = 'ui-request_passphrase'
const RECEIVE_PIN = 'ui-receive_pin'
const RECEIVE_PASSPHRASE = 'ui-receive_passphrase'
const SELECT_DEVICE = 'ui-select_device'
const RECEIVE_DEVICE = 'ui-receive_device'
const WALLET = 'Trezor'
/** How long a cancelled call may take to settle before its session is given up and reopened. */
const CANCEL_SETTLE_MS = 2_000
export const DEFAULT_DEVICE_TIMEOUT_MS = 15_000

const DEFAULT_MANIFEST = { appName: 'xmtp-signers', email: 'xmtp-signers@users.noreply.github.com', appUrl: 'https://github.com/xmtp-signers' }

/** How to reach a Trezor: which TrezorConnect, which Bridge, and who answers its PIN and passphrase prompts. */
export type TrezorSessionOptions = {
  /** An initialized-by-us or injected TrezorConnect; default the Node build, loaded on demand. */
  connect?: TrezorConnectApi
  /** The caller already ran `connect.init` (a browser app with @trezor/connect-web, for example). */
  initialized?: boolean
  /** Trezor requires apps to identify themselves. */
  manifest?: { appName: string; email: string; appUrl: string }
  /** A Trezor Bridge on another loopback port (emulators), e.g. http://127.0.0.1:21325. */
  bridgeUrl?: string
  /** Transports by name when no bridgeUrl is given (default Bridge, then USB). */
  transports?: string[]
  /** How long to wait for a Trezor to be connected (default 15 s). */
  deviceTimeoutMs?: number
  /** Model One PIN entry (matrix positions) when the device asks; without it a PIN request fails typed. */
  onPinRequest?: () => Promise<string>
  /** A hidden wallet's passphrase; without it the standard wallet (empty passphrase) is used. */
  passphrase?: string
}

/**
 * One TrezorConnect session — the connection to a Trezor: init (when ours), the PIN/passphrase prompts,
 * bounded and abortable calls, close. A `TrezorSigner` signs through one; account discovery takes one.
 */
export class TrezorSession {
  readonly connect: TrezorConnectApi
  readonly #owned: boolean
  readonly #options: TrezorSessionOptions
  #prompted: 'PIN' | 'passphrase' | undefined
  #closed = false
  /** A call its caller gave up on (abort, timeout), cancelled but maybe not settled yet. */
  #abandoned: Promise<unknown> | undefined
  /**
   * The session cannot be trusted any more: a call timed out (connect may be wedged waiting for a
   * device that came back) or another app took the device. The signer reopens it before the next call.
   */
  stale = false

  private constructor(connect: TrezorConnectApi, owned: boolean, options: TrezorSessionOptions) {
    this.connect = connect
    this.#owned = owned
    this.#options = options
  }

  /** Starts TrezorConnect (unless `initialized`) and waits, within `deviceTimeoutMs`, for a Trezor to appear. */
  static async open(options: TrezorSessionOptions = {}): Promise<TrezorSession> {
    let connect = options.connect
    let transports: unknown[] | undefined = options.transports
    if (!connect) {
      const { loadNodeConnect } = await import('./nodeConnect.js')
      const node = loadNodeConnect()
      connect = node.connect
      if (options.bridgeUrl) {
        const match = /^https?:\/\/(127\.0\.0\.1|localhost):(\d+)\/?$/.exec(options.bridgeUrl)
        if (!match) throw new InvalidInputError(`Not a loopback Trezor Bridge URL: ${options.bridgeUrl}`, { nextStep: 'Write it as http://127.0.0.1:21325.' })
        // Only this bridge: connect's default transports would also probe trezord's own ports.
        transports = [node.bridgeTransport(Number(match[2]))]
      }
    }
    const session = new TrezorSession(connect, !options.initialized, options)
    connect.on(UI_EVENT, (event) => session.#onUi(event))
    if (options.initialized) return session
    const deviceTimeoutMs = validTimeoutMs(options.deviceTimeoutMs, 'deviceTimeoutMs', DEFAULT_DEVICE_TIMEOUT_MS)
    // Listen before init: connect emits the device's arrival (or the transport's failure) right after init resolves.
    const connected = new Promise<void>((resolve, reject) => {
      connect!.on(DEVICE_EVENT, (event) => (event.type === DEVICE_CONNECT || event.type === DEVICE_CONNECT_UNACQUIRED) && resolve())
      connect!.on(TRANSPORT_EVENT, (event) => {
        if (event.type === TRANSPORT_ERROR) reject(toTrezorError({ code: 'Transport_Missing', error: String((event.payload as { error?: string } | undefined)?.error ?? 'transport error') }))
      })
    })
    try {
      await connect.init({
        manifest: options.manifest ?? DEFAULT_MANIFEST,
        transports: transports ?? ['BridgeTransport', 'NodeUsbTransport'],
        popup: false,
        lazyLoad: false,
        debug: false,
        pendingTransportEvent: true,
        // The default reconnect loop makes dispose() crash Node when no bridge answers.
        transportReconnect: false,
      })
      await withTimeout(connected, deviceTimeoutMs, () =>
        new DeviceNotFoundError({
          wallet: WALLET,
          details: `no Trezor appeared within ${Math.round(deviceTimeoutMs / 1000)} s${options.bridgeUrl ? ` at ${options.bridgeUrl}` : ''}`,
          nextStep: 'Connect and unlock the Trezor, close Trezor Suite’s other sessions, and make sure a Trezor Bridge (Suite or trezord) is running.',
        }),
      )
    } catch (error) {
      await session.close()
      throw toTrezorError(error)
    }
    return session
  }

  #onUi(event: { type: string; payload?: unknown }): void {
    if (event.type === REQUEST_PIN) {
      if (this.#options.onPinRequest) {
        void this.#options.onPinRequest().then(
          (pin) => this.connect.uiResponse({ type: RECEIVE_PIN, payload: pin }),
          () => this.#refuse('PIN'),
        )
      } else this.#refuse('PIN')
    } else if (event.type === SELECT_DEVICE) {
      // Another app (or a session of ours that was given up) holds the only Trezor: take it back, as the
      // same connect instance does by itself; with no device listed, connect waits for one to arrive.
      const devices = ((event.payload as { devices?: { type?: string; path?: string }[] } | undefined)?.devices ?? []).filter((d) => d.path)
      if (devices.length === 1 && devices[0]!.type === 'unacquired') this.connect.uiResponse({ type: RECEIVE_DEVICE, payload: { device: devices[0], remember: false } })
    } else if (event.type === REQUEST_PASSPHRASE) {
      if (this.#options.passphrase !== undefined) {
        this.connect.uiResponse({ type: RECEIVE_PASSPHRASE, payload: { value: this.#options.passphrase, save: true } })
      } else this.#refuse('passphrase')
    }
  }

  // Nobody can answer the prompt: end the call (it would wait forever) and say why.
  #refuse(what: 'PIN' | 'passphrase'): void {
    this.#prompted = what
    this.connect.cancel(`${what} required`)
  }

  /** What every Ethereum call carries so the right wallet (standard or hidden) answers. */
  get passphraseParams(): Record<string, unknown> {
    return this.#options.passphrase === undefined ? { useEmptyPassphrase: true } : {}
  }

  /** Whether the signer may close this session and open another (not when the app initialized connect). */
  get owned(): boolean {
    return this.#owned
  }

  /** One connect call, bounded by `timeoutMs` and `signal`: a call given up on is cancelled on the device; a failure becomes a typed error. */
  async call<T>(what: string, run: () => Promise<ConnectResult<T>>, timeoutMs: number, signal?: AbortSignal): Promise<T> {
    if (this.#closed) throw closedSignerError()
    throwIfAborted(signal, what)
    await this.settleAbandoned(signal, what)
    this.#prompted = undefined
    let pending: Promise<ConnectResult<T>> | undefined
    let result: ConnectResult<T>
    try {
      result = await withDeadline(
        async () => {
          pending = run()
          return pending
        },
        { timeoutMs, signal, what, onTimeout: () => new SignerTimeoutError(timeoutMs, what, WALLET) },
      )
    } catch (error) {
      if (pending) {
        // Ends the prompt on the device: connect sends Cancel, and the call settles with Method_Cancel.
        const timedOut = (error as { code?: string }).code === 'SIGNER_TIMEOUT'
        this.connect.cancel(timedOut ? 'timed out' : 'aborted')
        this.#abandoned = pending.catch(() => undefined)
        if (timedOut) this.stale = true
      }
      throw toTrezorError(error)
    }
    if (result.success) return result.payload
    if (result.payload.code === 'Device_UsedElsewhere') this.stale = true
    if (this.#prompted) {
      throw new DevicePinRequiredError(this.#prompted, {
        wallet: WALLET,
        nextStep:
          this.#prompted === 'PIN'
            ? 'Unlock the Trezor with its PIN (on the device, or through Trezor Suite), then retry.'
            : 'Give the passphrase of the hidden wallet (passphrase option), or disable passphrase protection, then retry.',
      })
    }
    throw toTrezorError(result.payload)
  }

  /** Waits (briefly, and within the caller's signal) for a cancelled call to settle; one that does not makes the session stale. */
  async settleAbandoned(signal: AbortSignal | undefined, what: string): Promise<void> {
    const abandoned = this.#abandoned
    if (!abandoned) return
    let timer: ReturnType<typeof setTimeout> | undefined
    const settled = await abortable(
      Promise.race([abandoned.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(resolve, CANCEL_SETTLE_MS, false)))]),
      signal,
      what,
    ).finally(() => clearTimeout(timer))
    if (this.#abandoned === abandoned) this.#abandoned = undefined
    if (!settled) this.stale = true
  }

  /** Ends the session: cancels a pending call and disposes TrezorConnect when it is ours. Twice is harmless. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (!this.#owned) return
    // A call still pending at close() would never settle: cancel it first.
    this.connect.cancel('closing')
    await this.connect.dispose()
  }
}
