import {
  DeviceBusyError,
  DeviceDisconnectedError,
  DeviceError,
  DeviceLockedError,
  DeviceMenuOpenError,
  DeviceNotFoundError,
  isXmtpSignersError,
  SignerTimeoutError,
  TransportUnavailableError,
  UnknownDeviceError,
  UserRejectedError,
  WrongAppError,
  type XmtpSignersError,
} from '../../src/errors.js'
import { STATUS_WORDS as SW, type StatusWord } from './statusWords.js'

const WALLET = 'Ledger'

type StatusWordMeaning = { meaning: string; toError: (deviceCode: string, context: LedgerErrorContext) => XmtpSignersError }

export type LedgerErrorContext = { openApp?: string }

const rejected = (deviceCode: string) => new UserRejectedError({ details: `rejected on the Ledger (device code ${deviceCode})` })
const locked = (deviceCode: string) => new DeviceLockedError({ wallet: WALLET, deviceCode })
const wrongApp = (deviceCode: string, context: LedgerErrorContext) =>
  new WrongAppError({ wallet: WALLET, deviceCode, ...(context.openApp ? { openApp: context.openApp } : {}) })
const invalid = (meaning: string) => (deviceCode: string) =>
  new DeviceError('DEVICE_ERROR', `The Ledger refused the request: ${meaning}.`, {
    deviceCode,
    nextStep: 'Update the Ethereum app with Ledger Live and retry; if it persists, report it with the device code.',
  })

/**
 * The Ethereum app's status words as seen in the field (the curated table MetaMask's hardware-wallet
 * error mapping also uses): the one place a status word gets its meaning.
 */
export const LEDGER_STATUS_WORDS: Readonly<Partial<Record<StatusWord, StatusWordMeaning>>> = {
  [SW.USER_REJECTED]: { meaning: 'user rejected on device', toError: rejected },
  [SW.USER_REJECTED_LEGACY]: { meaning: 'user rejected on device (older spec text)', toError: rejected },
  [SW.USER_REFUSED_OS]: { meaning: 'user refused (OS)', toError: rejected },
  [SW.DEVICE_LOCKED]: { meaning: 'device locked', toError: locked },
  [SW.DEVICE_LOCKED_LEGACY]: { meaning: 'device locked', toError: locked },
  [SW.CLA_NOT_SUPPORTED]: { meaning: 'Ethereum app not open / wrong app', toError: wrongApp },
  [SW.APP_NOT_OPEN]: { meaning: 'Ethereum app not open / wrong app', toError: wrongApp },
  [SW.INS_NOT_SUPPORTED]: { meaning: 'Ethereum app not open / wrong app', toError: wrongApp },
  [SW.APP_NOT_OPEN_OS_6511]: { meaning: 'Ethereum app not open / wrong app', toError: wrongApp },
  [SW.APP_NOT_OPEN_OS_650F]: { meaning: 'Ethereum app not open / wrong app', toError: wrongApp },
  [SW.WRONG_APP_6A15]: { meaning: 'Ethereum app not open / wrong app', toError: wrongApp },
  [SW.WRONG_APP_6A83]: { meaning: 'Ethereum app not open / wrong app', toError: wrongApp },
  [SW.OS_MENU_OPEN]: { meaning: 'OS UI (e.g. control center) in front', toError: (deviceCode) => new DeviceMenuOpenError({ wallet: WALLET, deviceCode }) },
  [SW.INVALID_DATA]: { meaning: 'invalid data', toError: invalid('invalid data') },
  [SW.NOT_ENOUGH_SPACE]: { meaning: 'not enough space', toError: invalid('not enough space') },
  [SW.WRONG_LENGTH]: { meaning: 'wrong length', toError: invalid('wrong length') },
  [SW.INVALID_P1_P2]: { meaning: 'invalid parameters', toError: invalid('invalid parameters') },
}

/** Status words that mean "the Ethereum app is not the one answering". */
export const WRONG_APP_STATUS_WORDS: ReadonlySet<number> = new Set(
  (Object.entries(LEDGER_STATUS_WORDS) as [string, StatusWordMeaning][]).filter(([, v]) => v.toError === wrongApp).map(([k]) => Number(k)),
)

export function statusWordHex(statusCode: number): string {
  return `0x${statusCode.toString(16).padStart(4, '0')}`
}

// Transport errors, by `name`: @ledgerhq packages each carry their own copies of these classes.
const BUSY = new Set(['TransportRaceCondition', 'TransportLocked', 'InvalidStateError'])
const TIMEOUTS = new Set(['TimeoutError', 'TransportTimeout', 'TransportExchangeTimeoutError'])
const DISCONNECTED = new Set(['DisconnectedDevice', 'DisconnectedDeviceDuringOperation', 'TransportInterfaceNotAvailable', 'NetworkDown'])
const NOT_FOUND = new Set(['NoDeviceFound', 'ListenTimeout', 'CantOpenDevice', 'TransportOpenUserCancelled'])

/** Maps anything a Ledger transport or hw-app-eth throws to the project's typed errors. */
export function toLedgerError(error: unknown, context: LedgerErrorContext = {}): XmtpSignersError {
  if (isXmtpSignersError(error)) return error
  const e = (typeof error === 'object' && error !== null ? error : {}) as { name?: string; id?: string; message?: string; statusCode?: number; code?: string }
  // hw-transport reports some conditions as a generic TransportError with an `id` (e.g. TransportLocked).
  const name = e.name === 'TransportError' && e.id ? e.id : (e.name ?? '')
  const message = e.message ?? String(error)
  if (typeof e.statusCode === 'number') {
    const deviceCode = statusWordHex(e.statusCode)
    const known = LEDGER_STATUS_WORDS[e.statusCode as StatusWord]
    return known ? known.toError(deviceCode, context) : new UnknownDeviceError({ wallet: WALLET, deviceCode, details: message })
  }
  if (name === 'LockedDeviceError') return locked(statusWordHex(SW.DEVICE_LOCKED))
  if (BUSY.has(name)) return new DeviceBusyError({ wallet: WALLET, details: `${name}: ${message}` })
  if (name === 'NotAllowedError') {
    // WebHID: "Failed to open the device" while Ledger Live (or another tab) holds it.
    return new DeviceBusyError({
      wallet: WALLET,
      details: `${name}: ${message}`,
      nextStep: 'Close Ledger Live and other apps or tabs using the Ledger, then retry.',
    })
  }
  if (DISCONNECTED.has(name) || e.code === 'ECONNRESET' || e.code === 'EPIPE') return new DeviceDisconnectedError({ wallet: WALLET, details: `${name}: ${message}` })
  if (NOT_FOUND.has(name)) return new DeviceNotFoundError({ wallet: WALLET, details: `${name}: ${message}` })
  if (e.code === 'ECONNREFUSED') {
    return new TransportUnavailableError('Nothing answers at the Speculos address.', {
      wallet: WALLET,
      details: message,
      nextStep: 'Start Speculos (or the xmtp-signers emulator) on that host and port, or use --transport hid.',
    })
  }
  if (TIMEOUTS.has(name)) return new SignerTimeoutError(0, 'device exchange', WALLET)
  return new UnknownDeviceError({ wallet: WALLET, details: `${name || 'Error'}: ${message}`, cause: error })
}
