import type { Hex, TypedData } from '../../../src/adapter/index.js'

/** How an account wants its owners' signatures wrapped; one module per scheme in this folder. */
export type SchemeName = 'safe' | 'coinbase' | 'erc7739' | 'erc1271'

/** What a signature is for: an account, on one chain, validating one digest. */
export type WrapContext = {
  /** The smart account whose `isValidSignature(hash, signature)` must accept the result. */
  readonly account: Hex
  /** The chain the account lives on; the schemes with a replay-safe hash bind the signature to it. */
  readonly chainId: number
  /** The 32-byte digest the account must validate: for XMTP, the EIP-191 digest of the text. */
  readonly hash: Hex
  /** The original text, when the scheme wants it (erc7739 and erc1271 do); must hash to `hash`. */
  readonly message?: string
  /**
   * The account's own EIP-712 domain name and version (ERC-5267 `eip712Domain()`), for schemes
   * whose domain is chosen per contract (erc7739).
   */
  readonly eip712Domain?: { readonly name: string; readonly version: string }
}

/** What the owner signer must sign: EIP-712 typed data, or a personal_sign of a text. */
export type OwnerRequest = { readonly kind: 'typed-data'; readonly typedData: TypedData } | { readonly kind: 'personal-sign'; readonly text: string }

/** One owner's answer to the `OwnerRequest`: a 65-byte `r || s || v` signature. */
export type OwnerSignature = { readonly owner: Hex; readonly signature: Uint8Array }

export interface WrappingScheme {
  readonly name: SchemeName
  /** What the owner signer must sign for the account to validate `ctx.hash`. */
  ownerRequest(ctx: WrapContext): OwnerRequest
  /** The account's signature bytes, from its owners' signatures of `ownerRequest(ctx)`. */
  wrap(ctx: WrapContext, ownerSignatures: readonly OwnerSignature[], extra?: { readonly ownerIndex?: number }): Hex
}
