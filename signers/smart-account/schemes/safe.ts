import { concatBytes, to0xHex, InvalidInputError, type TypedData } from '../../../src/adapter/index.js'
import { DOMAIN_FIELD, checkContext, checkOwnerSignature } from './shared.js'
import type { OwnerRequest, WrapContext, WrappingScheme } from './types.js'

// Safe (1.3–1.5) with CompatibilityFallbackHandler: isValidSignature(hash, sig) checks the owners'
// signatures of SafeMessage(bytes message = abi.encode(hash)) under the Safe's own domain.

export function safeMessageTypedData(ctx: WrapContext): TypedData {
  const { account, chainId, hash } = checkContext('safe', ctx)
  return {
    domain: { chainId, verifyingContract: account },
    types: {
      EIP712Domain: [DOMAIN_FIELD.chainId, DOMAIN_FIELD.verifyingContract],
      SafeMessage: [{ name: 'message', type: 'bytes' }],
    },
    primaryType: 'SafeMessage',
    message: { message: hash },
  }
}

function ownerRequest(ctx: WrapContext): OwnerRequest {
  return { kind: 'typed-data', typedData: safeMessageTypedData(ctx) }
}

export const safe: WrappingScheme = {
  name: 'safe',
  ownerRequest,
  /** Threshold-many 65-byte ECDSA signatures (v 27/28), concatenated in ascending owner order. */
  wrap(ctx, ownerSignatures) {
    const request = ownerRequest(ctx)
    if (!Array.isArray(ownerSignatures) || ownerSignatures.length === 0) {
      throw new InvalidInputError('The safe scheme needs at least one owner signature.', {
        nextStep: 'Collect as many owner signatures of the owner request as the Safe threshold.',
      })
    }
    const checked = ownerSignatures.map((s) => checkOwnerSignature(request, s))
    const owners = checked.map((s) => BigInt(s.owner))
    if (new Set(owners).size !== owners.length) {
      throw new InvalidInputError('Two signatures come from the same Safe owner.', {
        nextStep: 'Each owner counts once toward the threshold: collect signatures from different owners.',
      })
    }
    // Safe's checkNSignatures requires strictly increasing owner addresses.
    checked.sort((a, b) => (BigInt(a.owner) < BigInt(b.owner) ? -1 : 1))
    return to0xHex(concatBytes(...checked.map((s) => s.signature)))
  },
}
