import {
  DeviceDisconnectedError,
  InvalidInputError,
  isXmtpSignersError,
  SignerUnavailableError,
  UnsupportedOperationError,
  UserRejectedError,
  type XmtpSignersError,
} from '../../src/adapter/index.js'
import { RpcUnavailableError } from '../../src/index.js'

type ErrorFields = { code?: unknown; name?: unknown; shortMessage?: unknown; message?: unknown; url?: unknown; cause?: unknown }

/** The EIP-1193 / JSON-RPC codes viem's errors carry (viem keeps the wallet's code on `code`): the one place they get a meaning. */
const CODES: Readonly<Record<number, (details: string, cause: unknown) => XmtpSignersError>> = {
  4001: (details, cause) => new UserRejectedError({ details, cause }),
  4100: (details, cause) =>
    new SignerUnavailableError('The wallet has not authorized this account for signing.', {
      details,
      cause,
      nextStep: 'Connect the account in the wallet (or unlock it on the node), then retry. Nothing was stored.',
    }),
  4200: (details, cause) => unsupported(details, cause),
  [-32601]: (details, cause) => unsupported(details, cause),
  [-32004]: (details, cause) => unsupported(details, cause),
  4900: (details, cause) => new DeviceDisconnectedError({ wallet: 'wallet', details, cause, nextStep: 'Reconnect the wallet, then retry. Nothing was stored.' }),
  4901: (details, cause) => new DeviceDisconnectedError({ wallet: 'wallet', details, cause, nextStep: 'Switch the wallet to the right network, then retry. Nothing was stored.' }),
}

function unsupported(details: string, cause: unknown): XmtpSignersError {
  return new UnsupportedOperationError('The wallet behind this viem client does not support this signature request.', {
    details,
    cause,
    nextStep: 'Use a wallet or node that supports personal_sign and eth_signTypedData_v4, or pass a viem local account to fromViemAccount.',
  })
}

/** viem errors and the wallet errors they wrap, outermost first (viem's BaseError chains them on `cause`). */
function* chain(error: unknown): Generator<ErrorFields> {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 16; e = (e as ErrorFields).cause, depth++) yield e as ErrorFields
}

/** Maps what a viem account or wallet client throws to the project's typed errors, cause chained. */
export function toViemError(error: unknown): XmtpSignersError {
  if (isXmtpSignersError(error)) return error
  const top = (typeof error === 'object' && error !== null ? error : {}) as ErrorFields
  const details = String(top.shortMessage ?? top.message ?? error)
  for (const e of chain(error)) {
    if (typeof e.code === 'number' && CODES[e.code]) return CODES[e.code]!(details, error)
    if (e.name === 'HttpRequestError' || e.name === 'WebSocketRequestError' || e.name === 'TimeoutError') {
      return new RpcUnavailableError(typeof e.url === 'string' ? e.url : 'the wallet client’s transport', { details, cause: error })
    }
  }
  // viem's shortMessage is generic ("Invalid parameters…"): its `details` keep the wallet's own words.
  const walletSaid = [...chain(error)].map((e) => (e as { details?: unknown }).details).find((d): d is string => typeof d === 'string' && d.length > 0)
  const code = [...chain(error)].find((e) => typeof e.code === 'number')?.code
  return new SignerUnavailableError('The viem account or wallet client failed to sign.', {
    details: [details, walletSaid, code === undefined ? undefined : `code ${String(code)}`].filter(Boolean).join('; '),
    cause: error,
    nextStep: 'Check that the account can sign messages (its wallet unlocked, the node holding this account and reachable) and retry; nothing was stored.',
  })
}

/** A viem account or client that cannot be used as given: what it is, and the call to use instead. */
export function notUsable(shortMessage: string, nextStep: string, details?: string): InvalidInputError {
  return new InvalidInputError(shortMessage, { nextStep, ...(details === undefined ? {} : { details }) })
}
