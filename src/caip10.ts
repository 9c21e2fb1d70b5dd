import { InvalidInputError } from './errors.js'
import { checksumAddress, type Address } from './signature.js'

/** A CAIP-10 EVM account id: `eip155:<chainId>:<address>`. */
export type AccountId = { readonly chainId: number; readonly address: Address }

export function formatAccountId(account: AccountId): string {
  return `eip155:${account.chainId}:${checksumAddress(account.address)}`
}

export function parseAccountId(text: string): AccountId {
  const match = /^eip155:(\d{1,15}):(0x[0-9a-fA-F]{40})$/.exec(text)
  if (!match || Number(match[1]) < 1) {
    throw new InvalidInputError('Not a CAIP-10 EVM account id.', { details: text, nextStep: 'Write it as eip155:<chain id>:<0x address>.' })
  }
  return { chainId: Number(match[1]), address: checksumAddress(match[2]!) }
}
