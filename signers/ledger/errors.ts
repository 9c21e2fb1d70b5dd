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
} from '../../src/adapter/index.js'
import { DASHBOARD_APP_NAME, STATUS_WORDS as SW, type StatusWord } from './protocol.js'

export const WALLET = 'Ledger'

type StatusWordMeaning = { meaning: string; toError: (deviceCode: string, context: LedgerErrorContext) => XmtpSignersError }

/** What the error says beyond the status word: the app in front, and the vendor's error to chain as `cause`. */
export type LedgerErrorContext = { openApp?: string; cause?: unknown; /** The DMK transport the error came through: WebHID's refusals read differently from node-hid's. */ transport?: 'node-hid' | 'web-hid' | 'speculos' }

const rejected = (deviceCode: string, { cause }: LedgerErrorContext) => new UserRejectedError({ details: `rejected on the Ledger (device code ${deviceCode})`, cause })
const locked = (deviceCode: string, { cause }: LedgerErrorContext) => new DeviceLockedError({ wallet: WALLET, deviceCode, cause })
// The dashboard is no app: the error then says the Ethereum app is not open.
const wrongApp = (deviceCode: string, { openApp, cause }: LedgerErrorContext) =>
  new WrongAppError({ wallet: WALLET, deviceCode, cause, ...(openApp && openApp !== DASHBOARD_APP_NAME ? { openApp } : {}) })
const invalid =
  (meaning: string) =>
  (deviceCode: string, { cause }: LedgerErrorContext) =>
    new DeviceError('DEVICE_ERROR', `The Ledger refused the request: ${meaning}.`, {
      deviceCode,
      nextStep: 'Update the Ethereum app with Ledger Live and retry; if it persists, report it with the device code.',
      cause,
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
  [SW.APP_NOT_INSTALLED]: {
    meaning: 'Ethereum app not installed (OPEN APP)',
    toError: (deviceCode, { cause }) =>
      new WrongAppError({ wallet: WALLET, deviceCode, cause, nextStep: 'Install the Ethereum app on the Ledger with Ledger Live (My Ledger), then retry.' }),
  },
  [SW.OS_MENU_OPEN]: { meaning: 'OS UI (e.g. control center) in front', toError: (deviceCode, { cause }) => new DeviceMenuOpenError({ wallet: WALLET, deviceCode, cause }) },
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

/** The status word a hw-transport error carries: the device answered (so the transport works). */
export function statusWordOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode
  return typeof status === 'number' ? status : undefined
}

// Transport errors, by `name`: @ledgerhq packages each carry their own copies of these classes.
const BUSY = new Set(['TransportRaceCondition', 'TransportLocked', 'InvalidStateError'])
const TIMEOUTS = new Set(['TimeoutError', 'TransportTimeout', 'TransportExchangeTimeoutError'])
const DISCONNECTED = new Set(['DisconnectedDevice', 'DisconnectedDeviceDuringOperation', 'TransportInterfaceNotAvailable', 'NetworkDown'])
const NOT_FOUND = new Set(['NoDeviceFound', 'ListenTimeout', 'CantOpenDevice', 'TransportOpenUserCancelled'])

/** Maps anything a Ledger transport or hw-app-eth throws to the project's typed errors, the original as `cause`. */
export function toLedgerError(error: unknown, context: Omit<LedgerErrorContext, 'cause'> = {}): XmtpSignersError {
  if (isXmtpSignersError(error)) return error
  const cause = error
  const e = (typeof error === 'object' && error !== null ? error : {}) as { name?: string; id?: string; message?: string; code?: string }
  // hw-transport reports some conditions as a generic TransportError with an `id` (e.g. TransportLocked).
  const name = e.name === 'TransportError' && e.id ? e.id : (e.name ?? '')
  const message = e.message ?? String(error)
  const statusWord = statusWordOf(error)
  if (statusWord !== undefined) {
    const deviceCode = statusWordHex(statusWord)
    const known = LEDGER_STATUS_WORDS[statusWord as StatusWord]
    return known ? known.toError(deviceCode, { ...context, cause }) : new UnknownDeviceError({ wallet: WALLET, deviceCode, details: message, cause })
  }
  if (name === 'LockedDeviceError') return locked(statusWordHex(SW.DEVICE_LOCKED), { cause })
  if (BUSY.has(name)) return new DeviceBusyError({ wallet: WALLET, details: `${name}: ${message}`, cause })
  if (name === 'NotAllowedError') {
    // WebHID: "Failed to open the device" while Ledger Live (or another tab) holds it.
    return new DeviceBusyError({
      wallet: WALLET,
      details: `${name}: ${message}`,
      nextStep: 'Close Ledger Live and other apps or tabs using the Ledger, then retry.',
      cause,
    })
  }
  if (DISCONNECTED.has(name) || e.code === 'ECONNRESET' || e.code === 'EPIPE') return new DeviceDisconnectedError({ wallet: WALLET, details: `${name}: ${message}`, cause })
  if (NOT_FOUND.has(name)) return new DeviceNotFoundError({ wallet: WALLET, details: `${name}: ${message}`, cause })
  if (e.code === 'ECONNREFUSED') {
    return new TransportUnavailableError('Nothing answers at the Speculos address.', {
      wallet: WALLET,
      details: message,
      nextStep: 'Start Speculos (or startSpeculosServer from xmtp-signers/ledger/emulator) on that host and port, or connect over USB with openLedgerNodeHid().',
      cause,
    })
  }
  if (TIMEOUTS.has(name)) return new SignerTimeoutError(0, 'device exchange', WALLET, { cause })
  return new UnknownDeviceError({ wallet: WALLET, details: `${name || 'Error'}: ${message}`, cause })
}

// ---- WebHID: what the browser refuses, in one place for both stacks (transports.ts and dmkLink.ts) ----

/** The WebHID API is absent: an old or non-Chromium browser, or a page that is not a secure context. */
export function webHidUnavailableError(cause?: unknown): XmtpSignersError {
  const insecure = (globalThis as { isSecureContext?: boolean }).isSecureContext === false
  return new TransportUnavailableError(insecure ? 'WebHID works only on secure pages (https:// or localhost).' : 'This browser has no WebHID, so it cannot reach a Ledger.', {
    wallet: WALLET,
    nextStep: insecure
      ? 'Serve the page over https:// (or open it on localhost), then retry.'
      : 'Use a Chromium-based browser (Chrome, Edge, Brave, Opera) on an https:// page or localhost, or connect the Ledger through a wallet app.',
    cause,
  })
}

/** The browser's device dialog closed with nothing chosen. */
export function noLedgerChosenError(cause?: unknown): XmtpSignersError {
  return new DeviceNotFoundError({
    wallet: WALLET,
    details: 'no Ledger was chosen in the browser’s device dialog',
    nextStep:
      'Connect and unlock the Ledger and open the Ethereum app, then click again and choose it in the browser’s dialog. Not listed? Quit Ledger Live, unplug and replug it.',
    cause,
  })
}

/** `navigator.hid.requestDevice` / `getDevices` refused: a frame without permission, or no click; undefined otherwise. */
export function webHidRequestRefusal(error: unknown, cause: unknown = error): XmtpSignersError | undefined {
  const { name, message = '' } = (error ?? {}) as { name?: string; message?: string }
  if (/permissions policy/i.test(message)) {
    return new TransportUnavailableError('This page is not allowed to use WebHID: it runs in a frame without permission.', {
      wallet: WALLET,
      details: `${name}: ${message}`,
      nextStep: 'Open the page in its own tab, or let the embedding page allow it: <iframe allow="hid">.',
      cause,
    })
  }
  if (name === 'SecurityError' || (name === 'NotAllowedError' && /gesture/i.test(message))) {
    return new TransportUnavailableError('The browser lets a page ask for a Ledger only in answer to a click.', {
      wallet: WALLET,
      details: `${name}: ${message}`,
      nextStep: 'Call this from a button’s click handler (a user gesture), then pick the Ledger in the browser’s dialog.',
      cause,
    })
  }
  return undefined
}

/** `HIDDevice.open()` refused: held by another app, already open in this page, or gone; undefined otherwise. */
export function webHidOpenRefusal(error: unknown, cause: unknown = error): XmtpSignersError | undefined {
  const { name, message = '' } = (error ?? {}) as { name?: string; message?: string }
  if (name === 'NotAllowedError') {
    // Chromium: "Failed to open the device." while Ledger Live, another tab or another browser holds it.
    return new DeviceBusyError({
      wallet: WALLET,
      details: `another app holds the Ledger (${name}: ${message})`,
      nextStep: 'Quit Ledger Live and close other tabs, windows or apps using the Ledger, then click again.',
      cause,
    })
  }
  if (name === 'InvalidStateError') return webHidAlreadyOpenError(`${name}: ${message}`, cause)
  if (name === 'NotFoundError') return new DeviceDisconnectedError({ wallet: WALLET, details: `${name}: ${message}`, cause })
  return undefined
}

/** The Ledger's HID device is already open in this page (another transport or signer holds it). */
export function webHidAlreadyOpenError(reason: string, cause?: unknown): XmtpSignersError {
  return new DeviceBusyError({
    wallet: WALLET,
    details: `the Ledger is already open in this page (${reason})`,
    nextStep: 'This page already holds a connection to the Ledger: close it (signer.close()) or reuse that signer, then retry.',
    cause,
  })
}

/** The DOMException a DMK web-hid error wraps (its `originalError`, or the `err` it was built from). */
function domCause(error: DmkErrorShape & { err?: unknown }): { name?: string; message?: string } | undefined {
  for (const candidate of [error.err, error.originalError]) {
    if (candidate && typeof candidate === 'object' && typeof (candidate as { name?: unknown }).name === 'string') return candidate as { name?: string; message?: string }
  }
  return undefined
}

// DMK's errors by `_tag`, for those that carry no status word; a status word always goes through LEDGER_STATUS_WORDS.
const DMK_LOCKED = new Set(['DeviceLockedError'])
const DMK_DISCONNECTED = new Set([
  'DeviceSessionNotFound',
  'DeviceDisconnectedWhileSendingError',
  'DeviceDisconnectedBeforeSendingApdu',
  'DisconnectError',
  'ReconnectionFailedError',
  'DeviceSessionRefresherError',
  'NodeHidSendReportError',
  'WebHidSendReportError',
])
const DMK_BUSY = new Set(['DeviceBusyError', 'AlreadySendingApduError', 'SendApduConcurrencyError'])
const DMK_NOT_FOUND = new Set(['NoAccessibleDeviceError', 'DeviceNotRecognizedError', 'ConnectionOpeningError', 'OpeningConnectionError', 'DeviceNotInitializedError'])
const DMK_TIMEOUT = new Set(['SendApduTimeoutError', 'SendCommandTimeoutError'])
const DMK_UNAVAILABLE = new Set(['TransportNotSupportedError', 'NodeHidTransportNotSupportedError', 'NoTransportProvidedError', 'NoTransportsProvidedError'])

type DmkErrorShape = { _tag?: unknown; errorCode?: unknown; message?: unknown; originalError?: unknown }

/** A status word a DMK error carries as `errorCode` (hex), on itself or on the error it wraps. */
function dmkStatusWord(error: DmkErrorShape | undefined, depth = 0): number | undefined {
  if (!error || typeof error !== 'object' || depth > 3) return undefined
  const code = error.errorCode
  if (typeof code === 'string' && /^[0-9a-f]{4}$/i.test(code)) return parseInt(code, 16)
  return dmkStatusWord(error.originalError as DmkErrorShape | undefined, depth + 1)
}

/** The socket error code (ECONNREFUSED, ECONNRESET, …) somewhere down a fetch failure's `cause` chain. */
function networkCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined
  const { code, cause, originalError } = error as { code?: unknown; cause?: unknown; originalError?: unknown }
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code
  return networkCode(cause, depth + 1) ?? networkCode(originalError, depth + 1)
}

function dmkTag(error: DmkErrorShape): string {
  return typeof error._tag === 'string' ? error._tag : ''
}

/**
 * Maps what DMK rejects with or puts in an Error state (`{ _tag, errorCode?, originalError? }`) to the
 * same typed error the LedgerJS path gives for the same device answer: status words through the one table.
 */
export function dmkErrorToLedgerError(error: unknown, context: Omit<LedgerErrorContext, 'cause'> = {}): XmtpSignersError {
  if (isXmtpSignersError(error)) return error
  const e = (typeof error === 'object' && error !== null ? error : {}) as DmkErrorShape
  const tag = dmkTag(e)
  // The speculos transport's connect() rejects with its bare HTTP client error.
  if (!tag && (e as { name?: unknown }).name === 'DmkNetworkClientError') return dmkErrorToLedgerError({ _tag: 'GeneralDmkError', originalError: error }, context)
  if (!tag) return toLedgerError(error, context)
  const original = (e.originalError ?? {}) as DmkErrorShape & { name?: unknown; message?: unknown; code?: unknown; isTimeout?: unknown; status?: unknown }
  const message = typeof e.message === 'string' ? e.message : typeof original.message === 'string' ? original.message : ''
  const details = `${tag}${message ? `: ${message}` : ''}`
  const cause = error
  const statusWord = dmkStatusWord(e)
  if (statusWord !== undefined) {
    const deviceCode = statusWordHex(statusWord)
    const known = LEDGER_STATUS_WORDS[statusWord as StatusWord]
    return known ? known.toError(deviceCode, { ...context, cause }) : new UnknownDeviceError({ wallet: WALLET, deviceCode, details, cause })
  }
  const webHid = context.transport === 'web-hid' ? dmkWebHidError(tag, e, cause) : undefined
  if (webHid) return webHid
  if (tag === 'WebHidTransportNotSupportedError') return webHidUnavailableError(cause)
  if (DMK_LOCKED.has(tag)) return locked(statusWordHex(SW.DEVICE_LOCKED), { cause })
  if (DMK_DISCONNECTED.has(tag)) return new DeviceDisconnectedError({ wallet: WALLET, details, cause })
  if (DMK_BUSY.has(tag)) return new DeviceBusyError({ wallet: WALLET, details, cause })
  if (DMK_NOT_FOUND.has(tag)) return new DeviceNotFoundError({ wallet: WALLET, details, cause })
  if (DMK_TIMEOUT.has(tag)) return new SignerTimeoutError(0, 'device exchange', WALLET, { cause })
  if (DMK_UNAVAILABLE.has(tag)) {
    return new TransportUnavailableError('This DMK transport does not work here.', { wallet: WALLET, details, nextStep: "Use 'node-hid' in Node, 'web-hid' in a Chromium browser, or a Speculos URL.", cause })
  }
  if (tag === 'RefusedByUserDAError') return rejected(statusWordHex(SW.USER_REJECTED), { cause })
  if (tag === 'GeneralDmkError') {
    // The speculos transport wraps its HTTP failures: nothing listening, or the server went away mid-exchange.
    const network = networkCode(original)
    if (network === 'ECONNREFUSED') {
      return new TransportUnavailableError('Nothing answers at the Speculos REST address.', {
        wallet: WALLET,
        details,
        nextStep: "Start Speculos (its REST API, e.g. port 5000) or startSpeculosHttpServer from xmtp-signers/ledger/emulator at that address, or connect over USB with LedgerSigner.open({ dmk: 'node-hid' }).",
        cause,
      })
    }
    // 409: another client holds the device (Speculos' answer to a second exchange at once).
    if (original.status === 409) return new DeviceBusyError({ wallet: WALLET, details: `${details} (HTTP 409)`, cause })
    if (original.name === 'DmkNetworkClientError' || network === 'ECONNRESET' || network === 'EPIPE') {
      return new DeviceDisconnectedError({ wallet: WALLET, details: `${details}${original.status ? ` (HTTP ${String(original.status)})` : ''}`, cause })
    }
  }
  return new UnknownDeviceError({ wallet: WALLET, details, cause })
}

/** What DMK's web-hid transport wraps from the browser: the chooser and the open (a failed write is DMK_DISCONNECTED). */
function dmkWebHidError(tag: string, error: DmkErrorShape, cause: unknown): XmtpSignersError | undefined {
  const dom = domCause(error)
  if (tag === 'NoAccessibleDeviceError') {
    // requestDevice resolved with nothing: DMK says "No selected device" (it has no DOMException then).
    if (dom?.message === 'No selected device') return noLedgerChosenError(cause)
    return webHidRequestRefusal(dom, cause)
  }
  if (tag === 'ConnectionOpeningError') return webHidOpenRefusal(dom, cause)
  return undefined
}
