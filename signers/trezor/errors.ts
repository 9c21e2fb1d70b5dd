import {
  DeviceBusyError,
  DeviceDisconnectedError,
  DeviceNotFoundError,
  DevicePinRequiredError,
  InvalidInputError,
  isXmtpSignersError,
  TransportUnavailableError,
  UnknownDeviceError,
  UserRejectedError,
  SignerClosedError,
  XmtpSignersError,
} from '../../src/adapter/index.js'

const WALLET = 'Trezor'

/**
 * `@trezor/connect` failure codes (`{ success: false, payload: { error, code } }`) mapped to the
 * project's typed errors — the same classes the Ledger adapter raises. One table, one place.
 */
export const TREZOR_FAILURE_CODES: Readonly<Record<string, { meaning: string; toError: (message: string, code: string, cause: unknown) => XmtpSignersError }>> = {
  Failure_ActionCancelled: { meaning: 'cancelled on the device', toError: (m, code, cause) => new UserRejectedError({ details: `${m} (${code})`, cause }) },
  Method_Cancel: { meaning: 'cancelled by the app', toError: (m, code, cause) => new UserRejectedError({ details: `${m} (${code})`, cause }) },
  Method_Interrupted: {
    meaning: 'popup closed / interrupted',
    toError: (m, code, cause) => new UserRejectedError({ details: `interrupted: ${m} (${code})`, nextStep: 'Nothing was stored. Run the command again and approve on the Trezor.', cause }),
  },
  Device_Disconnected: { meaning: 'device disconnected', toError: (m, code, cause) => new DeviceDisconnectedError({ wallet: WALLET, deviceCode: code, details: m, cause }) },
  Device_CallInProgress: {
    meaning: 'another call is in progress',
    toError: (m, code, cause) => new DeviceBusyError({ wallet: WALLET, deviceCode: code, details: m, cause, nextStep: 'Finish or cancel the request on the Trezor, then retry.' }),
  },
  Device_UsedElsewhere: {
    meaning: 'used in another window or app',
    toError: (m, code, cause) => new DeviceBusyError({ wallet: WALLET, deviceCode: code, details: m, cause, nextStep: 'Close Trezor Suite or the other app using the Trezor, then retry.' }),
  },
  Device_InitializeFailed: {
    meaning: 'the bridge reports another call in progress',
    toError: (m, code, cause) => new DeviceBusyError({ wallet: WALLET, deviceCode: code, details: m, cause, nextStep: 'Another app is talking to the Trezor: close it, then retry.' }),
  },
  Device_NotFound: { meaning: 'device not found', toError: (m, code, cause) => new DeviceNotFoundError({ wallet: WALLET, deviceCode: code, details: m, cause }) },
  Transport_Missing: {
    meaning: 'no Trezor Bridge (or USB transport) answers',
    toError: (m, code, cause) =>
      new TransportUnavailableError('No Trezor Bridge answers.', {
        wallet: WALLET,
        deviceCode: code,
        details: m,
        cause,
        nextStep: 'Start Trezor Suite (it runs the Bridge) or trezord, or check the bridgeUrl option; on Linux also install Trezor’s udev rules.',
      }),
  },
  Failure_PinInvalid: { meaning: 'wrong PIN', toError: (m, code, cause) => new DevicePinRequiredError('PIN', { wallet: WALLET, deviceCode: code, details: m, cause }) },
  Failure_PinCancelled: { meaning: 'PIN entry cancelled', toError: (m, code, cause) => new DevicePinRequiredError('PIN', { wallet: WALLET, deviceCode: code, details: m, cause }) },
  Device_InvalidState: {
    meaning: 'another passphrase (hidden wallet) than the one this session used',
    toError: (m, code, cause) => new DevicePinRequiredError('passphrase', { wallet: WALLET, deviceCode: code, details: m, cause, nextStep: 'Enter the passphrase of the wallet you mean, or reconnect the Trezor.' }),
  },
  Init_ManifestMissing: {
    meaning: 'connect was not initialized with a manifest',
    toError: (m, code, cause) => new InvalidInputError('Trezor Connect needs a manifest (app name, email, URL).', { details: `${m} (${code})`, nextStep: 'Pass `manifest` to TrezorSigner.open.', cause }),
  },
  Init_IframeTimeout: {
    meaning: 'the Connect iframe did not load (browser)',
    toError: (m, code, cause) =>
      new TransportUnavailableError('Trezor Connect did not load in the page.', {
        wallet: WALLET,
        deviceCode: code,
        details: m,
        cause,
        nextStep: 'Allow connect.trezor.io in the page’s Content-Security-Policy (frame-src) and popups for this site, then retry.',
      }),
  },
  Method_PermissionsNotGranted: { meaning: 'permission refused in the popup', toError: (m, code, cause) => new UserRejectedError({ details: `${m} (${code})`, cause }) },
}

/** A request after close(). */
export function closedSignerError(): SignerClosedError {
  return new SignerClosedError({ wallet: 'Trezor', nextStep: 'Open a new TrezorSigner.' })
}

/** `{ error, code }` from a failed connect call — or anything thrown — as a typed error. */
export function toTrezorError(failure: unknown): XmtpSignersError {
  if (isXmtpSignersError(failure)) return failure
  const payload = (typeof failure === 'object' && failure !== null ? failure : {}) as { error?: string; code?: string; message?: string }
  const message = payload.error ?? payload.message ?? String(failure)
  const code = payload.code ?? ''
  const known = TREZOR_FAILURE_CODES[code]
  if (known) return known.toError(message, code, failure)
  if (/other call in progress/i.test(message)) return new DeviceBusyError({ wallet: WALLET, deviceCode: code || undefined, details: message, cause: failure })
  // The bridge's own strings, which connect passes on as Failure_UnknownCode (e.g. a call during a replug).
  if (/device disconnected|device not found/i.test(message)) return new DeviceDisconnectedError({ wallet: WALLET, deviceCode: code || undefined, details: message, cause: failure })
  return new UnknownDeviceError({ wallet: WALLET, deviceCode: code || undefined, details: message, cause: failure })
}
