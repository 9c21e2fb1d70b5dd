import { discoverAccounts, discoveryRequest, hexToBytes, type AccountDiscoveryRequest, type DiscoveredAccount } from '../../src/adapter/index.js'
import { TrezorSession } from './trezorSession.js'
import { TrezorSigner } from './trezorSigner.js'

export type { DiscoveredAccount } from '../../src/adapter/index.js'

export type DiscoverTrezorAccountsOptions = AccountDiscoveryRequest & { signal?: AbortSignal }

/** Bound on each discovery call: none needs the person. */
const DISCOVERY_CALL_TIMEOUT_MS = 30_000

/**
 * Lists a Trezor's accounts of one scheme with where each came from: BIP-44 and legacy from one
 * extended public key, Ledger Live-style accounts one address request each. Takes the connection:
 * `await TrezorSession.open({ bridgeUrl })`, or an open signer's `await signer.session()`.
 */
export async function discoverTrezorAccounts(session: TrezorSession, options?: DiscoverTrezorAccountsOptions): Promise<DiscoveredAccount[]>
/** @deprecated Pass the session: `discoverTrezorAccounts(await signer.session(), options)`. */
export async function discoverTrezorAccounts(signer: TrezorSigner, options?: DiscoverTrezorAccountsOptions): Promise<DiscoveredAccount[]>
export async function discoverTrezorAccounts(source: TrezorSession | TrezorSigner, options: DiscoverTrezorAccountsOptions = {}): Promise<DiscoveredAccount[]> {
  discoveryRequest(options) // refused before any device call
  const { signal } = options
  const session = source instanceof TrezorSigner ? await source.session({ signal }) : source
  return discoverAccounts(options, {
    address: async (path) =>
      (
        await session.call(
          'GET ADDRESS',
          () => session.connect.ethereumGetAddress({ path, showOnTrezor: false, ...session.passphraseParams }),
          DISCOVERY_CALL_TIMEOUT_MS,
          signal,
        )
      ).address,
    extendedPublicKey: async (path) => {
      const { publicKey, chainCode } = await session.call(
        'GET PUBLIC KEY',
        () => session.connect.ethereumGetPublicKey({ path, showOnTrezor: false, ...session.passphraseParams }),
        DISCOVERY_CALL_TIMEOUT_MS,
        signal,
      )
      return { publicKey: hexToBytes(publicKey, 'public key'), chainCode: hexToBytes(chainCode, 'chain code') }
    },
  })
}
