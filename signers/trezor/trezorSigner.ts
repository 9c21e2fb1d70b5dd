import { hexToBytes, toHex } from '../../src/bytes.js'
import { derivationPath, formatDerivationPath, parseDerivationPath, type DerivationScheme } from '../../src/derivationPaths.js'
import { AccountMismatchError, DeviceNotFoundError, DevicePinRequiredError, InvalidInputError, SignerTimeoutError, XmtpSignersError } from '../../src/errors.js'
import { checksumAddress, hashPersonalMessage, normalizeSignature, publicKeyToAddress, recoverPublicKey, sameAddress, type Address } from '../../src/signature.js'
import type { SignOptions, Signer, SignerCapabilities, TypedData } from '../../src/signer.js'
import { abortable, throwIfAborted, validTimeoutMs, withDeadline, withTimeout } from '../../src/timeout.js'
import { hashDomain, hashTypedData, hashTypedMessage, typedDataToJson } from '../../src/typedData.js'
import { toTrezorError } from './errors.js'

type Result<T> = { success: true; payload: T } | { success: false; payload: { error: string; code?: string } }

/** What we use of TrezorConnect: the Node build (@trezor/connect) or the web one (@trezor/connect-web). */
export type TrezorConnectApi = {
  init(settings: Record<string, unknown>): Promise<unknown>
  on(event: string, listener: (event: { type: string; payload?: unknown }) => void): void
  off?(event: string, listener: (event: { type: string; payload?: unknown }) => void): void
  dispose(): void | Promise<void>
  cancel(reason?: string): void
  uiResponse(response: { type: string; payload: unknown }): void
  ethereumGetAddress(params: Record<string, unknown>): Promise<Result<{ address: string }>>
  ethereumGetPublicKey(params: Record<string, unknown>): Promise<Result<{ publicKey: string; chainCode: string }>>
  ethereumSignMessage(params: Record<string, unknown>): Promise<Result<{ address: string; signature: string }>>
  ethereumSignTypedData(params: Record<string, unknown>): Promise<Result<{ address: string; signature: string }>>
}

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
const DEFAULT_DEVICE_TIMEOUT_MS = 15_000
const DEFAULT_CONFIRMATION_TIMEOUT_MS = 5 * 60_000

export type TrezorDeviceAction =
  | { kind: 'confirm-address'; path: string; address: string }
  | { kind: 'sign-message'; path: string; text: string }
  | { kind: 'sign-typed-data'; path: string; primaryType: string }
  | { kind: 'done' }

export type TrezorSignerOptions = {
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
  path?: string
  scheme?: DerivationScheme
  index?: number
  expectedAddress?: string
  /** How long to wait for a Trezor to be connected (default 15 s). */
  deviceTimeoutMs?: number
  /** Limit for a confirmation the person gives on the device (default 5 min). */
  confirmationTimeoutMs?: number
  /** Model One PIN entry (matrix positions) when the device asks; without it a PIN request fails typed. */
  onPinRequest?: () => Promise<string>
  /** A hidden wallet's passphrase; without it the standard wallet (empty passphrase) is used. */
  passphrase?: string
  onDeviceAction?: (action: TrezorDeviceAction) => void
}

const DEFAULT_MANIFEST = { appName: 'xmtp-signers', email: 'xmtp-signers@users.noreply.github.com', appUrl: 'https://github.com/xmtp-signers' }

/** One TrezorConnect session: init (when ours), the PIN/passphrase prompts, bounded calls, dispose. */
class TrezorSession {
  readonly connect: TrezorConnectApi
  readonly #owned: boolean
  readonly #options: TrezorSignerOptions
  #prompted: 'PIN' | 'passphrase' | undefined
  #closed = false
  /** A call its caller gave up on (abort, timeout), cancelled but maybe not settled yet. */
  #abandoned: Promise<unknown> | undefined
  /**
   * The session cannot be trusted any more: a call timed out (connect may be wedged waiting for a
   * device that came back) or another app took the device. The signer reopens it before the next call.
   */
  stale = false

  private constructor(connect: TrezorConnectApi, owned: boolean, options: TrezorSignerOptions) {
    this.connect = connect
    this.#owned = owned
    this.#options = options
  }

  static async start(options: TrezorSignerOptions): Promise<TrezorSession> {
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
      await session.dispose()
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

  get passphraseParams(): Record<string, unknown> {
    return this.#options.passphrase === undefined ? { useEmptyPassphrase: true } : {}
  }

  /** Whether the signer may dispose this session and start another (not when the app initialized connect). */
  get owned(): boolean {
    return this.#owned
  }

  async call<T>(what: string, run: () => Promise<Result<T>>, timeoutMs: number, signal?: AbortSignal): Promise<T> {
    if (this.#closed) throw new XmtpSignersError('SIGNER_DISCONNECTED', 'This Trezor signer was closed.', { nextStep: 'Open a new TrezorSigner.' })
    throwIfAborted(signal, what)
    await this.settleAbandoned(signal, what)
    this.#prompted = undefined
    let pending: Promise<Result<T>> | undefined
    let result: Result<T>
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

  async dispose(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (!this.#owned) return
    // A call still pending at dispose() would never settle: cancel it first.
    this.connect.cancel('closing')
    await this.connect.dispose()
  }
}

function normalizedPath(options: TrezorSignerOptions): string {
  return formatDerivationPath(parseDerivationPath(options.path ?? derivationPath(options.scheme ?? 'live', options.index ?? 0)))
}

/** A Trezor account signing through @trezor/connect (Node: Bridge or USB; browsers: connect-web). */
export class TrezorSigner implements Signer {
  readonly address: Address
  readonly path: string
  readonly capabilities: SignerCapabilities = { kind: 'trezor', accountType: 'EOA', reproducibleSignatures: 'yes', typedData: true }
  #session: TrezorSession
  /** A session being started in place of a stale one; later calls wait for it rather than start another. */
  #reopening: Promise<TrezorSession> | undefined
  #closed = false
  readonly #options: TrezorSignerOptions
  readonly #deviceTimeoutMs: number
  readonly #confirmationTimeoutMs: number

  private constructor(session: TrezorSession, path: string, address: Address, options: TrezorSignerOptions) {
    this.#session = session
    this.path = path
    this.address = address
    this.#options = options
    this.#deviceTimeoutMs = validTimeoutMs(options.deviceTimeoutMs, 'deviceTimeoutMs', DEFAULT_DEVICE_TIMEOUT_MS)
    this.#confirmationTimeoutMs = validTimeoutMs(options.confirmationTimeoutMs, 'confirmationTimeoutMs', DEFAULT_CONFIRMATION_TIMEOUT_MS)
  }

  static async open(options: TrezorSignerOptions = {}): Promise<TrezorSigner> {
    const path = normalizedPath(options)
    // Checked before connect starts: NaN or Infinity would mean "wait forever".
    validTimeoutMs(options.deviceTimeoutMs, 'deviceTimeoutMs', DEFAULT_DEVICE_TIMEOUT_MS)
    validTimeoutMs(options.confirmationTimeoutMs, 'confirmationTimeoutMs', DEFAULT_CONFIRMATION_TIMEOUT_MS)
    const session = await TrezorSession.start(options)
    try {
      const account = await TrezorSigner.#accountAt(session, path, options.deviceTimeoutMs ?? 30_000)
      if (options.expectedAddress && !sameAddress(options.expectedAddress, account)) {
        throw new AccountMismatchError({
          expected: checksumAddress(options.expectedAddress),
          actual: account,
          what: `The Trezor's account at ${path}`,
          nextStep: 'Check the derivation path (scheme and index), the passphrase (hidden wallet) and that this is the Trezor with the intended seed.',
        })
      }
      return new TrezorSigner(session, path, account, options)
    } catch (error) {
      await session.dispose()
      throw error
    }
  }

  static async #accountAt(session: TrezorSession, path: string, timeoutMs: number, signal?: AbortSignal): Promise<Address> {
    const { address } = await session.call(
      'GET ADDRESS',
      () => session.connect.ethereumGetAddress({ path, showOnTrezor: false, ...session.passphraseParams }),
      timeoutMs,
      signal,
    )
    return checksumAddress(address)
  }

  /**
   * The session to call through: after a timeout or a takeover by another app, a fresh one (connect
   * disposed and initialized again), checked to derive this account before it signs anything.
   */
  async #live(signal: AbortSignal | undefined, what: string): Promise<TrezorSession> {
    if (this.#closed) throw new XmtpSignersError('SIGNER_DISCONNECTED', 'This Trezor signer was closed.', { nextStep: 'Open a new TrezorSigner.' })
    if (this.#reopening) return abortable(this.#reopening, signal, what)
    await this.#session.settleAbandoned(signal, what)
    if (!this.#session.stale || !this.#session.owned) return this.#session
    this.#reopening = this.#reopen().finally(() => (this.#reopening = undefined))
    return abortable(this.#reopening, signal, what)
  }

  async #reopen(): Promise<TrezorSession> {
    await this.#session.dispose()
    const session = await TrezorSession.start(this.#options)
    try {
      const account = await TrezorSigner.#accountAt(session, this.path, this.#deviceTimeoutMs)
      if (!sameAddress(account, this.address)) throw new AccountMismatchError({ expected: this.address, actual: account, what: `The reconnected Trezor's account at ${this.path}` })
    } catch (error) {
      await session.dispose()
      throw error
    }
    if (this.#closed) await session.dispose()
    this.#session = session
    return session
  }

  async #call<T>(what: string, run: (session: TrezorSession) => Promise<Result<T>>, signal: AbortSignal | undefined): Promise<T> {
    throwIfAborted(signal, what)
    const session = await this.#live(signal, what)
    return session.call(what, () => run(session), this.#confirmationTimeoutMs, signal)
  }

  #act(action: TrezorDeviceAction): void {
    this.#options.onDeviceAction?.(action)
  }

  /** Shows the address on the Trezor; resolves once the person confirms it there. */
  async showAddress(options: SignOptions = {}): Promise<Address> {
    throwIfAborted(options.signal, 'address confirmation')
    this.#act({ kind: 'confirm-address', path: this.path, address: this.address })
    try {
      const { address } = await this.#call(
        'address confirmation',
        (session) => session.connect.ethereumGetAddress({ path: this.path, showOnTrezor: true, address: this.address, ...session.passphraseParams }),
        options.signal,
      )
      if (!sameAddress(address, this.address)) throw new AccountMismatchError({ expected: this.address, actual: checksumAddress(address), what: 'The address shown on the Trezor' })
      return this.address
    } finally {
      this.#act({ kind: 'done' })
    }
  }

  async signPersonalMessage(text: string, options: SignOptions = {}): Promise<Uint8Array> {
    throwIfAborted(options.signal, 'message signature')
    if (text.length === 0) throw new InvalidInputError('The Trezor cannot sign an empty message.')
    this.#act({ kind: 'sign-message', path: this.path, text })
    try {
      const payload = await this.#call(
        'message signature',
        (session) => session.connect.ethereumSignMessage({ path: this.path, message: text, hex: false, ...session.passphraseParams }),
        options.signal,
      )
      return this.#checked(payload, hashPersonalMessage(text), 'The Trezor message signature')
    } finally {
      this.#act({ kind: 'done' })
    }
  }

  async signTypedData(typedData: TypedData, options: SignOptions = {}): Promise<Uint8Array> {
    throwIfAborted(options.signal, 'typed-data signature')
    this.#act({ kind: 'sign-typed-data', path: this.path, primaryType: typedData.primaryType })
    try {
      const payload = await this.#call(
        'typed-data signature',
        (session) =>
          session.connect.ethereumSignTypedData({
            path: this.path,
            data: typedDataToJson(typedData),
            metamask_v4_compat: true,
            // The Model One signs the two hashes; newer models ignore them and show the fields.
            domain_separator_hash: toHex(hashDomain(typedData)),
            message_hash: typedData.primaryType === 'EIP712Domain' ? undefined : toHex(hashTypedMessage(typedData)),
            ...session.passphraseParams,
          }),
        options.signal,
      )
      return this.#checked(payload, hashTypedData(typedData), 'The Trezor typed-data signature')
    } finally {
      this.#act({ kind: 'done' })
    }
  }

  /** The returned and the recovered address must both be this account. */
  #checked(payload: { address: string; signature: string }, digest: Uint8Array, what: string): Uint8Array {
    if (!sameAddress(payload.address, this.address)) throw new AccountMismatchError({ expected: this.address, actual: checksumAddress(payload.address), what })
    const signature = normalizeSignature(hexToBytes(payload.signature, 'signature'))
    const signer = publicKeyToAddress(recoverPublicKey(digest, signature))
    if (!sameAddress(signer, this.address)) throw new AccountMismatchError({ expected: this.address, actual: signer, what })
    return signature.bytes
  }

  /** Ends the session: cancels a pending request and disposes TrezorConnect, so a Node process can exit. */
  async close(): Promise<void> {
    this.#closed = true
    await this.#reopening?.catch(() => undefined)
    await this.#session.dispose()
  }

  /** Internal: the session, for account discovery on the same connection (a fresh one if the last was dropped). */
  static sessionOf(signer: TrezorSigner, signal?: AbortSignal): Promise<TrezorSession> {
    return signer.#live(signal, 'account discovery')
  }
}

export type { TrezorSession }
