import { hexToBytes, toHex } from './bytes.js'
import { BundleVerificationError, ForeignBundleError, isXmtpSignersError, MalformedBundleError } from './errors.js'
import {
  decodeContactBundle,
  decodePublicKeyBundle,
  decodeSignedPublicKeyBundle,
  encodeUnsignedPublicKeyV1,
  privateMatchesPublic,
  publicBundleOf,
  type KeySignature,
  type PrivateKeyBundleV1,
  type PublicKeyBundleV1,
  type SignedPublicKeyBundle,
} from './keyBundle.js'
import { verifyIdentityKeySignature } from './keys.js'
import { formatAccountId, type AccountId } from './caip10.js'
import { hashPersonalMessage, recoverPersonalSignAddress, sameAddress, signatureFromCompact, type Address } from './signature.js'
import { createIdentityText } from './texts.js'

export type BundleFormat = 'PublicKeyBundle' | 'SignedPublicKeyBundle' | 'ContactBundleV1' | 'ContactBundleV2'

export type VerificationCheck = {
  readonly name: 'identity-attested-by-wallet' | 'expected-account' | 'prekey-signed-by-identity' | 'distinct-keys' | 'private-keys-match'
  readonly ok: boolean
  /** What was checked and, when it failed, why. */
  readonly detail: string
  /** Set when only an on-chain check can decide (a smart-account attestation verified offline). */
  readonly needsChain?: true
}

/** A smart account's attestation, with the digest its contract must accept (checked on chain). */
export type SmartAccountAttestation = {
  readonly account: AccountId
  readonly blockNumber: bigint
  readonly signature: Uint8Array
  /** EIP-191 digest of the "XMTP : Create Identity" text over the identity key. */
  readonly hash: Uint8Array
}

export type BundleVerification = {
  readonly valid: boolean
  readonly format: BundleFormat
  /** The account the wallet signature recovers to, when it recovers at all. */
  readonly walletAddress: Address | undefined
  /**
   * Whose keys were checked: the account whose signature attests `identityPublicKey` — the address an
   * EOA signature recovers to, or the smart account the bundle names (confirmed only on chain).
   * Without `expectedAddress` nobody compared it with anything: any well-formed signature recovers to
   * some address, even one nobody controls.
   */
  readonly attestedBy: Address | undefined
  /** The address the attestation was compared with, or `undefined` when none was given. */
  readonly expectedAddress: string | undefined
  /** The identity key the attestation covers (the keys a peer would encrypt to are this and `preKeyPublicKey`). */
  readonly identityPublicKey: Uint8Array
  readonly preKeyPublicKey: Uint8Array
  readonly checks: readonly VerificationCheck[]
  /** Present when a smart account attests the identity key: what an on-chain check must verify. */
  readonly smartAccount?: SmartAccountAttestation
}

export type VerifyOptions = {
  /** Also require the attestation to come from this account. */
  expectedAddress?: string
}

type KeyUnderTest = { keyBytes: Uint8Array; publicKey: Uint8Array; signature: KeySignature | undefined }

function recoverWalletAddress(
  key: KeyUnderTest,
  expectedKind: KeySignature['kind'] | 'any',
): { address?: Address; detail: string; smartAccount?: SmartAccountAttestation } {
  if (!key.signature) return { detail: 'the identity key carries no wallet signature' }
  if (key.signature.kind === 'smartAccount') {
    const { account, blockNumber, signature } = key.signature
    return {
      detail: `attested by the smart account ${formatAccountId(account)} at block ${blockNumber}: only its contract, on chain ${account.chainId}, can confirm it (verify with an RPC of that chain)`,
      smartAccount: { account, blockNumber, signature, hash: hashPersonalMessage(createIdentityText(key.keyBytes)) },
    }
  }
  if (expectedKind !== 'any' && key.signature.kind !== expectedKind) {
    return { detail: `the identity key is signed with ${key.signature.kind}, expected ${expectedKind}` }
  }
  try {
    const address = recoverPersonalSignAddress(createIdentityText(key.keyBytes), signatureFromCompact(key.signature.compact, key.signature.recovery))
    return { address, detail: `the "XMTP : Create Identity" signature recovers to ${address}` }
  } catch (error) {
    return { detail: `the wallet signature is unusable: ${isXmtpSignersError(error) ? (error.details ?? error.shortMessage) : String(error)}` }
  }
}

function verifyKeys(format: BundleFormat, identity: KeyUnderTest, preKey: KeyUnderTest, walletSignatureKind: KeySignature['kind'] | 'any', options: VerifyOptions): BundleVerification {
  const checks: VerificationCheck[] = []
  const wallet = recoverWalletAddress(identity, walletSignatureKind)
  checks.push({
    name: 'identity-attested-by-wallet',
    ok: wallet.address !== undefined,
    detail: wallet.detail,
    ...(wallet.smartAccount ? { needsChain: true as const } : {}),
  })
  if (options.expectedAddress !== undefined) {
    const attester = wallet.address ?? wallet.smartAccount?.account.address
    const ok = attester !== undefined && sameAddress(attester, options.expectedAddress)
    checks.push({
      name: 'expected-account',
      ok,
      detail: ok ? `attested by ${options.expectedAddress}` : `expected ${options.expectedAddress}, attested by ${attester ?? 'no account'}`,
    })
  }
  const preKeySigned =
    preKey.signature !== undefined &&
    preKey.signature.kind !== 'smartAccount' &&
    preKey.signature.kind === 'ecdsaCompact' &&
    verifyIdentityKeySignature(identity.publicKey, preKey.keyBytes, preKey.signature)
  checks.push({
    name: 'prekey-signed-by-identity',
    ok: preKeySigned,
    detail: preKeySigned
      ? 'the prekey is signed by the identity key (ECDSA over sha256 of its key bytes)'
      : !preKey.signature
        ? 'the prekey is not signed'
        : preKey.signature.kind !== 'ecdsaCompact'
          ? `the prekey is signed with ${preKey.signature.kind}, expected an identity-key ecdsaCompact signature`
          : 'the prekey signature does not verify against the identity key',
  })
  const distinct = toHex(identity.publicKey) !== toHex(preKey.publicKey)
  checks.push({ name: 'distinct-keys', ok: distinct, detail: distinct ? 'identity key and prekey differ' : 'the prekey is the identity key itself' })
  return {
    valid: checks.every((c) => c.ok),
    format,
    walletAddress: wallet.address,
    attestedBy: wallet.address ?? wallet.smartAccount?.account.address,
    expectedAddress: options.expectedAddress,
    identityPublicKey: identity.publicKey,
    preKeyPublicKey: preKey.publicKey,
    checks,
    ...(wallet.smartAccount ? { smartAccount: wallet.smartAccount } : {}),
  }
}

/** V1 `PublicKeyBundle`: the wallet attests the legacy identity key; the identity key signs the prekey. */
export function verifyPublicKeyBundle(bundle: PublicKeyBundleV1, options: VerifyOptions = {}, format: BundleFormat = 'PublicKeyBundle'): BundleVerification {
  const asKey = (k: PublicKeyBundleV1['identityKey']): KeyUnderTest => ({ keyBytes: encodeUnsignedPublicKeyV1(k), publicKey: k.publicKey, signature: k.signature })
  return verifyKeys(format, asKey(bundle.identityKey), asKey(bundle.preKey), 'any', options)
}

/** V2 `SignedPublicKeyBundle`: as V1, over the verbatim `key_bytes`; the wallet's signature must be marked as a wallet signature. */
export function verifySignedPublicKeyBundle(bundle: SignedPublicKeyBundle, options: VerifyOptions = {}, format: BundleFormat = 'SignedPublicKeyBundle'): BundleVerification {
  return verifyKeys(format, bundle.identityKey, bundle.preKey, 'walletEcdsaCompact', options)
}

/**
 * Verifies a public bundle given as bytes or hex. `format: 'auto'` tries, in order, a contact
 * bundle, a `SignedPublicKeyBundle` and a `PublicKeyBundle`, and takes the first that decodes.
 */
export function verifyEncodedBundle(input: Uint8Array | string, options: VerifyOptions & { format?: BundleFormat | 'auto' } = {}): BundleVerification {
  const bytes = typeof input === 'string' ? hexToBytes(input, 'bundle') : input
  const format = options.format ?? 'auto'
  const attempts: Record<BundleFormat | 'Contact', () => BundleVerification> = {
    Contact: () => {
      const contact = decodeContactBundle(bytes)
      return contact.version === 1
        ? verifyPublicKeyBundle(contact.keyBundle, options, 'ContactBundleV1')
        : verifySignedPublicKeyBundle(contact.keyBundle, options, 'ContactBundleV2')
    },
    ContactBundleV1: () => attempts.Contact(),
    ContactBundleV2: () => attempts.Contact(),
    SignedPublicKeyBundle: () => verifySignedPublicKeyBundle(decodeSignedPublicKeyBundle(bytes), options),
    PublicKeyBundle: () => verifyPublicKeyBundle(decodePublicKeyBundle(bytes), options),
  }
  if (format !== 'auto') {
    const result = attempts[format]()
    if (result.format !== format) throw new MalformedBundleError(format, `it is a ${result.format}`)
    return result
  }
  const reasons: string[] = []
  for (const name of ['Contact', 'SignedPublicKeyBundle', 'PublicKeyBundle'] as const) {
    try {
      return attempts[name]()
    } catch (error) {
      if (!isXmtpSignersError(error)) throw error
      reasons.push(`${name}: ${error.details ?? error.shortMessage}`)
    }
  }
  throw new MalformedBundleError('public key bundle', `not a contact bundle, SignedPublicKeyBundle or PublicKeyBundle (${reasons.join('; ')})`)
}

/** Confirms a smart account's attestation on chain (the smart-account signer provides it). */
export type SmartAccountCheck = (attestation: SmartAccountAttestation) => Promise<boolean>

/**
 * Checks a decrypted private bundle before it is used: the wallet attestation comes from `address`
 * (recovered, or for a smart account confirmed on chain by `checkSmartAccount`), every prekey is
 * signed by the identity key, every public key matches its private key.
 */
export async function verifyPrivateKeyBundle(bundle: PrivateKeyBundleV1, address: string, options: { checkSmartAccount?: SmartAccountCheck } = {}): Promise<void> {
  const report = verifyPublicKeyBundle(publicBundleOf(bundle), { expectedAddress: address })
  const attester = report.walletAddress ?? report.smartAccount?.account.address
  if (attester !== undefined && !sameAddress(attester, address)) {
    throw new ForeignBundleError({ expected: address, actual: attester })
  }
  const failures = report.checks.filter((c) => !c.ok && !c.needsChain).map((c) => c.detail)
  if (report.smartAccount) {
    const confirmed = options.checkSmartAccount ? await options.checkSmartAccount(report.smartAccount) : false
    if (!confirmed) {
      failures.push(
        options.checkSmartAccount
          ? `the smart account ${formatAccountId(report.smartAccount.account)} does not accept its attestation at block ${report.smartAccount.blockNumber}`
          : 'the identity is attested by a smart account and no on-chain check was given',
      )
    }
  }
  if (!privateMatchesPublic(bundle.identityKey)) failures.push('the identity private key does not match its public key')
  bundle.preKeys.forEach((preKey, i) => {
    if (!privateMatchesPublic(preKey)) failures.push(`prekey ${i}: the private key does not match its public key`)
    if (i > 0) {
      const signed =
        preKey.publicKey.signature?.kind === 'ecdsaCompact' &&
        verifyIdentityKeySignature(bundle.identityKey.publicKey.publicKey, encodeUnsignedPublicKeyV1(preKey.publicKey), preKey.publicKey.signature)
      if (!signed) failures.push(`prekey ${i} is not signed by the identity key`)
    }
  })
  if (failures.length > 0) throw new BundleVerificationError('private key bundle', failures)
}
