import { isXmtpSignersError, UnsupportedOperationError, UserRejectedError, type XmtpSignersError } from '../../src/adapter/index.js'
import { SignerUnavailableError } from '../../src/index.js'

/** ethers v6 error codes (`error.code`, a string) that get their own meaning; anything else is "the signer failed". */
const NETWORK_CODES = new Set(['NETWORK_ERROR', 'SERVER_ERROR', 'TIMEOUT', 'BAD_DATA'])

/** Maps what an ethers signer throws to the project's typed errors, by ethers' `code`, the cause chained. */
export function toEthersError(error: unknown, what: string): XmtpSignersError {
  // ethers' own errors also carry a string `code` and `shortMessage`; only ours carry `nextStep`.
  if (isXmtpSignersError(error) && 'nextStep' in error) return error
  const e = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; shortMessage?: unknown; message?: unknown }
  const message = typeof e.shortMessage === 'string' ? e.shortMessage : typeof e.message === 'string' ? e.message : String(error)
  if (e.code === 'ACTION_REJECTED') return new UserRejectedError({ details: message, cause: error })
  if (e.code === 'UNSUPPORTED_OPERATION') {
    return new UnsupportedOperationError(`The ethers signer cannot make the ${what}.`, {
      details: message,
      cause: error,
      nextStep: 'Pass an ethers signer that holds or reaches a key (a Wallet, HDNodeWallet or a JsonRpcSigner), not a VoidSigner.',
    })
  }
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) {
    return new SignerUnavailableError(`The ethers signer's node did not answer the ${what}.`, {
      details: `${e.code}: ${message}`,
      cause: error,
      nextStep: 'Check that the provider’s node is running and reachable, then retry. Nothing was stored.',
    })
  }
  return new SignerUnavailableError(`The ethers signer failed the ${what}.`, {
    details: typeof e.code === 'string' ? `${e.code}: ${message}` : message,
    cause: error,
    nextStep: 'Retry; if it persists, check the wallet behind the ethers signer. Nothing was stored.',
  })
}
