/**
 * xmtp-signers/verify-workers (Node only): `verifyContactBundles` spread over worker threads, for servers
 * and indexers that check thousands of contacts. The same results, in the same order, as
 * `verifyContactBundles`; cache hits are answered on the calling thread, and what the threads verify is
 * cached there. A thread that cannot start is `WorkerThreadError` (reason `start`), never a silent
 * fallback: `verifyContactBundles` is the single-threaded way, and the error says so.
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { hexToBytes } from './bytes.js'
import { cryptoBackend, type CryptoBackendName } from './crypto/backend.js'
import { InvalidInputError, isXmtpSignersError, WorkerThreadError, type XmtpSignersError } from './errors.js'
import { abortReason, validTimeoutMs } from './timeout.js'
import { cacheKeyOf, copyResult, lookupCachedResult, rememberResult, withExpectedAddress, type BundleFormat, type BundleVerificationCache, type ContactBundleResult, type VerifyOptions } from './verify.js'
import { fromWireError, workerFaults, type ChunkRequest, type FromWorker, type ToWorker, type WireResult, type WorkerData } from './verifyWorkerProtocol.js'

export { WorkerThreadError } from './errors.js'

export type ContactBundleVerifierOptions = {
  /** How many threads verify; default `os.availableParallelism() - 1`, at least 1. Threads start on first use. */
  workers?: number
  /** How long a thread may take to start before the call waiting for it rejects (WorkerThreadError `start`); default 30 s. */
  startTimeoutMs?: number
}

/** `verifyContactBundles`' options, and a signal that rejects the call (OperationAbortedError, or the signal's own typed reason). */
export type VerifyInWorkersOptions = VerifyOptions & { format?: BundleFormat | 'auto'; cache?: BundleVerificationCache; signal?: AbortSignal }

const DEFAULT_START_TIMEOUT_MS = 30_000
/** Chunks this small keep an abort prompt (one chunk per thread still runs) and the threads evenly loaded. */
const MAX_CHUNK = 128
/** A thread is sent its next chunk before it answers the last, so it never waits for the calling thread. */
const CHUNKS_IN_FLIGHT = 2
/**
 * How long a thread asked to stop may take to finish the chunks it holds before it is terminated. Threads
 * are asked, not terminated: Node's terminate() inside a call into the native `secp256k1` addon makes
 * node-addon-api throw into C++ and abort the whole process (reproduced with secp256k1 5.0.2).
 */
const STOP_TIMEOUT_MS = 10_000
const WHAT = 'contact-bundle verification'

type Batch = {
  settled: boolean
  pendingChunks: number
  readonly wire: (WireResult | undefined)[]
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

/** Bundles `indices` of one call, packed: bundle k is `bytes[offsets[k]…offsets[k+1])`. */
type Job = {
  readonly id: number
  readonly batch: Batch
  readonly format: BundleFormat | 'auto'
  readonly indices: number[]
  readonly bytes: Uint8Array
  readonly offsets: Uint32Array
  /** Times a thread stopped while verifying this chunk. */
  crashes: number
  /** Its results are in (a chunk run again after its thread stopped must not count twice). */
  done: boolean
}

type Thread = {
  readonly worker: Worker
  ready: boolean
  readonly inFlight: Job[]
  /** Which chunk the thread is verifying (WorkerData.progress). */
  readonly progress: Int32Array
  readonly started: Promise<CryptoBackendName>
  readonly onStarted: (backend: CryptoBackendName) => void
  readonly onStartFailed: (error: WorkerThreadError) => void
  startTimer: ReturnType<typeof setTimeout> | undefined
  lastError: unknown
}

/**
 * A pool of threads that verify contact bundles; a server keeps one and calls `verify` as often as it
 * likes, concurrently too. Idle threads do not keep the process alive; `close()` ends them.
 */
export class ContactBundleVerifier {
  /** The most threads this pool runs. */
  readonly workers: number
  readonly #startTimeoutMs: number
  readonly #threads = new Set<Thread>()
  readonly #batches = new Set<Batch>()
  #queue: Job[] = []
  #nextJobId = 1
  #closed = false
  /** After a thread failed to start, no more are started until the next call (a start failure is rarely passing). */
  #spawnBlocked = false
  /** Test-only (workerFaults, read when the pool is made): its threads stop on purpose, `exitsLeft[0]` more times. */
  readonly #fault: WorkerData['fault']

  constructor(options: ContactBundleVerifierOptions = {}) {
    const workers = options.workers ?? Math.max(1, availableParallelism() - 1)
    if (!Number.isInteger(workers) || workers < 1 || workers > 1024) {
      throw new InvalidInputError('The number of worker threads must be a whole number from 1 to 1024.', {
        details: `workers: ${String(options.workers)}`,
        nextStep: 'Pass workers as a positive integer, or leave it out (os.availableParallelism() - 1, at least 1).',
      })
    }
    this.workers = workers
    this.#startTimeoutMs = validTimeoutMs(options.startTimeoutMs, 'startTimeoutMs', DEFAULT_START_TIMEOUT_MS)
    if (workerFaults.exitOnChunk !== undefined) {
      const exitsLeft = workerFaults.exitsLeft ?? new Int32Array(new SharedArrayBuffer(4)).fill(2 ** 30)
      this.#fault = { exitOnChunk: workerFaults.exitOnChunk, exitsLeft }
    }
  }

  /** Starts every thread now (a server's warm-up) and says what they run; rejects with WorkerThreadError `start` if one cannot. */
  async start(): Promise<{ threads: number; cryptoBackend: CryptoBackendName }> {
    this.#throwIfClosed()
    this.#spawnBlocked = false
    const missing = this.workers - this.#threads.size
    for (let i = 0; i < missing; i++) this.#spawn()
    const backends = await Promise.all([...this.#threads].map((t) => t.started))
    if (backends.length < this.workers) throw new WorkerThreadError('start', { details: `${backends.length} of ${this.workers} threads started` })
    return { threads: backends.length, cryptoBackend: backends[0]! }
  }

  /**
   * `verifyContactBundles(bundles, options)`, on the pool's threads: one result per input, in order, equal
   * to what the single-threaded function returns. Rejects with the signal's typed abort error when it
   * aborts (the chunks already on a thread finish there, unused), with WorkerThreadError when threads
   * cannot start, stop twice on the same bundles, or the pool is closed.
   */
  async verify(bundles: Iterable<Uint8Array | string>, options: VerifyInWorkersOptions = {}): Promise<ContactBundleResult[]> {
    this.#throwIfClosed()
    const { expectedAddress, cache, signal } = options
    const format = options.format ?? 'auto'
    if (signal?.aborted) throw abortReason(signal, WHAT)
    const results: ContactBundleResult[] = []
    /** Inputs to verify on a thread: their index in `results`, their bytes, and with a cache their cache key. */
    const misses: { index: number; bytes: Uint8Array; key?: string }[] = []
    /** With a cache, repeats of a bundle this call verifies: answered from the cache afterwards, as hits. */
    const repeats: { index: number; key: string }[] = []
    const missKeys = cache ? new Set<string>() : undefined
    let index = 0
    for (const input of bundles) {
      const at = index++
      let bytes: Uint8Array
      try {
        bytes = typeof input === 'string' ? hexToBytes(input, 'bundle') : input
      } catch (error) {
        if (!isXmtpSignersError(error)) throw error
        results[at] = { decoded: false, error }
        continue
      }
      if (cache) {
        const key = cacheKeyOf(bytes, format)
        if (missKeys!.has(key)) {
          repeats.push({ index: at, key })
          continue
        }
        const found = lookupCachedResult(cache, key)
        if (found) {
          results[at] = withExpectedAddress(copyResult(found), expectedAddress)
          continue
        }
        missKeys!.add(key)
        misses.push({ index: at, bytes, key })
        continue
      }
      misses.push({ index: at, bytes })
    }
    if (misses.length === 0) return results

    const wire = await this.#run(misses, format, signal)
    const stored = new Map<string, ContactBundleResult>()
    for (let k = 0; k < misses.length; k++) {
      const { index: at, key } = misses[k]!
      const computed = fromWire(wire[k]!)
      if (!cache) {
        results[at] = withExpectedAddress(computed, expectedAddress)
        continue
      }
      const frozen = rememberResult(cache, key!, computed)
      stored.set(key!, frozen)
      results[at] = withExpectedAddress(copyResult(frozen), expectedAddress)
    }
    for (const { index: at, key } of repeats) {
      // Remembered above unless the cache is smaller than this call; then the first copy's result is the same.
      const found = lookupCachedResult(cache!, key) ?? stored.get(key)!
      results[at] = withExpectedAddress(copyResult(found), expectedAddress)
    }
    return results
  }

  /** Ends every thread and rejects the calls still running (WorkerThreadError `closed`); idempotent. */
  async close(): Promise<void> {
    this.#closed = true
    const closed = new WorkerThreadError('closed')
    for (const batch of this.#batches) settle(batch, this.#batches, closed)
    this.#queue = []
    const threads = [...this.#threads]
    this.#threads.clear()
    for (const thread of threads) {
      clearTimeout(thread.startTimer)
      thread.onStartFailed(closed)
    }
    await Promise.all(threads.map((t) => stopThread(t.worker, t.ready)))
  }

  #throwIfClosed(): void {
    if (this.#closed) throw new WorkerThreadError('closed')
  }

  /** The wire results of `misses`, in order, from chunks spread over the threads. */
  #run(misses: readonly { index: number; bytes: Uint8Array }[], format: BundleFormat | 'auto', signal: AbortSignal | undefined): Promise<(WireResult | undefined)[]> {
    return new Promise((resolve, reject) => {
      const wire: (WireResult | undefined)[] = new Array(misses.length)
      const onAbort = () => {
        this.#queue = this.#queue.filter((job) => job.batch !== batch)
        settle(batch, this.#batches, abortReason(signal!, WHAT))
      }
      const batch: Batch = {
        settled: false,
        pendingChunks: 0,
        wire,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve(wire)
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort)
          reject(error)
        },
      }
      this.#batches.add(batch)
      signal?.addEventListener('abort', onAbort, { once: true })
      const size = Math.min(MAX_CHUNK, Math.max(8, Math.ceil(misses.length / (this.workers * 4))))
      for (let start = 0; start < misses.length; start += size) {
        const part = misses.slice(start, start + size)
        const offsets = new Uint32Array(part.length + 1)
        for (let k = 0; k < part.length; k++) offsets[k + 1] = offsets[k]! + part[k]!.bytes.length
        // Copied now: the caller may reuse its buffers once this call returns, not before the threads read them.
        const bytes = new Uint8Array(offsets[part.length]!)
        part.forEach((m, k) => bytes.set(m.bytes, offsets[k]!))
        const indices = part.map((_, k) => start + k)
        this.#queue.push({ id: this.#nextJobId++, batch, format, indices, bytes, offsets, crashes: 0, done: false })
        batch.pendingChunks++
      }
      this.#spawnBlocked = false
      this.#pump()
    })
  }

  /** Sends queued chunks to ready threads with room, and starts threads while chunks wait and the pool has room. */
  #pump(): void {
    this.#queue = this.#queue.filter((job) => !job.batch.settled)
    while (this.#queue.length > 0) {
      let target: Thread | undefined
      for (const thread of this.#threads) {
        if (thread.ready && thread.inFlight.length < CHUNKS_IN_FLIGHT && (!target || thread.inFlight.length < target.inFlight.length)) target = thread
      }
      if (!target) {
        const starting = [...this.#threads].filter((t) => !t.ready).length
        if (!this.#spawnBlocked && this.#threads.size < this.workers && starting < this.#queue.length) {
          this.#spawn()
          continue
        }
        break
      }
      const job = this.#queue.shift()!
      target.inFlight.push(job)
      target.worker.ref()
      // Fresh copies, transferred: the job keeps its own in case the thread stops and the chunk runs again.
      const bytes = job.bytes.slice()
      const offsets = job.offsets.slice()
      const request: ChunkRequest = { type: 'verify', id: job.id, format: job.format, cryptoBackend: cryptoBackend().name, bytes, offsets }
      target.worker.postMessage(request, [bytes.buffer, offsets.buffer])
    }
    for (const thread of this.#threads) if (thread.ready && thread.inFlight.length === 0) thread.worker.unref()
  }

  #spawn(): void {
    let onStarted!: (backend: CryptoBackendName) => void
    let onStartFailed!: (error: WorkerThreadError) => void
    const started = new Promise<CryptoBackendName>((resolve, reject) => {
      onStarted = resolve
      onStartFailed = reject
    })
    started.catch(() => undefined)
    const progress = new Int32Array(new SharedArrayBuffer(4))
    const data: WorkerData = { cryptoBackend: cryptoBackend().name, progress, ...(this.#fault ? { fault: this.#fault } : {}) }
    let worker: Worker
    try {
      worker = startWorker(data)
    } catch (error) {
      const failure = new WorkerThreadError('start', { details: String(error), cause: error })
      onStartFailed(failure)
      this.#startFailed(failure)
      return
    }
    const thread: Thread = { worker, ready: false, inFlight: [], progress, started, onStarted, onStartFailed, startTimer: undefined, lastError: undefined }
    this.#threads.add(thread)
    thread.startTimer = setTimeout(() => {
      thread.lastError = new Error(`the thread was not ready after ${this.#startTimeoutMs} ms (startTimeoutMs)`)
      void worker.terminate()
    }, this.#startTimeoutMs)
    worker.on('message', (message: FromWorker) => this.#onMessage(thread, message))
    worker.on('error', (error) => void (thread.lastError = error))
    worker.on('messageerror', (error) => {
      thread.lastError = error
      void stopThread(worker, thread.ready)
    })
    worker.on('exit', (code) => this.#onExit(thread, code))
  }

  #onMessage(thread: Thread, message: FromWorker): void {
    if (!this.#threads.has(thread)) return // stopped or closed: what it had is running elsewhere, or nobody waits
    if (message.type === 'ready') {
      clearTimeout(thread.startTimer)
      thread.ready = true
      thread.onStarted(message.cryptoBackend)
      this.#pump()
      return
    }
    const job = thread.inFlight[0]
    if (!job || job.id !== message.id) {
      // Left in inFlight: the exit that follows runs it again elsewhere.
      thread.lastError = new Error(`the thread answered chunk ${message.id}, expected ${job?.id ?? 'none'}`)
      void stopThread(thread.worker, true)
      return
    }
    thread.inFlight.shift()
    const { batch } = job
    if (!batch.settled && !job.done) {
      job.done = true
      if (message.type === 'failed') settle(batch, this.#batches, fromWireError(message.error))
      else {
        message.results.forEach((result, k) => (batch.wire[job.indices[k]!] = result))
        if (--batch.pendingChunks === 0) settle(batch, this.#batches)
      }
    }
    this.#pump()
  }

  #onExit(thread: Thread, code: number): void {
    clearTimeout(thread.startTimer)
    if (!this.#threads.delete(thread)) return // closed: close() rejected what was waiting
    const details = `exit code ${code}${thread.lastError ? `: ${errorText(thread.lastError)}` : ''}`
    if (!thread.ready) {
      const failure = new WorkerThreadError('start', { details, cause: thread.lastError })
      thread.onStartFailed(failure)
      this.#startFailed(failure)
      return
    }
    // The chunk it was verifying counts a crash; the others it held (answers a stopping thread may not have delivered) run again as they were.
    const culprit = Atomics.load(thread.progress, 0)
    const held = thread.inFlight.splice(0)
    for (const job of held) {
      if (job.id !== culprit || job.batch.settled) continue
      if (++job.crashes >= 2) settle(job.batch, this.#batches, new WorkerThreadError('crash', { details, cause: thread.lastError }))
    }
    this.#queue.unshift(...held.filter((job) => !job.done && !job.batch.settled))
    this.#pump()
  }

  /** No thread would start: with others running, carry on without more; with none, every waiting call rejects. */
  #startFailed(failure: WorkerThreadError): void {
    this.#spawnBlocked = true
    if ([...this.#threads].some((t) => t.ready)) {
      this.#pump()
      return
    }
    if ([...this.#threads].some((t) => !t.ready)) return // another thread may still start and take the queue
    for (const job of this.#queue) settle(job.batch, this.#batches, failure)
    this.#queue = []
  }
}

/**
 * One call on a pool of its own, closed before it returns: for a script's single batch (a server
 * keeps a `ContactBundleVerifier` instead, to start its threads once).
 */
export async function verifyContactBundlesInWorkers(
  bundles: Iterable<Uint8Array | string>,
  options: VerifyInWorkersOptions & ContactBundleVerifierOptions = {},
): Promise<ContactBundleResult[]> {
  const { workers, startTimeoutMs, ...verifyOptions } = options
  const verifier = new ContactBundleVerifier({ ...(workers !== undefined ? { workers } : {}), ...(startTimeoutMs !== undefined ? { startTimeoutMs } : {}) })
  try {
    return await verifier.verify(bundles, verifyOptions)
  } finally {
    await verifier.close()
  }
}

/**
 * Ends a thread and resolves when it has exited: a ready one is asked (it exits between chunks), and only
 * terminated if it has not within STOP_TIMEOUT_MS; one that never became ready is terminated (it has not begun to verify).
 */
function stopThread(worker: Worker, ready: boolean): Promise<void> {
  if (worker.threadId === -1) return Promise.resolve() // already exited
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  if (!ready) {
    void worker.terminate()
    return exited
  }
  worker.ref() // until it is gone: an exit the caller awaits must not leave the process idle
  worker.postMessage({ type: 'stop' } satisfies ToWorker)
  const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS)
  timer.unref()
  return exited.finally(() => clearTimeout(timer))
}

function settle(batch: Batch, batches: Set<Batch>, error?: unknown): void {
  if (batch.settled) return
  batch.settled = true
  batches.delete(batch)
  if (error === undefined) batch.resolve()
  else batch.reject(error)
}

/** The compiled thread script next to this file; from TypeScript sources (tests, the bench) the thread registers tsx first. */
function startWorker(workerData: WorkerData): Worker {
  const here = import.meta.url
  if (!here.endsWith('.ts')) return new Worker(new URL('./verifyWorker.js', here), { workerData })
  const tsx = import.meta.resolve('tsx/esm/api')
  const script = new URL('./verifyWorker.ts', here).href
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script)}) })`, { eval: true, workerData })
}

function fromWire(result: WireResult): ContactBundleResult {
  return result.decoded ? result : { decoded: false, error: fromWireError(result.error) as XmtpSignersError }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
