import { hashDomain, hashTypedMessage, toHex, typedDataToJson, type DeviceAction, type TypedData } from '../../src/adapter/index.js'
import { LedgerConnection, ledgerPath, type EthApp, type LedgerConnectionOptions } from './ledgerConnection.js'

/** A signature as the Ethereum app answers it: v (27/28, or 0/1 from some stacks), r and s in hex. */
export type EthSignature = { v: number; r: string; s: string }

export type EthAddress = { address: string; publicKey: string; chainCode?: string }

/** How one device request is bounded, and who hears what the person must do on the device. */
export type LinkRequest = {
  timeoutMs: number
  what: string
  signal?: AbortSignal | undefined
  /** What the device asks the person once the request reaches it (the confirmation screen). */
  prompt?: DeviceAction
  onAction?: ((action: DeviceAction) => void) | undefined
}

export type LedgerStack = 'dmk' | 'ledgerjs'

/** Runs on a freshly reconnected device with a silent address read, before any request uses it. */
export type ReopenCheck = (addressAt: (path: string) => Promise<string>) => Promise<void>

/**
 * How the signer's requests reach the Ethereum app: the one interface between the account layer
 * (LedgerSigner, discovery) and a stack — LedgerJS (hw-app-eth over a hw-transport) or Ledger's DMK.
 */
export interface LedgerEthLink {
  readonly stack: LedgerStack
  /** The Ethereum app's version (on DMK, opening the app first if the dashboard is in front). */
  appVersion(request: LinkRequest): Promise<string>
  getAddress(path: string, options: { display?: boolean; chainCode?: boolean }, request: LinkRequest): Promise<EthAddress>
  signPersonalMessage(path: string, message: Uint8Array, request: LinkRequest): Promise<EthSignature>
  /** `mode` full: the message's fields on the device; hashed: the two hashes (LedgerJS on older apps only). */
  signTypedData(path: string, typedData: TypedData, mode: 'full' | 'hashed', request: LinkRequest): Promise<EthSignature>
  /** Called after the link reconnected by itself, before the next request: the signer checks it is the same account. */
  onReopen: ReopenCheck | undefined
  close(): Promise<void>
}

const LINKS = new WeakMap<LedgerConnection, LedgerJsLink>()

/**
 * The LedgerJS link: hw-app-eth through a `LedgerConnection` (queue, bounds, reopen). hw-app-eth cannot
 * cancel on the device, so an abandoned confirmation says `reject-on-device` and `done` waits for the answer.
 */
export class LedgerJsLink implements LedgerEthLink {
  readonly stack = 'ledgerjs' as const
  readonly connection: LedgerConnection
  onReopen: ReopenCheck | undefined

  /** The one link of a connection: a second one would replace the reopen check the signer set on it. */
  static of(connection: LedgerConnection): LedgerJsLink {
    return LINKS.get(connection) ?? new LedgerJsLink(connection)
  }

  constructor(connection: LedgerConnection | LedgerConnectionOptions) {
    this.connection = connection instanceof LedgerConnection ? connection : new LedgerConnection(connection)
    LINKS.set(this.connection, this)
    // The check runs inside the reopening exchange (it holds the queue), so it reads through `eth` directly.
    this.connection.onReopen = async (eth) => {
      await this.onReopen?.(async (path) => (await eth.getAddress(ledgerPath(path))).address)
    }
  }

  async #run<T>(task: (eth: EthApp) => Promise<T>, request: LinkRequest): Promise<T> {
    const { prompt, onAction } = request
    let sent = false
    let abandoned = false
    try {
      return await this.connection.run(task, {
        timeoutMs: request.timeoutMs,
        what: request.what,
        signal: request.signal,
        // Said when the request leaves the queue, so an app never shows two requests at once.
        onSent: () => {
          sent = true
          if (prompt) onAction?.(prompt)
        },
        onAbandoned: () => {
          abandoned = true
          if (prompt) onAction?.({ kind: 'reject-on-device', path: 'path' in prompt ? prompt.path : '', what: request.what })
        },
        onAbandonedSettled: () => {
          if (prompt) onAction?.({ kind: 'done' })
        },
      })
    } finally {
      if (prompt && sent && !abandoned) onAction?.({ kind: 'done' })
    }
  }

  async appVersion(request: LinkRequest): Promise<string> {
    return (await this.#run((eth) => eth.getAppConfiguration(), request)).version
  }

  getAddress(path: string, options: { display?: boolean; chainCode?: boolean }, request: LinkRequest): Promise<EthAddress> {
    return this.#run((eth) => eth.getAddress(ledgerPath(path), options.display ?? false, options.chainCode ?? false), request)
  }

  signPersonalMessage(path: string, message: Uint8Array, request: LinkRequest): Promise<EthSignature> {
    return this.#run((eth) => eth.signPersonalMessage(ledgerPath(path), toHex(message)), request)
  }

  signTypedData(path: string, typedData: TypedData, mode: 'full' | 'hashed', request: LinkRequest): Promise<EthSignature> {
    return mode === 'full'
      ? this.#run((eth) => eth.signEIP712Message(ledgerPath(path), typedDataToJson(typedData)), request)
      : this.#run((eth) => eth.signEIP712HashedMessage(ledgerPath(path), toHex(hashDomain(typedData)), toHex(hashTypedMessage(typedData))), request)
  }

  close(): Promise<void> {
    return this.connection.close()
  }
}
