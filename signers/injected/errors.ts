import { DeviceBusyError, DeviceDisconnectedError, isXmtpSignersError, UnknownDeviceError, UnsupportedOperationError, UserRejectedError, type XmtpSignersError } from '../../src/adapter/index.js'
import { RpcUnavailableError, SignerUnavailableError } from '../../src/index.js'

const WALLET = 'wallet'

/** The EIP-1193 / JSON-RPC error codes wallets answer with: the one place they get a meaning. */
export const PROVIDER_ERROR_CODES: Readonly<Record<number, { meaning: string; toError: (message: string, cause: unknown) => XmtpSignersError }>> = {
  4001: { meaning: 'user rejected the request', toError: (m, cause) => new UserRejectedError({ details: m, cause }) },
  4100: {
    meaning: 'unauthorized: the account or method is not authorized by the user',
    toError: (m, cause) =>
      new SignerUnavailableError('The wallet has not authorized this site (or this account) yet.', {
        details: m,
        cause,
        nextStep: 'Connect the wallet to this site and select the account, then retry.',
      }),
  },
  4200: {
    meaning: 'unsupported method',
    toError: (m, cause) => new UnsupportedOperationError('The wallet does not support this request.', { details: m, cause, nextStep: 'Use a wallet that supports personal_sign and eth_signTypedData_v4.' }),
  },
  4900: { meaning: 'disconnected from all chains', toError: (m, cause) => new DeviceDisconnectedError({ wallet: WALLET, details: m, cause, nextStep: 'Reconnect the wallet, then retry. Nothing was stored.' }) },
  4901: { meaning: 'disconnected from the requested chain', toError: (m, cause) => new DeviceDisconnectedError({ wallet: WALLET, details: m, cause, nextStep: 'Switch the wallet to the right network, then retry. Nothing was stored.' }) },
  [-32002]: {
    meaning: 'a request is already pending',
    toError: (m, cause) => new DeviceBusyError({ wallet: WALLET, details: m, cause, nextStep: 'Open the wallet and finish or reject the request waiting there, then retry.' }),
  },
}

/** Maps what an EIP-1193 provider throws to the project's typed errors, by `code`. */
export function toProviderError(error: unknown, rpc?: string): XmtpSignersError {
  if (isXmtpSignersError(error)) return error
  const e = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: string; name?: string }
  const message = e.message ?? String(error)
  if (typeof e.code === 'number' && PROVIDER_ERROR_CODES[e.code]) return PROVIDER_ERROR_CODES[e.code]!.toError(message, error)
  if (rpc && (e.name === 'TypeError' || e.name === 'AbortError' || e.name === 'TimeoutError')) return new RpcUnavailableError(rpc, { details: message, cause: error })
  return new UnknownDeviceError({ wallet: WALLET, deviceCode: typeof e.code === 'number' ? String(e.code) : undefined, details: message, cause: error })
}
