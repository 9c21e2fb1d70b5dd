import { ripemd160 } from '@noble/hashes/legacy.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { concatBytes } from '../../../src/adapter/index.js'

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

function base58(bytes: Uint8Array): string {
  let n = 0n
  for (const b of bytes) n = (n << 8n) | BigInt(b)
  let out = ''
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)]! + out
    n /= 58n
  }
  for (const b of bytes) {
    if (b !== 0) break
    out = '1' + out
  }
  return out
}

/** Base58Check of `version || payload` (Bitcoin addresses, extended keys). */
export function base58check(version: Uint8Array, payload: Uint8Array): string {
  const body = concatBytes(version, payload)
  return base58(concatBytes(body, sha256(sha256(body)).subarray(0, 4)))
}

/** P2PKH version bytes of the coins GetAddress answers for (connect asks Testnet for its session check). */
export const P2PKH_VERSION: Readonly<Record<string, number>> = { Bitcoin: 0x00, Testnet: 0x6f, Regtest: 0x6f }

/** A legacy (SPENDADDRESS) address of a compressed public key. */
export function p2pkhAddress(compressedPublicKey: Uint8Array, version: number): string {
  return base58check(Uint8Array.of(version), ripemd160(sha256(compressedPublicKey)))
}
