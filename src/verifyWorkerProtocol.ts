// What ContactBundleVerifier (verifyWorkers.ts) and its threads (verifyWorker.ts) send each other, and how
// an error crosses between them: structured clone keeps neither an error's class nor its own fields.
import type { CryptoBackendName } from './crypto/backend.js'
import { ERROR_CLASSES, type XmtpSignersError } from './errors.js'
import type { BundleFormat, BundleVerification } from './verify.js'

export type WorkerData = {
  /** The parent's backend at spawn time: a bench or test may have switched it after load. */
  readonly cryptoBackend: CryptoBackendName
  /** The id of the chunk the thread is verifying (0 between chunks), written before it starts: if it stops, the parent knows which chunk did it. */
  readonly progress: Int32Array
  /** Test-only: the thread exits (code 1) when its chunk number `exitOnChunk` (1-based) arrives, while `exitsLeft[0]` (shared by the pool's threads) is above 0. */
  readonly fault?: { readonly exitOnChunk: number; readonly exitsLeft: Int32Array }
}

/** One chunk: the bundles packed into one transferred buffer, bundle i at `bytes[offsets[i]…offsets[i+1])`. */
export type ChunkRequest = {
  readonly type: 'verify'
  readonly id: number
  readonly format: BundleFormat | 'auto'
  /** The parent's backend when it sent the chunk: a bench or test switches it in one process, and the thread follows. */
  readonly cryptoBackend: CryptoBackendName
  readonly bytes: Uint8Array
  readonly offsets: Uint32Array
}

/** Ends the thread once the chunks sent before it are done (never mid-chunk: see STOP_TIMEOUT_MS in verifyWorkers.ts). */
export type StopRequest = { readonly type: 'stop' }
export type ToWorker = ChunkRequest | StopRequest

export type WireResult = { readonly decoded: true; readonly verification: BundleVerification } | { readonly decoded: false; readonly error: WireError }

export type FromWorker =
  | { readonly type: 'ready'; readonly cryptoBackend: CryptoBackendName }
  | { readonly type: 'results'; readonly id: number; readonly results: readonly WireResult[] }
  /** Something other than an XmtpSignersError was thrown: verifyContactBundles would throw it too. */
  | { readonly type: 'failed'; readonly id: number; readonly error: WireError }

/** An error as its own property descriptors (message, stack, code, details, …); a `cause` that is an error, the same way. */
export type WireError = { readonly wireError: true; readonly name: string; readonly code: string | undefined; readonly properties: Record<string, PropertyDescriptor> }

/** Test-only, read when a pool is made: its threads each exit on their `exitOnChunk`-th chunk, while the shared `exitsLeft[0]` lasts (default: always). */
export const workerFaults: { exitOnChunk?: number; exitsLeft?: Int32Array } = {}

export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return toWireError(new Error(String(error)))
  const properties: Record<string, PropertyDescriptor> = {}
  for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(error))) {
    if (!('value' in descriptor) || typeof descriptor.value === 'function') continue
    properties[key] = { ...descriptor, value: descriptor.value instanceof Error ? toWireError(descriptor.value) : descriptor.value }
  }
  const code = (error as { code?: unknown }).code
  return { wireError: true, name: error.name, code: typeof code === 'string' ? code : undefined, properties }
}

const STANDARD_ERRORS: Record<string, ErrorConstructor> = { Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError }

/** The error again, of its class (ours by `code`, a standard one by `name`), with the same own properties. */
export function fromWireError(wire: WireError): Error {
  const ours = errorClassOf(wire)
  const prototype = ours?.prototype ?? (STANDARD_ERRORS[wire.name] ?? Error).prototype
  const error = Object.create(prototype) as Error
  for (const [key, descriptor] of Object.entries(wire.properties)) {
    const value = isWireError(descriptor.value) ? fromWireError(descriptor.value) : descriptor.value
    Object.defineProperty(error, key, { ...descriptor, value })
  }
  return error
}

function errorClassOf(wire: WireError): { prototype: XmtpSignersError } | undefined {
  return wire.code !== undefined && Object.hasOwn(ERROR_CLASSES, wire.code) ? (ERROR_CLASSES[wire.code as keyof typeof ERROR_CLASSES] as { prototype: XmtpSignersError }) : undefined
}

function isWireError(value: unknown): value is WireError {
  return typeof value === 'object' && value !== null && (value as WireError).wireError === true
}
