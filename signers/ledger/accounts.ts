import { discoverAccounts, hexToBytes, InvalidInputError, validTimeoutMs, type AccountDiscoveryRequest, type DiscoveredAccount } from '../../src/adapter/index.js'
import { LedgerJsLink, type LedgerEthLink } from './ethLink.js'
import { DEFAULT_EXCHANGE_TIMEOUT_MS, LedgerConnection, type Transport } from './ledgerConnection.js'

export type { DiscoveredAccount } from '../../src/adapter/index.js'

export type DiscoverLedgerAccountsOptions = AccountDiscoveryRequest & {
  /** Bound on each device exchange (default 20 s). */
  exchangeTimeoutMs?: number
  signal?: AbortSignal
}

/** Where discovery reads from: a signer (either stack), its link, a LedgerJS connection, or a bare transport. */
export type LedgerAccountSource = { readonly link: LedgerEthLink } | LedgerEthLink | LedgerConnection | Transport

function linkOf(device: LedgerAccountSource): LedgerEthLink {
  if (device instanceof LedgerConnection) return LedgerJsLink.of(device)
  if ('link' in device && typeof device.link === 'object') return device.link
  if ('stack' in device && 'getAddress' in device) return device
  return new LedgerJsLink(new LedgerConnection({ transport: device as Transport }))
}

/**
 * Lists the accounts of one scheme with where each came from, over either stack (queued and bounded
 * like a signer's requests). BIP-44 and legacy share a parent key, so one device call (the extended
 * public key) yields them all; Ledger Live needs one call per account.
 */
export async function discoverLedgerAccounts(device: LedgerAccountSource, options: DiscoverLedgerAccountsOptions = {}): Promise<DiscoveredAccount[]> {
  const timeoutMs = validTimeoutMs(options.exchangeTimeoutMs, 'exchangeTimeoutMs', DEFAULT_EXCHANGE_TIMEOUT_MS)
  const link = linkOf(device)
  const getAddress = (path: string, chainCode = false) => link.getAddress(path, { chainCode }, { timeoutMs, what: 'GET ADDRESS', signal: options.signal })
  return discoverAccounts(options, {
    address: async (path) => (await getAddress(path)).address,
    extendedPublicKey: async (path) => {
      const { publicKey, chainCode } = await getAddress(path, true)
      if (!chainCode) throw new InvalidInputError('The Ledger returned no chain code for the extended public key.')
      return { publicKey: hexToBytes(publicKey, 'public key'), chainCode: hexToBytes(chainCode, 'chain code') }
    },
  })
}
