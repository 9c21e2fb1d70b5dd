/**
 * Every failure a user can meet is one of these classes: a short message, optional details, and the
 * next step. Match on `code` (stable strings) rather than `instanceof` across package copies.
 */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_SIGNATURE'
  | 'INVALID_KEY'
  | 'ACCOUNT_MISMATCH'
  | 'MALFORMED_BUNDLE'
  | 'BUNDLE_DECRYPTION_FAILED'
  | 'FOREIGN_BUNDLE'
  | 'BUNDLE_VERIFICATION_FAILED'
  | 'IDENTITY_EXISTS'
  | 'NO_STORED_IDENTITY'
  | 'KEY_STORE'
  | 'KEY_STORE_LOCKED'
  | 'USER_REJECTED'
  | 'SIGNER_UNAVAILABLE'
  | 'SIGNER_BUSY'
  | 'SIGNER_DISCONNECTED'
  | 'SIGNER_TIMEOUT'
  | 'UNSUPPORTED_OPERATION'

export type XmtpSignersErrorOptions = {
  /** What exactly went wrong, for logs and `--json` output. Never a secret. */
  details?: string
  /** What the user should do next. */
  nextStep?: string
  cause?: unknown
}

export class XmtpSignersError extends Error {
  override name = 'XmtpSignersError'
  readonly code: ErrorCode
  readonly shortMessage: string
  readonly details: string | undefined
  readonly nextStep: string | undefined

  constructor(code: ErrorCode, shortMessage: string, options: XmtpSignersErrorOptions = {}) {
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

export function isXmtpSignersError(error: unknown): error is XmtpSignersError {
  return (
    error instanceof Error &&
    typeof (error as Partial<XmtpSignersError>).code === 'string' &&
    typeof (error as Partial<XmtpSignersError>).shortMessage === 'string'
  )
}

export class InvalidInputError extends XmtpSignersError {
  override name = 'InvalidInputError'
  constructor(shortMessage: string, options: XmtpSignersErrorOptions = {}) {
    super('INVALID_INPUT', shortMessage, options)
  }
}

/** A wallet signature that is not a well-formed 65-byte secp256k1 signature. */
export class InvalidSignatureError extends XmtpSignersError {
  override name = 'InvalidSignatureError'
  constructor(details: string, options: Omit<XmtpSignersErrorOptions, 'details'> = {}) {
    super('INVALID_SIGNATURE', 'The wallet returned a signature that is not a valid Ethereum signature.', {
      details,
      nextStep: 'Retry; if it persists, the wallet or its firmware is not supported, so report it with the details above.',
      ...options,
    })
  }
}

export class InvalidKeyError extends XmtpSignersError {
  override name = 'InvalidKeyError'
  constructor(details: string, options: Omit<XmtpSignersErrorOptions, 'details'> = {}) {
    super('INVALID_KEY', 'A key is not a valid secp256k1 key.', { details, ...options })
  }
}

/** A signature, or a stored identity, that belongs to another account than the one in use. */
export class AccountMismatchError extends XmtpSignersError {
  override name = 'AccountMismatchError'
  readonly expectedAddress: string
  readonly actualAddress: string
  constructor(params: { expected: string; actual: string; what: string; nextStep?: string; code?: 'ACCOUNT_MISMATCH' | 'FOREIGN_BUNDLE' }) {
    super(params.code ?? 'ACCOUNT_MISMATCH', `${params.what} comes from ${params.actual}, not from the account in use, ${params.expected}.`, {
      details: `expected ${params.expected}, recovered ${params.actual}`,
      nextStep:
        params.nextStep ??
        'Check that the wallet has the intended account selected (for hardware wallets: the same seed and derivation path) and try again.',
    })
    this.expectedAddress = params.expected
    this.actualAddress = params.actual
  }
}

export class MalformedBundleError extends XmtpSignersError {
  override name = 'MalformedBundleError'
  constructor(what: string, details: string, options: Omit<XmtpSignersErrorOptions, 'details'> = {}) {
    super('MALFORMED_BUNDLE', `The ${what} is not readable: it is truncated, corrupt, or not a ${what}.`, {
      details,
      nextStep: `Check that the input is the whole ${what}, as bytes or hex; nothing was changed.`,
      ...options,
    })
  }
}

export class BundleDecryptionError extends XmtpSignersError {
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
export class ForeignBundleError extends AccountMismatchError {
  override name = 'ForeignBundleError'
  constructor(params: { expected: string; actual: string }) {
    super({
      ...params,
      what: 'The stored identity',
      nextStep: 'This bundle was made for another account; it was left untouched. Unlock it with that account.',
      code: 'FOREIGN_BUNDLE',
    })
  }
}

export class BundleVerificationError extends XmtpSignersError {
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

export class IdentityExistsError extends XmtpSignersError {
  override name = 'IdentityExistsError'
  readonly storageTopic: string
  constructor(storageTopic: string, where?: string) {
    super('IDENTITY_EXISTS', 'An XMTP identity is already stored for this account; it was not replaced.', {
      details: `${storageTopic}${where ? ` in ${where}` : ''}`,
      nextStep: 'Unlock the existing identity instead (`xmtp-signers unlock`). Replacing it would orphan its message history.',
    })
    this.storageTopic = storageTopic
  }
}

export class NoStoredIdentityError extends XmtpSignersError {
  override name = 'NoStoredIdentityError'
  constructor(storageTopic: string, where?: string) {
    super('NO_STORED_IDENTITY', 'No XMTP identity is stored for this account.', {
      details: `${storageTopic}${where ? ` in ${where}` : ''}`,
      nextStep: 'Create one first (`xmtp-signers create`), or point to the store or file that holds it.',
    })
  }
}

export class KeyStoreError extends XmtpSignersError {
  override name = 'KeyStoreError'
  constructor(shortMessage: string, options: XmtpSignersErrorOptions = {}) {
    super('KEY_STORE', shortMessage, options)
  }
}

export class KeyStoreLockedError extends XmtpSignersError {
  override name = 'KeyStoreLockedError'
  constructor(details: string, nextStep: string) {
    super('KEY_STORE_LOCKED', 'Another process is creating or updating the identity for this account.', { details, nextStep })
  }
}

export class UserRejectedError extends XmtpSignersError {
  override name = 'UserRejectedError'
  constructor(options: XmtpSignersErrorOptions = {}) {
    super('USER_REJECTED', 'The signature request was rejected in the wallet.', {
      nextStep: 'Nothing was stored. Run the command again and approve the request to continue.',
      ...options,
    })
  }
}

export class SignerTimeoutError extends XmtpSignersError {
  override name = 'SignerTimeoutError'
  constructor(timeoutMs: number, what: string) {
    super('SIGNER_TIMEOUT', `The wallet did not answer the ${what} request within ${Math.round(timeoutMs / 1000)} s.`, {
      nextStep: 'Look at the wallet or device for a pending request, dismiss it, and run the command again. Nothing was stored.',
    })
  }
}

export class UnsupportedOperationError extends XmtpSignersError {
  override name = 'UnsupportedOperationError'
  constructor(shortMessage: string, options: XmtpSignersErrorOptions = {}) {
    super('UNSUPPORTED_OPERATION', shortMessage, options)
  }
}
