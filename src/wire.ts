// xmtp-signers/wire: the XMTP v2 wire codecs — the key bundles, contact bundles and the encrypted
// stored bundle, byte for byte as xmtp-js writes them. Apps need none of this to create or unlock
// an identity; tools that read or write the raw bytes do.
export {
  decodeContactBundle,
  decodePrivateKeyBundle,
  decodePublicKeyBundle,
  decodeSignedPublicKeyBundle,
  encodeContactBundleV1,
  encodeContactBundleV2,
  encodePrivateKeyBundle,
  encodePublicKeyBundle,
  encodePublicKeyV1,
  encodeSignedPublicKey,
  encodeSignedPublicKeyBundle,
  encodeUnsignedPublicKeyV1,
  privateMatchesPublic,
  publicBundleOf,
  signedPublicKeyBundleOf,
  signedPublicKeyFromV1,
  type ContactBundle,
  type EcdsaKeySignature,
  type KeySignature,
  type KeySignatureKind,
  type PrivateKeyBundleV1,
  type PrivateKeyV1,
  type PublicKeyBundleV1,
  type PublicKeyV1,
  type SignedPublicKey,
  type SignedPublicKeyBundle,
  type SmartAccountKeySignature,
} from './keyBundle.js'
export { decodeEncryptedBundle, decryptWithSecret, encodeEncryptedBundle, encryptWithSecret, type EncryptedBundle } from './storageEncryption.js'
export { signatureFromCompact } from './signature.js'
