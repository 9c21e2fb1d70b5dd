import { discoverAccounts, hexToBytes, InvalidInputError, validTimeoutMs, type AccountDiscoveryRequest, type DiscoveredAccount } from '../../src/adapter/index.js'
import { DEFAULT_EXCHANGE_TIMEOUT_MS, LedgerConnection, ledgerPath, type Transport } from './ledgerConnection.js'

export type { DiscoveredAccount } from '../../src/adapter/index.js'

export type DiscoverLedgerAccountsOptions = AccountDiscoveryRequest & {
  /** Bound on each device exchange (default 20 s). */
  exchangeTimeoutMs?: number
  signal?: AbortSignal
}

/**
 * Lists the accounts of one scheme with where each came from, over a `LedgerConnection` (queued and
 * bounded like a signer's requests) or a bare transport. BIP-44 and legacy share a parent key, so one
 * device call (the extended public key) yields them all; Ledger Live needs one call per account.
 */
export async function discoverLedgerAccounts(device: LedgerConnection | Transport, options: DiscoverLedgerAccountsOptions = {}): Promise<DiscoveredAccount[]> {
  const timeoutMs = validTimeoutMs(options.exchangeTimeoutMs, 'exchangeTimeoutMs', DEFAULT_EXCHANGE_TIMEOUT_MS)
  const connection = device instanceof LedgerConnection ? device : new LedgerConnection({ transport: device })
  const getAddress = (path: string, chainCode = false) =>
    connection.run((eth) => eth.getAddress(ledgerPath(path), false, chainCode), { timeoutMs, what: 'GET ADDRESS', signal: options.signal })
  return discoverAccounts(options, {
    address: async (path) => (await getAddress(path)).address,
    extendedPublicKey: async (path) => {
      const { publicKey, chainCode } = await getAddress(path, true)
      if (!chainCode) throw new InvalidInputError('The Ledger returned no chain code for the extended public key.')
      return { publicKey: hexToBytes(publicKey, 'public key'), chainCode: hexToBytes(chainCode, 'chain code') }
    },
  })
}
