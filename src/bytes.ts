import { InvalidInputError } from './errors.js'

export type Hex = `0x${string}`

/** The value of one hex digit (char code), or -1: a table lookup, so parsing is one linear pass with no regex. */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48 // 0-9
  if (code >= 97 && code <= 102) return code - 87 // a-f
  if (code >= 65 && code <= 70) return code - 55 // A-F
  return -1
}

/** True when `text` is an even number of hex digits, optionally prefixed with `0x`. Linear, never backtracks. */
export function isHex(text: string): boolean {
  const start = text.startsWith('0x') ? 2 : 0
  if ((text.length - start) % 2 !== 0) return false
  for (let i = start; i < text.length; i++) if (hexDigit(text.charCodeAt(i)) < 0) return false
  return true
}

/** Parses hex with or without `0x`; `what` names the value in the error. */
export function hexToBytes(hex: string, what = 'hex value'): Uint8Array {
  if (typeof hex !== 'string') {
    throw new InvalidInputError(`The ${what} is not valid hex.`, { details: `expected a string, got ${typeof hex}`, nextStep: `Pass the ${what} as a hex string or as bytes.` })
  }
  const trimmed = hex.trim()
  const start = trimmed.startsWith('0x') ? 2 : 0
  const invalid = (details: string) =>
    new InvalidInputError(`The ${what} is not valid hex.`, {
      details,
      nextStep: `Pass the ${what} whole, as hex digits 0-9 and a-f (optionally prefixed with 0x) or as bytes.`,
    })
  if ((trimmed.length - start) % 2 !== 0) throw invalid(`expected an even number of hex digits, optionally prefixed with 0x (got ${trimmed.length} characters)`)
  const out = new Uint8Array((trimmed.length - start) / 2)
  for (let i = 0; i < out.length; i++) {
    const high = hexDigit(trimmed.charCodeAt(start + i * 2))
    const low = hexDigit(trimmed.charCodeAt(start + i * 2 + 1))
    if (high < 0 || low < 0) throw invalid(`character ${start + i * 2 + (high < 0 ? 0 : 1)} is not a hex digit (got ${trimmed.length} characters)`)
    out[i] = high * 16 + low
  }
  return out
}

/** Lowercase hex without `0x`, as XMTP puts key bytes into its signature texts. */
export function toHex(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) out += b.toString(16).padStart(2, '0')
  return out
}

export function to0xHex(bytes: Uint8Array): Hex {
  return `0x${toHex(bytes)}`
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

const encoder = new TextEncoder()
export function utf8(text: string): Uint8Array {
  return encoder.encode(text)
}

/** Cryptographically secure random bytes from WebCrypto (Node ≥ 20 and browsers). */
export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length)
  globalThis.crypto.getRandomValues(out)
  return out
}
