import { curve, hashes } from './crypto/backend.js'
import { equalBytes, randomBytes as defaultRandomBytes } from './bytes.js'
import { InvalidKeyError } from './errors.js'

// Every key error says what to do next (the error class has no default next step).
const CHECK_SECRET = 'Check the private key: 32 bytes (64 hex digits), not zero and below the secp256k1 order. Nothing was stored.'
const CHECK_PUBLIC = 'Check that the key was copied whole and unaltered; a valid key is 65 bytes, 0x04 || X || Y, on secp256k1.'

/** Where the engine gets randomness and time; tests pass fixed ones to reproduce known answers. */
export type EntropySource = {
  randomBytes?: (length: number) => Uint8Array
  /** Milliseconds since the epoch, as XMTP v1 key timestamps are. */
  now?: () => number
}

export function generateSecretKey(source: EntropySource = {}): Uint8Array {
  const random = source.randomBytes ?? defaultRandomBytes
  // Rejection sampling over 32 random bytes, so fixed randomness gives a fixed key (noble's helper adds bytes).
  for (let attempt = 0; attempt < 16; attempt++) {
    const candidate = random(32)
    if (curve.isValidSecretKey(candidate)) return candidate
  }
  throw new InvalidKeyError('the random source gave no valid secp256k1 key in 16 tries', {
    nextStep: 'The random source is broken (it keeps returning zero or out-of-range values); fix or replace it. Nothing was stored.',
  })
}

export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  assertSecretKey(secretKey)
  return curve.getPublicKey(secretKey)
}

export function assertSecretKey(secretKey: Uint8Array): void {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) {
    throw new InvalidKeyError(`a private key is 32 bytes, got ${secretKey?.length ?? typeof secretKey}`, { nextStep: CHECK_SECRET })
  }
  if (!curve.isValidSecretKey(secretKey)) {
    throw new InvalidKeyError('the private key is zero or not below the curve order', { nextStep: CHECK_SECRET })
  }
}

export function assertPublicKey(publicKey: Uint8Array, what = 'public key'): void {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 65 || publicKey[0] !== 4) {
    throw new InvalidKeyError(`the ${what} must be 65 bytes, uncompressed (0x04 || X || Y); got ${publicKey?.length ?? 0} bytes`, {
      nextStep: CHECK_PUBLIC,
    })
  }
  if (!curve.isValidPublicKey(publicKey)) {
    throw new InvalidKeyError(`the ${what} is not a point on secp256k1`, { nextStep: CHECK_PUBLIC })
  }
}

/** A key signature as XMTP stores it: `r || s` and a recovery bit. */
export type CompactSignature = { readonly compact: Uint8Array; readonly recovery: 0 | 1 }

/** How an identity key signs a prekey: ECDSA over sha256(key bytes), RFC 6979, low-s. */
export function signWithIdentityKey(secretKey: Uint8Array, keyBytes: Uint8Array): CompactSignature {
  return signDigestWithIdentityKey(secretKey, hashes.sha256(keyBytes))
}

/** A recoverable ECDSA signature of a 32-byte digest by an identity key (RFC 6979, low-s). */
export function signDigestWithIdentityKey(secretKey: Uint8Array, digest: Uint8Array): CompactSignature {
  const { compact, recovery } = curve.sign(digest, secretKey)
  return { compact, recovery: recovery === 1 ? 1 : 0 }
}

export function verifyIdentityKeySignature(publicKey: Uint8Array, keyBytes: Uint8Array, signature: CompactSignature): boolean {
  try {
    // Checks r, s, low-s and the recovery bit: peers that recover instead of verify need the bit right too.
    return curve.verify(hashes.sha256(keyBytes), signature.compact, signature.recovery, publicKey)
  } catch {
    return false
  }
}

/**
 * True when `secretKey` signing `keyBytes` gives exactly `signature`. With RFC 6979 that proves the
 * signature is the key's for a third of a verification's cost; false only says "not made this way"
 * (another nonce scheme), and the caller then verifies.
 */
export function isOwnDeterministicSignature(secretKey: Uint8Array, keyBytes: Uint8Array, signature: CompactSignature): boolean {
  const again = signWithIdentityKey(secretKey, keyBytes)
  return again.recovery === signature.recovery && equalBytes(again.compact, signature.compact)
}
