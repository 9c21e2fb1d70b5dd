import { equalBytes, randomBytes as defaultRandomBytes, toHex } from './bytes.js'
import { emit, type EngineOptions } from './engineOptions.js'
import { isXmtpSignersError, InvalidInputError, NoStoredIdentityError, IdentityExistsError, KeyStoreError, UnopenableBundleError, UnsupportedOperationError } from './errors.js'
import {
  decodePrivateKeyBundle,
  encodeContactBundleV1,
  encodeContactBundleV2,
  encodePrivateKeyBundle,
  encodePublicKeyBundle,
  encodeSignedPublicKeyBundle,
  encodeUnsignedPublicKeyV1,
  publicBundleOf,
  signedPublicKeyBundleOf,
  type KeySignature,
  type PrivateKeyBundleV1,
  type PrivateKeyV1,
  type PublicKeyBundleV1,
  type SignedPublicKeyBundle,
} from './keyBundle.js'
import { generateSecretKey, publicKeyOf, signWithIdentityKey } from './keys.js'
import { storageTopic, type KeyStore, type LockOptions, type PutOptions } from './keyStore.js'
import { checksumAddress, type Address } from './signature.js'
import type { Signer } from './signer.js'
import { decodeEncryptedBundle, decryptWithSecret, encodeEncryptedBundle, sealAndReopen, type EncryptedBundle } from './storageEncryption.js'
import { chainIdProblem } from './caip10.js'
import { assertCanDeriveStorageKey, requestStorageSecret, revealStorageSecret, type StorageSecret } from './storageKey.js'
import { assertSigner } from './signerGuard.js'
import { throwIfAborted } from './timeout.js'
import { createIdentityText } from './texts.js'
import { verifyPrivateKeyBundle } from './verify.js'
import { knownAccountKey, requestAccountSignature } from './walletSignature.js'

export type { EngineOptions, ProgressEvent } from './engineOptions.js'
export type { StorageKeyChoice } from './storageKey.js'
export { requestWalletSignature, requestAccountSignature, type AccountSignature } from './walletSignature.js'
export { requestStorageSecret, assertCanDeriveStorageKey, StorageSecret } from './storageKey.js'

/**
 * An unlocked XMTP v2 identity. Private keys stay in a private field: logging or JSON-serializing
 * an identity shows only public material.
 */
export class XmtpIdentity {
  readonly address: Address
  readonly #keys: PrivateKeyBundleV1

  constructor(address: string, keys: PrivateKeyBundleV1) {
    this.address = checksumAddress(address)
    this.#keys = keys
  }

  get identityPublicKey(): Uint8Array {
    return this.#keys.identityKey.publicKey.publicKey
  }
  /** The current (published) prekey. */
  get preKeyPublicKey(): Uint8Array {
    return this.#keys.preKeys[0]!.publicKey.publicKey
  }
  /** Every prekey ever generated, newest first. */
  get preKeyPublicKeys(): Uint8Array[] {
    return this.#keys.preKeys.map((k) => k.publicKey.publicKey)
  }
  get storageTopic(): string {
    return storageTopic(this.address)
  }

  publicKeyBundle(): PublicKeyBundleV1 {
    return publicBundleOf(this.#keys)
  }
  signedPublicKeyBundle(): SignedPublicKeyBundle {
    return signedPublicKeyBundleOf(this.publicKeyBundle())
  }
  /** Encoded V1 `PublicKeyBundle`. */
  encodePublicKeyBundle(): Uint8Array {
    return encodePublicKeyBundle(this.publicKeyBundle())
  }
  /** Encoded V2 `SignedPublicKeyBundle`. */
  encodeSignedPublicKeyBundle(): Uint8Array {
    return encodeSignedPublicKeyBundle(this.signedPublicKeyBundle())
  }
  encodeContactBundle(version: 1 | 2 = 1): Uint8Array {
    return version === 1 ? encodeContactBundleV1(this.publicKeyBundle()) : encodeContactBundleV2(this.signedPublicKeyBundle())
  }

  /** The private key for a prekey the identity published at some point (old messages need old prekeys). */
  findPreKey(publicKey: Uint8Array): PrivateKeyV1 | undefined {
    return this.#keys.preKeys.find((k) => equalBytes(k.publicKey.publicKey, publicKey))
  }

  /** The private bundle itself. Handle as a secret: never log or send it unencrypted. */
  exportPrivateKeyBundle(): PrivateKeyBundleV1 {
    return this.#keys
  }

  toJSON(): Record<string, string | string[]> {
    return {
      address: this.address,
      identityPublicKey: toHex(this.identityPublicKey),
      preKeyPublicKeys: this.preKeyPublicKeys.map(toHex),
    }
  }
}

function newPrivateKey(options: EngineOptions, timestamp: bigint): { secretKey: Uint8Array; publicKey: Uint8Array; timestamp: bigint } {
  const secretKey = generateSecretKey(options)
  return { secretKey, publicKey: publicKeyOf(secretKey), timestamp }
}

function nowMs(options: EngineOptions): bigint {
  return BigInt(Math.floor((options.now ?? Date.now)()))
}

/** A new prekey signed by the identity key, as xmtp-js `PrivateKeyBundleV1.addPreKey` makes it. */
export function generatePreKey(identityKey: PrivateKeyV1, options: EngineOptions = {}): PrivateKeyV1 {
  const key = newPrivateKey(options, nowMs(options))
  const unsigned = { timestamp: key.timestamp, publicKey: key.publicKey }
  const signature = signWithIdentityKey(identityKey.secretKey, encodeUnsignedPublicKeyV1(unsigned))
  return { ...key, publicKey: { ...unsigned, signature: { kind: 'ecdsaCompact', ...signature } } }
}

/**
 * Generates an identity for the signer's account: identity key → the wallet's "Create Identity"
 * attestation (checked) → a prekey signed by the identity key. Stores nothing.
 */
export async function generateIdentity(signer: Signer, options: EngineOptions = {}): Promise<XmtpIdentity> {
  assertSigner(signer)
  assertCanAttest(signer)
  throwIfAborted(options.signal, 'identity creation')
  const identity = newPrivateKey(options, nowMs(options))
  emit(options, { type: 'identity-key-generated', identityPublicKey: identity.publicKey })
  const unsigned = { timestamp: identity.timestamp, publicKey: identity.publicKey }
  const attestation = await requestAccountSignature(signer, 'create-identity', createIdentityText(encodeUnsignedPublicKeyV1(unsigned)), options)
  const signature: KeySignature =
    attestation.kind === 'eoa'
      ? { kind: 'ecdsaCompact', compact: attestation.signature.compact, recovery: attestation.signature.recovery }
      : { kind: 'smartAccount', account: { chainId: signer.capabilities.chainId!, address: signer.address }, blockNumber: attestation.blockNumber, signature: attestation.bytes }
  const identityKey: PrivateKeyV1 = { ...identity, publicKey: { ...unsigned, signature } }
  const preKey = generatePreKey(identityKey, options)
  emit(options, { type: 'prekey-generated', preKeyPublicKey: preKey.publicKey.publicKey })
  return new XmtpIdentity(signer.address, { identityKey, preKeys: [preKey] })
}

/**
 * Refuses, before the first prompt, a signer whose attestation could not be written in a form the
 * decoder reads back: a smart account must name its chain (CAIP-10 needs a chain id ≥ 1).
 */
function assertCanAttest(signer: Signer): void {
  if (signer.capabilities.accountType !== 'SCW') return
  if (!signer.verifySignature) {
    throw new UnsupportedOperationError('This smart-account signer cannot check its own signatures.', {
      nextStep: 'Use a signer that implements verifySignature (the smart-account signer of xmtp-signers does). Nothing was signed or stored.',
    })
  }
  const problem = chainIdProblem(signer.capabilities.chainId)
  if (problem) {
    throw new InvalidInputError('A smart-account signer must say which chain the account lives on.', {
      details: `${signer.address}: ${problem}`,
      nextStep: 'Set capabilities.chainId to the account’s chain (SmartAccountSigner reads it from its RPC). Nothing was signed or stored.',
    })
  }
}

/** Encrypts the private bundle as XMTP stores it: `EncryptedPrivateKeyBundle{v1}` bytes. */
export async function encryptIdentity(
  identity: XmtpIdentity,
  signer: Signer,
  options: EngineOptions & { storageSecret?: StorageSecret } = {},
): Promise<Uint8Array> {
  assertSigner(signer)
  const random = options.randomBytes ?? defaultRandomBytes
  const secret = options.storageSecret ?? (await requestStorageSecret(signer, random(32), options))
  const plaintext = encodePrivateKeyBundle(identity.exportPrivateKeyBundle())
  const { encrypted, readBack, opened } = await sealAndReopen(
    plaintext,
    revealStorageSecret(secret),
    (sealed) => encodeEncryptedBundle({ walletPreKey: secret.walletPreKey, ...sealed, storageKeySource: secret.source }),
    { randomBytes: random },
  )
  assertOpenedAgain(readBack, opened, secret, plaintext)
  emit(options, { type: 'bundle-encrypted' })
  return encrypted
}

/**
 * What is about to be stored, read back with the same decoder and opened with the same secret
 * (sealAndReopen), must be what was written: a bundle that would open as other keys, or from another
 * source, is never returned for storing.
 */
function assertOpenedAgain(readBack: EncryptedBundle, opened: Uint8Array, secret: StorageSecret, plaintext: Uint8Array): void {
  try {
    const keys = decodePrivateKeyBundle(opened)
    const sameSource = JSON.stringify(readBack.storageKeySource ?? { source: 'signer' }) === JSON.stringify(secret.source)
    if (!equalBytes(opened, plaintext) || !equalBytes(encodePrivateKeyBundle(keys), plaintext) || !sameSource || !equalBytes(readBack.walletPreKey, secret.walletPreKey)) {
      throw new Error('the bundle read back differs from the one written')
    }
  } catch (error) {
    throw new UnopenableBundleError(error instanceof Error ? error.message : String(error), { cause: error })
  }
}

/**
 * Opens a stored `EncryptedPrivateKeyBundle` (or the legacy unwrapped forms) with the wallet's
 * storage signature, then verifies the keys belong to the signer's account before returning them.
 */
export async function decryptIdentity(encrypted: Uint8Array, signer: Signer, options: EngineOptions = {}): Promise<{ identity: XmtpIdentity; storageSecret: StorageSecret }> {
  assertSigner(signer)
  const sealed = decodeEncryptedBundle(encrypted)
  const storageSecret = await requestStorageSecret(signer, sealed.walletPreKey, options, sealed.storageKeySource ?? { source: 'signer' })
  const plaintext = await decryptWithSecret(sealed, revealStorageSecret(storageSecret))
  emit(options, { type: 'bundle-decrypted' })
  const keys = decodePrivateKeyBundle(plaintext)
  const verifySignature = signer.verifySignature?.bind(signer)
  const accountPublicKey = knownAccountKey(signer)
  await verifyPrivateKeyBundle(keys, signer.address, {
    // The key the storage signature already recovered to: the attestation is checked against it, not recovered again.
    ...(accountPublicKey ? { accountPublicKey } : {}),
    ...(verifySignature
      ? { checkSmartAccount: async (a) => a.account.chainId === signer.capabilities.chainId && (await verifySignature(a.hash, a.signature, a.blockNumber)).valid }
      : {}),
  })
  emit(options, { type: 'bundle-verified', address: signer.address })
  return { identity: new XmtpIdentity(signer.address, keys), storageSecret }
}

export type StoredIdentity = {
  readonly identity: XmtpIdentity
  /** The `EncryptedPrivateKeyBundle` bytes as stored. */
  readonly encryptedBundle: Uint8Array
  readonly storageTopic: string
  /** True when this call generated the identity; false when it unlocked a stored one. */
  readonly created: boolean
}

function lockOptions(options: EngineOptions): LockOptions {
  return options.signal ? { signal: options.signal } : {}
}

async function readStore(store: KeyStore, topic: string): Promise<Uint8Array | undefined> {
  try {
    return await store.get(topic)
  } catch (error) {
    if (isXmtpSignersError(error)) throw error
    throw new KeyStoreError('The key store could not be read; nothing was generated.', { details: String(error), cause: error })
  }
}

/**
 * A store that publishes what it stores (an XMTP node): it signs its writes with the identity key and
 * publishes the contact bundle after the private bundle, so the engine hands it the identity with the bytes.
 */
export interface PublishingKeyStore extends KeyStore {
  putIdentity(topic: string, encryptedBundle: Uint8Array, identity: XmtpIdentity, options?: PutOptions & { signal?: AbortSignal }): Promise<void>
}

function isPublishingKeyStore(store: KeyStore): store is PublishingKeyStore {
  return typeof (store as Partial<PublishingKeyStore>).putIdentity === 'function'
}

function putBundle(store: KeyStore, topic: string, encryptedBundle: Uint8Array, identity: XmtpIdentity, put: PutOptions, options: EngineOptions): Promise<void> {
  if (isPublishingKeyStore(store)) return store.putIdentity(topic, encryptedBundle, identity, options.signal ? { ...put, signal: options.signal } : put)
  return store.put(topic, encryptedBundle, put)
}

async function createLocked(signer: Signer, store: KeyStore, topic: string, options: EngineOptions): Promise<StoredIdentity> {
  // Refused before the first prompt: the person should not approve an attestation that cannot be stored.
  assertCanDeriveStorageKey(signer, options.storageKey)
  assertCanAttest(signer)
  const identity = await generateIdentity(signer, options)
  const encryptedBundle = await encryptIdentity(identity, signer, options)
  throwIfAborted(options.signal, 'identity creation')
  await putBundle(store, topic, encryptedBundle, identity, {}, options)
  emit(options, { type: 'bundle-stored', storageTopic: topic, location: store.location })
  return { identity, encryptedBundle, storageTopic: topic, created: true }
}

async function unlockStored(signer: Signer, store: KeyStore, topic: string, stored: Uint8Array, options: EngineOptions): Promise<StoredIdentity> {
  emit(options, { type: 'bundle-loaded', storageTopic: topic, location: store.location })
  const { identity } = await decryptIdentity(stored, signer, options)
  return { identity, encryptedBundle: stored, storageTopic: topic, created: false }
}

/** Creates and stores a new identity; refuses (`IdentityExistsError`) when one is already stored. */
export async function createIdentity(signer: Signer, store: KeyStore, options: EngineOptions = {}): Promise<StoredIdentity> {
  assertSigner(signer)
  throwIfAborted(options.signal, 'operation')
  const topic = storageTopic(signer.address)
  return store.withLock(
    topic,
    async () => {
      if ((await readStore(store, topic)) !== undefined) throw new IdentityExistsError(topic, store.location)
      return createLocked(signer, store, topic, options)
    },
    lockOptions(options),
  )
}

/** Unlocks the stored identity; `NoStoredIdentityError` when there is none. */
export async function unlockIdentity(signer: Signer, store: KeyStore, options: EngineOptions = {}): Promise<StoredIdentity> {
  assertSigner(signer)
  throwIfAborted(options.signal, 'operation')
  const topic = storageTopic(signer.address)
  const stored = await readStore(store, topic)
  if (stored === undefined) throw new NoStoredIdentityError(topic, store.location)
  return unlockStored(signer, store, topic, stored, options)
}

/**
 * XMTP's retrieve-or-generate: generates only when the store answers "nothing stored" for this
 * account. A stored bundle that cannot be read, decrypted or verified is an error and stays as it is.
 */
export async function unlockOrCreateIdentity(signer: Signer, store: KeyStore, options: EngineOptions = {}): Promise<StoredIdentity> {
  assertSigner(signer)
  throwIfAborted(options.signal, 'operation')
  const topic = storageTopic(signer.address)
  // Reading needs no lock: a stored identity opens even where nothing can be written (a read-only store).
  const found = await readStore(store, topic)
  if (found !== undefined) return unlockStored(signer, store, topic, found, options)
  return store.withLock(
    topic,
    async () => {
      const stored = await readStore(store, topic)
      if (stored !== undefined) return unlockStored(signer, store, topic, stored, options)
      return createLocked(signer, store, topic, options)
    },
    lockOptions(options),
  )
}

/**
 * Adds a new prekey (signed by the identity key) and makes it the published one; every earlier
 * private prekey stays in the bundle. One storage signature: the bundle is re-encrypted with it.
 */
export async function rotatePreKey(signer: Signer, store: KeyStore, options: EngineOptions = {}): Promise<StoredIdentity> {
  assertSigner(signer)
  throwIfAborted(options.signal, 'operation')
  const topic = storageTopic(signer.address)
  return store.withLock(
    topic,
    async () => {
      const stored = await readStore(store, topic)
      if (stored === undefined) throw new NoStoredIdentityError(topic, store.location)
      const { identity, storageSecret } = await decryptIdentity(stored, signer, options)
      const keys = identity.exportPrivateKeyBundle()
      const preKey = generatePreKey(keys.identityKey, options)
      emit(options, { type: 'prekey-generated', preKeyPublicKey: preKey.publicKey.publicKey })
      const rotated = new XmtpIdentity(signer.address, { identityKey: keys.identityKey, preKeys: [preKey, ...keys.preKeys] })
      const encryptedBundle = await encryptIdentity(rotated, signer, { ...options, storageSecret })
      throwIfAborted(options.signal, 'prekey rotation')
      await putBundle(store, topic, encryptedBundle, rotated, { overwrite: true }, options)
      emit(options, { type: 'bundle-stored', storageTopic: topic, location: store.location })
      return { identity: rotated, encryptedBundle, storageTopic: topic, created: false }
    },
    lockOptions(options),
  )
}

