// The pure-JS backend: what browsers run, and Node without libsecp256k1 or with XMTP_SIGNERS_NATIVE=0.
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { CurveBackend, HashBackend } from './backend.js'

const SIGN_OPTIONS = { prehash: false, format: 'recovered', lowS: true } as const

export const nobleCurve: CurveBackend = {
  library: '@noble/curves',
  isValidSecretKey: (secretKey) => secp256k1.utils.isValidSecretKey(secretKey),
  isValidPublicKey: (publicKey) => publicKey.length === 65 && publicKey[0] === 4 && secp256k1.utils.isValidPublicKey(publicKey, false),
  getPublicKey: (secretKey) => secp256k1.getPublicKey(secretKey, false),
  sign(digest, secretKey) {
    const recovered = secp256k1.sign(digest, secretKey, SIGN_OPTIONS)
    return { compact: recovered.slice(1), recovery: recovered[0]! }
  },
  recover(digest, compact, recovery) {
    // Straight from the point: the top-level helper compresses the key and we would decompress it again.
    return secp256k1.Signature.fromBytes(compact, 'compact').addRecoveryBit(recovery).recoverPublicKey(digest).toBytes(false)
  },
  verify(digest, compact, recovery, publicKey) {
    const recovered = new Uint8Array(65)
    recovered[0] = recovery
    recovered.set(compact, 1)
    // One joint multiplication checks r, s, low-s and the recovery bit (noble binds R's parity to it).
    return secp256k1.verify(recovered, digest, publicKey, SIGN_OPTIONS)
  },
}

function subtle(): SubtleCrypto {
  const found = globalThis.crypto?.subtle
  if (!found) throw new Error('WebCrypto (crypto.subtle) is unavailable: run in a secure context (https or localhost) or Node 20+')
  return found
}

export const webCryptoHashes: HashBackend = {
  library: 'WebCrypto (HKDF, AES-GCM) + @noble/hashes (sha256, keccak-256, scrypt)',
  sha256: (data) => sha256(data),
  keccak256: (data) => keccak_256(data),
  async hkdfSha256(ikm, salt, info, length) {
    const key = await subtle().importKey('raw', ikm as BufferSource, 'HKDF', false, ['deriveBits'])
    const bits = await subtle().deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: salt as BufferSource, info: info as BufferSource }, key, length * 8)
    return new Uint8Array(bits)
  },
  async scrypt(password, salt, params) {
    // Loaded on first use: only passphrase-protected bundles need it, and it is a fifth of the bundle.
    const { scryptAsync } = await import('@noble/hashes/scrypt.js')
    return scryptAsync(password, salt, params)
  },
  async aes256GcmEncrypt(key, nonce, plaintext) {
    const aes = await subtle().importKey('raw', key as BufferSource, 'AES-GCM', false, ['encrypt'])
    return new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv: nonce as BufferSource }, aes, plaintext as BufferSource))
  },
  async aes256GcmDecrypt(key, nonce, sealed) {
    const aes = await subtle().importKey('raw', key as BufferSource, 'AES-GCM', false, ['decrypt'])
    return new Uint8Array(await subtle().decrypt({ name: 'AES-GCM', iv: nonce as BufferSource }, aes, sealed as BufferSource))
  },
}
