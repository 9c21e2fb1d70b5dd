import { InvalidInputError } from './errors.js'

/**
 * The three Ethereum derivation schemes wallets use. Path confusion between them is a top complaint,
 * so every address a signer reports carries the scheme and index it came from.
 */
export type DerivationScheme = 'live' | 'legacy' | 'bip44'

type SchemeEntry = { describe: string; path: (index: number) => string; match: RegExp }

export const DERIVATION_SCHEMES: Readonly<Record<DerivationScheme, SchemeEntry>> = {
  // Ledger Live: one account per hardened account index.
  live: { describe: "Ledger Live (m/44'/60'/N'/0/0)", path: (i) => `m/44'/60'/${i}'/0/0`, match: /^m\/44'\/60'\/(\d+)'\/0\/0$/ },
  // MyEtherWallet / MyCrypto "Ledger (legacy)".
  legacy: { describe: "legacy MEW/MyCrypto (m/44'/60'/0'/N)", path: (i) => `m/44'/60'/0'/${i}`, match: /^m\/44'\/60'\/0'\/(\d+)$/ },
  // MetaMask and most software wallets.
  bip44: { describe: "BIP-44 standard (m/44'/60'/0'/0/N)", path: (i) => `m/44'/60'/0'/0/${i}`, match: /^m\/44'\/60'\/0'\/0\/(\d+)$/ },
}

const HARDENED = 0x80000000

export function derivationPath(scheme: DerivationScheme, index: number): string {
  const entry = DERIVATION_SCHEMES[scheme]
  if (!entry) throw new InvalidInputError(`Unknown derivation scheme "${scheme}".`, { nextStep: 'Use live, legacy or bip44.' })
  if (!Number.isSafeInteger(index) || index < 0 || index >= HARDENED) {
    throw new InvalidInputError(`An account index is a whole number from 0 to ${HARDENED - 1}; got ${index}.`)
  }
  return entry.path(index)
}

/** `m/44'/60'/0'/0/0` (or without `m/`, `h` for hardened) → u32 indexes with the hardened bit set. */
export function parseDerivationPath(path: string): number[] {
  const parts = path.trim().replace(/^m\//, '').split('/')
  const fail = (why: string): never => {
    throw new InvalidInputError('The derivation path is not valid.', { details: `${path}: ${why}`, nextStep: "Write it like m/44'/60'/0'/0/0." })
  }
  if (parts.length === 0 || parts.length > 10 || parts[0] === '') fail('expected 1 to 10 levels')
  return parts.map((part) => {
    const match = /^(\d+)(['hH]?)$/.exec(part)
    if (!match) return fail(`"${part}" is not a number with an optional '`)
    const index = Number(match[1])
    if (index >= HARDENED) fail(`${index} is too large`)
    return match[2] ? index + HARDENED : index
  })
}

export function formatDerivationPath(indexes: readonly number[]): string {
  return `m/${indexes.map((i) => (i >= HARDENED ? `${i - HARDENED}'` : `${i}`)).join('/')}`
}

/** Which scheme and index a path belongs to, if any (index 0 of live and bip44 is the same path). */
export function describeDerivationPath(path: string): { scheme: DerivationScheme; index: number }[] {
  const normalized = formatDerivationPath(parseDerivationPath(path))
  return (Object.entries(DERIVATION_SCHEMES) as [DerivationScheme, SchemeEntry][]).flatMap(([scheme, entry]) => {
    const match = entry.match.exec(normalized)
    return match ? [{ scheme, index: Number(match[1]) }] : []
  })
}
