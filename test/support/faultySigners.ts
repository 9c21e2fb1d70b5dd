/**
 * Signers that misbehave the ways real wallets do: wrong lengths, odd `v` values, malleable
 * (high-s) or EIP-2098 compact signatures, signatures from another key, rejections and hangs.
 * Each wraps an honest RFC 6979 signer and rewrites (or replaces) its answer to selected requests.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { publicKeyOf } from '../../src/keys.js'
import { hashPersonalMessage, publicKeyToAddress, type Address } from '../../src/signature.js'
import type { Reproducibility, SignOptions, Signer, SignerCapabilities } from '../../src/signer.js'
import { abortable, throwIfAborted } from '../../src/timeout.js'

export const CURVE_N = secp256k1.Point.CURVE().n

export type Purpose = 'create-identity' | 'enable-identity' | 'other'

export type SignRequest = {
  readonly text: string
  readonly purpose: Purpose
  /** 1-based count over every request this signer received. */
  readonly call: number
  /** The signal the caller passed (the engine's deadline or the app's abort), to check it arrived. */
  readonly signal?: AbortSignal
}

/** Rewrites the honest signature (65 bytes, v 27/28) of a request, or throws / hangs instead. */
export type Fault = (honest: Uint8Array, request: SignRequest) => unknown

export function purposeOf(text: string): Purpose {
  if (text.startsWith('XMTP : Create Identity\n')) return 'create-identity'
  if (text.startsWith('XMTP : Enable Identity\n')) return 'enable-identity'
  return 'other'
}

/** EIP-191 personal_sign with a raw key: `r || s || v`, v ∈ {27, 28}, low-s. */
export function personalSign(secretKey: Uint8Array, text: string, options: { extraEntropy?: boolean } = {}): Uint8Array {
  const recovered = secp256k1.sign(hashPersonalMessage(text), secretKey, {
    prehash: false,
    format: 'recovered',
    lowS: true,
    ...(options.extraEntropy ? { extraEntropy: true } : {}),
  })
  const out = new Uint8Array(65)
  out.set(recovered.subarray(1))
  out[64] = 27 + recovered[0]!
  return out
}

export type FaultySignerOptions = {
  fault?: Fault
  /** Which requests get the fault; default: every request. */
  when?: (request: SignRequest) => boolean
  reproducibleSignatures?: Reproducibility
  accountType?: 'EOA' | 'SCW'
  /** Sign with fresh randomness (RFC 6979 + extra entropy): valid signatures that differ every time. */
  randomize?: boolean
  /** Wait this long before answering any request (to make concurrent calls really overlap). */
  delayMs?: number
  /**
   * Behave like a wallet that cannot be cancelled: ignore the signal (default false: an abort ends the
   * request with OperationAbortedError, before it is recorded when already aborted, as the adapters do).
   */
  ignoresAbort?: boolean
}

export class FaultySigner implements Signer {
  readonly address: Address
  readonly capabilities: SignerCapabilities
  readonly requests: SignRequest[] = []
  readonly #secretKey: Uint8Array
  readonly #options: FaultySignerOptions

  constructor(secretKey: Uint8Array, options: FaultySignerOptions = {}) {
    this.#secretKey = secretKey.slice()
    this.#options = options
    this.address = publicKeyToAddress(publicKeyOf(secretKey))
    this.capabilities = {
      kind: 'local',
      accountType: options.accountType ?? 'EOA',
      reproducibleSignatures: options.reproducibleSignatures ?? 'yes',
      typedData: false,
    }
  }

  /** The same account, with another behaviour. */
  with(options: FaultySignerOptions): FaultySigner {
    return new FaultySigner(this.#secretKey, options)
  }

  count(purpose: Purpose): number {
    return this.requests.filter((r) => r.purpose === purpose).length
  }

  async signPersonalMessage(text: string, options: SignOptions = {}): Promise<Uint8Array> {
    const { signal } = options
    if (!this.#options.ignoresAbort) throwIfAborted(signal, 'message signature')
    const request: SignRequest = { text, purpose: purposeOf(text), call: this.requests.length + 1, ...(signal ? { signal } : {}) }
    this.requests.push(request)
    const answer = (async () => {
      if (this.#options.delayMs) await sleep(this.#options.delayMs)
      const honest = personalSign(this.#secretKey, text, { extraEntropy: this.#options.randomize === true })
      const { fault, when } = this.#options
      if (!fault || (when && !when(request))) return honest
      return (await fault(honest, request)) as Uint8Array
    })()
    return this.#options.ignoresAbort ? answer : abortable(answer, signal, 'message signature')
  }

  async close(): Promise<void> {}
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

export const onPurpose =
  (purpose: Purpose) =>
  (request: SignRequest): boolean =>
    request.purpose === purpose

// ---- faults ---------------------------------------------------------------------------------

function bigToBytes32(value: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(value.toString(16).padStart(64, '0'), 'hex'))
}
function bytesToBig(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`)
}

/** Cut to (or zero-pad to) `length` bytes. */
export const withLength =
  (length: number): Fault =>
  (sig) => {
    const out = new Uint8Array(length)
    out.set(sig.subarray(0, Math.min(length, sig.length)))
    return out
  }

export const withV =
  (v: number): Fault =>
  (sig) => {
    const out = sig.slice()
    out[64] = v
    return out
  }

/** Wallets (and some Ledger paths) that return the raw recovery id: v ∈ {0, 1}. */
export const vZeroOne: Fault = (sig) => {
  const out = sig.slice()
  out[64] = sig[64]! - 27
  return out
}

/** The malleable twin: s → n − s with v flipped. Still recovers the same address. */
export const highS: Fault = (sig) => {
  const s = bytesToBig(sig.subarray(32, 64))
  const out = sig.slice()
  out.set(bigToBytes32(CURVE_N - s), 32)
  out[64] = sig[64] === 27 ? 28 : 27
  return out
}

/** EIP-2098 compact form: 64 bytes, yParity in the top bit of s. */
export const eip2098: Fault = (sig) => {
  const out = sig.slice(0, 64)
  if (sig[64] === 28) out[32]! |= 0x80
  return out
}

export const withR =
  (r: bigint): Fault =>
  (sig) => {
    const out = sig.slice()
    out.set(bigToBytes32(r), 0)
    return out
  }

export const withS =
  (s: bigint): Fault =>
  (sig) => {
    const out = sig.slice()
    out.set(bigToBytes32(s), 32)
    return out
  }

/** A correct signature of the same text, by another key. */
export const signedBy =
  (otherSecretKey: Uint8Array): Fault =>
  (_sig, request) =>
    personalSign(otherSecretKey, request.text)

export const rejectWith =
  (error: unknown): Fault =>
  () => {
    throw error
  }

/** Hangs for `ms`, then fails the way an adapter's own timeout does. */
export const hangThen =
  (ms: number, error: unknown): Fault =>
  async () => {
    await sleep(ms)
    throw error
  }

/** Returns something that is not a signature at all. */
export const returns =
  (value: unknown): Fault =>
  () =>
    value

/** Hangs until the test releases it: `release()` answers honestly, `fail(e)` rejects. */
export function gate(): { fault: Fault; entered: Promise<void>; release: () => void; fail: (error: unknown) => void } {
  let enter!: () => void
  const entered = new Promise<void>((resolve) => (enter = resolve))
  let settle!: (outcome: { error?: unknown }) => void
  const outcome = new Promise<{ error?: unknown }>((resolve) => (settle = resolve))
  return {
    entered,
    release: () => settle({}),
    fail: (error) => settle({ error }),
    fault: async (sig) => {
      enter()
      const { error } = await outcome
      if (error !== undefined) throw error
      return sig
    },
  }
}
