import { to0xHex, InvalidInputError, type TypedData } from '../../../src/adapter/index.js'
import { encodeAbi } from './abi.js'
import { DOMAIN_FIELD, checkContext, checkOwnerSignature, exactlyOne } from './shared.js'
import type { OwnerRequest, WrapContext, WrappingScheme } from './types.js'

// Coinbase Smart Wallet: isValidSignature(hash, sig) checks an owner's signature of the
// replay-safe hash CoinbaseSmartWalletMessage(bytes32 hash) under the wallet's own domain.

export const COINBASE_DOMAIN = { name: 'Coinbase Smart Wallet', version: '1' } as const

export function coinbaseMessageTypedData(ctx: WrapContext): TypedData {
  const { account, chainId, hash } = checkContext('coinbase', ctx)
  return {
    domain: { ...COINBASE_DOMAIN, chainId, verifyingContract: account },
    types: {
      EIP712Domain: [DOMAIN_FIELD.name, DOMAIN_FIELD.version, DOMAIN_FIELD.chainId, DOMAIN_FIELD.verifyingContract],
      CoinbaseSmartWalletMessage: [{ name: 'hash', type: 'bytes32' }],
    },
    primaryType: 'CoinbaseSmartWalletMessage',
    message: { hash },
  }
}

function ownerRequest(ctx: WrapContext): OwnerRequest {
  return { kind: 'typed-data', typedData: coinbaseMessageTypedData(ctx) }
}

export const coinbase: WrappingScheme = {
  name: 'coinbase',
  ownerRequest,
  /** abi.encode(SignatureWrapper{ uint8 ownerIndex, bytes signatureData }); ownerIndex defaults to 0. */
  wrap(ctx, ownerSignatures, extra) {
    const ownerIndex = extra?.ownerIndex ?? 0
    if (!Number.isInteger(ownerIndex) || ownerIndex < 0 || ownerIndex > 255) {
      throw new InvalidInputError('The owner index is not an integer from 0 to 255.', {
        details: String(ownerIndex),
        nextStep: "Pass the signing owner's index in the wallet (ownerAtIndex), 0 for the first owner.",
      })
    }
    const { signature } = checkOwnerSignature(ownerRequest(ctx), exactlyOne('coinbase', ownerSignatures))
    return to0xHex(encodeAbi([{ kind: 'dynamic-tuple', values: [{ kind: 'word', value: BigInt(ownerIndex) }, { kind: 'bytes', value: signature }] }]))
  },
}
