import { InvalidInputError, isXmtpSignersError, OperationAbortedError, type XmtpSignersError } from './errors.js'

/** setTimeout's largest delay; anything longer fires at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1

/**
 * Checks a timeout a caller gave: a finite number of milliseconds in 1 … 2^31 − 1. `NaN` (what
 * `Number(process.env.X)` gives for a typo) or `Infinity` would otherwise mean "wait forever".
 */
export function validTimeoutMs(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMEOUT_MS) {
    throw new InvalidInputError(`${name} must be a finite number of milliseconds between 1 and ${MAX_TIMEOUT_MS}.`, {
      details: `${name} = ${String(value)}`,
      nextStep: `Pass ${name} as a positive number of milliseconds, or leave it out for the default (${fallback} ms).`,
    })
  }
  return value
}

/** Settles with `promise`, or rejects with `onTimeout()` after `ms`; no timer is left behind. */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => XmtpSignersError): Promise<T> {
  const bounded = validTimeoutMs(ms, 'timeout', MAX_TIMEOUT_MS)
  let timer: ReturnType<typeof setTimeout> | undefined
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout()), bounded)
    }),
  ]).finally(() => clearTimeout(timer))
}

/** The error an aborted signal carries, typed: the caller's own `XmtpSignersError` reason, or `OperationAbortedError`. */
export function abortReason(signal: AbortSignal, what: string): XmtpSignersError {
  const reason: unknown = signal.reason
  return isXmtpSignersError(reason) ? reason : new OperationAbortedError(what, { cause: reason })
}

/** Throws the typed abort error when `signal` is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw abortReason(signal, what)
}

/**
 * Settles with `promise`, or rejects with the typed abort error as soon as `signal` aborts — even when
 * the work behind `promise` ignores the signal. `onAbort` runs once, to cancel that work (a device prompt).
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, what: string, onAbort?: () => void): Promise<T> {
  if (!signal) return promise
  if (signal.aborted) {
    onAbort?.()
    promise.catch(() => undefined)
    return Promise.reject(abortReason(signal, what))
  }
  let listener: (() => void) | undefined
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      listener = () => {
        onAbort?.()
        reject(abortReason(signal, what))
      }
      signal.addEventListener('abort', listener, { once: true })
    }),
  ]).finally(() => signal.removeEventListener('abort', listener!))
}

/**
 * Runs `task` with a signal that aborts when the caller's `signal` does or when `timeoutMs` passes
 * (then with `onTimeout()` as the reason), and settles within that bound even if `task` ignores it.
 */
export async function withDeadline<T>(
  task: (signal: AbortSignal) => Promise<T>,
  options: { timeoutMs: number; signal?: AbortSignal; what: string; onTimeout: () => XmtpSignersError },
): Promise<T> {
  const bounded = validTimeoutMs(options.timeoutMs, 'timeout', MAX_TIMEOUT_MS)
  throwIfAborted(options.signal, options.what)
  const controller = new AbortController()
  const forward = () => controller.abort(options.signal!.reason)
  options.signal?.addEventListener('abort', forward, { once: true })
  const timer = setTimeout(() => controller.abort(options.onTimeout()), bounded)
  try {
    return await abortable(Promise.resolve().then(() => task(controller.signal)), controller.signal, options.what)
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', forward)
  }
}
