// The operations the benchmark times, for xmtp-signers (on each crypto backend: libsecp256k1 and
// pure-JS, switched per call in one process) and for @xmtp/xmtp-js@13.0.4, plus the fixtures they
// run on. Both sides get a wallet that signs with the same primitive (our LocalSigner:
// @noble/curves, RFC 6979), so the figures compare the engines, not the wallets.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import {
  BundleVerificationCache,
  cryptoBackend,
  decryptIdentity,
  encryptIdentity,
  generateIdentity,
  to0xHex,
  verifyContactBundles,
  verifyEncodedBundle,
  type BundleVerification,
  type ContactBundleResult,
  type CryptoBackendName,
} from '../src/index.js'
import { ContactBundleVerifier } from '../src/verifyWorkers.js'
import { curve, hashes, nativeBackendAvailable, useCryptoBackend } from '../src/crypto/backend.js'
import { encodeContactBundleV1, encodeUnsignedPublicKeyV1 } from '../src/wire.js'
import { createIdentityText } from '../src/texts.js'
import { hashPersonalMessage } from '../src/signature.js'
import { LocalSigner } from '../signers/local/index.js'
import { equalBytes } from '../src/bytes.js'

// ---- xmtp-js, loaded as CommonJS (its ESM build cannot be imported by native Node ESM) ---------

const require = createRequire(import.meta.url)
const xmtpPath = require.resolve('@xmtp/xmtp-js')
/** Resolves packages as xmtp-js itself does, so `@xmtp/proto` and `viem` are the instances it uses. */
const requireFromXmtp = createRequire(xmtpPath)

type Bytes = Uint8Array
type Address = string

/** The subset of the xmtp-js API the benchmark drives (the package is untyped from CommonJS). */
interface XmtpLegacyPublicKey {
  secp256k1Uncompressed: { bytes: Bytes }
  walletSignatureAddress(): Address
  verifyKey(other: XmtpLegacyPublicKey): Promise<boolean>
}
interface XmtpPrivateKeyBundleV1 {
  identityKey: { publicKey: XmtpLegacyPublicKey }
  preKeys: { publicKey: XmtpLegacyPublicKey }[]
  encode(): Bytes
  getPublicKeyBundle(): { identityKey: XmtpLegacyPublicKey; preKey: XmtpLegacyPublicKey; walletSignatureAddress(): Address }
  validatePublicKeys(): boolean
}
interface XmtpSignedPublicKey {
  verifyKey(other: XmtpSignedPublicKey): Promise<boolean>
}
interface XmtpPublicKeyBundle {
  identityKey: XmtpLegacyPublicKey
  preKey: XmtpLegacyPublicKey
  walletSignatureAddress(): Address
}
interface XmtpSignedPublicKeyBundle {
  identityKey: XmtpSignedPublicKey
  preKey: XmtpSignedPublicKey
  walletSignatureAddress(): Promise<Address>
}
type XmtpWallet = { getAddress(): Promise<string>; signMessage(message: string): Promise<string> }
interface XmtpJs {
  PrivateKeyBundleV1: {
    new (bundle: unknown): XmtpPrivateKeyBundleV1
    generate(wallet: XmtpWallet): Promise<XmtpPrivateKeyBundleV1>
  }
  PrivateKeyBundleV2: new (bundle: unknown) => unknown
  PublicKeyBundle: new (bundle: unknown) => XmtpPublicKeyBundle
  SignedPublicKeyBundle: new (bundle: unknown) => XmtpSignedPublicKeyBundle
  Ciphertext: new (ciphertext: unknown) => unknown
  encrypt(plain: Bytes, secret: Bytes): Promise<unknown>
  decrypt(ciphertext: unknown, secret: Bytes): Promise<Bytes>
  decodeContactBundle(bytes: Bytes): XmtpPublicKeyBundle | XmtpSignedPublicKeyBundle
}
type ProtoMessage<T = any> = { encode(message: unknown): { finish(): Bytes }; decode(bytes: Bytes): T }
interface XmtpProto {
  privateKey: {
    EncryptedPrivateKeyBundle: ProtoMessage<{ v1?: EncryptedBundleV1 }>
    EncryptedPrivateKeyBundleV1: ProtoMessage<EncryptedBundleV1>
    PrivateKeyBundle: ProtoMessage<{ v1?: unknown; v2?: unknown }>
    PrivateKeyBundleV1: ProtoMessage
  }
}
type EncryptedBundleV1 = { walletPreKey: Bytes; ciphertext?: { aes256GcmHkdfSha256?: unknown } }
interface Viem {
  verifyMessage(args: { address: string; message: string; signature: string }): Promise<boolean>
  hexToBytes(hex: string): Bytes
}

const xmtp = require('@xmtp/xmtp-js') as XmtpJs
const proto = requireFromXmtp('@xmtp/proto') as XmtpProto
const viem = requireFromXmtp('viem') as Viem
const secp = requireFromXmtp('@noble/secp256k1') as { utils: { bytesToHex(bytes: Bytes): string } }

/** A package's version, from the package.json above its resolved entry (some packages do not export it). */
function versionOf(resolvedEntry: string, name: string): string {
  for (let dir = dirname(resolvedEntry); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json')
    if (!existsSync(file)) continue
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
    if (pkg.name === name && pkg.version) return pkg.version
  }
  return 'unknown'
}
export const xmtpVersion = versionOf(xmtpPath, '@xmtp/xmtp-js')
export const nobleSecp256k1Version = versionOf(requireFromXmtp.resolve('@noble/secp256k1'), '@noble/secp256k1')
export const oursNobleCurvesVersion = versionOf(require.resolve('@noble/curves'), '@noble/curves')
export const oursNobleSecp256k1Version = versionOf(require.resolve('@noble/secp256k1'), '@noble/secp256k1')

// xmtp-js keeps its storage code (NetworkKeyManager, storageSigRequestText, decodePrivateKeyBundle)
// unexported. The functions below are those methods line for line, from
// node_modules/@xmtp/xmtp-js/dist/index.cjs (toEncryptedBytes ~cjs:4313, fromEncryptedBytes ~cjs:4345,
// getEncryptedBundle/getPrivateBundle ~cjs:4390-4420, decodePrivateKeyBundle cjs:1968), using the
// exported classes and the same @xmtp/proto and viem instances.

function storageSigRequestText(preKey: Bytes): string {
  return 'XMTP : Enable Identity\n' + `${secp.utils.bytesToHex(preKey)}\n` + '\n' + 'For more info: https://xmtp.org/signatures/'
}

/** NetworkKeyManager.toEncryptedBytes. */
async function xmtpToEncryptedBytes(bundle: XmtpPrivateKeyBundleV1, wallet: XmtpWallet): Promise<Bytes> {
  const bytes = bundle.encode()
  const wPreKey = globalThis.crypto.getRandomValues(new Uint8Array(32))
  const input = storageSigRequestText(wPreKey)
  const walletAddr = await wallet.getAddress()
  const sig = await wallet.signMessage(input)
  // xmtp-js does not await this check (a known defect: it never rejects). Awaited here so its whole
  // recovery lands inside the timed operation instead of spilling into the next one.
  const valid = await viem.verifyMessage({ address: walletAddr, message: input, signature: sig })
  if (!valid) throw new Error('invalid signature')
  const secret = viem.hexToBytes(sig)
  const ciphertext = await xmtp.encrypt(bytes, secret)
  return proto.privateKey.EncryptedPrivateKeyBundle.encode({ v1: { walletPreKey: wPreKey, ciphertext } }).finish()
}

function getEncryptedBundle(bytes: Bytes): [EncryptedBundleV1, boolean] {
  try {
    const b = proto.privateKey.EncryptedPrivateKeyBundle.decode(bytes)
    if (b.v1) return [b.v1, false]
  } catch {
    return [proto.privateKey.EncryptedPrivateKeyBundleV1.decode(bytes), true]
  }
  throw new Error('unrecognized encrypted private key bundle version')
}

function decodePrivateKeyBundle(bytes: Bytes): unknown {
  const b = proto.privateKey.PrivateKeyBundle.decode(bytes)
  if (b.v1) return new xmtp.PrivateKeyBundleV1(b.v1)
  if (b.v2) return new xmtp.PrivateKeyBundleV2(b.v2)
  throw new Error('unknown private key bundle version')
}

function getPrivateBundle(bytes: Bytes): [XmtpPrivateKeyBundleV1, boolean] {
  try {
    const b = decodePrivateKeyBundle(bytes)
    if (b instanceof xmtp.PrivateKeyBundleV2) throw new Error('V2 bundles not supported yet')
    return [b as XmtpPrivateKeyBundleV1, false]
  } catch {
    return [new xmtp.PrivateKeyBundleV1(proto.privateKey.PrivateKeyBundleV1.decode(bytes)), true]
  }
}

/** NetworkKeyManager.fromEncryptedBytes (including the v ± 27 retry path, which a good bundle never takes). */
async function xmtpFromEncryptedBytes(wallet: XmtpWallet, bytes: Bytes): Promise<[XmtpPrivateKeyBundleV1, boolean]> {
  const [eBundle, needsUpdate] = getEncryptedBundle(bytes)
  if (!eBundle.walletPreKey) throw new Error('missing wallet pre-key')
  if (!eBundle.ciphertext?.aes256GcmHkdfSha256) throw new Error('missing bundle ciphertext')
  const secret = viem.hexToBytes(await wallet.signMessage(storageSigRequestText(eBundle.walletPreKey)))
  try {
    const decrypted = await xmtp.decrypt(new xmtp.Ciphertext(eBundle.ciphertext), secret)
    const [bundle, needsUpdate2] = getPrivateBundle(decrypted)
    return [bundle, needsUpdate || needsUpdate2]
  } catch {
    if (secret.length !== 65) throw new Error('Expected 65 bytes before trying a different recovery byte')
    const lastByte = secret[secret.length - 1]!
    const newSecret = new Uint8Array([...secret.slice(0, 64), lastByte < 27 ? lastByte + 27 : lastByte - 27])
    const decrypted = await xmtp.decrypt(new xmtp.Ciphertext(eBundle.ciphertext), newSecret)
    const [bundle, needsUpdate2] = getPrivateBundle(decrypted)
    return [bundle, needsUpdate || needsUpdate2]
  }
}

// ---- wallets ---------------------------------------------------------------------------------

/** Hardhat's well-known test account #0: a public test key, never a real one. */
const WALLET_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'

export const signer = LocalSigner.fromPrivateKey(WALLET_KEY)
/** The xmtp-js wallet shape `{ getAddress, signMessage }`, signing through the same LocalSigner. */
const xmtpWallet: XmtpWallet = {
  getAddress: async () => signer.address,
  signMessage: async (message: string) => to0xHex(await signer.signPersonalMessage(message)),
}

// ---- the operations ----------------------------------------------------------------------------

export type Operation = {
  readonly name: string
  /** The crypto backend xmtp-signers runs this operation on (xmtp-js always runs its own pure-JS crypto). */
  readonly backend: CryptoBackendName
  /** What one operation does, on both sides. */
  readonly description: string
  readonly ours: () => Promise<unknown>
  readonly theirs: () => Promise<unknown>
}

function expectAddress(actual: string | undefined, what: string): void {
  if (actual !== signer.address) throw new Error(`${what}: expected ${signer.address}, got ${actual}`)
}

function expectValid(report: BundleVerification, what: string): void {
  if (!report.valid) throw new Error(`${what}: ${report.checks.filter((c) => !c.ok).map((c) => c.detail).join('; ')}`)
  expectAddress(report.walletAddress, what)
}

async function oursCreateAndEncrypt(): Promise<Bytes> {
  const identity = await generateIdentity(signer)
  return encryptIdentity(identity, signer)
}

async function theirsCreateAndEncrypt(): Promise<Bytes> {
  const bundle = await xmtp.PrivateKeyBundleV1.generate(xmtpWallet)
  return xmtpToEncryptedBytes(bundle, xmtpWallet)
}

function oursVerify(contact: Bytes): void {
  expectValid(verifyEncodedBundle(contact), 'ours: verify')
}

async function theirsVerify(contact: Bytes): Promise<void> {
  const bundle = xmtp.decodeContactBundle(contact)
  if (bundle instanceof xmtp.PublicKeyBundle) {
    expectAddress(bundle.walletSignatureAddress(), 'xmtp-js: verify v1')
    if (!(await bundle.identityKey.verifyKey(bundle.preKey))) throw new Error('xmtp-js: verify v1: prekey signature')
  } else {
    const signed = bundle as XmtpSignedPublicKeyBundle
    expectAddress(await signed.walletSignatureAddress(), 'xmtp-js: verify v2')
    if (!(await signed.identityKey.verifyKey(signed.preKey))) throw new Error('xmtp-js: verify v2: prekey signature')
  }
}

async function oursUnlock(encrypted: Bytes): Promise<Bytes> {
  const { identity } = await decryptIdentity(encrypted, signer)
  return identity.identityPublicKey
}

/**
 * xmtp-js's own unlock checks nothing after decrypting; to do the same work as ours it then runs the
 * checks its API offers: the attestation's account, the prekey signature, private ↔ public keys.
 */
async function theirsUnlock(encrypted: Bytes): Promise<XmtpPrivateKeyBundleV1> {
  const [bundle] = await xmtpFromEncryptedBytes(xmtpWallet, encrypted)
  const pub = bundle.getPublicKeyBundle()
  expectAddress(pub.walletSignatureAddress(), 'xmtp-js: unlock')
  if (!(await pub.identityKey.verifyKey(pub.preKey))) throw new Error('xmtp-js: unlock: prekey signature')
  if (!bundle.validatePublicKeys()) throw new Error('xmtp-js: unlock: private and public keys differ')
  return bundle
}

// ---- fixtures -------------------------------------------------------------------------------

function cycle<T>(items: readonly T[]): () => T {
  let i = 0
  return () => items[i++ % items.length]!
}

/**
 * Builds the fixtures (half by each engine, so each side also reads the other's output) and checks
 * that the two engines accept each other's bytes before anything is timed.
 */
export async function prepareOperations(poolSize = 16): Promise<Operation[]> {
  const encrypted: Bytes[] = []
  const contactsV1: Bytes[] = []
  const contactsV2: Bytes[] = []
  for (let i = 0; i < poolSize; i++) {
    const bytes = i % 2 === 0 ? await oursCreateAndEncrypt() : await theirsCreateAndEncrypt()
    encrypted.push(bytes)
    const { identity } = await decryptIdentity(bytes, signer)
    const theirs = await theirsUnlock(bytes)
    if (!equalBytes(identity.identityPublicKey, theirs.getPublicKeyBundle().identityKey.secp256k1Uncompressed.bytes)) {
      throw new Error('the engines decrypted different identity keys')
    }
    contactsV1.push(identity.encodeContactBundle(1))
    contactsV2.push(identity.encodeContactBundle(2))
  }
  for (const contact of [...contactsV1, ...contactsV2]) {
    oursVerify(contact)
    await theirsVerify(contact)
  }
  // Each side walks its own copy of the cycle, so both read the same fixtures in the same order.
  const paired = <T>(make: () => () => T) => ({ ours: make(), theirs: make() })
  const enc = paired(() => cycle(encrypted))
  const v1 = paired(() => cycle(contactsV1))
  const v2 = paired(() => cycle(contactsV2))
  const perBackend = (backend: CryptoBackendName): Operation[] => {
    // Every xmtp-signers call switches to its backend first, so the two backends alternate in one process.
    const on =
      <A extends unknown[]>(op: (...args: A) => unknown) =>
      async (...args: A): Promise<unknown> => {
        useCryptoBackend(backend)
        return op(...args)
      }
    return [
      {
        name: `create-and-encrypt (${backend})`,
        backend,
        description:
          'generate the identity key; wallet "Create Identity" signature; generate a prekey and sign it with the identity key; ' +
          'wallet "Enable Identity" signature over 32 random bytes; HKDF-SHA256 + AES-256-GCM of the PrivateKeyBundle; encode the EncryptedPrivateKeyBundle bytes.',
        ours: on(oursCreateAndEncrypt),
        theirs: theirsCreateAndEncrypt,
      },
      {
        name: `verify (ContactBundle v1, ${backend})`,
        backend,
        description:
          'decode a ContactBundle{v1} (PublicKeyBundle); recover the wallet address from the "Create Identity" signature (EIP-191); verify the prekey signature made by the identity key (ECDSA over sha256).',
        ours: on(() => oursVerify(v1.ours())),
        theirs: () => theirsVerify(v1.theirs()),
      },
      {
        name: `verify (ContactBundle v2, ${backend})`,
        backend,
        description: 'as above, for a ContactBundle{v2} (SignedPublicKeyBundle, the signed key bytes taken verbatim).',
        ours: on(() => oursVerify(v2.ours())),
        theirs: () => theirsVerify(v2.theirs()),
      },
      {
        name: `decrypt/unlock (${backend})`,
        backend,
        description:
          'decode the EncryptedPrivateKeyBundle; wallet "Enable Identity" signature; HKDF + AES-256-GCM decrypt; decode the PrivateKeyBundle; ' +
          'verify it: the attestation recovers to the wallet, the prekey is signed by the identity key, each private key matches its public key.',
        ours: on(() => oursUnlock(enc.ours())),
        theirs: () => theirsUnlock(enc.theirs()),
      },
    ]
  }
  return BACKENDS.flatMap(perBackend)
}

/** The backends this process can run: native only where `secp256k1` loaded (and XMTP_SIGNERS_NATIVE is not 0). */
export const BACKENDS: readonly CryptoBackendName[] = nativeBackendAvailable() ? ['native', 'pure-js'] : ['pure-js']

/** What each backend runs, for the report (`cryptoBackend()` of each). */
export function backendDescriptions(): Record<CryptoBackendName, string> {
  const loaded = cryptoBackend().name
  const out = {} as Record<CryptoBackendName, string>
  for (const backend of BACKENDS) {
    const info = useCryptoBackend(backend)
    out[backend] = `secp256k1: ${info.secp256k1}; hashes: ${info.hashes}`
  }
  useCryptoBackend(loaded)
  return out
}

// ---- verifyContactBundles throughput ----------------------------------------------------------

/**
 * `count` distinct, valid ContactBundle{v1} bytes, made directly from keys (the wallet's attestation
 * and the prekey signature by the current backend), since creating 10,000 identities through a wallet
 * would time the wallet, not the check.
 */
export function makeContactBundles(count: number): Uint8Array[] {
  const walletKey = Uint8Array.from(Buffer.from(WALLET_KEY.slice(2), 'hex'))
  const out: Uint8Array[] = []
  for (let i = 0; i < count; i++) {
    const [identitySecret, preKeySecret] = [new Uint8Array(32), new Uint8Array(32)]
    const view = (bytes: Uint8Array) => new DataView(bytes.buffer)
    identitySecret[0] = 1
    view(identitySecret).setUint32(28, i + 1)
    preKeySecret[0] = 2
    view(preKeySecret).setUint32(28, i + 1)
    const identityUnsigned = { timestamp: 1_700_000_000_000n + BigInt(i), publicKey: curve.getPublicKey(identitySecret) }
    const attestation = curve.sign(hashPersonalMessage(createIdentityText(encodeUnsignedPublicKeyV1(identityUnsigned))), walletKey)
    const preKeyUnsigned = { timestamp: 1_700_000_000_001n + BigInt(i), publicKey: curve.getPublicKey(preKeySecret) }
    const preKeySignature = curve.sign(hashes.sha256(encodeUnsignedPublicKeyV1(preKeyUnsigned)), identitySecret)
    const ecdsa = (s: { compact: Uint8Array; recovery: number }) => ({ kind: 'ecdsaCompact' as const, compact: s.compact, recovery: s.recovery === 1 ? (1 as const) : (0 as const) })
    out.push(
      encodeContactBundleV1({
        identityKey: { ...identityUnsigned, signature: ecdsa(attestation) },
        preKey: { ...preKeyUnsigned, signature: ecdsa(preKeySignature) },
      }),
    )
  }
  return out
}

/** `threads`: set for ContactBundleVerifier's worker threads; absent for verifyContactBundles on the calling thread. */
export type BatchThroughput = { backend: CryptoBackendName; count: number; coldPerSecond: number; cachedPerSecond: number; uncachedPerSecond: number; threads?: number }

/** Throws unless every bundle verified as the bench's wallet's: a figure for wrong answers would be no figure. */
function expectAllVerified(checked: readonly ContactBundleResult[], what: string): void {
  const bad = checked.findIndex((r) => !r.decoded || !r.verification.valid || r.verification.walletAddress !== signer.address)
  if (bad >= 0) throw new Error(`${what}: bundle ${bad} did not verify`)
}

/** Bundles per second for `verifyContactBundles` on each backend: no cache, a cold cache, and the same cache again. */
export function measureContactBundles(bundles: readonly Uint8Array[]): BatchThroughput[] {
  const loaded = cryptoBackend().name
  const results: BatchThroughput[] = []
  for (const backend of BACKENDS) {
    useCryptoBackend(backend)
    const timed = (run: () => ReturnType<typeof verifyContactBundles>) => {
      const start = performance.now()
      const checked = run()
      const seconds = (performance.now() - start) / 1000
      expectAllVerified(checked, 'verifyContactBundles')
      return bundles.length / seconds
    }
    const cache = new BundleVerificationCache({ maxEntries: bundles.length })
    const uncachedPerSecond = timed(() => verifyContactBundles(bundles, { expectedAddress: signer.address }))
    const coldPerSecond = timed(() => verifyContactBundles(bundles, { expectedAddress: signer.address, cache }))
    const cachedPerSecond = timed(() => verifyContactBundles(bundles, { expectedAddress: signer.address, cache }))
    results.push({ backend, count: bundles.length, coldPerSecond, cachedPerSecond, uncachedPerSecond })
  }
  useCryptoBackend(loaded)
  return results
}

/**
 * The same three figures for ContactBundleVerifier (xmtp-signers/verify-workers) with `threads` threads,
 * started and warmed up before timing (a server keeps its pool); the threads follow each backend switch.
 */
export async function measureContactBundlesInWorkers(bundles: readonly Uint8Array[], threads: number): Promise<BatchThroughput[]> {
  const loaded = cryptoBackend().name
  const results: BatchThroughput[] = []
  const verifier = new ContactBundleVerifier({ workers: threads })
  try {
    await verifier.start()
    for (const backend of BACKENDS) {
      useCryptoBackend(backend)
      // Each thread compiles its hot paths on the backend it now runs before the timed calls.
      await verifier.verify(bundles.slice(0, 64 * threads))
      const timed = async (run: () => Promise<ContactBundleResult[]>) => {
        const start = performance.now()
        const checked = await run()
        const seconds = (performance.now() - start) / 1000
        expectAllVerified(checked, `ContactBundleVerifier (${threads} threads)`)
        return bundles.length / seconds
      }
      const cache = new BundleVerificationCache({ maxEntries: bundles.length })
      const uncachedPerSecond = await timed(() => verifier.verify(bundles, { expectedAddress: signer.address }))
      const coldPerSecond = await timed(() => verifier.verify(bundles, { expectedAddress: signer.address, cache }))
      const cachedPerSecond = await timed(() => verifier.verify(bundles, { expectedAddress: signer.address, cache }))
      results.push({ backend, count: bundles.length, coldPerSecond, cachedPerSecond, uncachedPerSecond, threads })
    }
  } finally {
    useCryptoBackend(loaded)
    await verifier.close()
  }
  return results
}
