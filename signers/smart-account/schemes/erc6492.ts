import { concatBytes, hexToBytes, to0xHex, type Hex, InvalidInputError, checksumAddress } from '../../../src/adapter/index.js'
import { addressWord, bytesValue, decodeAddressBytesBytes, encodeAbi } from './abi.js'

// ERC-6492: a signature for an account that is not deployed yet carries the factory call that
// deploys it: abi.encode(address factory, bytes factoryCalldata, bytes signature) ++ 32 magic bytes.
// Verifiers (viem's verifyHash, the universal validator) run the factory in an eth_call sandbox first.

export const ERC6492_MAGIC_SUFFIX: Hex = '0x6492649264926492649264926492649264926492649264926492649264926492'

export type Erc6492Parts = { readonly factory: Hex; readonly factoryCalldata: Hex; readonly signature: Hex }

function hexOf(value: Hex | Uint8Array, what: string): Hex {
  if (value instanceof Uint8Array) return to0xHex(value)
  if (typeof value !== 'string' || !value.startsWith('0x')) throw new InvalidInputError(`The ${what} is not 0x-prefixed hex or bytes.`)
  return to0xHex(hexToBytes(value, what))
}

export function isErc6492Signature(signature: Hex | Uint8Array): boolean {
  let hex: Hex
  try {
    hex = hexOf(signature, 'signature')
  } catch {
    return false
  }
  return hex.length >= 2 + 64 && hex.slice(-64) === ERC6492_MAGIC_SUFFIX.slice(2)
}

export function wrapErc6492(params: Erc6492Parts): Hex {
  const factory = checksumAddress(params.factory)
  const factoryCalldata = hexOf(params.factoryCalldata, 'factory calldata')
  const signature = hexOf(params.signature, 'signature')
  if (isErc6492Signature(signature)) {
    throw new InvalidInputError('The signature is already ERC-6492 wrapped.', { nextStep: 'Wrap the account signature once.' })
  }
  if (factoryCalldata === '0x') {
    throw new InvalidInputError('The factory calldata is empty.', {
      nextStep: "Pass the call that deploys the account (e.g. the factory's createAccount(...) calldata).",
    })
  }
  return to0xHex(concatBytes(encodeAbi([addressWord(factory), bytesValue(factoryCalldata), bytesValue(signature)]), hexToBytes(ERC6492_MAGIC_SUFFIX, 'magic')))
}

export function unwrapErc6492(signature: Hex | Uint8Array): Erc6492Parts {
  const hex = hexOf(signature, 'signature')
  if (!isErc6492Signature(hex)) {
    throw new InvalidInputError('The signature is not ERC-6492 wrapped.', {
      details: 'it does not end with the 32 magic bytes 0x6492…6492',
    })
  }
  const [factory, factoryCalldata, inner] = decodeAddressBytesBytes(hexToBytes(`0x${hex.slice(2, -64)}`, 'signature'))
  return { factory, factoryCalldata, signature: inner }
}
