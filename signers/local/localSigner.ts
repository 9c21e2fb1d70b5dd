import { secp256k1 } from '@noble/curves/secp256k1.js'
import { HDKey } from '@scure/bip32'
import { mnemonicToSeedSync, validateMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import {
  assertSecretKey,
  hashPersonalMessage,
  hashTypedData,
  hexToBytes,
  InvalidInputError,
  InvalidKeyError,
  publicKeyOf,
  publicKeyToAddress,
  throwIfAborted,
  SignerClosedError,
  XmtpSignersError,
  type Address,
  type SignOptions,
  type Signer,
  type SignerCapabilities,
  type TypedData,
} from '../../src/adapter/index.js'

import { DEFAULT_DERIVATION_PATH } from './defaultPath.js'

export { DEFAULT_DERIVATION_PATH }

/**
 * A signer holding a secp256k1 key in memory: for development, tests and servers. Signatures are
 * RFC 6979 deterministic, so XMTP storage keys derived from them can be derived again.
 */
export class LocalSigner implements Signer {
  readonly address: Address
  readonly capabilities: SignerCapabilities = { kind: 'local', accountType: 'EOA', reproducibleSignatures: 'yes', typedData: true }
  #secretKey: Uint8Array | undefined

  private constructor(secretKey: Uint8Array) {
    assertSecretKey(secretKey)
    this.#secretKey = new Uint8Array(secretKey) // a copy, so close() never zeroes the caller's buffer
    this.address = publicKeyToAddress(publicKeyOf(this.#secretKey))
  }

  /** From a 32-byte private key, as bytes or hex (with or without 0x). */
  static fromPrivateKey(privateKey: Uint8Array | string): LocalSigner {
    let bytes: Uint8Array
    try {
      bytes = typeof privateKey === 'string' ? hexToBytes(privateKey, 'private key') : privateKey
    } catch {
      // Never echo the input: it is a secret.
      throw new InvalidKeyError('the private key is not 64 hex digits', {
        nextStep: 'Give the private key as 64 hex digits (optionally prefixed with 0x), or as 32 bytes.',
      })
    }
    return new LocalSigner(bytes)
  }

  /** From a BIP-39 mnemonic (English word list) and a BIP-32 derivation path. */
  static fromMnemonic(mnemonic: string, options: { path?: string; passphrase?: string } = {}): LocalSigner {
    const words = mnemonic.trim().split(/\s+/).join(' ')
    if (!validateMnemonic(words, wordlist)) {
      throw new InvalidInputError('The mnemonic is not a valid BIP-39 phrase.', {
        nextStep: 'Check the words and their order (12 to 24 English BIP-39 words).',
      })
    }
    const path = options.path ?? DEFAULT_DERIVATION_PATH
    let key: HDKey
    try {
      key = HDKey.fromMasterSeed(mnemonicToSeedSync(words, options.passphrase)).derive(path)
    } catch (cause) {
      throw new InvalidInputError('The derivation path is not valid.', { details: path, nextStep: `Use a path like ${DEFAULT_DERIVATION_PATH}.`, cause })
    }
    return new LocalSigner(key.privateKey!)
  }

  #key(): Uint8Array {
    if (!this.#secretKey) throw new SignerClosedError({ nextStep: 'Create a new LocalSigner.' })
    return this.#secretKey
  }

  #signDigest(digest: Uint8Array): Uint8Array {
    const recovered = secp256k1.sign(digest, this.#key(), { prehash: false, format: 'recovered', lowS: true })
    const out = new Uint8Array(65)
    out.set(recovered.subarray(1))
    out[64] = 27 + recovered[0]!
    return out
  }

  // Signing in memory takes microseconds: an abort can only come before it.
  async signPersonalMessage(text: string, options: SignOptions = {}): Promise<Uint8Array> {
    throwIfAborted(options.signal, 'message signature')
    return this.#signDigest(hashPersonalMessage(text))
  }

  async signTypedData(typedData: TypedData, options: SignOptions = {}): Promise<Uint8Array> {
    throwIfAborted(options.signal, 'typed-data signature')
    return this.#signDigest(hashTypedData(typedData))
  }

  async close(): Promise<void> {
    this.#secretKey?.fill(0)
    this.#secretKey = undefined
  }
}
