// The package's public surface, name by name: a change to what an entry point exports must show up
// here as a deliberate edit. Types come from the compiler, values from the module itself.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')

/** Package subpath → its source entry (package.json "exports" points at the compiled copies). */
const ENTRIES = {
  'xmtp-signers': 'src/index.ts',
  'xmtp-signers/wire': 'src/wire.ts',
  'xmtp-signers/adapter': 'src/adapter/index.ts',
  'xmtp-signers/verify-workers': 'src/verifyWorkers.ts',
} as const
/** Entries for Node only (worker threads): exported under the `node` condition, so a browser bundler never resolves them. */
const NODE_ONLY = new Set<string>(['xmtp-signers/verify-workers'])

type Entry = keyof typeof ENTRIES

let program: ts.Program | undefined
/** Every name the entry exports, sorted, type-only ones written `type Name`. */
async function surface(entry: Entry): Promise<string[]> {
  const file = join(root, ENTRIES[entry])
  program ??= ts.createProgram(
    Object.values(ENTRIES).map((f) => join(root, f)),
    { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true, types: [] },
  )
  const checker = program.getTypeChecker()
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!
  const names = checker.getExportsOfModule(moduleSymbol).map((s) => s.getName())
  const values = new Set(Object.keys((await import(file)) as object))
  expect([...values].filter((v) => !names.includes(v)), `${entry}: runtime exports the compiler does not see`).toEqual([])
  return names.map((n) => (values.has(n) ? n : `type ${n}`)).sort((a, b) => a.replace(/^type /, '').localeCompare(b.replace(/^type /, '')))
}

describe('public surface', () => {
  it('the main entry: the engine, its errors, stores, texts and helpers; no wire codecs, no internals', async () => {
    expect(await surface('xmtp-signers')).toEqual(MAIN)
  })

  it('xmtp-signers/wire: the protobuf codecs and the stored-bundle encryption', async () => {
    expect(await surface('xmtp-signers/wire')).toEqual(WIRE)
  })

  it('xmtp-signers/adapter: what an adapter is built from', async () => {
    expect(await surface('xmtp-signers/adapter')).toEqual(ADAPTER)
  })

  it('xmtp-signers/verify-workers: the worker-thread pool for verifyContactBundles, and its error class', async () => {
    expect(await surface('xmtp-signers/verify-workers')).toEqual(VERIFY_WORKERS)
  })

  it('package.json exports each entry point from its compiled source', () => {
    const { exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }> }
    const subpaths = { ...ENTRIES, 'xmtp-signers/adapter/conformance': 'src/adapter/conformance.ts' }
    for (const [entry, source] of Object.entries(subpaths)) {
      const compiled = `./dist/${source.replace(/\.ts$/, '')}`
      const condition = NODE_ONLY.has(entry) ? 'node' : 'default'
      expect(exports[entry.replace(/^xmtp-signers/, '.')], entry).toEqual({ types: `${compiled}.d.ts`, [condition]: `${compiled}.js` })
    }
  })

  it('the wire codecs are on their own entry only', async () => {
    const wire = new Set(await surface('xmtp-signers/wire'))
    expect((await surface('xmtp-signers')).filter((n) => wire.has(n))).toEqual([])
    expect((await surface('xmtp-signers/adapter')).filter((n) => wire.has(n))).toEqual([])
  })
})

// ---- the surface, as it is meant to be (edit deliberately) ----

const MAIN = [
  'type AccountId', 'AccountMismatchError', 'type Address', 'BundleDecryptionError', 'type BundleFormat',
  'type BundleVerification', 'BundleVerificationCache', 'BundleVerificationError', 'checksumAddress',
  'type ContactBundleResult', 'contactTopic', 'createIdentity', 'createIdentityText', 'cryptoBackend',
  'type CryptoBackendInfo', 'type CryptoBackendName', 'decryptIdentity', 'DERIVATION_SCHEMES', 'derivationPath',
  'type DerivationScheme', 'describeDerivationPath', 'DeviceBusyError', 'DeviceDisconnectedError', 'DeviceError',
  'type DeviceErrorOptions', 'DeviceLockedError', 'DeviceMenuOpenError', 'DeviceNotFoundError',
  'DevicePinRequiredError', 'enableIdentityText', 'encryptIdentity', 'type EngineOptions', 'type EntropySource',
  'ERROR_CLASSES', 'type ErrorCode', 'type ErrorOf', 'exportLegacyIdentityForV3', 'ForeignBundleError',
  'formatAccountId', 'formatDerivationPath', 'generateIdentity', 'hashPersonalMessage', 'hashTypedData', 'type Hex',
  'hexToBytes', 'IDENTIFIER_KIND_ETHEREUM', 'IdentityExistsError', 'InvalidInputError', 'InvalidKeyError',
  'InvalidSignatureError', 'isXmtpSignersError', 'type KeyStore', 'KeyStoreError', 'KeyStoreLockedError',
  'type LegacyIdentityForV3', 'type LockOptions', 'MalformedBundleError', 'MemoryKeyStore', 'MissingPackageError',
  'NetworkReadOnlyError', 'normalizeSignature', 'NoStoredIdentityError', 'OperationAbortedError', 'parseAccountId',
  'parseDerivationPath', 'parseXmtpV3Text', 'type ProgressEvent', 'publicKeyToAddress', 'type PublishingKeyStore',
  'type PutOptions', 'recoverPersonalSignAddress', 'type Reproducibility', 'rotatePreKey', 'RpcUnavailableError',
  'sameAddress', 'SIGNATURE_PURPOSES', 'type SignaturePurpose', 'type Signer', 'SignerBusyError',
  'type SignerCapabilities', 'SignerClosedError', 'SignerDisconnectedError', 'type SignerKind', 'SignerTimeoutError',
  'SignerUnavailableError', 'type SignOptions', 'signWithLegacyIdentityKey', 'SmartAccountRejectedError',
  'type StorageKeyChoice', 'type StorageKeySource', 'StorageKeySourceError', 'type StorageSecret', 'storageTopic',
  'type StoredIdentity', 'to0xHex', 'toHex', 'toXmtpSigner', 'TransportUnavailableError', 'type TypedData',
  'type TypedDataDomain', 'type TypedDataField', 'UnknownDeviceError', 'unlockIdentity', 'unlockOrCreateIdentity',
  'UnopenableBundleError', 'UnsupportedAppVersionError', 'UnsupportedOperationError', 'UserRejectedError',
  'type VerificationCheck', 'verifyContactBundles', 'verifyEncodedBundle', 'type VerifyOptions',
  'verifyPrivateKeyBundle', 'verifyPublicKeyBundle', 'verifySignedPublicKeyBundle', 'verifyXmtpV3Signature',
  'type WalletSignature', 'WorkerThreadError', 'WrongAppError', 'WrongChainError', 'XMTP_V3_TEXT_FOOTER', 'XMTP_V3_TEXT_HEADER',
  'XmtpIdentity', 'XmtpSignersError', 'type XmtpSignersErrorOptions', 'type XmtpV3EoaSigner',
  'type XmtpV3Identifier', 'type XmtpV3ScwSigner', 'type XmtpV3Signer', 'type XmtpV3SignerOptions',
  'type XmtpV3Text', 'type XmtpV3Verification',
]

const VERIFY_WORKERS = [
  'ContactBundleVerifier', 'type ContactBundleVerifierOptions', 'verifyContactBundlesInWorkers', 'type VerifyInWorkersOptions',
  'WorkerThreadError',
]

const WIRE = [
  'type ContactBundle', 'decodeContactBundle', 'decodeEncryptedBundle', 'decodePrivateKeyBundle',
  'decodePublicKeyBundle', 'decodeSignedPublicKeyBundle', 'decryptWithSecret', 'type EcdsaKeySignature',
  'encodeContactBundleV1', 'encodeContactBundleV2', 'encodeEncryptedBundle', 'encodePrivateKeyBundle',
  'encodePublicKeyBundle', 'encodePublicKeyV1', 'encodeSignedPublicKey', 'encodeSignedPublicKeyBundle',
  'encodeUnsignedPublicKeyV1', 'type EncryptedBundle', 'encryptWithSecret', 'type KeySignature',
  'type KeySignatureKind', 'type PrivateKeyBundleV1', 'type PrivateKeyV1', 'privateMatchesPublic', 'publicBundleOf',
  'type PublicKeyBundleV1', 'type PublicKeyV1', 'signatureFromCompact', 'type SignedPublicKey',
  'type SignedPublicKeyBundle', 'signedPublicKeyBundleOf', 'signedPublicKeyFromV1', 'type SmartAccountKeySignature',
]

const ADAPTER = [
  'abortable', 'abortReason', 'type AccountDiscoveryRequest', 'AccountMismatchError', 'type AccountSelection',
  'type AccountSource', 'type Address', 'assertSecretKey', 'checksumAddress', 'concatBytes', 'DERIVATION_SCHEMES',
  'derivationPath', 'type DerivationScheme', 'describeDerivationPath', 'type DeviceAction', 'DeviceBusyError',
  'DeviceDisconnectedError', 'DeviceError', 'type DeviceErrorOptions', 'DeviceLockedError', 'DeviceMenuOpenError',
  'DeviceNotFoundError', 'DevicePinRequiredError', 'discoverAccounts', 'type DiscoveredAccount', 'discoveryRequest',
  'type ErrorCode', 'expectSameAccount', 'expectSignedBy', 'formatDerivationPath', 'hashDomain',
  'hashPersonalMessage', 'hashTypedData', 'hashTypedMessage', 'type Hex', 'hexToBytes', 'identifyWalletObject',
  'InvalidInputError', 'InvalidKeyError', 'isHex', 'isModuleNotFound', 'isXmtpSignersError', 'MAX_TIMEOUT_MS',
  'MissingPackageError', 'normalizeSignature', 'OperationAbortedError', 'optionalPackage', 'type OptionalPackage', 'parseDerivationPath', 'publicKeyOf', 'publicKeyToAddress', 'randomBytes',
  'recoverPublicKey', 'type Reproducibility', 'sameAddress', 'selectedPath', 'type Signer', 'SignerBusyError',
  'type SignerCapabilities', 'SignerClosedError', 'SignerDisconnectedError', 'type SignerKind', 'SignerTimeoutError',
  'SignerUnavailableError', 'type SignOptions', 'TEST_MNEMONIC', 'throwIfAborted', 'to0xHex', 'toHex',
  'TransportUnavailableError', 'TYPED_DATA_LIMITS', 'type TypedData', 'type TypedDataDomain', 'type TypedDataField',
  'typedDataToJson', 'UnknownDeviceError', 'UnsupportedAppVersionError', 'UnsupportedOperationError',
  'UserRejectedError', 'utf8', 'validTimeoutMs', 'type WalletSignature', 'withDeadline', 'withEip712DomainType',
  'withTimeout', 'WrongAppError', 'XmtpSignersError',
]
