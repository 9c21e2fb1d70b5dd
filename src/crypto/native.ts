// The Node backend: libsecp256k1 through the optional `secp256k1` N-API package, and node:crypto.
// Loaded through process.getBuiltinModule, so no bundler follows an import here into a browser build.
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { CurveBackend, HashBackend } from './backend.js'
import { compactSignatureProblem } from './scalars.js'

/** The part of `secp256k1/bindings` (5.x) the backend calls. */
type Secp256k1Native = {
  privateKeyVerify(secretKey: Uint8Array): boolean
  publicKeyVerify(publicKey: Uint8Array): boolean
  publicKeyCreate(secretKey: Uint8Array, compressed: false): Uint8Array
  ecdsaSign(digest: Uint8Array, secretKey: Uint8Array): { signature: Uint8Array; recid: number }
  ecdsaRecover(compact: Uint8Array, recovery: number, digest: Uint8Array, compressed: false): Uint8Array
}

type NodeCrypto = typeof import('node:crypto')
type NodeModule = typeof import('node:module')
type NodeProcess = { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown }

function nodeProcess(): NodeProcess | undefined {
  const process = (globalThis as { process?: NodeProcess }).process
  return process?.versions?.node && typeof process.getBuiltinModule === 'function' ? process : undefined
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

/** libsecp256k1 when this is Node and the app installed `secp256k1`; undefined otherwise (never throws). */
export function loadNativeBackend(): CurveBackend | undefined {
  const process = nodeProcess()
  if (!process) return undefined
  let native: Secp256k1Native
  let version = 'unknown'
  try {
    const { createRequire } = process.getBuiltinModule!('node:module') as NodeModule
    const require = createRequire(import.meta.url)
    // The bindings entry, not the package main, which silently falls back to the slow pure-JS `elliptic`.
    native = require('secp256k1/bindings') as Secp256k1Native
    try {
      version = (require('secp256k1/package.json') as { version?: string }).version ?? version
    } catch {
      // Only the label loses its version.
    }
  } catch {
    return undefined
  }
  return {
    library: `libsecp256k1 (secp256k1 ${version}, N-API)`,
    isValidSecretKey: (secretKey) => secretKey.length === 32 && native.privateKeyVerify(secretKey),
    isValidPublicKey: (publicKey) => publicKey.length === 65 && publicKey[0] === 4 && native.publicKeyVerify(publicKey),
    getPublicKey: (secretKey) => native.publicKeyCreate(secretKey, false),
    sign(digest, secretKey) {
      // libsecp256k1's default nonce is RFC 6979 and its signatures are always low-s.
      const { signature, recid } = native.ecdsaSign(digest, secretKey)
      return { compact: signature, recovery: recid }
    },
    recover: (digest, compact, recovery) => native.ecdsaRecover(compact, recovery, digest, false),
    verify(digest, compact, recovery, publicKey) {
      // libsecp256k1 recovers from high-s signatures too; the engine accepts only low-s, as noble's lowS does.
      if (compact.length !== 64 || compactSignatureProblem(compact) || (recovery !== 0 && recovery !== 1 && recovery !== 2 && recovery !== 3)) return false
      try {
        // Recovery binds the recovery id too (libsecp256k1's verify ignores it), for about the cost of a verify.
        return equal(native.ecdsaRecover(compact, recovery, digest, false), publicKey)
      } catch {
        return false
      }
    },
  }
}

/** node:crypto's sha256, HKDF and AES-GCM when this is Node (keccak-256 stays @noble/hashes: OpenSSL 3.0 has none). */
export function nodeHashes(): HashBackend | undefined {
  const process = nodeProcess()
  if (!process) return undefined
  let crypto: NodeCrypto
  try {
    crypto = process.getBuiltinModule!('node:crypto') as NodeCrypto
    if (!crypto?.hkdfSync || !crypto.getCiphers().includes('aes-256-gcm')) return undefined
  } catch {
    return undefined
  }
  return {
    library: 'node:crypto (sha256, HKDF, AES-GCM, scrypt) + @noble/hashes (keccak-256)',
    // A plain Uint8Array copy, not the Buffer: callers compare and serialize these bytes.
    sha256: (data) => new Uint8Array(crypto.createHash('sha256').update(data).digest()),
    keccak256: (data) => keccak_256(data),
    hkdfSha256: async (ikm, salt, info, length) => new Uint8Array(crypto.hkdfSync('sha256', ikm, salt, info, length)),
    scrypt: (password, salt, { N, r, p, dkLen }) =>
      new Promise((resolve, reject) => {
        // OpenSSL refuses above maxmem (32 MiB by default); the cost is bounded by SCRYPT_LIMITS before this runs.
        const maxmem = 128 * N * r + 128 * r * p + (1 << 20)
        crypto.scrypt(password, salt, dkLen, { N, r, p, maxmem }, (error, key) => (error ? reject(error) : resolve(new Uint8Array(key))))
      }),
    async aes256Gcm(key) {
      return {
        async seal(nonce, plaintext) {
          const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce)
          const head = cipher.update(plaintext)
          const tail = cipher.final()
          const tag = cipher.getAuthTag()
          const out = new Uint8Array(head.length + tail.length + tag.length)
          out.set(head)
          out.set(tail, head.length)
          out.set(tag, head.length + tail.length)
          return out
        },
        async open(nonce, sealed) {
          // WebCrypto refuses a payload shorter than its tag; so must this backend, for the same answer.
          if (sealed.length < 16) throw new Error('the AES-GCM payload is shorter than its 16-byte tag')
          const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce)
          decipher.setAuthTag(sealed.subarray(sealed.length - 16))
          const head = decipher.update(sealed.subarray(0, sealed.length - 16))
          const tail = decipher.final()
          const out = new Uint8Array(head.length + tail.length)
          out.set(head)
          out.set(tail, head.length)
          return out
        },
      }
    },
  }
}
