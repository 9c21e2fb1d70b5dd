import { secp256k1 } from '@noble/curves/secp256k1.js'
import { HDKey } from '@scure/bip32'
import { checksumAddress, DERIVATION_SCHEMES, derivationPath, hexToBytes, InvalidInputError, publicKeyToAddress, type Address, type DerivationScheme } from '../../src/adapter/index.js'
import { TrezorSession } from './trezorSession.js'
import { TrezorSigner } from './trezorSigner.js'

export type DiscoveredAccount = { address: Address; path: string; scheme: DerivationScheme; index: number }

export type DiscoverTrezorAccountsOptions = {
  scheme?: DerivationScheme
  /** First account index (default 0). */
  start?: number
  /** How many accounts, 1 to 100 (default 5). */
  count?: number
  signal?: AbortSignal
}

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
  const scheme = options.scheme ?? 'live'
  const start = options.start ?? 0
  const count = options.count ?? 5
  if (!DERIVATION_SCHEMES[scheme]) throw new InvalidInputError(`Unknown derivation scheme "${scheme}".`, { nextStep: 'Use live, legacy or bip44.' })
  if (!Number.isSafeInteger(count) || count < 1 || count > 100) throw new InvalidInputError('`count` is a number from 1 to 100.')
  if (!Number.isSafeInteger(start) || start < 0) throw new InvalidInputError('`start` is a whole number, 0 or more.')
  const { signal } = options
  const session = source instanceof TrezorSigner ? await source.session({ signal }) : source
  const indexes = Array.from({ length: count }, (_, i) => start + i)
  if (scheme === 'live') {
    const accounts: DiscoveredAccount[] = []
    for (const index of indexes) {
      const path = derivationPath(scheme, index)
      const { address } = await session.call(
        'GET ADDRESS',
        () => session.connect.ethereumGetAddress({ path, showOnTrezor: false, ...session.passphraseParams }),
        DISCOVERY_CALL_TIMEOUT_MS,
        signal,
      )
      accounts.push({ address: checksumAddress(address), path, scheme, index })
    }
    return accounts
  }
  const parentPath = scheme === 'bip44' ? "m/44'/60'/0'/0" : "m/44'/60'/0'"
  const { publicKey, chainCode } = await session.call(
    'GET PUBLIC KEY',
    () => session.connect.ethereumGetPublicKey({ path: parentPath, showOnTrezor: false, ...session.passphraseParams }),
    DISCOVERY_CALL_TIMEOUT_MS,
    signal,
  )
  const parent = new HDKey({ publicKey: hexToBytes(publicKey, 'public key'), chainCode: hexToBytes(chainCode, 'chain code') })
  return indexes.map((index) => {
    const child = secp256k1.Point.fromBytes(parent.deriveChild(index).publicKey!).toBytes(false)
    return { address: publicKeyToAddress(child), path: derivationPath(scheme, index), scheme, index }
  })
}
