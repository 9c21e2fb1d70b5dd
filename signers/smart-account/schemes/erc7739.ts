import { concatBytes, to0xHex, utf8, InvalidInputError, type TypedData } from '../../../src/adapter/index.js'
import { DOMAIN_FIELD, checkContext, checkOwnerSignature, exactlyOne } from './shared.js'
import type { OwnerRequest, WrapContext, WrappingScheme } from './types.js'

// ERC-7739 (OpenZeppelin 5 `ERC7739`, Solady `ERC1271`): for a personal_sign hash the account checks
// its owner's signature of PersonalSign(bytes prefixed) under the account's own EIP-712 domain.
// `prefixed` is the whole EIP-191 message, so keccak256(prefixed) is the hash being validated; the
// owner's wallet shows the text itself. The signature is the owner's 65 bytes, unwrapped.

export function erc7739PersonalSignTypedData(ctx: WrapContext): TypedData {
  const { account, chainId, message, eip712Domain } = checkContext('erc7739', ctx, { message: true })
  if (typeof eip712Domain?.name !== 'string' || typeof eip712Domain.version !== 'string') {
    throw new InvalidInputError("The erc7739 scheme needs the account's EIP-712 domain name and version.", {
      details: 'context.eip712Domain is missing',
      nextStep: "Read them from the account's eip712Domain() (viem: getEip712Domain) and pass { name, version } as context.eip712Domain.",
    })
  }
  const text = utf8(message!)
  const prefixed = concatBytes(utf8(`\x19Ethereum Signed Message:\n${text.length}`), text)
  return {
    domain: { name: eip712Domain.name, version: eip712Domain.version, chainId, verifyingContract: account },
    types: {
      EIP712Domain: [DOMAIN_FIELD.name, DOMAIN_FIELD.version, DOMAIN_FIELD.chainId, DOMAIN_FIELD.verifyingContract],
      PersonalSign: [{ name: 'prefixed', type: 'bytes' }],
    },
    primaryType: 'PersonalSign',
    message: { prefixed: to0xHex(prefixed) },
  }
}

function ownerRequest(ctx: WrapContext): OwnerRequest {
  return { kind: 'typed-data', typedData: erc7739PersonalSignTypedData(ctx) }
}

export const erc7739: WrappingScheme = {
  name: 'erc7739',
  ownerRequest,
  wrap(ctx, ownerSignatures) {
    return to0xHex(checkOwnerSignature(ownerRequest(ctx), exactlyOne('erc7739', ownerSignatures)).signature)
  },
}
