/**
 * xmtp-signers/verify-workers: ContactBundleVerifier gives verifyContactBundles' results (same order, same
 * content, errors of the same class) on valid, tampered, foreign and malformed bundles; answers cache hits
 * without a thread and caches what threads verify; rejects on abort, on a thread that stops twice and after
 * close(); re-runs a chunk whose thread stopped once; leaves the process free to exit; runs the parent's backend.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  BundleVerificationCache,
  createIdentity,
  cryptoBackend,
  MemoryKeyStore,
  OperationAbortedError,
  verifyContactBundles,
  type ContactBundleResult,
} from '../src/index.js'
import { nativeBackendAvailable, useCryptoBackend } from '../src/crypto/backend.js'
import { decodeContactBundle, encodeContactBundleV1 } from '../src/wire.js'
import { ContactBundleVerifier, verifyContactBundlesInWorkers, WorkerThreadError } from '../src/verifyWorkers.js'
import { workerFaults } from '../src/verifyWorkerProtocol.js'
import { LocalSigner } from '../signers/local/index.js'
import { makeContactBundles } from '../bench/engine.js'

const root = join(import.meta.dirname, '..')
const LOADED = cryptoBackend().name
const signer = LocalSigner.fromPrivateKey('0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba')
/** The bench's wallet (Hardhat key #0) attests every bundle makeContactBundles makes. */
const BENCH_WALLET = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
const OTHER = '0x' + '00'.repeat(19) + '01'

let inputs: (Uint8Array | string)[]
let many: Uint8Array[]
let verifier: ContactBundleVerifier

beforeAll(async () => {
  const { identity } = await createIdentity(signer, new MemoryKeyStore())
  const v1 = identity.encodeContactBundle(1)
  const v2 = identity.encodeContactBundle(2)
  many = makeContactBundles(300)
  // Tampered but readable: the wallet's attestation, then the prekey's signature, one bit flipped.
  const tampered = (which: 'identityKey' | 'preKey') => {
    const contact = decodeContactBundle(many[0]!)
    if (contact.version !== 1) throw new Error('makeContactBundles makes ContactBundle v1')
    const key = contact.keyBundle[which]
    const signature = key.signature!
    if (signature.kind !== 'ecdsaCompact') throw new Error('expected an ecdsaCompact signature')
    const compact = signature.compact.slice()
    compact[7]! ^= 1
    return encodeContactBundleV1({ ...contact.keyBundle, [which]: { ...key, signature: { ...signature, compact } } })
  }
  inputs = [
    v1,
    Buffer.from(v2).toString('hex'),
    identity.encodeSignedPublicKeyBundle(),
    identity.encodePublicKeyBundle(),
    tampered('identityKey'),
    tampered('preKey'),
    v1.slice(0, v1.length - 3),
    'zz',
    new Uint8Array(0),
    new Uint8Array([1, 2, 3]),
    ...many.slice(0, 40),
    v1,
    many[3]!,
  ]
  verifier = new ContactBundleVerifier({ workers: 2 })
}, 60_000)

afterAll(async () => {
  useCryptoBackend(LOADED)
  await verifier?.close()
})

/** How many times the threads of the next pool may stop on purpose (workerFaults), shared with them. */
const exitsBudget = (exits: number) => new Int32Array(new SharedArrayBuffer(4)).fill(exits)

/** Equal as a caller sees them: the same values, errors of the same class with the same own fields (their stacks aside). */
function expectSameResults(actual: readonly ContactBundleResult[], expected: readonly ContactBundleResult[]): void {
  expect(actual.length).toBe(expected.length)
  actual.forEach((result, i) => {
    const other = expected[i]!
    expect(result.decoded, `input ${i}`).toBe(other.decoded)
    if (result.decoded && other.decoded) expect(result.verification, `input ${i}`).toStrictEqual(other.verification)
    if (!result.decoded && !other.decoded) {
      expect(Object.getPrototypeOf(result.error), `input ${i}`).toBe(Object.getPrototypeOf(other.error))
      const fields = (e: Error) => Object.fromEntries(Object.getOwnPropertyNames(e).filter((k) => k !== 'stack').map((k) => [k, (e as unknown as Record<string, unknown>)[k]]))
      expect(fields(result.error), `input ${i}`).toStrictEqual(fields(other.error))
    }
  })
}

describe('the same results as verifyContactBundles', () => {
  it('valid, tampered, foreign and malformed bundles, bytes and hex, in order, with and without expectedAddress', async () => {
    const single = verifyContactBundles(inputs)
    expect(single.map((r) => (r.decoded ? r.verification.valid : r.error.code)).slice(0, 10)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      'MALFORMED_BUNDLE',
      'INVALID_INPUT',
      'MALFORMED_BUNDLE',
      'MALFORMED_BUNDLE',
    ])
    expectSameResults(await verifier.verify(inputs), single)
    for (const expectedAddress of [signer.address, BENCH_WALLET, OTHER]) {
      expectSameResults(await verifier.verify(inputs, { expectedAddress }), verifyContactBundles(inputs, { expectedAddress }))
    }
  })

  it('an explicit format: a bundle of another format is its MalformedBundleError, found after verifying on the thread', async () => {
    for (const format of ['ContactBundleV2', 'SignedPublicKeyBundle', 'PublicKeyBundle'] as const) {
      const single = verifyContactBundles(inputs, { format, expectedAddress: signer.address })
      expectSameResults(await verifier.verify(inputs, { format, expectedAddress: signer.address }), single)
    }
    expect(verifyContactBundles([inputs[0]!], { format: 'ContactBundleV2' })[0]).toMatchObject({ decoded: false, error: { code: 'MALFORMED_BUNDLE', details: 'it is a ContactBundleV1' } })
  })

  it('an empty call and a call of errors only start no work', async () => {
    await expect(verifier.verify([])).resolves.toEqual([])
    expectSameResults(await verifier.verify(['zz', 'not hex']), verifyContactBundles(['zz', 'not hex']))
  })

  it('verifyContactBundlesInWorkers: one call on a pool of its own', async () => {
    expectSameResults(await verifyContactBundlesInWorkers(inputs, { workers: 1, expectedAddress: BENCH_WALLET }), verifyContactBundles(inputs, { expectedAddress: BENCH_WALLET }))
  })

  it('concurrent calls on one pool each get their own results', async () => {
    const [a, b] = await Promise.all([verifier.verify(many.slice(0, 150)), verifier.verify(inputs, { expectedAddress: OTHER })])
    expectSameResults(a, verifyContactBundles(many.slice(0, 150)))
    expectSameResults(b, verifyContactBundles(inputs, { expectedAddress: OTHER }))
  })

  it('options are checked: workers must be a whole number, startTimeoutMs a bounded delay', () => {
    expect(() => new ContactBundleVerifier({ workers: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    expect(() => new ContactBundleVerifier({ workers: 1.5 })).toThrow(/whole number/)
    expect(() => new ContactBundleVerifier({ startTimeoutMs: Number.NaN })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    expect(new ContactBundleVerifier().workers).toBeGreaterThanOrEqual(1)
  })
})

describe('with a BundleVerificationCache', () => {
  it('the same results and the same hits, misses and entries as verifyContactBundles with its own cache', async () => {
    const [threaded, single] = [new BundleVerificationCache(), new BundleVerificationCache()]
    expectSameResults(await verifier.verify(inputs, { cache: threaded, expectedAddress: signer.address }), verifyContactBundles(inputs, { cache: single, expectedAddress: signer.address }))
    expect(threaded.stats).toEqual(single.stats)
    expect(threaded.size).toBe(single.size)
    // Cached answers are re-checked against each call's expectedAddress.
    expectSameResults(await verifier.verify(inputs, { cache: threaded, expectedAddress: OTHER }), verifyContactBundles(inputs, { cache: single, expectedAddress: OTHER }))
    expect(threaded.stats).toEqual(single.stats)
  })

  it('what the threads verified is in the cache: the single-threaded function then only hits', async () => {
    const cache = new BundleVerificationCache()
    const threaded = await verifier.verify(many, { cache })
    expect(cache.stats).toEqual({ hits: 0, misses: many.length })
    expectSameResults(verifyContactBundles(many, { cache }), threaded)
    expect(cache.stats).toEqual({ hits: many.length, misses: many.length })
    // A caller editing its result does not reach the cache.
    if (threaded[0]!.decoded) threaded[0]!.verification.identityPublicKey.fill(0)
    expectSameResults(await verifier.verify([many[0]!], { cache }), verifyContactBundles([many[0]!]))
  })

  it('hits are answered on the calling thread: a pool whose threads all stop still answers a fully cached call', async () => {
    const cache = new BundleVerificationCache()
    verifyContactBundles(inputs, { cache })
    workerFaults.exitOnChunk = 1
    const broken = new ContactBundleVerifier({ workers: 1 })
    delete workerFaults.exitOnChunk
    try {
      expectSameResults(await broken.verify(inputs, { cache, expectedAddress: signer.address }), verifyContactBundles(inputs, { expectedAddress: signer.address }))
    } finally {
      await broken.close()
    }
  })
})

describe('bounded and abortable', () => {
  it('an aborted signal rejects at once with OperationAbortedError, or with the signal’s own typed reason', async () => {
    await expect(verifier.verify(many, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(OperationAbortedError)
    const controller = new AbortController()
    const pending = verifier.verify([...many, ...many, ...many], { signal: controller.signal })
    setTimeout(() => controller.abort(), 5)
    const started = Date.now()
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' })
    expect(Date.now() - started).toBeLessThan(1_000)
    const reason = new WorkerThreadError('closed')
    await expect(verifier.verify(many, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason)
    // The pool is still usable after an abort.
    expectSameResults(await verifier.verify(many.slice(0, 20)), verifyContactBundles(many.slice(0, 20)))
  })

  it('a thread that stops once: its chunk runs again on a new thread, and the results are whole', async () => {
    const exitsLeft = exitsBudget(1)
    Object.assign(workerFaults, { exitOnChunk: 2, exitsLeft })
    const flaky = new ContactBundleVerifier({ workers: 2 })
    delete workerFaults.exitOnChunk
    delete workerFaults.exitsLeft
    try {
      expectSameResults(await flaky.verify(many, { expectedAddress: BENCH_WALLET }), verifyContactBundles(many, { expectedAddress: BENCH_WALLET }))
      expect(exitsLeft[0], 'a thread stopped').toBeLessThanOrEqual(0)
    } finally {
      await flaky.close()
    }
  })

  it('a chunk whose thread stops twice rejects the call with WorkerThreadError (crash); the pool then recovers', async () => {
    // Every new thread stops on its first chunk until the budget is spent; then it is set to none, and a later call completes.
    const exitsLeft = exitsBudget(1000)
    Object.assign(workerFaults, { exitOnChunk: 1, exitsLeft })
    const broken = new ContactBundleVerifier({ workers: 2 })
    delete workerFaults.exitOnChunk
    delete workerFaults.exitsLeft
    try {
      const error = await broken.verify(many).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(WorkerThreadError)
      expect(error).toMatchObject({ code: 'WORKER_THREAD_FAILED', reason: 'crash', details: expect.stringContaining('exit code 1') })
      // How many threads stopped before the call gave up depends on timing; none stop from here on.
      Atomics.store(exitsLeft, 0, 0)
      expectSameResults(await broken.verify(many.slice(0, 30)), verifyContactBundles(many.slice(0, 30)))
    } finally {
      await broken.close()
    }
  })

  it('a thread that cannot start in time is WorkerThreadError (start), whose message says to call verifyContactBundles', async () => {
    const slow = new ContactBundleVerifier({ workers: 1, startTimeoutMs: 1 })
    try {
      const error = await slow.verify(many).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'WORKER_THREAD_FAILED', reason: 'start', details: expect.stringContaining('startTimeoutMs') })
      expect((error as Error).message).toContain('verifyContactBundles')
      await expect(slow.start()).rejects.toMatchObject({ reason: 'start' })
    } finally {
      await slow.close()
    }
  })

  it('close(): calls still running reject with WorkerThreadError (closed), later calls too; it can be called twice', async () => {
    const pool = new ContactBundleVerifier({ workers: 2 })
    await pool.start()
    const running = pool.verify([...many, ...many]).catch((e: unknown) => e)
    await pool.close()
    await expect(running).resolves.toMatchObject({ code: 'WORKER_THREAD_FAILED', reason: 'closed' })
    await expect(pool.verify(many)).rejects.toMatchObject({ reason: 'closed' })
    await expect(pool.start()).rejects.toMatchObject({ reason: 'closed' })
    await pool.close()
  })
  it('close() asks busy threads to stop between chunks and never terminates them: terminate() inside a libsecp256k1 call can abort the process', async () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate')
    try {
      const pool = new ContactBundleVerifier({ workers: 2 })
      await pool.start()
      const running = pool.verify([...many, ...many]).catch((e: unknown) => e)
      await new Promise((resolve) => setTimeout(resolve, 20))
      await pool.close()
      await expect(running).resolves.toMatchObject({ code: 'WORKER_THREAD_FAILED', reason: 'closed' })
      expect(terminate).not.toHaveBeenCalled()
    } finally {
      terminate.mockRestore()
    }
  })
})

describe('threads and the process', () => {
  const inChild = (script: string, env: Record<string, string> = {}) =>
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 })

  it('the process exits by itself after close(), and with an idle pool never closed', () => {
    const script = (close: boolean) => `
      import { ContactBundleVerifier } from './src/verifyWorkers.ts'
      import { makeContactBundles } from './bench/engine.ts'
      const verifier = new ContactBundleVerifier({ workers: 2 })
      const results = await verifier.verify(makeContactBundles(50))
      ${close ? 'await verifier.close()' : ''}
      console.log(results.filter((r) => r.decoded && r.verification.valid).length)`
    // execFileSync's timeout would kill a process a live thread kept open, and throw.
    expect(inChild(script(true)).trim()).toBe('50')
    expect(inChild(script(false)).trim()).toBe('50')
  }, 120_000)

  it('threads run the parent’s crypto backend: XMTP_SIGNERS_NATIVE=0 reaches them, and a switch in the parent too', async () => {
    const script = `
      import { ContactBundleVerifier } from './src/verifyWorkers.ts'
      const verifier = new ContactBundleVerifier({ workers: 1 })
      console.log((await verifier.start()).cryptoBackend)
      await verifier.close()`
    expect(inChild(script, { XMTP_SIGNERS_NATIVE: '0' }).trim()).toBe('pure-js')
    const backends = nativeBackendAvailable() ? (['pure-js', 'native'] as const) : (['pure-js'] as const)
    for (const backend of backends) {
      useCryptoBackend(backend)
      const pool = new ContactBundleVerifier({ workers: 1 })
      try {
        expect(await pool.start()).toEqual({ threads: 1, cryptoBackend: backend })
        expectSameResults(await pool.verify(inputs), verifyContactBundles(inputs))
      } finally {
        await pool.close()
      }
    }
    useCryptoBackend(LOADED)
  }, 120_000)
})
