import { secp256k1 } from '@noble/curves/secp256k1.js'
import { DERIVATION_SCHEMES, derivationPath, type DerivationScheme } from '../derivationPaths.js'
import { InvalidInputError } from '../errors.js'
import { checksumAddress, publicKeyToAddress, type Address } from '../signature.js'

/** An account a wallet derives, with where it came from: path confusion is the top complaint. */
export type DiscoveredAccount = { address: Address; path: string; scheme: DerivationScheme; index: number }

export type AccountDiscoveryRequest = {
  scheme?: DerivationScheme
  /** First account index (default 0). */
  start?: number
  /** How many accounts, 1 to 100 (default 5). */
  count?: number
}

/** What discovery asks of a device: one address, or the extended public key of a parent path. */
export type AccountSource = {
  address(path: string): Promise<string>
  extendedPublicKey(path: string): Promise<{ publicKey: Uint8Array; chainCode: Uint8Array }>
}

// BIP-44 and legacy accounts are children of one parent key; Ledger Live puts each under its own hardened index.
const PARENT_PATHS: Partial<Record<DerivationScheme, string>> = { bip44: "m/44'/60'/0'/0", legacy: "m/44'/60'/0'" }

/** Checks a discovery request before any device call; the defaults are Ledger Live, 0, 5. */
export function discoveryRequest(request: AccountDiscoveryRequest): { scheme: DerivationScheme; indexes: number[] } {
  const scheme = request.scheme ?? 'live'
  const start = request.start ?? 0
  const count = request.count ?? 5
  if (!DERIVATION_SCHEMES[scheme]) throw new InvalidInputError(`Unknown derivation scheme "${scheme}".`, { nextStep: 'Use live, legacy or bip44.' })
  if (!Number.isSafeInteger(count) || count < 1 || count > 100) throw new InvalidInputError('`count` is a number from 1 to 100.')
  if (!Number.isSafeInteger(start) || start < 0) throw new InvalidInputError('`start` is a whole number, 0 or more.')
  return { scheme, indexes: Array.from({ length: count }, (_, i) => start + i) }
}

/**
 * Lists the accounts of one scheme: one device call for the parent's extended public key where the
 * scheme has one (children derived here), else one address call per account.
 */
export async function discoverAccounts(request: AccountDiscoveryRequest, source: AccountSource): Promise<DiscoveredAccount[]> {
  const { scheme, indexes } = discoveryRequest(request)
  const parentPath = PARENT_PATHS[scheme]
  if (!parentPath) {
    const accounts: DiscoveredAccount[] = []
    for (const index of indexes) {
      const path = derivationPath(scheme, index)
      accounts.push({ address: checksumAddress(await source.address(path)), path, scheme, index })
    }
    return accounts
  }
  const { publicKey, chainCode } = await source.extendedPublicKey(parentPath)
  // Loaded here, not with the kit: only BIP-44 / legacy discovery derives child keys.
  const { HDKey } = await import('@scure/bip32')
  // HDKey takes the compressed form; devices answer either.
  const parent = new HDKey({ publicKey: secp256k1.Point.fromBytes(publicKey).toBytes(true), chainCode })
  return indexes.map((index) => {
    const child = secp256k1.Point.fromBytes(parent.deriveChild(index).publicKey!).toBytes(false)
    return { address: publicKeyToAddress(child), path: derivationPath(scheme, index), scheme, index }
  })
}
