import { to0xHex } from '../../../src/adapter/index.js'
import { checkContext, checkOwnerSignature, exactlyOne } from './shared.js'
import type { OwnerRequest, WrapContext, WrappingScheme } from './types.js'

// A plain ERC-1271 account that checks ecrecover(hash, signature) == owner: the owner's own
// personal_sign of the text is the account's signature. No replay protection across accounts.

function ownerRequest(ctx: WrapContext): OwnerRequest {
  return { kind: 'personal-sign', text: checkContext('erc1271', ctx, { message: true }).message! }
}

export const erc1271: WrappingScheme = {
  name: 'erc1271',
  ownerRequest,
  wrap(ctx, ownerSignatures) {
    return to0xHex(checkOwnerSignature(ownerRequest(ctx), exactlyOne('erc1271', ownerSignatures)).signature)
  },
}
