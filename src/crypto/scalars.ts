// Range checks on big-endian 32-byte scalars against the secp256k1 order, without BigInt.

/** The secp256k1 group order n. */
const N = hex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141')
/** ⌊n / 2⌋: an s above it is the malleable (high-s) twin of a low-s signature. */
const HALF_N = hex('7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0')

function hex(text: string): Uint8Array {
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16)
  return out
}

/** Compares 32 bytes at `offset` of `bytes` with `limit`: negative, zero or positive. */
function compareAt(bytes: Uint8Array, offset: number, limit: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const diff = bytes[offset + i]! - limit[i]!
    if (diff !== 0) return diff
  }
  return 0
}

function isZeroAt(bytes: Uint8Array, offset: number): boolean {
  for (let i = 0; i < 32; i++) if (bytes[offset + i] !== 0) return false
  return true
}

/** Why a 64-byte `r || s` is unusable: 'range' (zero or ≥ n), 'high-s', or undefined when it is fine. */
export function compactSignatureProblem(compact: Uint8Array): 'range' | 'high-s' | undefined {
  for (const offset of [0, 32]) if (isZeroAt(compact, offset) || compareAt(compact, offset, N) >= 0) return 'range'
  return compareAt(compact, 32, HALF_N) > 0 ? 'high-s' : undefined
}
