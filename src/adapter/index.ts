// xmtp-signers/adapter: exactly what a wallet adapter needs — signature checks, typed-data hashing,
// abort and timeout helpers, the device error classes and actions, derivation paths — and nothing else.
import { AccountMismatchError } from '../errors.js'
import { derivationPath, formatDerivationPath, parseDerivationPath, type DerivationScheme } from '../derivationPaths.js'
import { checksumAddress, normalizeSignature, publicKeyToAddress, recoverPublicKey, sameAddress, type Address } from '../signature.js'

export type { Signer, SignOptions, SignerCapabilities, SignerKind, Reproducibility, TypedData, TypedDataDomain, TypedDataField } from '../signer.js'
export { concatBytes, hexToBytes, isHex, randomBytes, toHex, to0xHex, utf8, type Hex } from '../bytes.js'
export { checksumAddress, hashPersonalMessage, normalizeSignature, publicKeyToAddress, recoverPublicKey, sameAddress, type Address, type WalletSignature } from '../signature.js'
export { hashDomain, hashTypedData, hashTypedMessage, typedDataToJson, withEip712DomainType, TYPED_DATA_LIMITS } from '../typedData.js'
export { abortable, abortReason, MAX_TIMEOUT_MS, throwIfAborted, validTimeoutMs, withDeadline, withTimeout } from '../timeout.js'
export { DERIVATION_SCHEMES, derivationPath, describeDerivationPath, formatDerivationPath, parseDerivationPath, type DerivationScheme } from '../derivationPaths.js'
export {
  AccountMismatchError,
  DeviceBusyError,
  DeviceDisconnectedError,
  DeviceError,
  DeviceLockedError,
  DeviceMenuOpenError,
  DeviceNotFoundError,
  DevicePinRequiredError,
  InvalidInputError,
  InvalidKeyError,
  isXmtpSignersError,
  MissingPackageError,
  OperationAbortedError,
  SignerBusyError,
  SignerClosedError,
  SignerDisconnectedError,
  SignerTimeoutError,
  SignerUnavailableError,
  TransportUnavailableError,
  UnknownDeviceError,
  UnsupportedAppVersionError,
  UnsupportedOperationError,
  UserRejectedError,
  WrongAppError,
  XmtpSignersError,
  type DeviceErrorOptions,
  type ErrorCode,
} from '../errors.js'
export { TEST_MNEMONIC } from './testMnemonic.js'
export { discoverAccounts, discoveryRequest, type AccountDiscoveryRequest, type AccountSource, type DiscoveredAccount } from './accounts.js'
export { assertSecretKey, publicKeyOf } from '../keys.js'
export { identifyWalletObject } from '../signerGuard.js'
export { optionalPackage, isModuleNotFound, type OptionalPackage } from './optionalPackage.js'

/**
 * What a hardware wallet is showing or waiting for, so a UI can tell the person exactly what to do.
 * Every hardware adapter reports these through its `onDeviceAction` option; `done` ends each request.
 */
export type DeviceAction =
  | { readonly kind: 'confirm-address'; readonly path: string; readonly address: string }
  | { readonly kind: 'sign-message'; readonly path: string; readonly text: string }
  | { readonly kind: 'sign-typed-data'; readonly path: string; readonly primaryType: string; readonly mode?: 'full' | 'hashed' }
  /** The request was aborted or timed out while the device still shows it and cannot be cancelled from here: reject it there. */
  | { readonly kind: 'reject-on-device'; readonly path: string; readonly what: string }
  /** The device is locked: the person enters the PIN on it (the request goes on once it is unlocked). */
  | { readonly kind: 'unlock-device' }
  /** The device asks the person to allow opening `app` (the dashboard or another app was in front). */
  | { readonly kind: 'open-app'; readonly app: string }
  | { readonly kind: 'done' }

/** Which account of a seed a hardware adapter opens: an explicit path, else scheme + index. */
export type AccountSelection = {
  /** Explicit path, e.g. m/44'/60'/0'/0/0; else `scheme` + `index` (default Ledger Live, index 0). */
  readonly path?: string
  readonly scheme?: DerivationScheme
  readonly index?: number
  /** Refuse to open unless the device derives this account at the path (wrong seed, wrong path). */
  readonly expectedAddress?: string
}

/** The selection's path in its one written form (`m/44'/60'/0'/0/0`); a malformed path is `InvalidInputError`. */
export function selectedPath(selection: AccountSelection): string {
  return formatDerivationPath(parseDerivationPath(selection.path ?? derivationPath(selection.scheme ?? 'live', selection.index ?? 0)))
}

/**
 * The one "signed by this account" check: normalizes the wallet's signature (65 bytes, v 27/28, low s),
 * recovers the signer from `digest`, and throws `AccountMismatchError` naming both accounts unless it is
 * `account`. `claimed` is the address the wallet said it signed with, when it says one.
 */
export function expectSignedBy(params: { account: Address; digest: Uint8Array; signature: Uint8Array | string; what: string; claimed?: string; nextStep?: string }): Uint8Array {
  const { account, digest, what } = params
  const step = params.nextStep === undefined ? {} : { nextStep: params.nextStep }
  if (params.claimed !== undefined && !sameAddress(params.claimed, account)) {
    throw new AccountMismatchError({ expected: account, actual: checksumAddress(params.claimed), what, ...step })
  }
  const signature = normalizeSignature(params.signature)
  const signer = publicKeyToAddress(recoverPublicKey(digest, signature))
  if (!sameAddress(signer, account)) throw new AccountMismatchError({ expected: account, actual: signer, what, ...step })
  return signature.bytes
}

/** Throws `AccountMismatchError` unless the device's `reported` address is `account` (after a reconnect, on screen). */
export function expectSameAccount(params: { account: Address; reported: string; what: string; nextStep?: string }): void {
  if (sameAddress(params.reported, params.account)) return
  throw new AccountMismatchError({
    expected: params.account,
    actual: checksumAddress(params.reported),
    what: params.what,
    ...(params.nextStep === undefined ? {} : { nextStep: params.nextStep }),
  })
}
