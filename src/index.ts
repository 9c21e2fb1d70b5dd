// xmtp-signers: the device-free engine. Adapters live in their own entry points
// (xmtp-signers/local, …) so an app ships only the wallets it uses.
export * from './errors.js'
export { hexToBytes, toHex, to0xHex, type Hex } from './bytes.js'
export type { Signer, SignOptions, SignerCapabilities, SignerKind, Reproducibility, TypedData, TypedDataDomain, TypedDataField } from './signer.js'
export {
  normalizeSignature,
  signatureFromCompact,
  hashPersonalMessage,
  recoverPersonalSignAddress,
  publicKeyToAddress,
  checksumAddress,
  sameAddress,
  type Address,
  type WalletSignature,
} from './signature.js'
export { hashTypedData, hashDomain, hashTypedMessage, encodeType, withEip712DomainType, typedDataToJson } from './typedData.js'
export { createIdentityText, enableIdentityText, SIGNATURE_PURPOSES, type SignaturePurpose } from './texts.js'
export * from './keyBundle.js'
export { decodeEncryptedBundle, encodeEncryptedBundle, encryptWithSecret, decryptWithSecret, type EncryptedBundle } from './storageEncryption.js'
export { storageTopic, contactTopic, MemoryKeyStore, type KeyStore, type LockOptions, type PutOptions } from './keyStore.js'
export {
  verifyPublicKeyBundle,
  verifySignedPublicKeyBundle,
  verifyEncodedBundle,
  verifyPrivateKeyBundle,
  type BundleFormat,
  type BundleVerification,
  type VerificationCheck,
  type VerifyOptions,
} from './verify.js'
export type { EntropySource } from './keys.js'
export * from './identity.js'
export { formatAccountId, parseAccountId, type AccountId } from './caip10.js'
export type { StorageKeySource } from './storageEncryption.js'
export {
  derivationPath,
  parseDerivationPath,
  formatDerivationPath,
  describeDerivationPath,
  DERIVATION_SCHEMES,
  type DerivationScheme,
} from './derivationPaths.js'
export * from './xmtpV3.js'
