import { equalBytes } from './bytes.js'
import { InvalidKeyError, MalformedBundleError } from './errors.js'
import { assertPublicKey, assertSecretKey, publicKeyOf, type CompactSignature } from './keys.js'
import { decodeMessage, encodeMessage, type Message, type MessageInput } from './proto.js'
import { formatAccountId, parseAccountId, type AccountId } from './caip10.js'

/**
 * The legacy (V1) key model XMTP v2 clients store: what xmtp-js `Client.create` makes. The V2
 * `SignedPublicKeyBundle` and the contact bundles are views of it.
 */

/** Who made a key signature: the wallet (identity key attestation) or the identity key (prekeys). */
export type KeySignatureKind = 'ecdsaCompact' | 'walletEcdsaCompact'
export type EcdsaKeySignature = CompactSignature & { readonly kind: KeySignatureKind }
/** Our extension (proto/xmtp_signers_extensions.proto): a smart account's attestation, checked on chain. */
export type SmartAccountKeySignature = {
  readonly kind: 'smartAccount'
  readonly account: AccountId
  /** The block the signature was checked at when it was made. */
  readonly blockNumber: bigint
  readonly signature: Uint8Array
}
export type KeySignature = EcdsaKeySignature | SmartAccountKeySignature

export type PublicKeyV1 = {
  /** Milliseconds since the epoch. */
  readonly timestamp: bigint
  /** 65 bytes, 0x04 || X || Y. */
  readonly publicKey: Uint8Array
  readonly signature?: KeySignature
}

export type PrivateKeyV1 = {
  readonly timestamp: bigint
  /** 32-byte secp256k1 scalar. Never logged. */
  readonly secretKey: Uint8Array
  readonly publicKey: PublicKeyV1
}

export type PrivateKeyBundleV1 = {
  readonly identityKey: PrivateKeyV1
  /** Newest first; `preKeys[0]` is the one published. */
  readonly preKeys: readonly PrivateKeyV1[]
}


function toPbSignature(signature: KeySignature): MessageInput<'Signature'> {
  if (signature.kind === 'smartAccount') {
    return { smartAccount: { account: formatAccountId(signature.account), blockNumber: signature.blockNumber, signature: signature.signature } }
  }
  const fields = { bytes: signature.compact, recovery: signature.recovery }
  return signature.kind === 'walletEcdsaCompact' ? { walletEcdsaCompact: fields } : { ecdsaCompact: fields }
}

function fromPbSignature(signature: Message<'Signature'> | undefined, what: string): KeySignature | undefined {
  if (!signature) return undefined
  if (signature.smartAccount) {
    const { account, blockNumber, signature: bytes } = signature.smartAccount
    let parsed: AccountId
    try {
      parsed = parseAccountId(account)
    } catch {
      throw new MalformedBundleError(what, `a smart-account signature names "${account}", not a CAIP-10 account`)
    }
    if (bytes.length === 0) throw new MalformedBundleError(what, 'a smart-account signature is empty')
    return { kind: 'smartAccount', account: parsed, blockNumber, signature: bytes }
  }
  const kind: KeySignatureKind | undefined = signature.ecdsaCompact ? 'ecdsaCompact' : signature.walletEcdsaCompact ? 'walletEcdsaCompact' : undefined
  if (!kind) throw new MalformedBundleError(what, 'a signature holds neither an ECDSA, a wallet ECDSA nor a smart-account signature')
  const { bytes: compact, recovery } = signature[kind]!
  if (compact.length !== 64) throw new MalformedBundleError(what, `a signature has ${compact.length} bytes, expected 64 (r, s)`)
  if (recovery !== 0 && recovery !== 1) throw new MalformedBundleError(what, `a signature has recovery ${recovery}, expected 0 or 1`)
  return { kind, compact, recovery }
}

function pbPublicKey(key: PublicKeyV1, withSignature: boolean): MessageInput<'PublicKey'> {
  return {
    timestamp: key.timestamp,
    ...(withSignature && key.signature ? { signature: toPbSignature(key.signature) } : {}),
    secp256k1Uncompressed: { bytes: key.publicKey },
  }
}

/** The bytes a V1 key is signed over: the legacy `PublicKey` without its signature. */
export function encodeUnsignedPublicKeyV1(key: Pick<PublicKeyV1, 'timestamp' | 'publicKey'>): Uint8Array {
  return encodeMessage('PublicKey', pbPublicKey(key, false))
}

export function encodePublicKeyV1(key: PublicKeyV1): Uint8Array {
  return encodeMessage('PublicKey', pbPublicKey(key, true))
}

function fromPbPublicKey(key: Message<'PublicKey'> | undefined, what: string, role: string): PublicKeyV1 {
  if (!key) throw new MalformedBundleError(what, `the ${role} public key is missing`)
  const publicKey = key.secp256k1Uncompressed?.bytes
  if (!publicKey) throw new MalformedBundleError(what, `the ${role} public key has no secp256k1 key`)
  checkPublicKey(publicKey, what, role)
  const signature = fromPbSignature(key.signature, what)
  return { timestamp: key.timestamp, publicKey, ...(signature ? { signature } : {}) }
}

function checkPublicKey(publicKey: Uint8Array, what: string, role: string): void {
  try {
    assertPublicKey(publicKey, `${role} public key`)
  } catch (cause) {
    throw new MalformedBundleError(what, (cause as InvalidKeyError).details ?? String(cause), { cause })
  }
}

function pbPrivateKey(key: PrivateKeyV1): MessageInput<'PrivateKey'> {
  return { timestamp: key.timestamp, secp256k1: { bytes: key.secretKey }, publicKey: pbPublicKey(key.publicKey, true) }
}

function fromPbPrivateKey(key: Message<'PrivateKey'> | undefined, what: string, role: string): PrivateKeyV1 {
  if (!key) throw new MalformedBundleError(what, `the ${role} private key is missing`)
  const secretKey = key.secp256k1?.bytes
  if (!secretKey) throw new MalformedBundleError(what, `the ${role} private key has no secp256k1 key`)
  try {
    assertSecretKey(secretKey)
  } catch (cause) {
    throw new MalformedBundleError(what, `${role}: ${(cause as InvalidKeyError).details ?? String(cause)}`, { cause })
  }
  return { timestamp: key.timestamp, secretKey, publicKey: fromPbPublicKey(key.publicKey, what, role) }
}

/** `PrivateKeyBundle{v1}`: always wrapped, as xmtp-js `PrivateKeyBundleV1.encode()` writes it. */
export function encodePrivateKeyBundle(bundle: PrivateKeyBundleV1): Uint8Array {
  return encodeMessage('PrivateKeyBundle', { v1: { identityKey: pbPrivateKey(bundle.identityKey), preKeys: bundle.preKeys.map(pbPrivateKey) } })
}

/**
 * Reads a decrypted private bundle: the wrapped `PrivateKeyBundle{v1}` or the legacy unwrapped
 * `PrivateKeyBundleV1`. Structure and lengths are checked here; signatures by `verifyPrivateKeyBundle`.
 */
export function decodePrivateKeyBundle(bytes: Uint8Array): PrivateKeyBundleV1 {
  const what = 'private key bundle'
  const wrapped = (() => {
    try {
      return decodeMessage('PrivateKeyBundle', bytes, what)
    } catch {
      return undefined
    }
  })()
  // Wrapped first; an unwrapped legacy bundle can also decode "wrapped" into garbage, so each form is checked whole.
  const failures: string[] = []
  for (const v1 of [() => wrapped?.v1, () => decodeMessage('PrivateKeyBundleV1', bytes, what)]) {
    try {
      return fromPbPrivateKeyBundleV1(v1(), what)
    } catch (error) {
      if (!(error instanceof MalformedBundleError)) throw error
      failures.push(error.details ?? error.shortMessage)
    }
  }
  // Checked only after both forms failed: an unwrapped V1 (`0a <identity> 12 <prekey>`) also decodes "wrapped" as a v2 oneof.
  if (wrapped?.v2 && !wrapped.v1) {
    throw new MalformedBundleError(what, 'it is a V2 private bundle; XMTP v2 clients store V1 bundles and this library reads those')
  }
  throw new MalformedBundleError(what, failures.join('; as the legacy unwrapped form: '))
}

function fromPbPrivateKeyBundleV1(v1: Message<'PrivateKeyBundleV1'> | undefined, what: string): PrivateKeyBundleV1 {
  if (!v1) throw new MalformedBundleError(what, 'it holds no v1 bundle')
  const identityKey = fromPbPrivateKey(v1.identityKey, what, 'identity')
  const preKeys = v1.preKeys.map((k, i) => fromPbPrivateKey(k, what, `prekey ${i}`))
  if (preKeys.length === 0) throw new MalformedBundleError(what, 'it holds no prekey')
  return { identityKey, preKeys }
}

/** The private scalar and the public key stored beside it must belong together. */
export function privateMatchesPublic(key: PrivateKeyV1): boolean {
  return equalBytes(publicKeyOf(key.secretKey), key.publicKey.publicKey)
}

// ---- public bundles -------------------------------------------------------------------------

export type PublicKeyBundleV1 = { readonly identityKey: PublicKeyV1; readonly preKey: PublicKeyV1 }

/** V2 form of a key: the signed bytes kept verbatim, so the wallet's signature stays checkable. */
export type SignedPublicKey = {
  readonly keyBytes: Uint8Array
  /** Decoded from `keyBytes`: nanoseconds, or milliseconds for keys converted from V1. */
  readonly createdNs: bigint
  readonly publicKey: Uint8Array
  readonly signature: KeySignature
}
export type SignedPublicKeyBundle = { readonly identityKey: SignedPublicKey; readonly preKey: SignedPublicKey }

export function publicBundleOf(bundle: PrivateKeyBundleV1): PublicKeyBundleV1 {
  const preKey = bundle.preKeys[0]
  if (!preKey) throw new MalformedBundleError('private key bundle', 'it holds no prekey')
  return { identityKey: bundle.identityKey.publicKey, preKey: preKey.publicKey }
}

function pbPublicKeyBundle(bundle: PublicKeyBundleV1): MessageInput<'PublicKeyBundle'> {
  return { identityKey: pbPublicKey(bundle.identityKey, true), preKey: pbPublicKey(bundle.preKey, true) }
}

export function encodePublicKeyBundle(bundle: PublicKeyBundleV1): Uint8Array {
  return encodeMessage('PublicKeyBundle', pbPublicKeyBundle(bundle))
}

/** xmtp-js `SignedPublicKey.fromLegacyKey`: the V1 signed bytes become `key_bytes`; the wallet's signature is marked as such. */
export function signedPublicKeyFromV1(key: PublicKeyV1, signedByWallet: boolean): SignedPublicKey {
  if (!key.signature) throw new MalformedBundleError('public key bundle', 'a key is not signed')
  return {
    keyBytes: encodeUnsignedPublicKeyV1(key),
    createdNs: key.timestamp,
    publicKey: key.publicKey,
    signature: key.signature.kind === 'smartAccount' ? key.signature : { ...key.signature, kind: signedByWallet ? 'walletEcdsaCompact' : 'ecdsaCompact' },
  }
}

export function signedPublicKeyBundleOf(bundle: PublicKeyBundleV1): SignedPublicKeyBundle {
  return { identityKey: signedPublicKeyFromV1(bundle.identityKey, true), preKey: signedPublicKeyFromV1(bundle.preKey, false) }
}

function pbSignedPublicKey(key: SignedPublicKey): MessageInput<'SignedPublicKey'> {
  return { keyBytes: key.keyBytes, signature: toPbSignature(key.signature) }
}

function pbSignedPublicKeyBundle(bundle: SignedPublicKeyBundle): MessageInput<'SignedPublicKeyBundle'> {
  return { identityKey: pbSignedPublicKey(bundle.identityKey), preKey: pbSignedPublicKey(bundle.preKey) }
}

/** One V2 `SignedPublicKey`: what XMTP v3 validates as a legacy (v2) identity key. */
export function encodeSignedPublicKey(key: SignedPublicKey): Uint8Array {
  return encodeMessage('SignedPublicKey', pbSignedPublicKey(key))
}

export function encodeSignedPublicKeyBundle(bundle: SignedPublicKeyBundle): Uint8Array {
  return encodeMessage('SignedPublicKeyBundle', pbSignedPublicKeyBundle(bundle))
}

export function encodeContactBundleV1(bundle: PublicKeyBundleV1): Uint8Array {
  return encodeMessage('ContactBundle', { v1: { keyBundle: pbPublicKeyBundle(bundle) } })
}

export function encodeContactBundleV2(bundle: SignedPublicKeyBundle): Uint8Array {
  return encodeMessage('ContactBundle', { v2: { keyBundle: pbSignedPublicKeyBundle(bundle) } })
}

function fromPbSignedPublicKey(key: Message<'SignedPublicKey'> | undefined, what: string, role: string): SignedPublicKey {
  if (!key) throw new MalformedBundleError(what, `the ${role} key is missing`)
  const keyBytes = key.keyBytes
  if (keyBytes.length === 0) throw new MalformedBundleError(what, `the ${role} key has no key bytes`)
  const unsigned = decodeMessage('UnsignedPublicKey', keyBytes, what)
  const publicKey = unsigned.secp256k1Uncompressed?.bytes
  if (!publicKey) throw new MalformedBundleError(what, `the ${role} key bytes hold no secp256k1 key`)
  checkPublicKey(publicKey, what, role)
  const signature = fromPbSignature(key.signature, what)
  if (!signature) throw new MalformedBundleError(what, `the ${role} key is not signed`)
  return { keyBytes, createdNs: unsigned.createdNs, publicKey, signature }
}

export function decodePublicKeyBundle(bytes: Uint8Array, what = 'public key bundle'): PublicKeyBundleV1 {
  return fromPbPublicKeyBundle(decodeMessage('PublicKeyBundle', bytes, what), what)
}

function fromPbPublicKeyBundle(bundle: Message<'PublicKeyBundle'> | undefined, what: string): PublicKeyBundleV1 {
  if (!bundle) throw new MalformedBundleError(what, 'the key bundle is missing')
  return { identityKey: fromPbPublicKey(bundle.identityKey, what, 'identity'), preKey: fromPbPublicKey(bundle.preKey, what, 'prekey') }
}

export function decodeSignedPublicKeyBundle(bytes: Uint8Array, what = 'signed public key bundle'): SignedPublicKeyBundle {
  return fromPbSignedPublicKeyBundle(decodeMessage('SignedPublicKeyBundle', bytes, what), what)
}

function fromPbSignedPublicKeyBundle(bundle: Message<'SignedPublicKeyBundle'> | undefined, what: string): SignedPublicKeyBundle {
  if (!bundle) throw new MalformedBundleError(what, 'the key bundle is missing')
  return {
    identityKey: fromPbSignedPublicKey(bundle.identityKey, what, 'identity'),
    preKey: fromPbSignedPublicKey(bundle.preKey, what, 'prekey'),
  }
}

export type ContactBundle =
  | { readonly version: 1; readonly keyBundle: PublicKeyBundleV1 }
  | { readonly version: 2; readonly keyBundle: SignedPublicKeyBundle }

export function decodeContactBundle(bytes: Uint8Array): ContactBundle {
  const what = 'contact bundle'
  const contact = decodeMessage('ContactBundle', bytes, what)
  if (contact.v1) return { version: 1, keyBundle: fromPbPublicKeyBundle(contact.v1.keyBundle, what) }
  if (contact.v2) return { version: 2, keyBundle: fromPbSignedPublicKeyBundle(contact.v2.keyBundle, what) }
  throw new MalformedBundleError(what, 'it holds neither a v1 nor a v2 bundle')
}
