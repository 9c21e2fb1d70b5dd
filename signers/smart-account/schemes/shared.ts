import {
  AccountMismatchError,
  checksumAddress,
  expectSignedBy,
  hashPersonalMessage,
  hashTypedData,
  hexToBytes,
  InvalidInputError,
  to0xHex,
  type Hex,
  type TypedDataField,
} from '../../../src/adapter/index.js'
import type { OwnerRequest, OwnerSignature, SchemeName, WrapContext } from './types.js'

/** The EIP712Domain fields in their canonical order; each scheme lists the ones its domain has. */
export const DOMAIN_FIELD = {
  name: { name: 'name', type: 'string' },
  version: { name: 'version', type: 'string' },
  chainId: { name: 'chainId', type: 'uint256' },
  verifyingContract: { name: 'verifyingContract', type: 'address' },
} as const satisfies Record<string, TypedDataField>

/** A context checked at the edge: account checksummed, hash 32 bytes, message (if any) matching the hash. */
export type CheckedContext = WrapContext & { readonly account: Hex; readonly hash: Hex }

export function checkContext(scheme: SchemeName, ctx: WrapContext, needs: { message?: boolean } = {}): CheckedContext {
  if (typeof ctx !== 'object' || ctx === null) throw new InvalidInputError(`The ${scheme} scheme needs a context { account, chainId, hash }.`)
  const account = checksumAddress(ctx.account)
  if (!Number.isSafeInteger(ctx.chainId) || ctx.chainId <= 0) {
    throw new InvalidInputError('The chain id is not a positive integer.', {
      details: String(ctx.chainId),
      nextStep: 'Pass the id of the chain the smart account is deployed on (or will be), e.g. 8453 for Base.',
    })
  }
  const hashBytes = typeof ctx.hash === 'string' && ctx.hash.startsWith('0x') ? hexToBytes(ctx.hash, 'hash') : undefined
  if (hashBytes?.length !== 32) {
    throw new InvalidInputError('The hash to sign is not a 32-byte 0x-prefixed hex digest.', {
      details: String(ctx.hash),
      nextStep: 'Pass the EIP-191 digest of the text (hashPersonalMessage(text)) as 0x and 64 hex digits.',
    })
  }
  const hash = to0xHex(hashBytes)
  if (ctx.message !== undefined) {
    if (typeof ctx.message !== 'string' || to0xHex(hashPersonalMessage(ctx.message)) !== hash) {
      throw new InvalidInputError('The message does not hash to the given hash.', {
        details: `the EIP-191 digest of the message is not ${hash}`,
        nextStep: 'Pass the text together with its own EIP-191 digest (hashPersonalMessage(text)).',
      })
    }
  } else if (needs.message) {
    throw new InvalidInputError(`The ${scheme} scheme needs the original text, not only its hash.`, {
      details: 'context.message is missing',
      nextStep: 'Pass the text that was hashed as context.message; the owner signs it (not its digest).',
    })
  }
  return { ...ctx, account, hash }
}

/** The 32-byte digest an owner's signature of `request` is over. */
export function ownerRequestDigest(request: OwnerRequest): Uint8Array {
  return request.kind === 'typed-data' ? hashTypedData(request.typedData) : hashPersonalMessage(request.text)
}

/**
 * One owner's signature, normalized (65 bytes, v 27/28, low s) and checked to come from that owner,
 * so a wrong account in the wallet fails here with a clear error instead of on chain.
 */
export function checkOwnerSignature(request: OwnerRequest, ownerSignature: OwnerSignature): { owner: Hex; signature: Uint8Array } {
  if (typeof ownerSignature !== 'object' || ownerSignature === null) throw new InvalidInputError('An owner signature must be { owner, signature }.')
  const owner = checksumAddress(ownerSignature.owner)
  const what = 'The owner signature'
  try {
    return { owner, signature: expectSignedBy({ account: owner, digest: ownerRequestDigest(request), signature: ownerSignature.signature, what }) }
  } catch (error) {
    // The owner wallet's own next step (expectSignedBy gives the generic one).
    if (!(error instanceof AccountMismatchError)) throw error
    throw new AccountMismatchError({
      expected: owner,
      actual: error.actualAddress,
      what,
      nextStep: 'Check that the owner wallet has the owner account selected and signed this exact request (same chain, same account).',
    })
  }
}

export function exactlyOne<T>(scheme: SchemeName, items: readonly T[]): T {
  if (!Array.isArray(items) || items.length !== 1) {
    throw new InvalidInputError(`The ${scheme} scheme takes exactly one owner signature.`, {
      details: `got ${Array.isArray(items) ? items.length : 'no list'}`,
      nextStep: 'Pass the one signature the owner made of the owner request.',
    })
  }
  return items[0]!
}
