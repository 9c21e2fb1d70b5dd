import {
  AccountMismatchError,
  checksumAddress,
  concatBytes,
  expectSameAccount,
  expectSignedBy,
  hashDomain,
  hashPersonalMessage,
  hashTypedData,
  hashTypedMessage,
  hexToBytes,
  InvalidInputError,
  sameAddress,
  throwIfAborted,
  toHex,
  typedDataToJson,
  UnsupportedAppVersionError,
  utf8,
  validTimeoutMs,
  type Address,
  type DeviceAction,
  type Signer,
  type SignerCapabilities,
  type SignOptions,
  type TypedData,
  selectedPath,
  type AccountSelection,
} from '../../src/adapter/index.js'
import { statusWordHex, WALLET } from './errors.js'
import { DEFAULT_EXCHANGE_TIMEOUT_MS, LedgerConnection, ledgerPath, type EthApp, type LedgerConnectionOptions } from './ledgerConnection.js'
import { STATUS_WORDS } from './protocol.js'

export type { Transport } from './ledgerConnection.js'

/** Oldest Ethereum app we sign with: it shows personal messages as text and signs EIP-712 by hashes. */
export const MINIMUM_ETH_APP_VERSION = '1.9.0'

/** What the person is asked to do on the Ledger: the kit's one device-action type. */
export type LedgerDeviceAction = DeviceAction

export type LedgerSignerOptions = LedgerConnectionOptions & AccountSelection & {
  /** Limit for exchanges that need no confirmation (default 20 s). */
  exchangeTimeoutMs?: number
  /** Limit for a confirmation the person gives on the device (default 5 min). */
  confirmationTimeoutMs?: number
  /** EIP-712 on the device: clear-signed fields, the two hashes, or full falling back to hashes (default). */
  eip712Mode?: 'auto' | 'full' | 'hashed'
  onDeviceAction?: (action: LedgerDeviceAction) => void
}

const DEFAULT_CONFIRMATION_TIMEOUT_MS = 5 * 60_000

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => parseInt(x, 10) || 0)
  const pb = b.split(/[.-]/).map((x) => parseInt(x, 10) || 0)
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0)
  return 0
}

/** hw-app-eth's `{ v, r, s }` as the 65 bytes r ‖ s ‖ v. */
function signatureBytes({ v, r, s }: { v: number; r: string; s: string }): Uint8Array {
  return concatBytes(hexToBytes(r.padStart(64, '0'), 'r'), hexToBytes(s.padStart(64, '0'), 's'), Uint8Array.of(v))
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
    this.#confirmationTimeoutMs = validTimeoutMs(options.confirmationTimeoutMs, 'confirmationTimeoutMs', DEFAULT_CONFIRMATION_TIMEOUT_MS)
    connection.onReopen = async (eth) => {
      // After a reconnect the device may be another one: it must still derive this account.
      const { address: again } = await eth.getAddress(ledgerPath(path))
      expectSameAccount({ account: address, reported: again, what: `The reconnected Ledger's account at ${path}` })
    }
  }

  /** Connects: reads the app version (refusing too-old apps) and the account at the chosen path. */
  static async open(options: LedgerSignerOptions): Promise<LedgerSigner> {
    const normalizedPath = selectedPath(options)
    // Checked before the device is touched: NaN or Infinity would mean "wait forever".
    const exchangeTimeoutMs = validTimeoutMs(options.exchangeTimeoutMs, 'exchangeTimeoutMs', DEFAULT_EXCHANGE_TIMEOUT_MS)
    validTimeoutMs(options.confirmationTimeoutMs, 'confirmationTimeoutMs', DEFAULT_CONFIRMATION_TIMEOUT_MS)
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

  /** The device this signer talks to, e.g. for `discoverLedgerAccounts(signer.connection)`: its requests queue with the signer's. */
  get connection(): LedgerConnection {
    return this.#connection
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
    expectSameAccount({ account: this.address, reported: address, what: 'The address shown on the Ledger' })
    return this.address
  }

  async signPersonalMessage(text: string, options: SignOptions = {}): Promise<Uint8Array> {
    throwIfAborted(options.signal, 'message signature')
    // hw-app-eth crashes on an empty message before sending any APDU.
    if (text.length === 0) throw new InvalidInputError('The Ledger cannot sign an empty message.')
    const signed = await this.#onDevice(
      { kind: 'sign-message', path: this.path, text },
      (eth) => eth.signPersonalMessage(ledgerPath(this.path), toHex(utf8(text))),
      'message signature',
      options.signal,
    )
    return expectSignedBy({ account: this.address, digest: hashPersonalMessage(text), signature: signatureBytes(signed), what: 'The Ledger message signature' })
  }

  async signTypedData(typedData: TypedData, options: SignOptions = {}): Promise<Uint8Array> {
    throwIfAborted(options.signal, 'typed-data signature')
    const mode = this.#options.eip712Mode ?? 'auto'
    const digest = hashTypedData(typedData)
    const what = 'The Ledger typed-data signature'
    if (mode !== 'hashed') {
      try {
        const signed = await this.#onDevice(
          { kind: 'sign-typed-data', path: this.path, primaryType: typedData.primaryType, mode: 'full' },
          (eth) => eth.signEIP712Message(ledgerPath(this.path), typedDataToJson(typedData)),
          'typed-data signature',
          options.signal,
        )
        return expectSignedBy({ account: this.address, digest, signature: signatureBytes(signed), what })
      } catch (error) {
        // Apps without clear-signed EIP-712 answer "instruction not supported": sign the hashes instead.
        if (mode === 'full' || (error as { deviceCode?: string }).deviceCode !== statusWordHex(STATUS_WORDS.INS_NOT_SUPPORTED)) throw error
      }
    }
    const signed = await this.#onDevice(
      { kind: 'sign-typed-data', path: this.path, primaryType: typedData.primaryType, mode: 'hashed' },
      (eth) => eth.signEIP712HashedMessage(ledgerPath(this.path), toHex(hashDomain(typedData)), toHex(hashTypedMessage(typedData))),
      'typed-data signature',
      options.signal,
    )
    return expectSignedBy({ account: this.address, digest, signature: signatureBytes(signed), what })
  }

  async close(): Promise<void> {
    await this.#connection.close()
  }
}
