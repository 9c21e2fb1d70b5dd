import type { Address } from './signature.js'

/** What kind of wallet stands behind a signer: the in-tree kinds, or any name an out-of-tree adapter gives. */
export type SignerKind = 'local' | 'ledger' | 'trezor' | 'injected' | 'smart-account' | (string & {})

/**
 * Whether signing the same text twice gives the same bytes. XMTP derives the storage key from a
 * signature, so only a reproducible signer can reopen what it stored.
 */
export type Reproducibility = 'yes' | 'no' | 'unknown'

export type SignerCapabilities = {
  readonly kind: SignerKind
  /** `EOA` signatures recover to the address; `SCW` ones are checked by the account contract. */
  readonly accountType: 'EOA' | 'SCW'
  readonly reproducibleSignatures: Reproducibility
  /** True when `signTypedData` is available. */
  readonly typedData: boolean
  /** The chain a smart account lives on; its signatures are only valid there. */
  readonly chainId?: number
  /** The longest personal message (UTF-8 bytes) the wallet signs, where it has a limit (a Trezor: 1024). */
  readonly maxMessageBytes?: number
}

/** EIP-712 typed data, as `eth_signTypedData_v4` takes it. */
export type TypedDataField = { readonly name: string; readonly type: string }
export type TypedDataDomain = {
  readonly name?: string
  readonly version?: string
  readonly chainId?: number | bigint
  readonly verifyingContract?: string
  readonly salt?: string
}
export type TypedData = {
  readonly domain: TypedDataDomain
  readonly types: Readonly<Record<string, readonly TypedDataField[]>>
  readonly primaryType: string
  readonly message: Readonly<Record<string, unknown>>
}

/**
 * What a caller passes with every signature request. An aborted `signal` ends the request with
 * `OperationAbortedError` (code `ABORTED`); adapters cancel on the device where it allows.
 */
export type SignOptions = { readonly signal?: AbortSignal }

/**
 * A wallet account that can sign: the one interface every adapter (Ledger, Trezor, injected,
 * smart account, local key) implements and the engine consumes.
 */
export interface Signer {
  /** The account, EIP-55 checksummed. */
  readonly address: Address
  readonly capabilities: SignerCapabilities
  /**
   * EIP-191 personal_sign of the UTF-8 `text`. An EOA resolves to the 65-byte `r || s || v`
   * signature; a smart account to whatever bytes its contract validates (ERC-1271 / ERC-6492).
   */
  signPersonalMessage(text: string, options?: SignOptions): Promise<Uint8Array>
  /** EIP-712 signature of `typedData` (present when `capabilities.typedData`). */
  signTypedData?(typedData: TypedData, options?: SignOptions): Promise<Uint8Array>
  /**
   * Smart accounts (required for `accountType: 'SCW'`): asks the account contract whether `signature`
   * is valid for the 32-byte `hash` — at `blockNumber`, or at the latest block — and says at which block.
   */
  verifySignature?(hash: Uint8Array, signature: Uint8Array, blockNumber?: bigint): Promise<{ valid: boolean; blockNumber: bigint }>
  /** Releases the device, connection or key material. Safe to call twice. */
  close(): Promise<void>
}
