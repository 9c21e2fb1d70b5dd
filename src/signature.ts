import { curve, hashes } from './crypto/backend.js'
import { compactSignatureProblem } from './crypto/scalars.js'
import { concatBytes, hexToBytes, toHex, utf8, type Hex } from './bytes.js'
import { InvalidInputError, InvalidSignatureError } from './errors.js'

/** An EIP-55 checksummed Ethereum address. */
export type Address = Hex

/** A wallet's 65-byte `r || s || v` signature, normalized: v is 27 or 28 and s is low. */
export type WalletSignature = {
  /** `r || s || v` with v ∈ {27, 28}: the bytes XMTP derives the storage key from. */
  readonly bytes: Uint8Array
  /** `r || s`, as XMTP stores it in `ECDSACompact.bytes`. */
  readonly compact: Uint8Array
  /** 0 or 1, as XMTP stores it in `ECDSACompact.recovery`. */
  readonly recovery: 0 | 1
}

/**
 * The one place signatures are normalized: accepts bytes or hex, 65 bytes, v ∈ {0, 1, 27, 28};
 * rejects r or s out of range and high-s (malleable) signatures.
 */
export function normalizeSignature(signature: Uint8Array | string): WalletSignature {
  const bytes = typeof signature === 'string' ? hexToBytes(signature, 'signature') : signature
  if (!(bytes instanceof Uint8Array)) throw new InvalidSignatureError('the signature is not bytes')
  if (bytes.length !== 65) throw new InvalidSignatureError(`expected 65 bytes (r, s, v), got ${bytes.length}`)
  const v = bytes[64]!
  let recovery: 0 | 1
  if (v === 27 || v === 0) recovery = 0
  else if (v === 28 || v === 1) recovery = 1
  else throw new InvalidSignatureError(`v must be 27 or 28 (or 0 or 1), got ${v}`)
  // A copy even when the wallet hands over a Buffer (whose slice() would alias the wallet's memory).
  const compact = new Uint8Array(bytes.subarray(0, 64))
  checkCompact(compact)
  const out = new Uint8Array(65)
  out.set(compact)
  out[64] = 27 + recovery
  return { bytes: out, compact, recovery }
}

/** Builds the normalized form from XMTP's stored `(bytes, recovery)` pair. */
export function signatureFromCompact(compact: Uint8Array, recovery: number): WalletSignature {
  if (compact.length !== 64) throw new InvalidSignatureError(`expected 64 signature bytes (r, s), got ${compact.length}`)
  if (recovery !== 0 && recovery !== 1) throw new InvalidSignatureError(`recovery must be 0 or 1, got ${recovery}`)
  return normalizeSignature(concatBytes(compact, Uint8Array.of(27 + recovery)))
}

function checkCompact(compact: Uint8Array): void {
  const problem = compactSignatureProblem(compact)
  if (problem === 'range') throw new InvalidSignatureError('r or s is zero or not below the curve order')
  if (problem === 'high-s') throw new InvalidSignatureError('s is in the upper half of the curve order (a malleable, high-s signature)')
}

/** EIP-191 version 0x45 digest: keccak256("\x19Ethereum Signed Message:\n" + length + message). */
export function hashPersonalMessage(message: string | Uint8Array): Uint8Array {
  const bytes = typeof message === 'string' ? utf8(message) : message
  return hashes.keccak256(concatBytes(utf8(`\x19Ethereum Signed Message:\n${bytes.length}`), bytes))
}

/** Recovers the uncompressed public key (65 bytes) that made `signature` over a 32-byte digest. */
export function recoverPublicKey(digest: Uint8Array, signature: WalletSignature): Uint8Array {
  try {
    return curve.recover(digest, signature.compact, signature.recovery)
  } catch {
    throw new InvalidSignatureError('no public key recovers from this signature')
  }
}

export function publicKeyToAddress(publicKey: Uint8Array): Address {
  if (publicKey.length !== 65 || publicKey[0] !== 4) {
    throw new InvalidInputError('Expected an uncompressed secp256k1 public key (65 bytes starting with 0x04).', {
      details: `got ${publicKey.length} bytes${publicKey.length > 0 ? ` starting with 0x${toHex(publicKey.subarray(0, 1))}` : ''}`,
      nextStep: 'Pass the full uncompressed public key (0x04 || X || Y), not a compressed key or bare X || Y.',
    })
  }
  // Hashing a non-point would give an address no key controls.
  if (!curve.isValidPublicKey(publicKey)) {
    throw new InvalidInputError('The public key is not a point on secp256k1.', {
      nextStep: 'Check that the key was copied whole and unaltered; it cannot belong to any account.',
    })
  }
  return checksumAddress(toHex(hashes.keccak256(publicKey.subarray(1)).subarray(12)))
}

/** The address whose key made an EIP-191 signature of `message`. */
export function recoverPersonalSignAddress(message: string | Uint8Array, signature: WalletSignature): Address {
  return publicKeyToAddress(recoverPublicKey(hashPersonalMessage(message), signature))
}

const ADDRESS_RE = /^(0x)?[0-9a-fA-F]{40}$/

/** EIP-55 checksum; throws on anything that is not 20 bytes of hex, and on a wrong mixed-case checksum. */
export function checksumAddress(address: string): Address {
  if (!ADDRESS_RE.test(address)) {
    throw new InvalidInputError('Not an Ethereum address.', {
      details: `expected 0x and 40 hex digits, got "${address}"`,
      nextStep: 'Pass the account address as 0x followed by 40 hex digits.',
    })
  }
  const lower = address.toLowerCase().replace(/^0x/, '')
  const hash = toHex(hashes.keccak256(utf8(lower)))
  let out = '0x'
  for (let i = 0; i < 40; i++) out += parseInt(hash[i]!, 16) >= 8 ? lower[i]!.toUpperCase() : lower[i]
  const given = address.replace(/^0x/, '')
  if (given !== lower && given !== lower.toUpperCase() && `0x${given}` !== out) {
    throw new InvalidInputError('The address has a wrong EIP-55 checksum (a mistyped character?).', {
      details: address,
      nextStep: 'Copy the address again from the wallet, or pass it all lowercase to skip the checksum.',
    })
  }
  return out as Address
}

export function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}
