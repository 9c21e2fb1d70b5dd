import type { XmtpSignersError } from './errors.js'

/** Settles with `promise`, or rejects with `onTimeout()` after `ms` (never when `ms` is Infinity); no timer is left behind. */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => XmtpSignersError): Promise<T> {
  if (!Number.isFinite(ms)) return promise
  let timer: ReturnType<typeof setTimeout> | undefined
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout()), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}
