import { secp256k1 } from '@noble/curves/secp256k1.js'
import { HDKey } from '@scure/bip32'
import {
  checksumAddress,
  DERIVATION_SCHEMES,
  derivationPath,
  hexToBytes,
  InvalidInputError,
  publicKeyToAddress,
  validTimeoutMs,
  type Address,
  type DerivationScheme,
} from '../../src/adapter/index.js'
import { DEFAULT_EXCHANGE_TIMEOUT_MS, LedgerConnection, ledgerPath, type Transport } from './ledgerConnection.js'

export type DiscoveredAccount = { address: Address; path: string; scheme: DerivationScheme; index: number }

export type DiscoverLedgerAccountsOptions = {
  scheme?: DerivationScheme
  /** First account index (default 0). */
  start?: number
  /** How many accounts, 1 to 100 (default 5). */
  count?: number
  /** Bound on each device exchange (default 20 s). */
  exchangeTimeoutMs?: number
  signal?: AbortSignal
}

/**
 * Lists the accounts of one scheme with where each came from, over a `LedgerConnection` (queued and
 * bounded like a signer's requests) or a bare transport. BIP-44 and legacy share a parent key, so one
 * device call (the extended public key) yields them all; Ledger Live puts each account under its own
 * hardened index and needs one call per account.
 */
export async function discoverLedgerAccounts(device: LedgerConnection | Transport, options: DiscoverLedgerAccountsOptions = {}): Promise<DiscoveredAccount[]> {
  const scheme = options.scheme ?? 'live'
  const start = options.start ?? 0
  const count = options.count ?? 5
  if (!DERIVATION_SCHEMES[scheme]) throw new InvalidInputError(`Unknown derivation scheme "${scheme}".`, { nextStep: 'Use live, legacy or bip44.' })
  if (!Number.isSafeInteger(count) || count < 1 || count > 100) throw new InvalidInputError('`count` is a number from 1 to 100.')
  if (!Number.isSafeInteger(start) || start < 0) throw new InvalidInputError('`start` is a whole number, 0 or more.')
  const timeoutMs = validTimeoutMs(options.exchangeTimeoutMs, 'exchangeTimeoutMs', DEFAULT_EXCHANGE_TIMEOUT_MS)
  const connection = device instanceof LedgerConnection ? device : new LedgerConnection({ transport: device })
  const getAddress = (path: string, chainCode = false) =>
    connection.run((eth) => eth.getAddress(ledgerPath(path), false, chainCode), { timeoutMs, what: 'GET ADDRESS', signal: options.signal })
  const indexes = Array.from({ length: count }, (_, i) => start + i)
  if (scheme === 'live') {
    const accounts: DiscoveredAccount[] = []
    for (const index of indexes) {
      const path = derivationPath(scheme, index)
      const { address } = await getAddress(path)
      accounts.push({ address: checksumAddress(address), path, scheme, index })
    }
    return accounts
  }
  const parentPath = scheme === 'bip44' ? "m/44'/60'/0'/0" : "m/44'/60'/0'"
  const { publicKey, chainCode } = await getAddress(parentPath, true)
  if (!chainCode) throw new InvalidInputError('The Ledger returned no chain code for the extended public key.')
  const compressed = secp256k1.Point.fromBytes(hexToBytes(publicKey, 'public key')).toBytes(true)
  const parent = new HDKey({ publicKey: compressed, chainCode: hexToBytes(chainCode, 'chain code') })
  return indexes.map((index) => {
    const child = secp256k1.Point.fromBytes(parent.deriveChild(index).publicKey!).toBytes(false)
    return { address: publicKeyToAddress(child), path: derivationPath(scheme, index), scheme, index }
  })
}
