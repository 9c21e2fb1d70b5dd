import { equalBytes, randomBytes as defaultRandomBytes } from './bytes.js'
import { withStorageCipher } from './crypto/backend.js'
import { BundleDecryptionError, InvalidInputError, MalformedBundleError, UnopenableBundleError } from './errors.js'
import { decodeMessage, encodeMessage, type Message, type MessageInput } from './proto.js'
import { checksumAddress } from './signature.js'
import { scryptParamsProblem, type StorageKeySource } from './storageKey.js'

/** `EncryptedPrivateKeyBundleV1`, read from storage. */
export type EncryptedBundle = {
  /** 32 random bytes; the wallet signs them (hex) in the "Enable Identity" text. */
  readonly walletPreKey: Uint8Array
  readonly hkdfSalt: Uint8Array
  readonly gcmNonce: Uint8Array
  /** AES-256-GCM ciphertext with its 16-byte tag appended. */
  readonly payload: Uint8Array
  /** Our extension: where the storage secret came from, when not the signer's own signature. */
  readonly storageKeySource?: StorageKeySource
}

const WHAT = 'encrypted private key bundle'

/**
 * Reads the stored value: `EncryptedPrivateKeyBundle{v1}`, or the legacy unwrapped
 * `EncryptedPrivateKeyBundleV1` early clients wrote.
 */
export function decodeEncryptedBundle(bytes: Uint8Array): EncryptedBundle {
  // Both forms are tried and fully checked: a random wallet prekey can parse as a nested message,
  // so "the wrapped decode did not throw" does not tell the forms apart (xmtp-js misreads ~8%).
  const failures: string[] = []
  for (const read of [readWrapped, readUnwrapped]) {
    try {
      return read(bytes)
    } catch (error) {
      if (!(error instanceof MalformedBundleError)) throw error
      failures.push(error.details ?? error.shortMessage)
    }
  }
  throw new MalformedBundleError(WHAT, failures.join('; as the legacy unwrapped form: '))
}

function readWrapped(bytes: Uint8Array): EncryptedBundle {
  const v1 = decodeMessage('EncryptedPrivateKeyBundle', bytes, WHAT).v1
  if (!v1) throw new MalformedBundleError(WHAT, 'it holds no v1 bundle')
  return checkFields(v1)
}

function readUnwrapped(bytes: Uint8Array): EncryptedBundle {
  return checkFields(decodeMessage('EncryptedPrivateKeyBundleV1', bytes, WHAT))
}

function checkFields(v1: Message<'EncryptedPrivateKeyBundleV1'>): EncryptedBundle {
  const walletPreKey = v1.walletPreKey
  const aes = v1.ciphertext?.aes256GcmHkdfSha256
  if (walletPreKey.length === 0) throw new MalformedBundleError(WHAT, 'the wallet prekey is missing')
  if (!aes) throw new MalformedBundleError(WHAT, 'the AES-256-GCM ciphertext is missing')
  const { hkdfSalt, gcmNonce, payload } = aes
  if (hkdfSalt.length !== 32) throw new MalformedBundleError(WHAT, `the HKDF salt has ${hkdfSalt.length} bytes, expected 32`)
  if (gcmNonce.length !== 12) throw new MalformedBundleError(WHAT, `the GCM nonce has ${gcmNonce.length} bytes, expected 12`)
  if (payload.length < 16) throw new MalformedBundleError(WHAT, 'the ciphertext is shorter than its 16-byte tag')
  const storageKeySource = readKeySource(v1.storageKeySource)
  return { walletPreKey, hkdfSalt, gcmNonce, payload, ...(storageKeySource ? { storageKeySource } : {}) }
}

function readKeySource(source: Message<'StorageKeySource'> | undefined): StorageKeySource | undefined {
  if (!source) return undefined
  if (source.ownerSignature) {
    try {
      return { source: 'owner', owner: checksumAddress(source.ownerSignature.owner) }
    } catch {
      throw new MalformedBundleError(WHAT, 'its storage key source names an owner that is not an address')
    }
  }
  if (source.passphraseScrypt) {
    const { logN, r, p } = source.passphraseScrypt
    const problem = scryptParamsProblem({ logN, r, p })
    if (problem) throw new MalformedBundleError(WHAT, `its scrypt parameters are out of range (${problem})`)
    return { source: 'passphrase', logN, r, p }
  }
  throw new MalformedBundleError(WHAT, 'its storage key source is of an unknown kind')
}

export function encodeEncryptedBundle(bundle: EncryptedBundle): Uint8Array {
  return encodeMessage('EncryptedPrivateKeyBundle', {
    v1: {
      walletPreKey: bundle.walletPreKey,
      ciphertext: { aes256GcmHkdfSha256: { hkdfSalt: bundle.hkdfSalt, gcmNonce: bundle.gcmNonce, payload: bundle.payload } },
      ...keySourceFields(bundle.storageKeySource),
    },
  })
}

function keySourceFields(source: StorageKeySource | undefined): MessageInput<'EncryptedPrivateKeyBundleV1'> {
  // XMTP's own scheme writes nothing: those bundles stay byte-identical to xmtp-js's.
  if (!source || source.source === 'signer') return {}
  if (source.source === 'owner') return { storageKeySource: { ownerSignature: { owner: source.owner } } }
  const problem = scryptParamsProblem(source)
  if (problem) throw new InvalidInputError('The scrypt parameters are out of range; a bundle with them could not be opened again.', { details: problem })
  return { storageKeySource: { passphraseScrypt: { logN: source.logN, r: source.r, p: source.p } } }
}

type SealParams = { hkdfSalt?: Uint8Array; gcmNonce?: Uint8Array; randomBytes?: (n: number) => Uint8Array }
type Sealed = { hkdfSalt: Uint8Array; gcmNonce: Uint8Array; payload: Uint8Array }

function saltAndNonce(params: SealParams): { hkdfSalt: Uint8Array; gcmNonce: Uint8Array } {
  const random = params.randomBytes ?? defaultRandomBytes
  return { hkdfSalt: params.hkdfSalt ?? random(32), gcmNonce: params.gcmNonce ?? random(12) }
}

/** XMTP's storage cipher: key = HKDF-SHA256(secret, salt, no info); AES-256-GCM, no associated data. */
export async function encryptWithSecret(plaintext: Uint8Array, secret: Uint8Array, params: SealParams = {}): Promise<Sealed> {
  const { hkdfSalt, gcmNonce } = saltAndNonce(params)
  const payload = await withStorageCipher(secret, hkdfSalt, (cipher) => cipher.seal(gcmNonce, plaintext))
  return { hkdfSalt, gcmNonce, payload }
}

/**
 * Seals `plaintext`, encodes it (`encode`), then reads the encoded bytes back with the decoder and opens
 * them under the same derived key: what would be stored, and what it opens to. A failure while reading
 * back is UnopenableBundleError; the caller compares what it opened to.
 */
export async function sealAndReopen(
  plaintext: Uint8Array,
  secret: Uint8Array,
  encode: (sealed: Sealed) => Uint8Array,
  params: SealParams = {},
): Promise<{ encrypted: Uint8Array; readBack: EncryptedBundle; opened: Uint8Array }> {
  const { hkdfSalt, gcmNonce } = saltAndNonce(params)
  return withStorageCipher(secret, hkdfSalt, async (cipher) => {
    const payload = await cipher.seal(gcmNonce, plaintext)
    const encrypted = encode({ hkdfSalt, gcmNonce, payload })
    try {
      const readBack = decodeEncryptedBundle(encrypted)
      // The derived key fits only the salt it came from: a salt that did not survive encoding is opened as a reader would.
      const opened = equalBytes(readBack.hkdfSalt, hkdfSalt) ? await cipher.open(readBack.gcmNonce, readBack.payload) : await decryptWithSecret(readBack, secret)
      return { encrypted, readBack, opened }
    } catch (error) {
      throw new UnopenableBundleError(error instanceof Error ? error.message : String(error), { cause: error })
    }
  })
}

async function tryDecrypt(bundle: EncryptedBundle, secret: Uint8Array): Promise<Uint8Array | undefined> {
  try {
    return await withStorageCipher(secret, bundle.hkdfSalt, (cipher) => cipher.open(bundle.gcmNonce, bundle.payload))
  } catch {
    return undefined
  }
}

/**
 * Decrypts with the wallet's 65-byte storage signature. As xmtp-js does, retries with v ± 27, so
 * bundles stored by wallets that returned v = 0/1 open too.
 */
export async function decryptWithSecret(bundle: EncryptedBundle, secret: Uint8Array): Promise<Uint8Array> {
  const first = await tryDecrypt(bundle, secret)
  if (first) return first
  if (secret.length === 65) {
    const v = secret[64]!
    const alternate = secret.slice()
    alternate[64] = v >= 27 ? v - 27 : v + 27
    const second = await tryDecrypt(bundle, alternate)
    if (second) return second
  }
  throw new BundleDecryptionError({
    details: 'AES-256-GCM authentication failed: the signature is from another account or wallet prekey, or the ciphertext was altered',
  })
}
