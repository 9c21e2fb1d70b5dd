// The pure-JS backend: what browsers run, and Node without libsecp256k1 or with XMTP_SIGNERS_NATIVE=0.
// Secret-key work (key derivation, signing) goes to @noble/secp256k1, whose base-point multiply runs the
// same steps for every scalar; public checks (verify, recover) to our variable-time ./publicCurve.ts.
import * as secp from '@noble/secp256k1'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { CurveBackend, HashBackend } from './backend.js'
import { isValidPublicKey, recoverPublicKey, verifySignature } from './publicCurve.js'

// @noble/secp256k1 signs synchronously once it has these; an app's own choice, if it made one, is kept.
secp.hashes.sha256 ??= sha256
secp.hashes.hmacSha256 ??= (key, message) => hmac(sha256, key, message)

const SIGN_OPTIONS = { prehash: false, format: 'recovered', lowS: true } as const

export const pureJsCurve: CurveBackend = {
  library: '@noble/secp256k1 (keys, signing) + built-in verify/recover',
  isValidSecretKey: (secretKey) => secp.utils.isValidSecretKey(secretKey),
  isValidPublicKey,
  getPublicKey: (secretKey) => secp.getPublicKey(secretKey, false),
  sign(digest, secretKey) {
    const recovered = secp.sign(digest, secretKey, SIGN_OPTIONS)
    return { compact: recovered.slice(1), recovery: recovered[0]! }
  },
  recover: recoverPublicKey,
  verify: verifySignature,
}

function subtle(): SubtleCrypto {
  const found = globalThis.crypto?.subtle
  if (!found) throw new Error('WebCrypto (crypto.subtle) is unavailable: run in a secure context (https or localhost) or Node 20+')
  return found
}

export const pureJsHashes: HashBackend = {
  library: 'WebCrypto (AES-GCM) + @noble/hashes (sha256, keccak-256, HKDF, scrypt)',
  sha256: (data) => sha256(data),
  keccak256: (data) => keccak_256(data),
  // Synchronous: two HMACs over a few dozen bytes cost less than a WebCrypto round trip (60 µs, 0.3 kB gzip).
  hkdfSha256: async (ikm, salt, info, length) => hkdf(sha256, ikm, salt, info, length),
  async scrypt(password, salt, params) {
    // Loaded on first use: only passphrase-protected bundles need it.
    const { scryptAsync } = await import('@noble/hashes/scrypt.js')
    return scryptAsync(password, salt, params)
  },
  async aes256Gcm(key) {
    // Imported once for both directions: a create seals and then opens its bundle again under one key.
    const aes = await subtle().importKey('raw', key as BufferSource, 'AES-GCM', false, ['encrypt', 'decrypt'])
    return {
      seal: async (nonce, plaintext) => new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv: nonce as BufferSource }, aes, plaintext as BufferSource)),
      open: async (nonce, sealed) => new Uint8Array(await subtle().decrypt({ name: 'AES-GCM', iv: nonce as BufferSource }, aes, sealed as BufferSource)),
    }
  },
}
