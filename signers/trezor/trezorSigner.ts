import {
  AccountMismatchError,
  checksumAddress,
  expectSameAccount,
  expectSignedBy,
  hashDomain,
  hashPersonalMessage,
  hashTypedData,
  hashTypedMessage,
  InvalidInputError,
  sameAddress,
  throwIfAborted,
  toHex,
  typedDataToJson,
  UnsupportedOperationError,
  utf8,
  abortable,
  validTimeoutMs,
  type Address,
  type DeviceAction,
  type SignOptions,
  type Signer,
  type SignerCapabilities,
  type TypedData,
  selectedPath,
  type AccountSelection,
} from '../../src/adapter/index.js'
import type { ConnectResult } from './connectApi.js'
import { closedSignerError } from './errors.js'
import { TREZOR_MAX_MESSAGE_BYTES } from './limits.js'
import { DEFAULT_DEVICE_TIMEOUT_MS, TrezorSession, type TrezorSessionOptions } from './trezorSession.js'

export type { TrezorConnectApi } from './connectApi.js'

const DEFAULT_CONFIRMATION_TIMEOUT_MS = 5 * 60_000

/** @deprecated The kit's `DeviceAction` (xmtp-signers/adapter), the one device-action type of every hardware adapter. */
export type TrezorDeviceAction = DeviceAction

export type TrezorSignerOptions = TrezorSessionOptions & AccountSelection & {
  /** Limit for a confirmation the person gives on the device (default 5 min). */
  confirmationTimeoutMs?: number
  onDeviceAction?: (action: DeviceAction) => void
}

function normalizedPath(options: TrezorSignerOptions): string {
  return selectedPath(options)
}

/** A Trezor account signing through @trezor/connect (Node: Bridge or USB; browsers: connect-web). */
export class TrezorSigner implements Signer {
  readonly address: Address
  readonly path: string
  readonly capabilities: SignerCapabilities = { kind: 'trezor', accountType: 'EOA', reproducibleSignatures: 'yes', typedData: true, maxMessageBytes: TREZOR_MAX_MESSAGE_BYTES }
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
    const session = await TrezorSession.open(options)
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
      await session.close()
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

  /** The session this signer talks through (for account discovery on the same connection); a fresh one if the last was dropped. */
  session(options: SignOptions = {}): Promise<TrezorSession> {
    return this.#live(options.signal, 'account discovery')
  }

  /**
   * The session to call through: after a timeout or a takeover by another app, a fresh one (connect
   * disposed and initialized again), checked to derive this account before it signs anything.
   */
  async #live(signal: AbortSignal | undefined, what: string): Promise<TrezorSession> {
    if (this.#closed) throw closedSignerError()
    if (this.#reopening) return abortable(this.#reopening, signal, what)
    await this.#session.settleAbandoned(signal, what)
    if (!this.#session.stale || !this.#session.owned) return this.#session
    this.#reopening = this.#reopen().finally(() => (this.#reopening = undefined))
    return abortable(this.#reopening, signal, what)
  }

  async #reopen(): Promise<TrezorSession> {
    await this.#session.close()
    const session = await TrezorSession.open(this.#options)
    try {
      const reported = await TrezorSigner.#accountAt(session, this.path, this.#deviceTimeoutMs)
      expectSameAccount({ account: this.address, reported, what: `The reconnected Trezor's account at ${this.path}` })
    } catch (error) {
      await session.close()
      throw error
    }
    if (this.#closed) await session.close()
    this.#session = session
    return session
  }

  async #call<T>(what: string, run: (session: TrezorSession) => Promise<ConnectResult<T>>, signal: AbortSignal | undefined): Promise<T> {
    throwIfAborted(signal, what)
    const session = await this.#live(signal, what)
    return session.call(what, () => run(session), this.#confirmationTimeoutMs, signal)
  }

  #act(action: DeviceAction): void {
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
      expectSameAccount({ account: this.address, reported: address, what: 'The address shown on the Trezor' })
      return this.address
    } finally {
      this.#act({ kind: 'done' })
    }
  }

  async signPersonalMessage(text: string, options: SignOptions = {}): Promise<Uint8Array> {
    throwIfAborted(options.signal, 'message signature')
    if (text.length === 0) throw new InvalidInputError('The Trezor cannot sign an empty message.')
    const bytes = utf8(text).length
    if (bytes > TREZOR_MAX_MESSAGE_BYTES) {
      throw new UnsupportedOperationError(`The Trezor signs messages of at most ${TREZOR_MAX_MESSAGE_BYTES} bytes; this one is ${bytes}.`, {
        details: 'nothing was sent to the device',
        nextStep: 'Sign a shorter message (for an XMTP v3 revocation: fewer installations at once).',
      })
    }
    this.#act({ kind: 'sign-message', path: this.path, text })
    try {
      const { address, signature } = await this.#call(
        'message signature',
        (session) => session.connect.ethereumSignMessage({ path: this.path, message: text, hex: false, ...session.passphraseParams }),
        options.signal,
      )
      return expectSignedBy({ account: this.address, digest: hashPersonalMessage(text), signature, claimed: address, what: 'The Trezor message signature' })
    } finally {
      this.#act({ kind: 'done' })
    }
  }

  async signTypedData(typedData: TypedData, options: SignOptions = {}): Promise<Uint8Array> {
    throwIfAborted(options.signal, 'typed-data signature')
    this.#act({ kind: 'sign-typed-data', path: this.path, primaryType: typedData.primaryType })
    try {
      const { address, signature } = await this.#call(
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
      return expectSignedBy({ account: this.address, digest: hashTypedData(typedData), signature, claimed: address, what: 'The Trezor typed-data signature' })
    } finally {
      this.#act({ kind: 'done' })
    }
  }

  /** Ends the session: cancels a pending request and disposes TrezorConnect, so a Node process can exit. */
  async close(): Promise<void> {
    this.#closed = true
    await this.#reopening?.catch(() => undefined)
    await this.#session.close()
  }
}
