/**
 * The crypto seam (src/crypto/): libsecp256k1 + node:crypto and the pure-JS backend (@noble/secp256k1, our verify/recover, WebCrypto) give the same bytes
 * on random inputs; XMTP_SIGNERS_NATIVE=0 is honoured; cryptoBackend() says what really runs; the
 * engine does no curve operation it does not need; verifyContactBundles matches verifyEncodedBundle.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { bundleForBrowser } from './support/browserBundle.js'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import {
  BundleVerificationCache,
  BundleVerificationError,
  createIdentity,
  cryptoBackend,
  ForeignBundleError,
  MemoryKeyStore,
  storageTopic,
  unlockIdentity,
  verifyContactBundles,
  verifyEncodedBundle,
  XmtpIdentity,
  type Signer,
} from '../src/index.js'
import { curve, hashes, nativeBackendAvailable, useCryptoBackend, type CurveBackend, type HashBackend } from '../src/crypto/backend.js'
import { loadNativeBackend, nodeHashes } from '../src/crypto/native.js'
import { pureJsCurve, pureJsHashes } from '../src/crypto/pureJs.js'
import { encodeUnsignedPublicKeyV1 } from '../src/wire.js'
import { encryptIdentity } from '../src/identity.js'
import { LocalSigner } from '../signers/local/index.js'

const root = join(import.meta.dirname, '..')
const LOADED = cryptoBackend().name
afterAll(() => {
  useCryptoBackend(LOADED)
})

const random = (n: number): Uint8Array => globalThis.crypto.getRandomValues(new Uint8Array(n))
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const ROUNDS = 200
const WALLET_FOR_BYTES = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
// A ContactBundle v2 the committed xmtp-js vectors hold (made by xmtp-js 13.0.4).
const contactFixture = Buffer.from(
  (JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/xmtp-js-vectors.json'), 'utf8')) as { vectors: { expected: { contactBundleV2: string } }[] }).vectors[0]!.expected
    .contactBundleV2,
  'hex',
)

// In this repository `secp256k1` is a devDependency: the native backend must load unless the run forces pure-JS.
const forcedPureJs = process.env.XMTP_SIGNERS_NATIVE === '0'
const native = loadNativeBackend()
const nodeHash = nodeHashes()

function nativeCurve(): CurveBackend {
  expect(native, 'secp256k1 (devDependency) did not load: run npm install').toBeDefined()
  return native!
}
function nativeHashes(): HashBackend {
  expect(nodeHash).toBeDefined()
  return nodeHash!
}

describe('the native and pure-JS backends give identical bytes', () => {
  it('loads the native backend here (secp256k1 is installed, Node)', () => {
    expect(native?.library).toMatch(/^libsecp256k1 \(secp256k1 5\.\d+\.\d+, N-API\)$/)
    expect(nativeBackendAvailable()).toBe(!forcedPureJs)
  })

  it('public keys, RFC 6979 signatures, recoveries and verifications, on random keys and digests', () => {
    const n = nativeCurve()
    for (let i = 0; i < ROUNDS; i++) {
      const secretKey = random(32)
      expect(n.isValidSecretKey(secretKey)).toBe(pureJsCurve.isValidSecretKey(secretKey))
      if (!pureJsCurve.isValidSecretKey(secretKey)) continue
      const digest = random(32)
      const publicKey = n.getPublicKey(secretKey)
      expect(hex(publicKey)).toBe(hex(pureJsCurve.getPublicKey(secretKey)))
      const signed = n.sign(digest, secretKey)
      const signedPure = pureJsCurve.sign(digest, secretKey)
      expect([hex(signed.compact), signed.recovery]).toEqual([hex(signedPure.compact), signedPure.recovery])
      expect(hex(n.recover(digest, signed.compact, signed.recovery))).toBe(hex(publicKey))
      expect(hex(pureJsCurve.recover(digest, signed.compact, signed.recovery))).toBe(hex(publicKey))
      for (const backend of [n, pureJsCurve]) {
        expect(backend.verify(digest, signed.compact, signed.recovery, publicKey)).toBe(true)
        expect(backend.verify(digest, signed.compact, 1 - signed.recovery, publicKey), 'wrong recovery bit').toBe(false)
        const otherDigest = digest.slice()
        otherDigest[i % 32]! ^= 1
        expect(backend.verify(otherDigest, signed.compact, signed.recovery, publicKey), 'other digest').toBe(false)
      }
    }
  })

  it('both refuse the same things: high-s twins, zero and out-of-range scalars, off-curve and hybrid keys', () => {
    const n = nativeCurve()
    const secretKey = random(32)
    const digest = random(32)
    const publicKey = n.getPublicKey(secretKey)
    const { compact, recovery } = n.sign(digest, secretKey)
    const sig = secp256k1.Signature.fromBytes(compact, 'compact')
    const highS = new secp256k1.Signature(sig.r, secp256k1.Point.CURVE().n - sig.s).toBytes('compact')
    const zeroR = compact.slice().fill(0, 0, 32)
    const orderR = compact.slice()
    orderR.set(Buffer.from('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141', 'hex'))
    for (const backend of [n, pureJsCurve]) {
      // The high-s twin is mathematically valid for the flipped recovery bit; the engine still refuses it.
      expect(backend.verify(digest, highS, 1 - recovery, publicKey)).toBe(false)
      expect(backend.verify(digest, zeroR, recovery, publicKey)).toBe(false)
      expect(backend.verify(digest, orderR, recovery, publicKey)).toBe(false)
      expect(() => backend.recover(digest, zeroR, recovery)).toThrow()
      expect(() => backend.recover(digest, orderR, recovery)).toThrow()
      expect(backend.isValidSecretKey(new Uint8Array(32))).toBe(false)
      expect(backend.isValidSecretKey(orderR.subarray(0, 32))).toBe(false)
      const offCurve = publicKey.slice()
      offCurve[64]! ^= 1
      expect(backend.isValidPublicKey(offCurve)).toBe(false)
      const hybrid = publicKey.slice()
      hybrid[0] = 6 + (publicKey[64]! & 1)
      expect(backend.isValidPublicKey(hybrid), 'hybrid 0x06/0x07 encoding').toBe(false)
      expect(backend.isValidPublicKey(publicKey)).toBe(true)
    }
  })

  it('sha256, keccak-256, HKDF-SHA256, AES-256-GCM and scrypt, on random inputs', async () => {
    const h = nativeHashes()
    for (let i = 0; i < ROUNDS; i++) {
      const data = random(i * 7)
      expect(hex(h.sha256(data))).toBe(hex(pureJsHashes.sha256(data)))
      expect(h.sha256(data).constructor).toBe(Uint8Array)
      expect(hex(h.keccak256(data))).toBe(hex(pureJsHashes.keccak256(data)))
      const [ikm, salt, info] = [random(65), random(32), random(i % 3 === 0 ? 0 : 16)]
      const key = await h.hkdfSha256(ikm, salt, info, 32)
      expect(hex(key)).toBe(hex(await pureJsHashes.hkdfSha256(ikm, salt, info, 32)))
      const nonce = random(12)
      const [nativeAes, pureAes] = [await h.aes256Gcm(key), await pureJsHashes.aes256Gcm(key)]
      const sealed = await nativeAes.seal(nonce, data)
      expect(hex(sealed)).toBe(hex(await pureAes.seal(nonce, data)))
      // One key set up, then sealing and opening in both directions: what a create does when it opens its bundle again.
      expect(hex(await nativeAes.open(nonce, sealed))).toBe(hex(data))
      expect(hex(await pureAes.open(nonce, sealed))).toBe(hex(data))
      const tampered = sealed.slice()
      tampered[i % tampered.length]! ^= 0x80
      await expect(nativeAes.open(nonce, tampered)).rejects.toThrow()
      await expect(pureAes.open(nonce, tampered)).rejects.toThrow()
    }
    await expect((await h.aes256Gcm(random(32))).open(random(12), random(15))).rejects.toThrow()
    await expect((await pureJsHashes.aes256Gcm(random(32))).open(random(12), random(15))).rejects.toThrow()
    const params = { N: 2 ** 10, r: 8, p: 1, dkLen: 32 }
    const [password, salt] = [random(20), random(32)]
    expect(hex(await h.scrypt(password, salt, params))).toBe(hex(await pureJsHashes.scrypt(password, salt, params)))
    // RFC 7914 §12, the second vector: both backends must give it.
    const rfc = { N: 1024, r: 8, p: 16, dkLen: 64 }
    const expected = 'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640'
    const [pw, s] = [new TextEncoder().encode('password'), new TextEncoder().encode('NaCl')]
    expect(hex(await h.scrypt(pw, s, rfc))).toBe(expected)
    expect(hex(await pureJsHashes.scrypt(pw, s, rfc))).toBe(expected)
  })

  it('the engine gives the same bundle bytes on both backends (each chosen at load), and each opens what the other stored', async () => {
    // Each bundle is made in a fresh process, so each backend is the one chosen at load from the environment.
    const script = `
      import('./src/index.ts').then(async (m) => {
        const { LocalSigner } = await import('./signers/local/index.ts')
        let i = 0
        const options = { randomBytes: (n) => new Uint8Array(n).fill(++i), now: () => 1700000000000 + i }
        const created = await m.createIdentity(LocalSigner.fromPrivateKey('${WALLET_FOR_BYTES}'), new m.MemoryKeyStore(), options)
        process.stdout.write(JSON.stringify({ backend: m.cryptoBackend().name, bundle: Buffer.from(created.encryptedBundle).toString('hex') }))
      })`
    const made = (env: string | undefined) => {
      const childEnv: Record<string, string | undefined> = { ...process.env, XMTP_SIGNERS_NATIVE: env }
      if (env === undefined) delete childEnv.XMTP_SIGNERS_NATIVE
      return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, env: childEnv, encoding: 'utf8', timeout: 30_000 })) as { backend: string; bundle: string }
    }
    const [nativeMade, pureMade] = [made(undefined), made('0')]
    expect([nativeMade.backend, pureMade.backend]).toEqual(['native', 'pure-js'])
    expect(nativeMade.bundle).toBe(pureMade.bundle)
    const bundles = { native: nativeMade.bundle, 'pure-js': pureMade.bundle }
    for (const [backend, other] of [['native', 'pure-js'], ['pure-js', 'native']] as const) {
      if (backend === 'native' && forcedPureJs) continue
      useCryptoBackend(backend)
      const signer = LocalSigner.fromPrivateKey(WALLET_FOR_BYTES)
      const store = new MemoryKeyStore()
      await store.put(storageTopic(signer.address), Buffer.from(bundles[other], 'hex'))
      const { identity } = await unlockIdentity(signer, store)
      expect(verifyEncodedBundle(identity.encodeContactBundle(2), { expectedAddress: signer.address }).valid).toBe(true)
    }
  })
})

describe('which backend runs', () => {
  const backendIn = (env: Record<string, string>) => {
    const script = "import('./src/index.ts').then((m) => process.stdout.write(JSON.stringify(m.cryptoBackend())))"
    const childEnv: Record<string, string | undefined> = { ...process.env, ...env }
    if (env.XMTP_SIGNERS_NATIVE === undefined) delete childEnv.XMTP_SIGNERS_NATIVE
    return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, env: childEnv, encoding: 'utf8', timeout: 30_000 })) as ReturnType<typeof cryptoBackend>
  }

  it('XMTP_SIGNERS_NATIVE=0 forces pure-JS (curve and hashes) in a fresh process; otherwise native loads', () => {
    expect(backendIn({ XMTP_SIGNERS_NATIVE: '0' })).toEqual({
      name: 'pure-js',
      secp256k1: '@noble/secp256k1 (keys, signing) + built-in verify/recover',
      hashes: 'WebCrypto (AES-GCM) + @noble/hashes (sha256, keccak-256, HKDF, scrypt)',
    })
    const loaded = backendIn({})
    expect(loaded.name).toBe('native')
    expect(loaded.secp256k1).toMatch(/^libsecp256k1/)
    expect(loaded.hashes).toMatch(/^node:crypto/)
    // Any other value leaves native on: only an explicit 0 turns it off.
    expect(backendIn({ XMTP_SIGNERS_NATIVE: '1' }).name).toBe('native')
  })

  it('cryptoBackend() names the backend the engine actually calls', () => {
    if (!forcedPureJs) {
      expect(useCryptoBackend('native')).toBe(cryptoBackend())
      expect(cryptoBackend()).toEqual({ name: 'native', secp256k1: native!.library, hashes: nodeHash!.library })
      expect([curve.library, hashes.library]).toEqual([native!.library, nodeHash!.library])
      expect(curve).not.toBe(pureJsCurve)
    } else {
      expect(() => useCryptoBackend('native')).toThrow(/not loaded/)
    }
    useCryptoBackend('pure-js')
    expect(cryptoBackend()).toEqual({ name: 'pure-js', secp256k1: pureJsCurve.library, hashes: pureJsHashes.library })
    expect(curve).toBe(pureJsCurve)
    expect(hashes).toBe(pureJsHashes)
    // And the engine's calls go there: the pure-JS recover runs for a verification on pure-JS, and not on native.
    const contact = contactFixture
    const recover = vi.spyOn(pureJsCurve, 'recover')
    try {
      expect(verifyEncodedBundle(contact).valid).toBe(true)
      expect(recover).toHaveBeenCalledTimes(1)
      if (!forcedPureJs) {
        useCryptoBackend('native')
        expect(verifyEncodedBundle(contact).valid).toBe(true)
        expect(recover).toHaveBeenCalledTimes(1)
      }
    } finally {
      recover.mockRestore()
      useCryptoBackend(LOADED)
    }
  })

  it('a browser bundle of the engine holds neither secp256k1 nor node-gyp-build', async () => {
    const { code, inputs } = await bundleForBrowser("export * from './src/index.ts'")
    expect(inputs.some((path) => path.includes('src/crypto/native.ts')), 'the seam itself is bundled').toBe(true)
    expect(inputs.filter((path) => /node_modules\/(secp256k1|node-gyp-build|elliptic)\//.test(path))).toEqual([])
    expect(code).not.toMatch(/require\(["'](node:|secp256k1)/)
  })
})

/** Counts the engine's curve operations on the pure-JS backend (the signer signs with its own noble, uncounted). */
function countCurveOperations() {
  useCryptoBackend('pure-js')
  const spies = {
    getPublicKey: vi.spyOn(pureJsCurve, 'getPublicKey'),
    sign: vi.spyOn(pureJsCurve, 'sign'),
    recover: vi.spyOn(pureJsCurve, 'recover'),
    verify: vi.spyOn(pureJsCurve, 'verify'),
  }
  return {
    counts: () => Object.fromEntries(Object.entries(spies).map(([name, spy]) => [name, spy.mock.calls.length])),
    reset: () => Object.values(spies).forEach((spy) => spy.mockClear()),
  }
}

describe('no wasted curve operations', () => {
  afterEach(() => {
    vi.restoreAllMocks()
    useCryptoBackend(LOADED)
  })
  const WALLET = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a'

  it('create recovers once (the Enable signature is checked against that key); unlock recovers once and re-signs the prekey', async () => {
    const [creator, unlocker] = [LocalSigner.fromPrivateKey(WALLET), LocalSigner.fromPrivateKey(WALLET)]
    const ops = countCurveOperations()
    const store = new MemoryKeyStore()
    await createIdentity(creator, store)
    // identity key + prekey; the prekey signature; Create Identity recovered; Enable Identity checked against it.
    expect(ops.counts()).toEqual({ getPublicKey: 2, sign: 1, recover: 1, verify: 1 })
    ops.reset()
    // Another signer object: nothing is known about its account yet.
    await unlockIdentity(unlocker, store)
    // Enable Identity recovered; the attestation checked against that key; both private keys derive their public keys; the prekey signature re-made.
    expect(ops.counts()).toEqual({ getPublicKey: 2, sign: 1, recover: 1, verify: 1 })
  })

  it('a prekey signed with a non-RFC 6979 nonce still unlocks (verified instead); a forged one is refused', async () => {
    const signer = LocalSigner.fromPrivateKey(WALLET)
    const store = new MemoryKeyStore()
    const { identity } = await createIdentity(signer, store)
    const keys = identity.exportPrivateKeyBundle()
    const preKey = keys.preKeys[0]!
    const digest = hashes.sha256(encodeUnsignedPublicKeyV1(preKey.publicKey))
    // Extra entropy: a valid signature by the identity key that re-signing cannot reproduce.
    const randomized = secp256k1.sign(digest, keys.identityKey.secretKey, { prehash: false, format: 'recovered', lowS: true, extraEntropy: true })
    const withSignature = (compact: Uint8Array, recovery: 0 | 1) =>
      new XmtpIdentity(signer.address, { identityKey: keys.identityKey, preKeys: [{ ...preKey, publicKey: { ...preKey.publicKey, signature: { kind: 'ecdsaCompact', compact, recovery } } }] })
    const reStore = async (id: XmtpIdentity) => {
      const fresh = new MemoryKeyStore()
      await fresh.put(storageTopic(signer.address), await encryptIdentity(id, signer))
      return fresh
    }
    const [randomizedStore, unlocker] = [await reStore(withSignature(randomized.slice(1), randomized[0] === 1 ? 1 : 0)), LocalSigner.fromPrivateKey(WALLET)]
    const ops = countCurveOperations()
    const opened = await unlockIdentity(unlocker, randomizedStore)
    expect(opened.identity.identityPublicKey).toEqual(identity.identityPublicKey)
    // The re-signing found another nonce, so the prekey signature was verified: one more verify than usual.
    expect(ops.counts()).toEqual({ getPublicKey: 2, sign: 1, recover: 1, verify: 2 })
    const forged = randomized.slice(1)
    forged[40]! ^= 1
    await expect(unlockIdentity(LocalSigner.fromPrivateKey(WALLET), await reStore(withSignature(forged, randomized[0] === 1 ? 1 : 0)))).rejects.toBeInstanceOf(
      BundleVerificationError,
    )
  })

  it('a bundle attested by another account is refused as foreign, with the known key on hand', async () => {
    const other = LocalSigner.fromPrivateKey('0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6')
    const { identity } = await createIdentity(other, new MemoryKeyStore())
    const signer = LocalSigner.fromPrivateKey(WALLET)
    const store = new MemoryKeyStore()
    // Encrypted under the signer's own Enable signature, so only the bundle check can refuse it.
    const foreign = new XmtpIdentity(signer.address, identity.exportPrivateKeyBundle())
    await store.put(storageTopic(signer.address), await encryptIdentity(foreign, signer))
    await expect(unlockIdentity(signer, store)).rejects.toBeInstanceOf(ForeignBundleError)
  })

  it('a signer whose later signature is by another key is still refused (the known key does not vouch for it)', async () => {
    const honest = LocalSigner.fromPrivateKey(WALLET)
    const liar = LocalSigner.fromPrivateKey('0x' + '22'.repeat(32))
    let lie = false
    const signer: Signer = {
      address: honest.address,
      capabilities: honest.capabilities,
      signPersonalMessage: (text, options) => (lie ? liar : honest).signPersonalMessage(text, options),
      close: async () => {},
    }
    const store = new MemoryKeyStore()
    await createIdentity(signer, store)
    lie = true
    await expect(unlockIdentity(signer, store)).rejects.toMatchObject({ code: 'ACCOUNT_MISMATCH' })
  })
})

describe('verifyContactBundles', () => {
  it('gives verifyEncodedBundle’s answer for each bundle, in order, with errors in place, cached by bytes', async () => {
    const signer = LocalSigner.fromPrivateKey('0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba')
    const { identity } = await createIdentity(signer, new MemoryKeyStore())
    const v1 = identity.encodeContactBundle(1)
    const v2 = identity.encodeContactBundle(2)
    const broken = v1.slice(0, v1.length - 3)
    const cache = new BundleVerificationCache({ maxEntries: 3 })
    const inputs = [v1, Buffer.from(v2).toString('hex'), broken, 'zz', v1]
    const results = verifyContactBundles(inputs, { cache, expectedAddress: signer.address })
    expect(results.map((r) => r.decoded)).toEqual([true, true, false, false, true])
    expect(results[0]).toEqual({ decoded: true, verification: verifyEncodedBundle(v1, { expectedAddress: signer.address }) })
    expect(results[4]).toEqual(results[0])
    expect(results[1]).toEqual({ decoded: true, verification: verifyEncodedBundle(v2, { expectedAddress: signer.address }) })
    expect(results[2]!.decoded === false && results[2]!.error.code).toBe('MALFORMED_BUNDLE')
    expect(results[3]!.decoded === false && results[3]!.error.code).toBe('INVALID_INPUT')
    // v1 read twice, verified once; 'zz' is not hex, so it never reaches the cache.
    expect(cache.stats).toEqual({ hits: 1, misses: 3 })
    expect(cache.size).toBe(3)

    // A cached answer is re-checked against each call's expectedAddress, and a caller's edits do not reach the cache.
    const again = verifyContactBundles([v2, v2], { cache, expectedAddress: '0x' + '00'.repeat(20) })
    expect(cache.stats.hits).toBe(3)
    expect(again[0]).toEqual({ decoded: true, verification: verifyEncodedBundle(v2, { expectedAddress: '0x' + '00'.repeat(20) }) })
    expect(again[0]!.decoded && again[0]!.verification.valid).toBe(false)
    if (again[0]!.decoded) again[0]!.verification.identityPublicKey.fill(0)
    const third = verifyContactBundles([v2], { cache })[0]!
    expect(third).toEqual({ decoded: true, verification: verifyEncodedBundle(v2) })
    expect(() => new BundleVerificationCache({ maxEntries: 0 })).toThrow(/at least 1/)
    // Bounded: a fourth bundle evicts the oldest (v1), which is then verified again.
    verifyContactBundles([identity.encodeSignedPublicKeyBundle(), v1], { cache })
    expect(cache.size).toBe(3)
    expect(cache.stats.misses).toBe(5)
  })
})

describe('the bench (bench/engine.ts)', () => {
  /**
   * Promises created while `op` ran that settle after it returned (within 100 ms): work it started and
   * did not await, which would run into the next timed operation. Guards that never settle (a deadline
   * the operation beat) are not work and are not counted.
   */
  async function settledLate(op: () => Promise<unknown>): Promise<number> {
    const { createHook } = await import('node:async_hooks')
    const started = new Set<number>()
    let phase: 'running' | 'returned' = 'running'
    let late = 0
    const hook = createHook({
      init(asyncId, type) {
        if (phase === 'running' && type === 'PROMISE') started.add(asyncId)
      },
      promiseResolve(asyncId) {
        if (phase === 'returned' && started.has(asyncId)) late++
      },
    })
    hook.enable()
    try {
      await op()
      phase = 'returned'
      await new Promise((resolve) => setTimeout(resolve, 100))
      return late
    } finally {
      hook.disable()
    }
  }

  it('times both backends and xmtp-js, and each side awaits every promise it starts inside the operation', async () => {
    const { prepareOperations, BACKENDS } = await import('../bench/engine.js')
    // The probe's own await settles one promise late; an operation that awaits everything adds none.
    const baseline = await settledLate(async () => {})
    const operations = await prepareOperations(2)
    expect(operations.map((o) => o.backend)).toEqual(BACKENDS.flatMap((b) => [b, b, b, b]))
    expect(BACKENDS).toEqual(forcedPureJs ? ['pure-js'] : ['native', 'pure-js'])
    for (const operation of operations) {
      for (const side of ['ours', 'theirs'] as const) {
        await operation[side]()
        expect(await settledLate(operation[side]), `${operation.name}, ${side}`).toBe(baseline)
      }
    }
    // The probe is not blind: work left running past the return is counted, the same work awaited is not.
    const work = () => new Promise((resolve) => setTimeout(resolve, 5))
    expect(await settledLate(async () => void work())).toBeGreaterThan(baseline)
    expect(await settledLate(async () => work())).toBe(baseline)
  })

  it('makes distinct valid contact bundles for the verifyContactBundles throughput figures', async () => {
    const { makeContactBundles, measureContactBundles } = await import('../bench/engine.js')
    const bundles = makeContactBundles(20)
    expect(new Set(bundles.map(hex)).size).toBe(20)
    const figures = measureContactBundles(bundles)
    expect(figures.map((f) => f.backend)).toEqual(forcedPureJs ? ['pure-js'] : ['native', 'pure-js'])
    for (const f of figures) expect(Math.min(f.coldPerSecond, f.cachedPerSecond, f.uncachedPerSecond)).toBeGreaterThan(0)
  })
})
