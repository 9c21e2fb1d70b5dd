/**
 * The engine's one crypto seam: every curve operation, hash and cipher the engine runs goes through
 * the backend chosen here, once, at load. In Node, libsecp256k1 (the optional `secp256k1` N-API
 * package, when the app installed it) and `node:crypto`; everywhere else, and with
 * XMTP_SIGNERS_NATIVE=0, @noble/secp256k1 + our variable-time verify/recover + @noble/hashes + WebCrypto. RFC 6979 makes both give the same bytes.
 */
import { loadNativeBackend, nodeHashes } from './native.js'
import { pureJsCurve, pureJsHashes } from './pureJs.js'

/** secp256k1 over 32-byte digests, keys as 65-byte uncompressed points (0x04 || X || Y). */
export type CurveBackend = {
  /** Which library does the curve arithmetic, with its version when known. */
  readonly library: string
  isValidSecretKey(secretKey: Uint8Array): boolean
  /** True for a 65-byte uncompressed key (0x04 prefix) that is a point on the curve. */
  isValidPublicKey(publicKey: Uint8Array): boolean
  /** The uncompressed public key of a valid secret key. */
  getPublicKey(secretKey: Uint8Array): Uint8Array
  /** Recoverable ECDSA, RFC 6979 nonces, low-s: `r || s` and the recovery id. */
  sign(digest: Uint8Array, secretKey: Uint8Array): { compact: Uint8Array; recovery: number }
  /** The uncompressed key that made `compact` with `recovery`; throws when none does. */
  recover(digest: Uint8Array, compact: Uint8Array, recovery: number): Uint8Array
  /** True when `r || s` (low-s) with recovery id `recovery` is `publicKey`'s signature of `digest`: the cheapest exact check each library has. */
  verify(digest: Uint8Array, compact: Uint8Array, recovery: number, publicKey: Uint8Array): boolean
}

export type HashBackend = {
  readonly library: string
  sha256(data: Uint8Array): Uint8Array
  keccak256(data: Uint8Array): Uint8Array
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array>
  /** scrypt (RFC 7914); runs off the main thread in Node, in async slices elsewhere. */
  scrypt(password: Uint8Array, salt: Uint8Array, params: { N: number; r: number; p: number; dkLen: number }): Promise<Uint8Array>
  /** AES-256-GCM under `key`, set up once for any number of seals and opens (the caller wipes `key` after). */
  aes256Gcm(key: Uint8Array): Promise<AesGcm>
}

/** AES-256-GCM with no associated data. */
export type AesGcm = {
  /** ciphertext || 16-byte tag, as WebCrypto returns it. */
  seal(nonce: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>
  /** Rejects when the tag does not authenticate. */
  open(nonce: Uint8Array, sealed: Uint8Array): Promise<Uint8Array>
}

export type CryptoBackendName = 'native' | 'pure-js'

/** Which backend the engine runs on, as `cryptoBackend()` reports it. */
export type CryptoBackendInfo = {
  /** `native` when libsecp256k1 does the curve arithmetic; `pure-js` otherwise (the path browsers run). */
  readonly name: CryptoBackendName
  readonly secp256k1: string
  readonly hashes: string
}

/** True unless XMTP_SIGNERS_NATIVE=0 forces the pure-JS path (tests, benchmarks, debugging). */
function nativeAllowed(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
  return env?.XMTP_SIGNERS_NATIVE !== '0'
}

const allowed = nativeAllowed()
const nativeCurve = allowed ? loadNativeBackend() : undefined
const hashesInNode = allowed ? nodeHashes() : undefined

/** The curve backend every engine module uses (a live binding: `useCryptoBackend` may swap it). */
export let curve: CurveBackend = nativeCurve ?? pureJsCurve
/** The hash and cipher backend every engine module uses. */
export let hashes: HashBackend = hashesInNode ?? pureJsHashes
let info = describe(nativeCurve ? 'native' : 'pure-js')

function describe(name: CryptoBackendName): CryptoBackendInfo {
  return Object.freeze({ name, secp256k1: curve.library, hashes: hashes.library })
}

/** Which crypto backend this process chose at load, and what runs each part. */
export function cryptoBackend(): CryptoBackendInfo {
  return info
}

/**
 * Switches the whole engine to one backend, so a test or bench can run both in one process; the
 * engine never calls it. 'native' is refused where it did not load (or XMTP_SIGNERS_NATIVE=0 kept it out).
 */
export function useCryptoBackend(name: CryptoBackendName): CryptoBackendInfo {
  if (name === 'native') {
    if (!nativeCurve) throw new Error('the native backend is not loaded here: install `secp256k1` (5.x) in Node and unset XMTP_SIGNERS_NATIVE=0')
    curve = nativeCurve
    hashes = hashesInNode ?? pureJsHashes
  } else {
    curve = pureJsCurve
    hashes = pureJsHashes
  }
  info = describe(name)
  return info
}

/** True when `useCryptoBackend('native')` would succeed. */
export function nativeBackendAvailable(): boolean {
  return nativeCurve !== undefined
}

/**
 * XMTP's storage cipher: AES-256-GCM under HKDF-SHA256(secret, salt, no info). `use` may seal and open
 * several times under the one derivation; the derived key is wiped when it returns.
 */
export async function withStorageCipher<T>(secret: Uint8Array, salt: Uint8Array, use: (cipher: AesGcm) => Promise<T>): Promise<T> {
  const key = await hashes.hkdfSha256(secret, salt, EMPTY, 32)
  try {
    return await use(await hashes.aes256Gcm(key))
  } finally {
    key.fill(0)
  }
}

const EMPTY = new Uint8Array(0)
