import { equalBytes, hexToBytes, toHex } from './bytes.js'
import { curve, hashes } from './crypto/backend.js'
import { BundleVerificationError, ForeignBundleError, InvalidInputError, isXmtpSignersError, MalformedBundleError, type XmtpSignersError } from './errors.js'
import {
  decodeContactBundle,
  decodePublicKeyBundle,
  decodeSignedPublicKeyBundle,
  encodeUnsignedPublicKeyV1,
  privateMatchesPublic,
  publicBundleOf,
  type KeySignature,
  type PrivateKeyBundleV1,
  type PrivateKeyV1,
  type PublicKeyBundleV1,
  type SignedPublicKeyBundle,
} from './keyBundle.js'
import { isOwnDeterministicSignature, verifyIdentityKeySignature } from './keys.js'
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

function expectedAccountCheck(attester: Address | undefined, expectedAddress: string): VerificationCheck {
  const ok = attester !== undefined && sameAddress(attester, expectedAddress)
  return { name: 'expected-account', ok, detail: ok ? `attested by ${expectedAddress}` : `expected ${expectedAddress}, attested by ${attester ?? 'no account'}` }
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
  if (options.expectedAddress !== undefined) checks.push(expectedAccountCheck(wallet.address ?? wallet.smartAccount?.account.address, options.expectedAddress))
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

/** The prekey is signed by the identity key: re-signing (RFC 6979) and comparing costs a third of verifying. */
function signedByIdentityKey(identityKey: PrivateKeyV1, preKey: PrivateKeyV1): boolean {
  const signature = preKey.publicKey.signature
  if (signature?.kind !== 'ecdsaCompact') return false
  const keyBytes = encodeUnsignedPublicKeyV1(preKey.publicKey)
  return isOwnDeterministicSignature(identityKey.secretKey, keyBytes, signature) || verifyIdentityKeySignature(identityKey.publicKey.publicKey, keyBytes, signature)
}

/**
 * Everything the full check proves, with the fewest curve operations: the attestation checked against
 * the account key a signature already recovered to `address`; each private key derives its public key;
 * each prekey signature re-made by the identity key. False means "not proved this way", never "invalid".
 */
function provedWithAccountKey(bundle: PrivateKeyBundleV1, address: string, accountPublicKey: Uint8Array): boolean {
  const { identityKey, preKeys } = bundle
  const attestation = identityKey.publicKey.signature
  if (attestation === undefined || attestation.kind === 'smartAccount' || (attestation.recovery !== 0 && attestation.recovery !== 1)) return false
  if (preKeys.length === 0 || equalBytes(identityKey.publicKey.publicKey, preKeys[0]!.publicKey.publicKey)) return false
  // The account key must be the address's: a caller's stale key must not vouch for another account.
  if (accountPublicKey.length !== 65 || accountPublicKey[0] !== 4 || !sameAddress(addressOfKey(accountPublicKey), address)) return false
  const digest = hashPersonalMessage(createIdentityText(encodeUnsignedPublicKeyV1(identityKey.publicKey)))
  if (!curve.verify(digest, attestation.compact, attestation.recovery, accountPublicKey)) return false
  if (!privateMatchesPublic(identityKey)) return false
  return preKeys.every((preKey) => privateMatchesPublic(preKey) && signedByIdentityKey(identityKey, preKey))
}

function addressOfKey(publicKey: Uint8Array): string {
  return `0x${toHex(hashes.keccak256(publicKey.subarray(1)).subarray(12))}`
}

/** Confirms a smart account's attestation on chain (the smart-account signer provides it). */
export type SmartAccountCheck = (attestation: SmartAccountAttestation) => Promise<boolean>

/**
 * Checks a decrypted private bundle before it is used: the wallet attestation comes from `address`
 * (recovered, or for a smart account confirmed on chain by `checkSmartAccount`), every prekey is
 * signed by the identity key, every public key matches its private key.
 */
export async function verifyPrivateKeyBundle(
  bundle: PrivateKeyBundleV1,
  address: string,
  options: { checkSmartAccount?: SmartAccountCheck; accountPublicKey?: Uint8Array } = {},
): Promise<void> {
  if (options.accountPublicKey && provedWithAccountKey(bundle, address, options.accountPublicKey)) return
  // The full check: slower, and it names every failure.
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

/** One bundle's outcome in `verifyContactBundles`: its verification, or why it could not be read. */
export type ContactBundleResult =
  | { readonly decoded: true; readonly verification: BundleVerification }
  | { readonly decoded: false; readonly error: XmtpSignersError }

/** Set by BundleVerificationCache's static block (declared first: the block runs when the class is defined). */
let cacheAccess: {
  lookup(cache: BundleVerificationCache, key: string): ContactBundleResult | undefined
  remember(cache: BundleVerificationCache, key: string, result: ContactBundleResult): void
}

/**
 * Remembers verifications by the bundle's bytes, for servers and indexers that see the same contacts
 * again. Bounded: the oldest entry goes when `maxEntries` is reached.
 */
export class BundleVerificationCache {
  readonly maxEntries: number
  readonly #entries = new Map<string, ContactBundleResult>()
  #hits = 0
  #misses = 0

  constructor(options: { maxEntries?: number } = {}) {
    const maxEntries = options.maxEntries ?? 100_000
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new InvalidInputError('The cache size must be a whole number of entries, at least 1.', {
        details: `maxEntries: ${String(options.maxEntries)}`,
        nextStep: 'Pass maxEntries as a positive integer, or leave it out (100,000).',
      })
    }
    this.maxEntries = maxEntries
  }

  get size(): number {
    return this.#entries.size
  }
  get stats(): { hits: number; misses: number } {
    return { hits: this.#hits, misses: this.#misses }
  }

  /** The result for these bytes read as `format`, verified now unless a previous call already did. */
  resultFor(bytes: Uint8Array, format: string, verify: () => ContactBundleResult): ContactBundleResult {
    const key = cacheKeyOf(bytes, format)
    const found = this.#lookup(key)
    if (found) return found
    const result = verify()
    this.#remember(key, result)
    return result
  }

  #lookup(key: string): ContactBundleResult | undefined {
    const found = this.#entries.get(key)
    if (found) this.#hits++
    else this.#misses++
    return found
  }

  #remember(key: string, result: ContactBundleResult): void {
    if (this.#entries.has(key)) return
    if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!)
    this.#entries.set(key, result)
  }

  clear(): void {
    this.#entries.clear()
  }

  static {
    // verifyWorkers.ts verifies on other threads, so it reads and fills the cache apart (same keys, same counts).
    cacheAccess = {
      lookup: (cache, key) => cache.#lookup(key),
      remember: (cache, key, result) => cache.#remember(key, result),
    }
  }
}

/** The key `resultFor` files these bytes read as `format` under: the bytes themselves, not a hash, so no collision can return another bundle's result. */
export function cacheKeyOf(bytes: Uint8Array, format: string): string {
  return format + ':' + bytesAsKey(bytes)
}

/** For verifyWorkers.ts: the cached result under `key` (cacheKeyOf), counted as a hit or a miss as `resultFor` counts. */
export function lookupCachedResult(cache: BundleVerificationCache, key: string): ContactBundleResult | undefined {
  return cacheAccess.lookup(cache, key)
}

/** For verifyWorkers.ts: stores a result verified on another thread, frozen as `verifyContactBundles` stores its own; returns it frozen. */
export function rememberResult(cache: BundleVerificationCache, key: string, result: ContactBundleResult): ContactBundleResult {
  const frozen = freezeResult(result)
  cacheAccess.remember(cache, key, frozen)
  return frozen
}

/** The bytes as a string, one character per byte (injective, and cheaper to build than hex), in chunks that stay under the argument limit. */
function bytesAsKey(bytes: Uint8Array): string {
  let key = ''
  for (let i = 0; i < bytes.length; i += 8192) key += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[])
  return key
}

function freezeResult(result: ContactBundleResult): ContactBundleResult {
  if (result.decoded) {
    const v = result.verification
    // Frozen copies of the byte fields: a caller editing its result must not change what the cache returns next.
    const verification: BundleVerification = Object.freeze({
      ...v,
      identityPublicKey: v.identityPublicKey.slice(),
      preKeyPublicKey: v.preKeyPublicKey.slice(),
      checks: Object.freeze(v.checks.map((c) => Object.freeze({ ...c }))),
    })
    return Object.freeze({ decoded: true, verification })
  }
  return Object.freeze(result)
}

/** A caller's copy of a cached result (its byte fields its own). */
export function copyResult(result: ContactBundleResult): ContactBundleResult {
  if (!result.decoded) return result
  const v = result.verification
  return { decoded: true, verification: { ...v, identityPublicKey: v.identityPublicKey.slice(), preKeyPublicKey: v.preKeyPublicKey.slice() } }
}

/** `expectedAddress` applied to a verification made without it: the same check, at the same place, as `verifyKeys` adds. */
export function withExpectedAddress(result: ContactBundleResult, expectedAddress: string | undefined): ContactBundleResult {
  if (expectedAddress === undefined || !result.decoded) return result
  const v = result.verification
  const checks = [...v.checks]
  checks.splice(1, 0, expectedAccountCheck(v.attestedBy, expectedAddress))
  return { decoded: true, verification: { ...v, expectedAddress, checks, valid: checks.every((c) => c.ok) } }
}

/**
 * One bundle's result as `verifyContactBundles` computes it before `expectedAddress` is applied (what a
 * cache holds and a worker thread returns): its verification, or the error that kept it from decoding.
 */
export function verifyContactBundleBytes(bytes: Uint8Array, format: BundleFormat | 'auto' | undefined): ContactBundleResult {
  try {
    return { decoded: true, verification: verifyEncodedBundle(bytes, format ? { format } : {}) }
  } catch (error) {
    if (!isXmtpSignersError(error)) throw error
    return { decoded: false, error }
  }
}

/**
 * Verifies many contact bundles (bytes or hex) at once, as `verifyEncodedBundle` does each: one
 * result per input, in order; a bundle that does not decode gets its error, not a throw. Pass a
 * `BundleVerificationCache` to skip bundles already verified (keyed by their bytes).
 */
export function verifyContactBundles(
  bundles: Iterable<Uint8Array | string>,
  options: VerifyOptions & { format?: BundleFormat | 'auto'; cache?: BundleVerificationCache } = {},
): ContactBundleResult[] {
  const { expectedAddress, cache, format } = options
  const verify = (bytes: Uint8Array): ContactBundleResult => verifyContactBundleBytes(bytes, format)
  const results: ContactBundleResult[] = []
  for (const input of bundles) {
    let bytes: Uint8Array
    try {
      bytes = typeof input === 'string' ? hexToBytes(input, 'bundle') : input
    } catch (error) {
      if (!isXmtpSignersError(error)) throw error
      results.push({ decoded: false, error })
      continue
    }
    const result = cache ? copyResult(cache.resultFor(bytes, format ?? 'auto', () => freezeResult(verify(bytes)))) : verify(bytes)
    results.push(withExpectedAddress(result, expectedAddress))
  }
  return results
}
