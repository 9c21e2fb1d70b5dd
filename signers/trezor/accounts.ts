import { secp256k1 } from '@noble/curves/secp256k1.js'
import { HDKey } from '@scure/bip32'
import { hexToBytes } from '../../src/bytes.js'
import { DERIVATION_SCHEMES, derivationPath, type DerivationScheme } from '../../src/derivationPaths.js'
import { InvalidInputError } from '../../src/errors.js'
import { checksumAddress, publicKeyToAddress, type Address } from '../../src/signature.js'
import { TrezorSigner } from './trezorSigner.js'

export type DiscoveredAccount = { address: Address; path: string; scheme: DerivationScheme; index: number }

/**
 * Lists a Trezor's accounts of one scheme with where each came from: BIP-44 and legacy from one
 * extended public key, Ledger Live-style accounts one address request each.
 */
export async function discoverTrezorAccounts(signer: TrezorSigner, options: { scheme?: DerivationScheme; start?: number; count?: number } = {}): Promise<DiscoveredAccount[]> {
  const scheme = options.scheme ?? 'live'
  const start = options.start ?? 0
  const count = options.count ?? 5
  if (!DERIVATION_SCHEMES[scheme]) throw new InvalidInputError(`Unknown derivation scheme "${scheme}".`, { nextStep: 'Use live, legacy or bip44.' })
  if (!Number.isSafeInteger(count) || count < 1 || count > 100) throw new InvalidInputError('--count is a number from 1 to 100.')
  const session = await TrezorSigner.sessionOf(signer)
  const indexes = Array.from({ length: count }, (_, i) => start + i)
  if (scheme === 'live') {
    const accounts: DiscoveredAccount[] = []
    for (const index of indexes) {
      const path = derivationPath(scheme, index)
      const { address } = await session.call('GET ADDRESS', () => session.connect.ethereumGetAddress({ path, showOnTrezor: false, ...session.passphraseParams }), 30_000)
      accounts.push({ address: checksumAddress(address), path, scheme, index })
    }
    return accounts
  }
  const parentPath = scheme === 'bip44' ? "m/44'/60'/0'/0" : "m/44'/60'/0'"
  const { publicKey, chainCode } = await session.call(
    'GET PUBLIC KEY',
    () => session.connect.ethereumGetPublicKey({ path: parentPath, showOnTrezor: false, ...session.passphraseParams }),
    30_000,
  )
  const parent = new HDKey({ publicKey: hexToBytes(publicKey, 'public key'), chainCode: hexToBytes(chainCode, 'chain code') })
  return indexes.map((index) => {
    const child = secp256k1.Point.fromBytes(parent.deriveChild(index).publicKey!).toBytes(false)
    return { address: publicKeyToAddress(child), path: derivationPath(scheme, index), scheme, index }
  })
}
