// xmtp-signers: the device-free engine. Adapters live in their own entry points
// (xmtp-signers/local, …) so an app ships only the wallets it uses; the wire codecs are
// xmtp-signers/wire and the adapter kit xmtp-signers/adapter. Every name here is listed on purpose
// (test/publicSurface.test.ts holds the list).
export {
  createIdentity,
  unlockIdentity,
  unlockOrCreateIdentity,
  rotatePreKey,
  generateIdentity,
  encryptIdentity,
  decryptIdentity,
  XmtpIdentity,
  type StoredIdentity,
  type EngineOptions,
  type ProgressEvent,
  type StorageKeyChoice,
  type PublishingKeyStore,
} from './identity.js'
export type { StorageKeySource, StorageSecret } from './storageKey.js'
export type { EntropySource } from './keys.js'
export { storageTopic, contactTopic, type KeyStore, type LockOptions, type PutOptions } from './keyStore.js'
export { MemoryKeyStore } from '../stores/memoryKeyStore.js'
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
export { createIdentityText, enableIdentityText, SIGNATURE_PURPOSES, type SignaturePurpose } from './texts.js'
export type { Signer, SignOptions, SignerCapabilities, SignerKind, Reproducibility, TypedData, TypedDataDomain, TypedDataField } from './signer.js'
export { hexToBytes, toHex, to0xHex, type Hex } from './bytes.js'
export {
  normalizeSignature,
  hashPersonalMessage,
  recoverPersonalSignAddress,
  publicKeyToAddress,
  checksumAddress,
  sameAddress,
  type Address,
  type WalletSignature,
} from './signature.js'
export { hashTypedData } from './typedData.js'
export { formatAccountId, parseAccountId, type AccountId } from './caip10.js'
export {
  derivationPath,
  parseDerivationPath,
  formatDerivationPath,
  describeDerivationPath,
  DERIVATION_SCHEMES,
  type DerivationScheme,
} from './derivationPaths.js'
export {
  toXmtpSigner,
  parseXmtpV3Text,
  verifyXmtpV3Signature,
  exportLegacyIdentityForV3,
  signWithLegacyIdentityKey,
  IDENTIFIER_KIND_ETHEREUM,
  XMTP_V3_TEXT_HEADER,
  XMTP_V3_TEXT_FOOTER,
  type XmtpV3Identifier,
  type XmtpV3EoaSigner,
  type XmtpV3ScwSigner,
  type XmtpV3Signer,
  type XmtpV3SignerOptions,
  type XmtpV3Text,
  type XmtpV3Verification,
  type LegacyIdentityForV3,
} from './xmtpV3.js'
export {
  XmtpSignersError,
  isXmtpSignersError,
  InvalidInputError,
  InvalidSignatureError,
  InvalidKeyError,
  AccountMismatchError,
  MalformedBundleError,
  BundleDecryptionError,
  ForeignBundleError,
  BundleVerificationError,
  UnopenableBundleError,
  IdentityExistsError,
  NoStoredIdentityError,
  KeyStoreError,
  KeyStoreLockedError,
  UserRejectedError,
  SignerTimeoutError,
  OperationAbortedError,
  SignerUnavailableError,
  SignerClosedError,
  SignerBusyError,
  SignerDisconnectedError,
  UnsupportedOperationError,
  MissingPackageError,
  NetworkReadOnlyError,
  DeviceError,
  DeviceLockedError,
  WrongAppError,
  DeviceMenuOpenError,
  DeviceBusyError,
  DeviceDisconnectedError,
  DeviceNotFoundError,
  UnsupportedAppVersionError,
  DevicePinRequiredError,
  TransportUnavailableError,
  UnknownDeviceError,
  StorageKeySourceError,
  WrongChainError,
  SmartAccountRejectedError,
  RpcUnavailableError,
  WorkerThreadError,
  ERROR_CLASSES,
  type ErrorCode,
  type ErrorOf,
  type XmtpSignersErrorOptions,
  type DeviceErrorOptions,
} from './errors.js'
export { cryptoBackend, type CryptoBackendInfo, type CryptoBackendName } from './crypto/backend.js'
export { verifyContactBundles, BundleVerificationCache, type ContactBundleResult } from './verify.js'
