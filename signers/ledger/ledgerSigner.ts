import {
  AccountMismatchError,
  checksumAddress,
  concatBytes,
  expectSameAccount,
  expectSignedBy,
  hashPersonalMessage,
  hashTypedData,
  hexToBytes,
  InvalidInputError,
  sameAddress,
  throwIfAborted,
  UnsupportedAppVersionError,
  UnsupportedOperationError,
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
import { DmkLink, type DmkChoice } from './dmkLink.js'
import { statusWordHex, WALLET } from './errors.js'
import { LedgerJsLink, type EthSignature, type LedgerEthLink, type LedgerStack, type LinkRequest } from './ethLink.js'
import { DEFAULT_EXCHANGE_TIMEOUT_MS, LedgerConnection, type LedgerConnectionOptions } from './ledgerConnection.js'
import { STATUS_WORDS } from './protocol.js'

export type { Transport } from './ledgerConnection.js'

/** Oldest Ethereum app we sign with: it shows personal messages as text and signs EIP-712 by hashes. */
export const MINIMUM_ETH_APP_VERSION = '1.9.0'

/** What the person is asked to do on the Ledger: the kit's one device-action type. */
export type LedgerDeviceAction = DeviceAction

export type LedgerSignerOptions = LedgerConnectionOptions & AccountSelection & {
  /**
   * Ledger's Device Management Kit (the default): 'node-hid' (USB from Node), 'web-hid' (a browser),
   * a Speculos REST URL, or `{ dmk, sessionId }` of a session the app holds. With `transport` (or
   * `openTransport`) instead, the signer uses LedgerJS (hw-app-eth) over that transport.
   */
  dmk?: DmkChoice
  /** Ledger's origin token, passed to DMK's Ethereum signer. */
  originToken?: string
  /** Bound on finding and connecting the device on the DMK path (default 15 s). */
  discoveryTimeoutMs?: number
  /** Aborts opening (discovery, connection, first reads). */
  signal?: AbortSignal
  /** Limit for exchanges that need no confirmation (default 20 s). */
  exchangeTimeoutMs?: number
  /** Limit for a confirmation the person gives on the device (default 5 min). */
  confirmationTimeoutMs?: number
  /**
   * EIP-712 on the device, LedgerJS path: the fields ('full'), the two hashes ('hashed', refused by
   * today's Ethereum app), or full falling back to hashes ('auto', default). DMK always sends the fields.
   */
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

/** The app's `{ v, r, s }` as the 65 bytes r ‖ s ‖ v (v normalized by expectSignedBy). */
function signatureBytes({ v, r, s }: EthSignature): Uint8Array {
  return concatBytes(hexToBytes(r.padStart(64, '0'), 'r'), hexToBytes(s.padStart(64, '0'), 's'), Uint8Array.of(v))
}

/** Status words an app that dropped hashed EIP-712 answers for it (INS 0C, P2 00). */
const HASHED_EIP712_REFUSED: ReadonlySet<string> = new Set([statusWordHex(STATUS_WORDS.INS_NOT_SUPPORTED), statusWordHex(STATUS_WORDS.INVALID_P1_P2)])

/**
 * A Ledger account signing through the Ethereum app. One signer, two ways to the device: Ledger's
 * Device Management Kit (the default) or LedgerJS (hw-app-eth) over a transport the app holds.
 */
export class LedgerSigner implements Signer {
  readonly address: Address
  readonly path: string
  /** The Ethereum app's version (GET APP CONFIGURATION on LedgerJS, GET APP AND VERSION on DMK). */
  readonly appVersion: string
  /** Which stack reaches the device: 'dmk' or 'ledgerjs'. */
  readonly stack: LedgerStack
  readonly capabilities: SignerCapabilities = { kind: 'ledger', accountType: 'EOA', reproducibleSignatures: 'yes', typedData: true }
  readonly #link: LedgerEthLink
  readonly #options: LedgerSignerOptions
  readonly #confirmationTimeoutMs: number

  private constructor(link: LedgerEthLink, path: string, address: Address, appVersion: string, options: LedgerSignerOptions) {
    this.#link = link
    this.stack = link.stack
    this.path = path
    this.address = address
    this.appVersion = appVersion
    this.#options = options
    this.#confirmationTimeoutMs = validTimeoutMs(options.confirmationTimeoutMs, 'confirmationTimeoutMs', DEFAULT_CONFIRMATION_TIMEOUT_MS)
    link.onReopen = async (addressAt) => {
      // After a reconnect the device may be another one: it must still derive this account.
      expectSameAccount({ account: address, reported: await addressAt(path), what: `The reconnected Ledger's account at ${path}` })
    }
  }

  /**
   * Connects and reads the app version (refusing too-old apps) and the account at the chosen path.
   * `{ transport }` (or `openTransport`): LedgerJS over it. Otherwise DMK: `dmk` names the transport
   * (default 'node-hid' in Node, 'web-hid' in a browser).
   */
  static async open(options: LedgerSignerOptions = {}): Promise<LedgerSigner> {
    const normalizedPath = selectedPath(options)
    // Checked before the device is touched: NaN or Infinity would mean "wait forever".
    const exchangeTimeoutMs = validTimeoutMs(options.exchangeTimeoutMs, 'exchangeTimeoutMs', DEFAULT_EXCHANGE_TIMEOUT_MS)
    validTimeoutMs(options.confirmationTimeoutMs, 'confirmationTimeoutMs', DEFAULT_CONFIRMATION_TIMEOUT_MS)
    const ledgerJs = options.transport !== undefined || options.openTransport !== undefined
    if (ledgerJs && options.dmk !== undefined) {
      throw new InvalidInputError('Pass either `dmk` (Device Management Kit) or `transport` (LedgerJS), not both.', { nextStep: 'Keep `dmk` unless the app already holds a LedgerJS transport.' })
    }
    const link: LedgerEthLink = ledgerJs
      ? LedgerJsLink.of(new LedgerConnection(options))
      : await DmkLink.open({
          dmk: options.dmk ?? defaultDmkTransport(),
          ...(options.originToken ? { originToken: options.originToken } : {}),
          ...(options.discoveryTimeoutMs !== undefined ? { discoveryTimeoutMs: options.discoveryTimeoutMs } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.whenBusy ? { whenBusy: options.whenBusy } : {}),
        })
    const request = (what: string): LinkRequest => ({ timeoutMs: exchangeTimeoutMs, what, signal: options.signal, onAction: options.onDeviceAction })
    try {
      const version = await link.appVersion(request(link.stack === 'dmk' ? 'GET APP AND VERSION' : 'GET APP CONFIGURATION'))
      if (compareVersions(version, MINIMUM_ETH_APP_VERSION) < 0) throw new UnsupportedAppVersionError(version, MINIMUM_ETH_APP_VERSION, { wallet: WALLET })
      const { address } = await link.getAddress(normalizedPath, {}, request('GET ADDRESS'))
      const account = checksumAddress(address)
      if (options.expectedAddress && !sameAddress(options.expectedAddress, account)) {
        throw new AccountMismatchError({
          expected: checksumAddress(options.expectedAddress),
          actual: account,
          what: `The Ledger's account at ${normalizedPath}`,
          nextStep: 'Check the derivation path (Ledger Live, legacy or BIP-44 scheme and index) and that this is the Ledger with the intended seed.',
        })
      }
      return new LedgerSigner(link, normalizedPath, account, version, options)
    } catch (error) {
      await link.close()
      throw error
    }
  }

  /** The LedgerJS device link, e.g. for `discoverLedgerAccounts(signer.connection)`: its requests queue with the signer's. */
  get connection(): LedgerConnection {
    if (this.#link instanceof LedgerJsLink) return this.#link.connection
    throw new UnsupportedOperationError('This Ledger signer uses the Device Management Kit: it has no LedgerJS connection.', {
      nextStep: 'Pass the signer itself (discoverLedgerAccounts(signer)) or signer.link.',
    })
  }

  /** How this signer reaches the device (DMK or LedgerJS): discovery takes it and queues with the signer. */
  get link(): LedgerEthLink {
    return this.#link
  }

  #request(what: string, signal: AbortSignal | undefined, prompt?: DeviceAction): LinkRequest {
    return { timeoutMs: this.#confirmationTimeoutMs, what, signal, onAction: this.#options.onDeviceAction, ...(prompt ? { prompt } : {}) }
  }

  /** Shows the address on the device; resolves once the person confirms it there. */
  async showAddress(options: SignOptions = {}): Promise<Address> {
    throwIfAborted(options.signal, 'address confirmation')
    const { address } = await this.#link.getAddress(
      this.path,
      { display: true },
      this.#request('address confirmation', options.signal, { kind: 'confirm-address', path: this.path, address: this.address }),
    )
    expectSameAccount({ account: this.address, reported: address, what: 'The address shown on the Ledger' })
    return this.address
  }

  async signPersonalMessage(text: string, options: SignOptions = {}): Promise<Uint8Array> {
    throwIfAborted(options.signal, 'message signature')
    // hw-app-eth crashes on an empty message before sending any APDU, and the app shows nothing to confirm.
    if (text.length === 0) throw new InvalidInputError('The Ledger cannot sign an empty message.')
    const signed = await this.#link.signPersonalMessage(
      this.path,
      utf8(text),
      this.#request('message signature', options.signal, { kind: 'sign-message', path: this.path, text }),
    )
    return expectSignedBy({ account: this.address, digest: hashPersonalMessage(text), signature: signatureBytes(signed), what: 'The Ledger message signature' })
  }

  async signTypedData(typedData: TypedData, options: SignOptions = {}): Promise<Uint8Array> {
    throwIfAborted(options.signal, 'typed-data signature')
    const mode = this.#options.eip712Mode ?? 'auto'
    const digest = hashTypedData(typedData)
    const what = 'The Ledger typed-data signature'
    const prompt = (shown: 'full' | 'hashed'): DeviceAction => ({ kind: 'sign-typed-data', path: this.path, primaryType: typedData.primaryType, mode: shown })
    if (this.#link.stack === 'dmk' || mode !== 'hashed') {
      try {
        const signed = await this.#link.signTypedData(this.path, typedData, 'full', this.#request('typed-data signature', options.signal, prompt('full')))
        return expectSignedBy({ account: this.address, digest, signature: signatureBytes(signed), what })
      } catch (error) {
        // Apps without clear-signed EIP-712 answer "instruction not supported": sign the hashes instead.
        if (this.#link.stack === 'dmk' || mode === 'full' || (error as { deviceCode?: string }).deviceCode !== statusWordHex(STATUS_WORDS.INS_NOT_SUPPORTED)) throw error
      }
    }
    let signed: EthSignature
    try {
      signed = await this.#link.signTypedData(this.path, typedData, 'hashed', this.#request('typed-data signature', options.signal, prompt('hashed')))
    } catch (error) {
      const deviceCode = (error as { deviceCode?: string }).deviceCode
      if (deviceCode === undefined || !HASHED_EIP712_REFUSED.has(deviceCode)) throw error
      throw new UnsupportedOperationError(`The Ledger's Ethereum app ${this.appVersion} no longer signs hashed EIP-712, the only way LedgerJS can sign this typed data here.`, {
        details: `signEIP712HashedMessage refused (device code ${deviceCode})`,
        nextStep:
          mode === 'hashed'
            ? "Use eip712Mode 'full', or the DMK path: LedgerSigner.open({ dmk: 'node-hid' }) (or 'web-hid', or a Speculos URL). Nothing was signed or stored."
            : "Today's Ethereum app no longer signs hashed EIP-712: use the DMK path, LedgerSigner.open({ dmk: 'node-hid' }) (or 'web-hid', or a Speculos URL). Nothing was signed or stored.",
        cause: error,
      })
    }
    return expectSignedBy({ account: this.address, digest, signature: signatureBytes(signed), what })
  }

  async close(): Promise<void> {
    await this.#link.close()
  }
}

/** DMK's transport when none is named: USB from Node, WebHID in a browser. */
function defaultDmkTransport(): DmkChoice {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string' ? 'node-hid' : 'web-hid'
}
