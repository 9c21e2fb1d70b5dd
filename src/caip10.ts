import { InvalidInputError } from './errors.js'
import { checksumAddress, type Address } from './signature.js'

/** A CAIP-10 EVM account id: `eip155:<chainId>:<address>`. */
export type AccountId = { readonly chainId: number; readonly address: Address }

/** The chain ids an account id may carry, shared by `formatAccountId` and `parseAccountId` (15 decimal digits). */
export const CHAIN_ID_LIMITS = { min: 1, max: 999_999_999_999_999 } as const

/** Why `chainId` cannot go in an account id, or undefined when it can. */
export function chainIdProblem(chainId: unknown): string | undefined {
  if (!Number.isSafeInteger(chainId) || (chainId as number) < CHAIN_ID_LIMITS.min || (chainId as number) > CHAIN_ID_LIMITS.max) {
    return `chain id ${String(chainId)} is not an integer from ${CHAIN_ID_LIMITS.min} to ${CHAIN_ID_LIMITS.max}`
  }
  return undefined
}

export function formatAccountId(account: AccountId): string {
  const problem = chainIdProblem(account.chainId)
  if (problem) throw new InvalidInputError('A smart account needs the id of the chain it lives on.', { details: problem, nextStep: 'Give the account’s chain id (capabilities.chainId, e.g. 1 for Ethereum mainnet).' })
  return `eip155:${account.chainId}:${checksumAddress(account.address)}`
}

export function parseAccountId(text: string): AccountId {
  const match = /^eip155:(\d{1,15}):(0x[0-9a-fA-F]{40})$/.exec(text)
  if (!match || chainIdProblem(Number(match[1]))) {
    throw new InvalidInputError('Not a CAIP-10 EVM account id.', { details: text, nextStep: 'Write it as eip155:<chain id>:<0x address>.' })
  }
  return { chainId: Number(match[1]), address: checksumAddress(match[2]!) }
}
