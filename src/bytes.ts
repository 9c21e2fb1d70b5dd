import { InvalidInputError } from './errors.js'

export type Hex = `0x${string}`

const HEX_RE = /^(0x)?([0-9a-fA-F]{2})*$/

/** Parses hex with or without `0x`; `what` names the value in the error. */
export function hexToBytes(hex: string, what = 'hex value'): Uint8Array {
  const trimmed = hex.trim()
  if (!HEX_RE.test(trimmed)) {
    throw new InvalidInputError(`The ${what} is not valid hex.`, {
      details: `expected an even number of hex digits, optionally prefixed with 0x (got ${trimmed.length} characters)`,
      nextStep: `Pass the ${what} whole, as hex digits 0-9 and a-f (optionally prefixed with 0x) or as bytes.`,
    })
  }
  const digits = trimmed.startsWith('0x') ? trimmed.slice(2) : trimmed
  const out = new Uint8Array(digits.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16)
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
