/**
 * One class per error code (issue 11): the `ErrorCode` union is the keys of ERROR_CLASSES, every code's
 * instances are exactly its class and carry the code, renamed classes keep their old names as the same
 * class, and every message says what to do next.
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  AccountMismatchError,
  BundleDecryptionError,
  BundleVerificationError,
  DeviceBusyError,
  DeviceDisconnectedError,
  DeviceError,
  DeviceLockedError,
  DeviceMenuOpenError,
  DeviceNotFoundError,
  DevicePinRequiredError,
  ERROR_CLASSES,
  ForeignBundleError,
  IdentityExistsError,
  InvalidInputError,
  InvalidKeyError,
  InvalidSignatureError,
  isXmtpSignersError,
  KeyStoreError,
  KeyStoreLockedError,
  MalformedBundleError,
  NoStoredIdentityError,
  OperationAbortedError,
  RpcUnavailableError,
  SignerBusyError,
  SignerClosedError,
  SignerDisconnectedError,
  SignerTimeoutError,
  SignerUnavailableError,
  SmartAccountRejectedError,
  StorageKeySourceError,
  TransportUnavailableError,
  UnknownDeviceError,
  UnopenableBundleError,
  UnsupportedAppVersionError,
  UnsupportedOperationError,
  MissingPackageError,
  NetworkReadOnlyError,
  UserRejectedError,
  WorkerThreadError,
  WrongAppError,
  WrongChainError,
  XmtpSignersError,
  type ErrorCode,
  type ErrorOf,
} from '../src/errors.js'

const A = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const B = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
const cause = new Error('the underlying failure')

/** The smallest construction of each code's class, `cause` given wherever the class takes options. A code without one fails to compile. */
const EXAMPLES: { [Code in ErrorCode]: () => ErrorOf<Code> } = {
  INVALID_INPUT: () => new InvalidInputError('The input is not valid.', { nextStep: 'Pass a valid input.', cause }),
  INVALID_SIGNATURE: () => new InvalidSignatureError('64 bytes', { cause }),
  INVALID_KEY: () => new InvalidKeyError('the private key is zero', { nextStep: 'Pass a 32-byte key.', cause }),
  ACCOUNT_MISMATCH: () => new AccountMismatchError({ expected: A, actual: B, what: 'The signature', cause }),
  MALFORMED_BUNDLE: () => new MalformedBundleError('contact bundle', 'truncated', { cause }),
  BUNDLE_DECRYPTION_FAILED: () => new BundleDecryptionError({ cause }),
  FOREIGN_BUNDLE: () => new ForeignBundleError({ expected: A, actual: B, cause }),
  BUNDLE_VERIFICATION_FAILED: () => new BundleVerificationError('contact bundle', ['the prekey is not signed by the identity key']),
  UNOPENABLE_BUNDLE: () => new UnopenableBundleError('the decoder refused it', { cause }),
  IDENTITY_EXISTS: () => new IdentityExistsError('/xmtp/0/privatestore-x/key_bundle/proto'),
  NO_STORED_IDENTITY: () => new NoStoredIdentityError('/xmtp/0/privatestore-x/key_bundle/proto'),
  KEY_STORE: () => new KeyStoreError('The key store could not be read.', { nextStep: 'Check the directory permissions.', cause }),
  KEY_STORE_LOCKED: () => new KeyStoreLockedError('held by pid 1', 'Wait for the other process, then retry.'),
  USER_REJECTED: () => new UserRejectedError({ cause }),
  SIGNER_UNAVAILABLE: () => new SignerUnavailableError('The wallet failed to sign.', { nextStep: 'Check the wallet is connected.', cause }),
  SIGNER_BUSY: () => new SignerBusyError({ wallet: 'Ledger', cause }),
  SIGNER_DISCONNECTED: () => new SignerDisconnectedError({ wallet: 'Ledger', cause }),
  SIGNER_CLOSED: () => new SignerClosedError({ wallet: 'Trezor', cause }),
  SIGNER_TIMEOUT: () => new SignerTimeoutError(60_000, 'enable-identity', 'wallet', { cause }),
  ABORTED: () => new OperationAbortedError('identity creation', { cause }),
  UNSUPPORTED_OPERATION: () => new UnsupportedOperationError('The wallet cannot sign typed data.', { nextStep: 'Use personal_sign.', cause }),
  MISSING_PACKAGE: () => new MissingPackageError({ packages: ['viem'], feature: 'xmtp-signers/smart-account', cause }),
  NETWORK_READ_ONLY: () => new NetworkReadOnlyError('http://127.0.0.1:5555', { details: 'HTTP 403', cause }),
  DEVICE_LOCKED: () => new DeviceLockedError({ wallet: 'Ledger', deviceCode: '0x5515', cause }),
  WRONG_APP: () => new WrongAppError({ wallet: 'Ledger', openApp: 'Bitcoin', cause }),
  DEVICE_MENU_OPEN: () => new DeviceMenuOpenError({ wallet: 'Ledger', cause }),
  UNSUPPORTED_APP_VERSION: () => new UnsupportedAppVersionError('1.0.0', '1.9.19', { wallet: 'Ledger', cause }),
  DEVICE_NOT_FOUND: () => new DeviceNotFoundError({ wallet: 'Trezor', cause }),
  DEVICE_PIN_REQUIRED: () => new DevicePinRequiredError('PIN', { wallet: 'Trezor', cause }),
  TRANSPORT_UNAVAILABLE: () => new TransportUnavailableError('WebHID is not available here.', { nextStep: 'Use a Chromium browser.', cause }),
  DEVICE_ERROR: () => new UnknownDeviceError({ wallet: 'Ledger', deviceCode: '0x6f42', cause }),
  STORAGE_KEY_SOURCE: () => new StorageKeySourceError('This identity’s storage key comes from a passphrase.', { needed: 'passphrase', nextStep: 'Unlock with the passphrase.', cause }),
  WRONG_CHAIN: () => new WrongChainError({ expected: 1, actual: 8453, what: 'The account', cause }),
  SMART_ACCOUNT_REJECTED: () => new SmartAccountRejectedError('its signature', 'at block 1', { cause }),
  RPC_UNAVAILABLE: () => new RpcUnavailableError('http://127.0.0.1:1', { cause }),
  WORKER_THREAD_FAILED: () => new WorkerThreadError('crash', { details: 'exit code 1', cause }),
}

// Classes whose message the caller words (a generic refusal): the caller gives the next step too.
const CALLER_WORDED = new Set<ErrorCode>(['INVALID_INPUT', 'INVALID_KEY', 'KEY_STORE', 'KEY_STORE_LOCKED', 'SIGNER_UNAVAILABLE', 'UNSUPPORTED_OPERATION', 'TRANSPORT_UNAVAILABLE', 'STORAGE_KEY_SOURCE'])
// Classes that wrap nothing: their failure is found by this library, not caught from below.
const NO_CAUSE = new Set<ErrorCode>(['BUNDLE_VERIFICATION_FAILED', 'IDENTITY_EXISTS', 'NO_STORED_IDENTITY', 'KEY_STORE_LOCKED'])

const CODES = Object.keys(ERROR_CLASSES) as ErrorCode[]

describe('one class per error code', () => {
  it('ERROR_CLASSES maps each code to its own class: no class serves two codes', () => {
    expect(CODES.length).toBe(Object.keys(EXAMPLES).length)
    expect(new Set(Object.values(ERROR_CLASSES)).size).toBe(CODES.length)
    expectTypeOf<ErrorCode>().toEqualTypeOf<keyof typeof ERROR_CLASSES>()
  })

  for (const code of CODES) {
    it(`${code}: its instances are exactly ${ERROR_CLASSES[code].name}, carry the code, chain the cause, say what to do`, () => {
      const error = EXAMPLES[code]()
      expect(Object.getPrototypeOf(error)).toBe(ERROR_CLASSES[code].prototype)
      expect(error).toBeInstanceOf(XmtpSignersError)
      expect(error.code).toBe(code)
      expect(isXmtpSignersError(error)).toBe(true)
      expect(isXmtpSignersError(error, code)).toBe(true)
      expect(CODES.filter((other) => isXmtpSignersError(error, other))).toEqual([code])
      expect(error.nextStep ?? '', `${code} must say what to do next`).toMatch(/\w+ \w+/)
      expect(error.message).toContain(`What to do: ${error.nextStep}`)
      if (!NO_CAUSE.has(code)) expect(error.cause).toBe(cause)
    })
  }

  it('every class not worded by its caller has its own next step', () => {
    const minimal: { [Code in ErrorCode]?: () => XmtpSignersError } = {
      INVALID_SIGNATURE: () => new InvalidSignatureError('64 bytes'),
      ACCOUNT_MISMATCH: () => new AccountMismatchError({ expected: A, actual: B, what: 'The signature' }),
      MALFORMED_BUNDLE: () => new MalformedBundleError('bundle', 'truncated'),
      BUNDLE_DECRYPTION_FAILED: () => new BundleDecryptionError(),
      FOREIGN_BUNDLE: () => new ForeignBundleError({ expected: A, actual: B }),
      UNOPENABLE_BUNDLE: () => new UnopenableBundleError('refused'),
      USER_REJECTED: () => new UserRejectedError(),
      SIGNER_BUSY: () => new SignerBusyError(),
      SIGNER_DISCONNECTED: () => new SignerDisconnectedError(),
      SIGNER_CLOSED: () => new SignerClosedError(),
      SIGNER_TIMEOUT: () => new SignerTimeoutError(1_000, 'create-identity'),
      ABORTED: () => new OperationAbortedError('unlock'),
      MISSING_PACKAGE: () => new MissingPackageError({ packages: ['viem'], feature: 'xmtp-signers/viem' }),
      NETWORK_READ_ONLY: () => new NetworkReadOnlyError('http://127.0.0.1:1'),
      DEVICE_LOCKED: () => new DeviceLockedError(),
      WRONG_APP: () => new WrongAppError(),
      DEVICE_MENU_OPEN: () => new DeviceMenuOpenError(),
      UNSUPPORTED_APP_VERSION: () => new UnsupportedAppVersionError('1.0.0', '1.9.19'),
      DEVICE_NOT_FOUND: () => new DeviceNotFoundError(),
      DEVICE_PIN_REQUIRED: () => new DevicePinRequiredError('passphrase'),
      DEVICE_ERROR: () => new UnknownDeviceError(),
      WRONG_CHAIN: () => new WrongChainError({ expected: 1, actual: 2, what: 'The account' }),
      SMART_ACCOUNT_REJECTED: () => new SmartAccountRejectedError('it', 'at block 1'),
      RPC_UNAVAILABLE: () => new RpcUnavailableError('http://127.0.0.1:1'),
      BUNDLE_VERIFICATION_FAILED: () => new BundleVerificationError('bundle', ['bad']),
      IDENTITY_EXISTS: () => new IdentityExistsError('topic'),
      NO_STORED_IDENTITY: () => new NoStoredIdentityError('topic'),
      WORKER_THREAD_FAILED: () => new WorkerThreadError('start'),
    }
    expect(CODES.filter((code) => !minimal[code]).sort()).toEqual([...CALLER_WORDED].sort())
    for (const [code, make] of Object.entries(minimal)) expect(make().nextStep, code).toMatch(/\w+ \w+ \w+/)
  })

  it('a code check narrows to the class: its own fields and its code literal', () => {
    const error: unknown = EXAMPLES.WRONG_CHAIN()
    if (!isXmtpSignersError(error, 'WRONG_CHAIN')) throw new Error('expected WRONG_CHAIN')
    expectTypeOf(error).toEqualTypeOf<WrongChainError>()
    expectTypeOf(error.code).toEqualTypeOf<'WRONG_CHAIN'>()
    expect(error.expectedChainId).toBe(1)
    expectTypeOf<ErrorOf<'SIGNER_BUSY'>>().toEqualTypeOf<SignerBusyError>()
    expectTypeOf<ErrorOf<'FOREIGN_BUNDLE'>['code']>().toEqualTypeOf<'FOREIGN_BUNDLE'>()
    expectTypeOf<ErrorOf<'STORAGE_KEY_SOURCE'>['needed']>().toEqualTypeOf<'signer' | 'owner' | 'passphrase' | 'owner-or-passphrase' | undefined>()
  })

  it('the old class names are the same classes (deprecated aliases), and keep their names on instances', () => {
    expect(DeviceBusyError).toBe(SignerBusyError)
    expect(DeviceDisconnectedError).toBe(SignerDisconnectedError)
    const busy = new DeviceBusyError({ wallet: 'Ledger' })
    expect(busy).toBeInstanceOf(SignerBusyError)
    expect(busy).toBeInstanceOf(DeviceError)
    expect(busy).toMatchObject({ code: 'SIGNER_BUSY', name: 'DeviceBusyError' })
    expect(new DeviceDisconnectedError()).toMatchObject({ code: 'SIGNER_DISCONNECTED', name: 'DeviceDisconnectedError' })
  })

  it('a closed signer has its own code, not SIGNER_DISCONNECTED', () => {
    expect(new SignerClosedError({ wallet: 'Trezor' })).toMatchObject({ code: 'SIGNER_CLOSED', name: 'SignerClosedError', shortMessage: 'This Trezor signer was closed.' })
    expect(new SignerClosedError().shortMessage).toBe('This signer was closed.')
  })

  it('engine messages name API options, never this CLI’s flags or commands', () => {
    for (const code of CODES) {
      const { message } = EXAMPLES[code]()
      expect(message, code).not.toMatch(/(^|\s|\()--[a-z]|xmtp-signers (create|unlock|verify)|Ledger Live|Trezor Suite|BOLOS/)
    }
    expect(new WrongChainError({ expected: 1, actual: 2, what: 'The account' }).nextStep).toContain('rpcUrl')
    expect(new IdentityExistsError('topic').nextStep).toContain('unlockIdentity')
  })
})
