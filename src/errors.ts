/**
 * Every failure a user can meet is one of these classes, one class per code (ERROR_CLASSES): a short
 * message, optional details, the next step, and the `cause` it wraps. Match on `code` (stable strings)
 * rather than `instanceof` across package copies.
 */
export type XmtpSignersErrorOptions = {
  /** What exactly went wrong, for logs and JSON output. Never a secret. */
  details?: string
  /** What the user should do next. */
  nextStep?: string
  cause?: unknown
}

export class XmtpSignersError<Code extends string = ErrorCode> extends Error {
  override name = 'XmtpSignersError'
  readonly code: Code
  readonly shortMessage: string
  readonly details: string | undefined
  readonly nextStep: string | undefined

  constructor(code: Code, shortMessage: string, options: XmtpSignersErrorOptions = {}) {
    const lines = [shortMessage]
    if (options.details) lines.push(`Details: ${options.details}`)
    if (options.nextStep) lines.push(`What to do: ${options.nextStep}`)
    super(lines.join('\n'), options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.shortMessage = shortMessage
    this.details = options.details
    this.nextStep = options.nextStep
  }
}

/** Whether `error` is one of ours (across package copies too); with `code`, narrows to that code's class. */
export function isXmtpSignersError(error: unknown): error is XmtpSignersError
export function isXmtpSignersError<Code extends ErrorCode>(error: unknown, code: Code): error is ErrorOf<Code>
export function isXmtpSignersError(error: unknown, code?: ErrorCode): boolean {
  return (
    error instanceof Error &&
    typeof (error as Partial<XmtpSignersError>).code === 'string' &&
    typeof (error as Partial<XmtpSignersError>).shortMessage === 'string' &&
    // ethers' and viem's errors carry code and shortMessage too (ethers even UNSUPPORTED_OPERATION): ours alone
    // always hold a nextStep field and a code of ERROR_CLASSES.
    'nextStep' in error &&
    Object.hasOwn(ERROR_CLASSES, (error as XmtpSignersError).code) &&
    (code === undefined || (error as XmtpSignersError).code === code)
  )
}

export class InvalidInputError extends XmtpSignersError<'INVALID_INPUT'> {
  override name = 'InvalidInputError'
  constructor(shortMessage: string, options: XmtpSignersErrorOptions = {}) {
    super('INVALID_INPUT', shortMessage, options)
  }
}

/** A wallet signature that is not a well-formed 65-byte secp256k1 signature. */
export class InvalidSignatureError extends XmtpSignersError<'INVALID_SIGNATURE'> {
  override name = 'InvalidSignatureError'
  constructor(details: string, options: Omit<XmtpSignersErrorOptions, 'details'> = {}) {
    super('INVALID_SIGNATURE', 'The wallet returned a signature that is not a valid Ethereum signature.', {
      details,
      nextStep: 'Retry; if it persists, the wallet or its firmware is not supported, so report it with the details above.',
      ...options,
    })
  }
}

export class InvalidKeyError extends XmtpSignersError<'INVALID_KEY'> {
  override name = 'InvalidKeyError'
  constructor(details: string, options: Omit<XmtpSignersErrorOptions, 'details'> = {}) {
    super('INVALID_KEY', 'A key is not a valid secp256k1 key.', { details, ...options })
  }
}

/** A signature, or a stored identity, that belongs to another account than the one in use. */
export class AccountMismatchError<Code extends 'ACCOUNT_MISMATCH' | 'FOREIGN_BUNDLE' = 'ACCOUNT_MISMATCH'> extends XmtpSignersError<Code> {
  override name = 'AccountMismatchError'
  readonly expectedAddress: string
  readonly actualAddress: string
  /** `code` is for ForeignBundleError only: every other mismatch is ACCOUNT_MISMATCH. */
  constructor(params: { expected: string; actual: string; what: string; nextStep?: string; code?: Code; cause?: unknown }) {
    super(params.code ?? ('ACCOUNT_MISMATCH' as Code), `${params.what} comes from ${params.actual}, not from the account in use, ${params.expected}.`, {
      details: `expected ${params.expected}, recovered ${params.actual}`,
      cause: params.cause,
      nextStep:
        params.nextStep ??
        'Check that the wallet has the intended account selected (for hardware wallets: the same seed and derivation path) and try again.',
    })
    this.expectedAddress = params.expected
    this.actualAddress = params.actual
  }
}

export class MalformedBundleError extends XmtpSignersError<'MALFORMED_BUNDLE'> {
  override name = 'MalformedBundleError'
  constructor(what: string, details: string, options: Omit<XmtpSignersErrorOptions, 'details'> = {}) {
    super('MALFORMED_BUNDLE', `The ${what} is not readable: it is truncated, corrupt, or not a ${what}.`, {
      details,
      nextStep: `Check that the input is the whole ${what}, as bytes or hex; nothing was changed.`,
      ...options,
    })
  }
}

export class BundleDecryptionError extends XmtpSignersError<'BUNDLE_DECRYPTION_FAILED'> {
  override name = 'BundleDecryptionError'
  constructor(options: XmtpSignersErrorOptions = {}) {
    super(
      'BUNDLE_DECRYPTION_FAILED',
      'The stored private key bundle could not be decrypted with this wallet’s signature.',
      {
        nextStep:
          'Use the wallet account that created this identity. The stored bundle was left untouched; if it was damaged, restore it from a backup — never create a new identity over it, or the message history is lost.',
        ...options,
      },
    )
  }
}

/** A decrypted bundle whose identity key is attested by another account. */
export class ForeignBundleError extends AccountMismatchError<'FOREIGN_BUNDLE'> {
  override name = 'ForeignBundleError'
  constructor(params: { expected: string; actual: string; cause?: unknown }) {
    super({
      ...params,
      what: 'The stored identity',
      nextStep: 'This bundle was made for another account; it was left untouched. Unlock it with that account.',
      code: 'FOREIGN_BUNDLE',
    })
  }
}

export class BundleVerificationError extends XmtpSignersError<'BUNDLE_VERIFICATION_FAILED'> {
  override name = 'BundleVerificationError'
  readonly failures: readonly string[]
  constructor(what: string, failures: readonly string[]) {
    super('BUNDLE_VERIFICATION_FAILED', `The ${what} failed verification.`, {
      details: failures.join('; '),
      nextStep: 'Do not use these keys. If this is your stored identity, restore it from a backup; it was left untouched.',
    })
    this.failures = failures
  }
}

/** The engine's last guard: what it was about to store did not open again with the same decoder and secret. */
export class UnopenableBundleError extends XmtpSignersError<'UNOPENABLE_BUNDLE'> {
  override name = 'UnopenableBundleError'
  constructor(details: string, options: Omit<XmtpSignersErrorOptions, 'details'> = {}) {
    super('UNOPENABLE_BUNDLE', 'The encrypted bundle would not open again, so it was not stored.', {
      details,
      nextStep: 'Nothing was stored and no stored identity was changed. Report this with the details above.',
      ...options,
    })
  }
}

export class IdentityExistsError extends XmtpSignersError<'IDENTITY_EXISTS'> {
  override name = 'IdentityExistsError'
  readonly storageTopic: string
  constructor(storageTopic: string, where?: string) {
    super('IDENTITY_EXISTS', 'An XMTP identity is already stored for this account; it was not replaced.', {
      details: `${storageTopic}${where ? ` in ${where}` : ''}`,
      nextStep: 'Unlock the existing identity instead (unlockIdentity). Replacing it would orphan its message history.',
    })
    this.storageTopic = storageTopic
  }
}

export class NoStoredIdentityError extends XmtpSignersError<'NO_STORED_IDENTITY'> {
  override name = 'NoStoredIdentityError'
  constructor(storageTopic: string, where?: string) {
    super('NO_STORED_IDENTITY', 'No XMTP identity is stored for this account.', {
      details: `${storageTopic}${where ? ` in ${where}` : ''}`,
      nextStep: 'Create one first (createIdentity), or open the key store or encrypted bundle that holds it.',
    })
  }
}

export class KeyStoreError extends XmtpSignersError<'KEY_STORE'> {
  override name = 'KeyStoreError'
  constructor(shortMessage: string, options: XmtpSignersErrorOptions = {}) {
    super('KEY_STORE', shortMessage, options)
  }
}

export class KeyStoreLockedError extends XmtpSignersError<'KEY_STORE_LOCKED'> {
  override name = 'KeyStoreLockedError'
  constructor(details: string, nextStep: string) {
    super('KEY_STORE_LOCKED', 'Another process is creating or updating the identity for this account.', { details, nextStep })
  }
}

export class UserRejectedError extends XmtpSignersError<'USER_REJECTED'> {
  override name = 'UserRejectedError'
  constructor(options: XmtpSignersErrorOptions = {}) {
    super('USER_REJECTED', 'The signature request was rejected in the wallet.', {
      nextStep: 'Nothing was stored. Try again and approve the request to continue.',
      ...options,
    })
  }
}

export class SignerTimeoutError extends XmtpSignersError<'SIGNER_TIMEOUT'> {
  override name = 'SignerTimeoutError'
  constructor(timeoutMs: number, what: string, wallet = 'wallet', options: XmtpSignersErrorOptions = {}) {
    super('SIGNER_TIMEOUT', `The ${wallet} did not answer the ${what} request within ${Math.round(timeoutMs / 1000)} s.`, {
      nextStep: 'Look at the wallet or device for a pending request, dismiss it, and try again. Nothing was stored.',
      ...options,
    })
  }
}

/** The caller aborted (an `AbortSignal`, Ctrl-C) or the engine's own deadline passed; nothing was stored. */
export class OperationAbortedError extends XmtpSignersError<'ABORTED'> {
  override name = 'OperationAbortedError'
  constructor(what: string, options: XmtpSignersErrorOptions = {}) {
    super('ABORTED', `The ${what} was aborted.`, {
      nextStep: 'Nothing was stored. If the wallet still shows a request, reject it there; then retry when ready.',
      ...options,
    })
  }
}

/** The wallet could not be reached or failed without saying why (not authorized, no account, a transport fault). */
export class SignerUnavailableError extends XmtpSignersError<'SIGNER_UNAVAILABLE'> {
  override name = 'SignerUnavailableError'
  constructor(shortMessage: string, options: XmtpSignersErrorOptions = {}) {
    super('SIGNER_UNAVAILABLE', shortMessage, options)
  }
}

/** A request to a signer after its `close()`: open a new one. */
export class SignerClosedError extends XmtpSignersError<'SIGNER_CLOSED'> {
  override name = 'SignerClosedError'
  constructor(options: XmtpSignersErrorOptions & { wallet?: string } = {}) {
    const { wallet, ...rest } = options
    super('SIGNER_CLOSED', wallet ? `This ${wallet} signer was closed.` : 'This signer was closed.', { nextStep: 'Open a new signer.', ...rest })
  }
}

export class UnsupportedOperationError extends XmtpSignersError<'UNSUPPORTED_OPERATION'> {
  override name = 'UnsupportedOperationError'
  constructor(shortMessage: string, options: XmtpSignersErrorOptions = {}) {
    super('UNSUPPORTED_OPERATION', shortMessage, options)
  }
}

/**
 * An optional package this entry point needs is not installed (wallet SDKs and viem are optional, so
 * apps that do not use them never install them): the message names the packages and the install command.
 */
export class MissingPackageError extends XmtpSignersError<'MISSING_PACKAGE'> {
  override name = 'MissingPackageError'
  /** The npm packages to install, e.g. `['viem']`. */
  readonly packages: readonly string[]
  constructor(options: XmtpSignersErrorOptions & { packages: readonly string[]; feature: string }) {
    const { packages, feature, ...rest } = options
    super('MISSING_PACKAGE', `${feature} needs ${packages.join(' and ')}, which ${packages.length > 1 ? 'are' : 'is'} not installed.`, {
      nextStep: `Install it in your app: npm install ${packages.join(' ')}`,
      ...rest,
    })
    this.packages = packages
  }
}

// ---- wallet and device failures, shared by every adapter (Ledger, Trezor, injected) ----------------

/** Adds what every device error carries: which wallet, and the raw code it answered, for support. */
export type DeviceErrorOptions = XmtpSignersErrorOptions & { wallet?: string; deviceCode?: string }

export class DeviceError<Code extends string = ErrorCode> extends XmtpSignersError<Code> {
  override name = 'DeviceError'
  /** The wallet's own code (a Ledger status word like `0x6b0c`, a Trezor `Failure_…` code). */
  readonly deviceCode: string | undefined
  constructor(code: Code, shortMessage: string, options: DeviceErrorOptions = {}) {
    const { deviceCode, ...rest } = options
    super(code, shortMessage, { ...rest, details: [rest.details, deviceCode && `device code ${deviceCode}`].filter(Boolean).join('; ') || undefined })
    this.deviceCode = deviceCode
  }
}

export class DeviceLockedError extends DeviceError<'DEVICE_LOCKED'> {
  override name = 'DeviceLockedError'
  constructor(options: DeviceErrorOptions = {}) {
    super('DEVICE_LOCKED', `The ${options.wallet ?? 'device'} is locked.`, {
      nextStep: 'Unlock it with your PIN, then retry. Nothing was stored.',
      ...options,
    })
  }
}

export class WrongAppError extends DeviceError<'WRONG_APP'> {
  override name = 'WrongAppError'
  readonly openApp: string | undefined
  /** `openApp`: the app in front, when it is one (an adapter leaves it out for the device's dashboard). */
  constructor(options: DeviceErrorOptions & { openApp?: string; expectedApp?: string } = {}) {
    const expected = options.expectedApp ?? 'Ethereum'
    super(
      'WRONG_APP',
      options.openApp
        ? `The ${options.openApp} app is open on the ${options.wallet ?? 'device'}, not the ${expected} app.`
        : `The ${expected} app is not open on the ${options.wallet ?? 'device'}.`,
      { nextStep: `Open the ${expected} app on the device (the dashboard or another app is in front), then retry.`, ...options },
    )
    this.openApp = options.openApp
  }
}

export class DeviceMenuOpenError extends DeviceError<'DEVICE_MENU_OPEN'> {
  override name = 'DeviceMenuOpenError'
  constructor(options: DeviceErrorOptions = {}) {
    super('DEVICE_MENU_OPEN', `A system menu is open on the ${options.wallet ?? 'device'} (for example the control center).`, {
      nextStep: 'Close it so the Ethereum app is in front, then retry.',
      ...options,
    })
  }
}

export class SignerBusyError extends DeviceError<'SIGNER_BUSY'> {
  // The old name stays what `name` (and so the CLI's JSON) says until the tests matching it move (ledger, adapterAbort).
  override name = 'DeviceBusyError'
  constructor(options: DeviceErrorOptions = {}) {
    super('SIGNER_BUSY', `The ${options.wallet ?? 'device'} is busy with another request.`, {
      nextStep: 'Finish or reject the request shown on the device (or close the other app using it), then retry.',
      ...options,
    })
  }
}

export class SignerDisconnectedError extends DeviceError<'SIGNER_DISCONNECTED'> {
  // As SignerBusyError: the old name stays on instances for callers that match on it.
  override name = 'DeviceDisconnectedError'
  constructor(options: DeviceErrorOptions = {}) {
    super('SIGNER_DISCONNECTED', `The ${options.wallet ?? 'device'} was disconnected.`, {
      nextStep: 'Plug it in again, unlock it, open the Ethereum app and retry. Nothing was stored.',
      ...options,
    })
  }
}

/** @deprecated The class for SIGNER_BUSY is SignerBusyError; this is the same class. */
export const DeviceBusyError = SignerBusyError
/** @deprecated Use SignerBusyError. */
export type DeviceBusyError = SignerBusyError
/** @deprecated The class for SIGNER_DISCONNECTED is SignerDisconnectedError; this is the same class. */
export const DeviceDisconnectedError = SignerDisconnectedError
/** @deprecated Use SignerDisconnectedError. */
export type DeviceDisconnectedError = SignerDisconnectedError

export class DeviceNotFoundError extends DeviceError<'DEVICE_NOT_FOUND'> {
  override name = 'DeviceNotFoundError'
  constructor(options: DeviceErrorOptions = {}) {
    super('DEVICE_NOT_FOUND', `No ${options.wallet ?? 'device'} was found.`, {
      nextStep: 'Connect it with a data cable, unlock it, and close other apps that may hold it (such as the wallet maker’s desktop app).',
      ...options,
    })
  }
}

export class UnsupportedAppVersionError extends DeviceError<'UNSUPPORTED_APP_VERSION'> {
  override name = 'UnsupportedAppVersionError'
  constructor(version: string, minimum: string, options: DeviceErrorOptions = {}) {
    super('UNSUPPORTED_APP_VERSION', `The ${options.wallet ?? 'device'}'s Ethereum app ${version} is too old (${minimum} or later is needed).`, {
      nextStep: 'Update the Ethereum app (and the firmware) with the wallet maker’s desktop app, then retry.',
      ...options,
    })
  }
}

export class DevicePinRequiredError extends DeviceError<'DEVICE_PIN_REQUIRED'> {
  override name = 'DevicePinRequiredError'
  constructor(what: 'PIN' | 'passphrase', options: DeviceErrorOptions = {}) {
    super('DEVICE_PIN_REQUIRED', `The ${options.wallet ?? 'device'} asks for its ${what}.`, {
      nextStep: `Enter the ${what} on the device (or in the wallet's own app), then retry.`,
      ...options,
    })
  }
}

export class TransportUnavailableError extends DeviceError<'TRANSPORT_UNAVAILABLE'> {
  override name = 'TransportUnavailableError'
  constructor(shortMessage: string, options: DeviceErrorOptions = {}) {
    super('TRANSPORT_UNAVAILABLE', shortMessage, options)
  }
}

/** A device answer no table knows, or one it knows only as a refusal: the raw code is kept so a user can report it. */
export class UnknownDeviceError extends DeviceError<'DEVICE_ERROR'> {
  override name = 'UnknownDeviceError'
  /** `shortMessage`: what the adapter knows of the refusal, when it knows more than "unknown". */
  constructor(options: DeviceErrorOptions & { shortMessage?: string } = {}) {
    const { shortMessage, ...rest } = options
    super('DEVICE_ERROR', shortMessage ?? `The ${options.wallet ?? 'device'} answered with an error this library does not know.`, {
      nextStep: 'Unlock the device, open the Ethereum app, retry; if it persists, report the device code above.',
      ...rest,
    })
  }
}

// ---- smart accounts and storage keys -------------------------------------------------------------

/** The storage key must come from a source other than the one given (or none was given). */
export class StorageKeySourceError extends XmtpSignersError<'STORAGE_KEY_SOURCE'> {
  override name = 'StorageKeySourceError'
  /** The `storageKey.source` that would work; `'owner-or-passphrase'` when either would. */
  readonly needed: 'signer' | 'owner' | 'passphrase' | 'owner-or-passphrase' | undefined
  constructor(shortMessage: string, options: XmtpSignersErrorOptions & { needed?: StorageKeySourceError['needed'] } = {}) {
    const { needed, ...rest } = options
    super('STORAGE_KEY_SOURCE', shortMessage, rest)
    this.needed = needed
  }
}

export class WrongChainError extends XmtpSignersError<'WRONG_CHAIN'> {
  override name = 'WrongChainError'
  readonly expectedChainId: number
  readonly actualChainId: number
  constructor(params: { expected: number; actual: number; what: string; cause?: unknown }) {
    super('WRONG_CHAIN', `${params.what} is on chain ${params.expected}, but the RPC serves chain ${params.actual}.`, {
      nextStep: `Point the rpcUrl option (or the client) at an RPC of chain ${params.expected}.`,
      cause: params.cause,
    })
    this.expectedChainId = params.expected
    this.actualChainId = params.actual
  }
}

/** The account contract did not accept a signature made for it (wrong owner, wrong chain, removed owner). */
export class SmartAccountRejectedError extends XmtpSignersError<'SMART_ACCOUNT_REJECTED'> {
  override name = 'SmartAccountRejectedError'
  constructor(what: string, details: string, options: XmtpSignersErrorOptions = {}) {
    super('SMART_ACCOUNT_REJECTED', `The smart account did not accept ${what}.`, {
      details,
      nextStep: 'Check that the owner signer is a current owner of the account, the scheme matches the account (safe, coinbase, erc7739, erc1271) and the RPC serves its chain. Nothing was stored.',
      ...options,
    })
  }
}

export class RpcUnavailableError extends XmtpSignersError<'RPC_UNAVAILABLE'> {
  override name = 'RpcUnavailableError'
  constructor(url: string, options: XmtpSignersErrorOptions = {}) {
    super('RPC_UNAVAILABLE', `The RPC at ${url} did not answer.`, {
      nextStep: 'Check the URL and that the node is running and reachable, then retry.',
      ...options,
    })
  }
}

/** A publish refused by an XMTP node that takes no writes: the v2 network has been read-only since XIP-53. */
export class NetworkReadOnlyError extends XmtpSignersError<'NETWORK_READ_ONLY'> {
  override name = 'NetworkReadOnlyError'
  constructor(location: string, options: Omit<XmtpSignersErrorOptions, 'nextStep'> = {}) {
    super('NETWORK_READ_ONLY', `The XMTP node at ${location} is read-only: the XMTP v2 network no longer accepts new identities (XIP-53, since 2025-06-23).`, {
      nextStep:
        'Nothing was published. An identity already stored on the network still unlocks (unlockIdentity with this store); to create one, store it in a FileKeyStore or IndexedDbKeyStore or on a node you run, or use XMTP v3 (toXmtpSigner).',
      ...options,
    })
  }
}

/** A worker thread of `ContactBundleVerifier` (xmtp-signers/verify-workers) did not start, stopped mid-batch, or its pool was closed. */
export class WorkerThreadError extends XmtpSignersError<'WORKER_THREAD_FAILED'> {
  override name = 'WorkerThreadError'
  /** `start`: no thread could start; `crash`: a thread stopped twice on the same bundles; `closed`: `close()` was called. */
  readonly reason: 'start' | 'crash' | 'closed'
  constructor(reason: WorkerThreadError['reason'], options: Omit<XmtpSignersErrorOptions, 'nextStep'> = {}) {
    const [shortMessage, nextStep] = WORKER_THREAD_TEXTS[reason]
    super('WORKER_THREAD_FAILED', shortMessage, { nextStep, ...options })
    this.reason = reason
  }
}

const WORKER_THREAD_TEXTS: Record<WorkerThreadError['reason'], readonly [string, string]> = {
  start: [
    'A contact-bundle verification thread could not start.',
    'Call verifyContactBundles (the main entry) instead: the same results, on this thread. To use threads, check the details: the package’s verifyWorker.js must sit beside verifyWorkers.js, and this runtime must allow worker_threads.',
  ],
  crash: [
    'A contact-bundle verification thread stopped while verifying, twice on the same bundles.',
    'Nothing from this call was cached. Retry it; if it stops again, verify these bundles with verifyContactBundles on this thread and report the details.',
  ],
  closed: ['This ContactBundleVerifier was closed.', 'Create a new ContactBundleVerifier, and call close() only after its last verify() has settled.'],
}

/**
 * The one class for each code: the `ErrorCode` union is its keys, so a new code is a new class here and
 * nowhere else. `ErrorOf<'SIGNER_BUSY'>` is the instance type a `code` check narrows to.
 */
export const ERROR_CLASSES = {
  INVALID_INPUT: InvalidInputError,
  INVALID_SIGNATURE: InvalidSignatureError,
  INVALID_KEY: InvalidKeyError,
  ACCOUNT_MISMATCH: AccountMismatchError<'ACCOUNT_MISMATCH'>,
  MALFORMED_BUNDLE: MalformedBundleError,
  BUNDLE_DECRYPTION_FAILED: BundleDecryptionError,
  FOREIGN_BUNDLE: ForeignBundleError,
  BUNDLE_VERIFICATION_FAILED: BundleVerificationError,
  UNOPENABLE_BUNDLE: UnopenableBundleError,
  IDENTITY_EXISTS: IdentityExistsError,
  NO_STORED_IDENTITY: NoStoredIdentityError,
  KEY_STORE: KeyStoreError,
  KEY_STORE_LOCKED: KeyStoreLockedError,
  USER_REJECTED: UserRejectedError,
  SIGNER_UNAVAILABLE: SignerUnavailableError,
  SIGNER_BUSY: SignerBusyError,
  SIGNER_DISCONNECTED: SignerDisconnectedError,
  SIGNER_CLOSED: SignerClosedError,
  SIGNER_TIMEOUT: SignerTimeoutError,
  ABORTED: OperationAbortedError,
  UNSUPPORTED_OPERATION: UnsupportedOperationError,
  MISSING_PACKAGE: MissingPackageError,
  DEVICE_LOCKED: DeviceLockedError,
  WRONG_APP: WrongAppError,
  DEVICE_MENU_OPEN: DeviceMenuOpenError,
  UNSUPPORTED_APP_VERSION: UnsupportedAppVersionError,
  DEVICE_NOT_FOUND: DeviceNotFoundError,
  DEVICE_PIN_REQUIRED: DevicePinRequiredError,
  TRANSPORT_UNAVAILABLE: TransportUnavailableError,
  DEVICE_ERROR: UnknownDeviceError,
  STORAGE_KEY_SOURCE: StorageKeySourceError,
  WRONG_CHAIN: WrongChainError,
  SMART_ACCOUNT_REJECTED: SmartAccountRejectedError,
  RPC_UNAVAILABLE: RpcUnavailableError,
  NETWORK_READ_ONLY: NetworkReadOnlyError,
  WORKER_THREAD_FAILED: WorkerThreadError,
} as const

export type ErrorCode = keyof typeof ERROR_CLASSES
export type ErrorOf<Code extends ErrorCode> = InstanceType<(typeof ERROR_CLASSES)[Code]>
