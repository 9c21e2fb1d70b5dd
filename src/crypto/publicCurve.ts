/**
 * secp256k1 verification and public-key recovery for the pure-JS backend: variable-time, so only for
 * public inputs (signatures, digests, public keys), never for a secret scalar. Jacobian coordinates
 * with mixed additions against affine tables, the GLV endomorphism and one shared doubling chain
 * (Strauss–Shamir over wNAF digits), and p's special form for the reduction: about twice as fast as a
 * general-purpose curve library on BigInt. Every result is compared with @noble/curves in
 * test/publicCurve.test.ts.
 */

import { hexToBytes, toHex } from '../bytes.js'

const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
const HALF_N = N >> 1n
const GX = 0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798n
const GY = 0x483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8n
/** β: (x, y) ↦ (βx, y) multiplies a point by λ. */
const BETA = 0x7ae96a2b657c07106e64479eac3434e99cf0497512f58995c1396c28719501een
/** The reduced GLV basis (a1, b1), (a2, b2) with a + bλ ≡ 0 (mod n); b2 = a1. */
const A1 = 0x3086d221a7d46bcde86c90e49284eb15n
const B1 = -0xe4437ed6010e88286f547fa90abfe4c3n
const A2 = 0x114ca50f7a8e2f3f657c1108d9d44cfd8n
const B2 = A1
const HALF_WIDTH = 1n << 128n
/** 2^256 mod p: the high half of a product folds back in multiplied by it. */
const FOLD = 0x1000003d1n
const MASK_256 = (1n << 256n) - 1n
/** Offsets that keep an unreduced difference positive. */
const P2 = 2n * P
const P3 = 3n * P
const P8 = 8n * P
const P12 = 12n * P
const PP = P * P
/** wNAF window widths: the fixed generator's tables are built once, a key's for each call. */
const G_WINDOW = 10
const KEY_WINDOW = 5

// ---- the field, every value kept in [0, p) ---------------------------------------------------

/** x mod p for 0 ≤ x < 2^600, by folding 2^256 ≡ 2^32 + 977 twice. */
function reduce(x: bigint): bigint {
  x = (x & MASK_256) + (x >> 256n) * FOLD
  x = (x & MASK_256) + (x >> 256n) * FOLD
  return x >= P ? x - P : x
}
const mul = (a: bigint, b: bigint): bigint => reduce(a * b)
const sqr = (a: bigint): bigint => reduce(a * a)
const add = (a: bigint, b: bigint): bigint => {
  const sum = a + b
  return sum >= P ? sum - P : sum
}
const sub = (a: bigint, b: bigint): bigint => {
  const diff = a - b
  return diff < 0n ? diff + P : diff
}
const dbl = (a: bigint): bigint => add(a, a)

function pow2k(x: bigint, k: number): bigint {
  for (let i = 0; i < k; i++) x = sqr(x)
  return x
}

/** The inverse modulo `m` of 0 < a < m, by the extended Euclidean algorithm (public inputs only). */
function invert(a: bigint, m: bigint): bigint {
  let r0 = m
  let r1 = a
  let t0 = 0n
  let t1 = 1n
  while (r1 !== 0n) {
    const q = r0 / r1
    const r2 = r0 - q * r1
    const t2 = t0 - q * t1
    r0 = r1
    r1 = r2
    t0 = t1
    t1 = t2
  }
  if (r0 !== 1n) throw new Error('not invertible')
  return t0 < 0n ? t0 + m : t0
}

/** √a when a is a square mod p (p ≡ 3 mod 4: a^((p+1)/4), by the usual addition chain); undefined otherwise. */
function sqrt(a: bigint): bigint | undefined {
  const b2 = mul(sqr(a), a)
  const b3 = mul(sqr(b2), a)
  const b6 = mul(pow2k(b3, 3), b3)
  const b9 = mul(pow2k(b6, 3), b3)
  const b11 = mul(pow2k(b9, 2), b2)
  const b22 = mul(pow2k(b11, 11), b11)
  const b44 = mul(pow2k(b22, 22), b22)
  const b88 = mul(pow2k(b44, 44), b44)
  const b176 = mul(pow2k(b88, 88), b88)
  const b220 = mul(pow2k(b176, 44), b44)
  const b223 = mul(pow2k(b220, 3), b3)
  const t1 = mul(pow2k(b223, 23), b22)
  const t2 = mul(pow2k(t1, 6), b2)
  const root = pow2k(t2, 2)
  return sqr(root) === a ? root : undefined
}

const curveRhs = (x: bigint): bigint => add(mul(sqr(x), x), 7n)

// ---- points ---------------------------------------------------------------------------------

/** Jacobian (X, Y, Z): x = X/Z², y = Y/Z³; Z = 0 is the point at infinity. */
type Jacobian = [bigint, bigint, bigint]
type Affine = readonly [bigint, bigint]

const INFINITY: Jacobian = [0n, 1n, 0n]

/**
 * 2P for a = 0 (dbl-2009-l: 2M + 5S). Sums and differences stay unreduced (offset by multiples of p to
 * keep them positive) until a product or the result reduces them: `reduce` takes anything below 2^600.
 */
function double([x, y, z]: Jacobian): Jacobian {
  if (z === 0n) return INFINITY
  const a = sqr(x)
  const b = sqr(y)
  const c = sqr(b)
  const d = 2n * (sqr(x + b) - a - c + P2) // in (0, 6p)
  const e = 3n * a
  const x3 = reduce(e * e - 2n * d + P12)
  const y3 = reduce(reduce(e * (d - x3 + P)) - 8n * c + P8)
  return [x3, y3, reduce(2n * y * z)]
}

/** P + Q for Jacobian P and affine Q (8M + 3S), with the doubling and inverse cases. */
function addAffine(p: Jacobian, qx: bigint, qy: bigint): Jacobian {
  const [x1, y1, z1] = p
  if (z1 === 0n) return [qx, qy, 1n]
  const zz = sqr(z1)
  const h = sub(mul(qx, zz), x1)
  const r = sub(mul(qy, mul(z1, zz)), y1)
  if (h === 0n) return r === 0n ? double(p) : INFINITY
  const hh = sqr(h)
  const hhh = mul(h, hh)
  const v = mul(x1, hh)
  const x3 = reduce(r * r - hhh - 2n * v + P3)
  return [x3, reduce(r * (v - x3 + P) - y1 * hhh + PP), mul(z1, h)]
}

/** P + Q, both Jacobian (add-1998-cmo-2: 12M + 4S), for building a key's table. */
function addJacobian(p: Jacobian, q: Jacobian): Jacobian {
  const [x1, y1, z1] = p
  const [x2, y2, z2] = q
  if (z1 === 0n) return q
  if (z2 === 0n) return p
  const z1z1 = sqr(z1)
  const z2z2 = sqr(z2)
  const u1 = mul(x1, z2z2)
  const s1 = mul(y1, mul(z2, z2z2))
  const h = sub(mul(x2, z1z1), u1)
  const r = sub(mul(y2, mul(z1, z1z1)), s1)
  if (h === 0n) return r === 0n ? double(p) : INFINITY
  const hh = sqr(h)
  const hhh = mul(h, hh)
  const v = mul(u1, hh)
  const x3 = sub(sub(sqr(r), hhh), dbl(v))
  return [x3, sub(mul(r, sub(v, x3)), mul(s1, hhh)), mul(mul(z1, z2), h)]
}

/** Affine forms of finite Jacobian points with one inversion (Montgomery's trick). */
function toAffineAll(points: readonly Jacobian[]): Affine[] {
  const prefix: bigint[] = []
  let acc = 1n
  for (const [, , z] of points) {
    prefix.push(acc)
    acc = mul(acc, z)
  }
  let inv = invert(acc, P)
  const out: Affine[] = new Array(points.length)
  for (let i = points.length - 1; i >= 0; i--) {
    const [x, y, z] = points[i]!
    const zInv = mul(inv, prefix[i]!)
    inv = mul(inv, z)
    const zInv2 = sqr(zInv)
    out[i] = [mul(x, zInv2), mul(y, mul(zInv2, zInv))]
  }
  return out
}

function toAffine(p: Jacobian): Affine | undefined {
  return p[2] === 0n ? undefined : toAffineAll([p])[0]
}

/** P, 3P, 5P, …, (2^(w−1) − 1)P, affine. */
function oddMultiples(point: Affine, window: number): Affine[] {
  const count = 1 << (window - 2)
  const start: Jacobian = [point[0], point[1], 1n]
  const twice = double(start)
  const points: Jacobian[] = [start]
  for (let i = 1; i < count; i++) points.push(addJacobian(points[i - 1]!, twice))
  return toAffineAll(points)
}

const endomorphism = (table: readonly Affine[]): Affine[] => table.map(([x, y]) => [mul(x, BETA), y] as const)

/** G's and λG's tables, built on first use. */
let generatorTables: [Affine[], Affine[]] | undefined
function generator(): [Affine[], Affine[]] {
  if (!generatorTables) {
    const g = oddMultiples([GX, GY], G_WINDOW)
    generatorTables = [g, endomorphism(g)]
  }
  return generatorTables
}

// ---- scalars --------------------------------------------------------------------------------

const modN = (a: bigint): bigint => {
  const r = a % N
  return r < 0n ? r + N : r
}

/** ⌊a / b⌉ for b > 0. */
function divNearest(a: bigint, b: bigint): bigint {
  return (a + (a >= 0n ? b / 2n : -(b / 2n))) / b
}

/** k ≡ k1 + k2·λ (mod n) with |k1|, |k2| < 2^128, as magnitudes and signs. */
function splitScalar(k: bigint): [bigint, boolean, bigint, boolean] {
  const c1 = divNearest(B2 * k, N)
  const c2 = divNearest(-B1 * k, N)
  const k1 = k - c1 * A1 - c2 * A2
  const k2 = -c1 * B1 - c2 * B2
  const parts: [bigint, boolean, bigint, boolean] = [k1 < 0n ? -k1 : k1, k1 < 0n, k2 < 0n ? -k2 : k2, k2 < 0n]
  if (parts[0] >= HALF_WIDTH || parts[2] >= HALF_WIDTH) throw new Error('scalar split out of range')
  return parts
}

/** Width-w non-adjacent form, least significant digit first: odd digits in (−2^(w−1), 2^(w−1)), zeros between. */
function wnaf(k: bigint, window: number): Int16Array {
  const digits = new Int16Array(130)
  const full = 1 << window
  const half = full >> 1
  const mask = BigInt(full - 1)
  let i = 0
  while (k > 0n) {
    if (k & 1n) {
      let digit = Number(k & mask)
      if (digit >= half) digit -= full
      digits[i] = digit
      k -= BigInt(digit)
    }
    k >>= 1n
    i++
  }
  return digits
}

type Term = { digits: Int16Array; table: readonly Affine[]; negate: boolean }

function term(k: bigint, negate: boolean, table: readonly Affine[], window: number): Term {
  return { digits: wnaf(k, window), table, negate }
}

/** a·G + b·Q for scalars in [0, n) and an affine point Q, in one doubling chain. */
function mulAdd(a: bigint, b: bigint, q: Affine): Jacobian {
  const [gTable, lambdaGTable] = generator()
  const keyTable = oddMultiples(q, KEY_WINDOW)
  const [a1, a1neg, a2, a2neg] = splitScalar(a)
  const [b1, b1neg, b2, b2neg] = splitScalar(b)
  const terms = [
    term(a1, a1neg, gTable, G_WINDOW),
    term(a2, a2neg, lambdaGTable, G_WINDOW),
    term(b1, b1neg, keyTable, KEY_WINDOW),
    term(b2, b2neg, endomorphism(keyTable), KEY_WINDOW),
  ]
  let acc = INFINITY
  for (let i = 129; i >= 0; i--) {
    acc = double(acc)
    for (const { digits, table, negate } of terms) {
      const digit = digits[i]!
      if (digit === 0) continue
      const [x, y] = table[(digit < 0 ? -digit : digit) >> 1]!
      acc = addAffine(acc, x, (digit < 0) !== negate ? P - y : y)
    }
  }
  return acc
}

// ---- bytes ----------------------------------------------------------------------------------

function toBigInt(bytes: Uint8Array, offset = 0, length = 32): bigint {
  return BigInt('0x' + toHex(bytes.subarray(offset, offset + length)))
}

function uncompressed([x, y]: Affine): Uint8Array {
  const out = new Uint8Array(65)
  out[0] = 4
  out.set(scalarBytes(x), 1)
  out.set(scalarBytes(y), 33)
  return out
}

function scalarBytes(value: bigint): Uint8Array {
  return hexToBytes(value.toString(16).padStart(64, '0'))
}

/** The point of a 65-byte uncompressed key, or undefined when it is not one on the curve. */
function decodePublicKey(publicKey: Uint8Array): Affine | undefined {
  if (publicKey.length !== 65 || publicKey[0] !== 4) return undefined
  const x = toBigInt(publicKey, 1)
  const y = toBigInt(publicKey, 33)
  if (x >= P || y >= P || sqr(y) !== curveRhs(x)) return undefined
  return [x, y]
}

/** r and s of a 64-byte compact signature when both are in [1, n) and s is low; undefined otherwise. */
function decodeCompact(compact: Uint8Array): [bigint, bigint] | undefined {
  if (compact.length !== 64) return undefined
  const r = toBigInt(compact, 0)
  const s = toBigInt(compact, 32)
  return r === 0n || r >= N || s === 0n || s > HALF_N ? undefined : [r, s]
}

/** The nonce point R a signature names: x = r (+ n when bit 1 of the recovery id is set), y's parity bit 0. */
function noncePoint(r: bigint, recovery: number): Affine | undefined {
  if (!Number.isInteger(recovery) || recovery < 0 || recovery > 3) return undefined
  const x = recovery & 2 ? r + N : r
  if (x >= P) return undefined
  const y = sqrt(curveRhs(x))
  if (y === undefined) return undefined
  return [x, (y & 1n) === BigInt(recovery & 1) ? y : P - y]
}

// ---- the operations -------------------------------------------------------------------------

/** True for a 65-byte uncompressed key (0x04 || X || Y) that is a point on the curve. */
export function isValidPublicKey(publicKey: Uint8Array): boolean {
  return decodePublicKey(publicKey) !== undefined
}

/** The uncompressed key whose low-s signature `compact` of `digest` has recovery id `recovery`; throws when none. */
export function recoverPublicKey(digest: Uint8Array, compact: Uint8Array, recovery: number): Uint8Array {
  const rs = decodeCompact(compact)
  const nonce = rs && noncePoint(rs[0], recovery)
  if (!rs || !nonce || digest.length !== 32) throw new Error('invalid signature: r, s, recovery id or digest out of range')
  const [r, s] = rs
  const rInv = invert(r, N)
  const key = toAffine(mulAdd(modN(-toBigInt(digest) * rInv), modN(s * rInv), nonce))
  if (!key) throw new Error('invalid signature: it recovers to the point at infinity')
  return uncompressed(key)
}

/**
 * True when `compact` (low-s) is `publicKey`'s signature of `digest` and its nonce point R is the
 * one `recovery` names: u1·G + u2·Q must be exactly R, x and y's parity alike.
 */
export function verifySignature(digest: Uint8Array, compact: Uint8Array, recovery: number, publicKey: Uint8Array): boolean {
  const rs = decodeCompact(compact)
  const key = decodePublicKey(publicKey)
  if (!rs || !key || digest.length !== 32 || !Number.isInteger(recovery) || recovery < 0 || recovery > 3) return false
  const [r, s] = rs
  const sInv = invert(s, N)
  const point = toAffine(mulAdd(modN(toBigInt(digest) * sInv), modN(r * sInv), key))
  if (!point) return false
  return point[0] === (recovery & 2 ? r + N : r) && (point[1] & 1n) === BigInt(recovery & 1)
}
