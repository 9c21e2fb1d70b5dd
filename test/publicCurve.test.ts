/**
 * The pure-JS backend's own verify/recover (src/crypto/publicCurve.ts) against @noble/curves: the same
 * answer on random and mutated signatures, and the edge cases a hand-written curve gets wrong (a zero
 * digest, the point at infinity, a doubling inside the chain, keys off the curve, high s, bad recovery ids).
 */
import { describe, expect, it } from 'vitest'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { isValidPublicKey, recoverPublicKey, verifySignature } from '../src/crypto/publicCurve.js'

const N = secp256k1.Point.CURVE().n
const P = secp256k1.Point.CURVE().p
const G = secp256k1.Point.BASE
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
const be32 = (value: bigint) => Uint8Array.from(Buffer.from(value.toString(16).padStart(64, '0'), 'hex'))
const compactOf = (r: bigint, s: bigint) => Uint8Array.from([...be32(r), ...be32(s)])
const modN = (a: bigint) => ((a % N) + N) % N
const random32 = () => crypto.getRandomValues(new Uint8Array(32))

/** A seeded generator, so a failure names inputs that can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

/** noble's answer to "is this low-s signature, with this recovery id, `publicKey`'s": recover and compare. */
function referenceVerify(digest: Uint8Array, compact: Uint8Array, recovery: number, publicKey: Uint8Array): boolean {
  try {
    const signature = secp256k1.Signature.fromBytes(compact, 'compact')
    if (signature.hasHighS()) return false
    return hex(signature.addRecoveryBit(recovery).recoverPublicKey(digest).toBytes(false)) === hex(publicKey)
  } catch {
    return false
  }
}

function referenceRecover(digest: Uint8Array, compact: Uint8Array, recovery: number): string | undefined {
  try {
    const signature = secp256k1.Signature.fromBytes(compact, 'compact')
    if (signature.hasHighS()) return undefined
    return hex(signature.addRecoveryBit(recovery).recoverPublicKey(digest).toBytes(false))
  } catch {
    return undefined
  }
}

function signed(digest = random32(), secretKey = secp256k1.utils.randomSecretKey()) {
  const recovered = secp256k1.sign(digest, secretKey, { prehash: false, format: 'recovered', lowS: true })
  return { digest, publicKey: secp256k1.getPublicKey(secretKey, false), compact: recovered.slice(1), recovery: recovered[0]! }
}

describe('publicCurve: verify and recover agree with @noble/curves', () => {
  it('on 200 random signatures: each verifies, recovers its key, and fails with the other recovery bit or another digest', () => {
    for (let i = 0; i < 200; i++) {
      const { digest, publicKey, compact, recovery } = signed()
      expect(verifySignature(digest, compact, recovery, publicKey)).toBe(true)
      expect(hex(recoverPublicKey(digest, compact, recovery))).toBe(hex(publicKey))
      expect(verifySignature(digest, compact, recovery ^ 1, publicKey)).toBe(false)
      expect(hex(recoverPublicKey(digest, compact, recovery ^ 1))).toBe(referenceRecover(digest, compact, recovery ^ 1))
      expect(verifySignature(random32(), compact, recovery, publicKey)).toBe(false)
    }
  })

  it('on 400 seeded mutations (a flipped bit in the digest, r, s or the key, a swapped recovery id): the same answer as noble', () => {
    const next = rng(14)
    for (let i = 0; i < 400; i++) {
      const { digest, publicKey, compact, recovery } = signed()
      const target = Math.floor(next() * 4)
      const bit = Math.floor(next() * 256)
      const flip = (bytes: Uint8Array, at: number) => {
        const copy = bytes.slice()
        copy[at >> 3]! ^= 1 << (at & 7)
        return copy
      }
      const d = target === 0 ? flip(digest, bit) : digest
      const c = target === 1 ? flip(compact, bit) : target === 2 ? flip(compact, 256 + bit) : compact
      const k = target === 3 ? flip(publicKey.subarray(1), bit) : publicKey.subarray(1)
      const key = Uint8Array.from([4, ...k])
      const rec = next() < 0.2 ? recovery ^ 1 : recovery
      const context = `mutation ${i}: target ${target}, bit ${bit}, recovery ${rec}`
      expect(isValidPublicKey(key), context).toBe(secp256k1.utils.isValidPublicKey(key, false))
      expect(verifySignature(d, c, rec, key), context).toBe(isValidPublicKey(key) && referenceVerify(d, c, rec, key))
      let ours: string | undefined
      try {
        ours = hex(recoverPublicKey(d, c, rec))
      } catch {
        ours = undefined
      }
      expect(ours, context).toBe(referenceRecover(d, c, rec))
    }
  })

  it('a zero digest and a digest of n (u1 = 0) verify and recover', () => {
    for (const digest of [new Uint8Array(32), be32(N)]) {
      const { publicKey, compact, recovery } = signed(digest)
      expect(verifySignature(digest, compact, recovery, publicKey)).toBe(true)
      expect(hex(recoverPublicKey(digest, compact, recovery))).toBe(hex(publicKey))
    }
  })

  it('u1·G + u2·Q at infinity is false, never a throw; a recovery to infinity throws', () => {
    // Q = −(z/r)·G makes (z/s)·G + (r/s)·Q the point at infinity for any s.
    const z = modN(BigInt('0x' + hex(random32())))
    const r = modN(BigInt('0x' + hex(random32())))
    const s = modN(BigInt('0x' + hex(random32()))) % (N / 2n) || 1n
    const q = G.multiply(modN(-z * secp256k1.Point.Fn.inv(r))).toBytes(false)
    expect(verifySignature(be32(z), compactOf(r, s), 0, q)).toBe(false)
    expect(verifySignature(be32(z), compactOf(r, s), 1, q)).toBe(false)
    // R = (z/s)·G makes s·R − z·G, and so the recovered key, the point at infinity.
    const sLow = 12345n
    const nonce = G.multiply(modN(z * secp256k1.Point.Fn.inv(sLow)))
    const { x, y } = nonce.toAffine()
    expect(() => recoverPublicKey(be32(z), compactOf(x % N, sLow), Number(y & 1n) + (x >= N ? 2 : 0))).toThrow(/infinity/)
  })

  it('a chain that adds a point to itself (u1 = u2 = ±1, Q = G) takes the doubling case', () => {
    const twoG = G.double().toAffine()
    const r = twoG.x % N
    // u1 = u2 = 1 needs s = z = r; if that s is high, u1 = u2 = −1 (s = n − r, the sum is −2G) keeps it low.
    const low = r <= N / 2n
    const s = low ? r : N - r
    const parity = Number((low ? twoG.y : P - twoG.y) & 1n)
    const key = G.toBytes(false)
    expect(referenceVerify(be32(r), compactOf(r, s), parity, key)).toBe(true)
    expect(verifySignature(be32(r), compactOf(r, s), parity, key)).toBe(true)
    expect(hex(recoverPublicKey(be32(r), compactOf(r, s), parity))).toBe(hex(key))
  })

  it('refuses what is out of range: r or s zero or ≥ n, high s, recovery ids beyond 3, wrong lengths, keys off the curve', () => {
    const { digest, publicKey, compact, recovery } = signed()
    const r = BigInt('0x' + hex(compact.subarray(0, 32)))
    const s = BigInt('0x' + hex(compact.subarray(32)))
    for (const bad of [compactOf(0n, s), compactOf(r, 0n), compactOf(N, s), compactOf(2n ** 256n - 1n, s), compactOf(r, N - s)]) {
      expect(verifySignature(digest, bad, recovery, publicKey)).toBe(false)
      expect(verifySignature(digest, bad, recovery ^ 1, publicKey)).toBe(false)
      expect(() => recoverPublicKey(digest, bad, recovery)).toThrow()
    }
    for (const id of [-1, 4, 0.5, Number.NaN]) {
      expect(verifySignature(digest, compact, id, publicKey)).toBe(false)
      expect(() => recoverPublicKey(digest, compact, id)).toThrow()
    }
    expect(verifySignature(digest.subarray(1), compact, recovery, publicKey)).toBe(false)
    expect(verifySignature(digest, compact.subarray(1), recovery, publicKey)).toBe(false)
    expect(() => recoverPublicKey(digest, compact, recovery + 2)).toThrow() // x = r + n ≥ p for any r this large
    const offCurve = publicKey.slice()
    offCurve[64]! ^= 1
    const xTooBig = Uint8Array.from([4, ...be32(P), ...publicKey.subarray(33)])
    for (const key of [offCurve, xTooBig, publicKey.subarray(1), Uint8Array.from([2, ...publicKey.subarray(1, 33)]), new Uint8Array(65)]) {
      expect(isValidPublicKey(key)).toBe(false)
      expect(verifySignature(digest, compact, recovery, key)).toBe(false)
    }
  })

  it('a recovery id of 2 or 3 (x = r + n) recovers as noble does, for the small r where that point exists', () => {
    const next = rng(3)
    let found = 0
    for (let i = 0; i < 64; i++) {
      const r = BigInt(Math.floor(next() * 2 ** 50)) + 1n
      const s = BigInt(Math.floor(next() * 2 ** 50)) + 1n
      const digest = random32()
      for (const id of [2, 3]) {
        let ours: string | undefined
        try {
          ours = hex(recoverPublicKey(digest, compactOf(r, s), id))
          found++
        } catch {
          ours = undefined
        }
        expect(ours).toBe(referenceRecover(digest, compactOf(r, s), id))
        if (ours) expect(verifySignature(digest, compactOf(r, s), id, Uint8Array.from(Buffer.from(ours, 'hex')))).toBe(true)
      }
    }
    expect(found).toBeGreaterThan(10)
  })
})
