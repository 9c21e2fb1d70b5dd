import { secp256k1 } from '@noble/curves/secp256k1.js'
import { HDKey } from '@scure/bip32'
import { hexToBytes } from '../../src/bytes.js'
import { DERIVATION_SCHEMES, derivationPath, type DerivationScheme } from '../../src/derivationPaths.js'
import { InvalidInputError } from '../../src/errors.js'
import { checksumAddress, publicKeyToAddress, type Address } from '../../src/signature.js'
import { toLedgerError } from './errors.js'
import { createEthApp, ledgerPath, type Transport } from './ledgerSigner.js'

export type DiscoveredAccount = { address: Address; path: string; scheme: DerivationScheme; index: number }

/**
 * Lists the accounts of one scheme with where each came from. BIP-44 and legacy share a parent key,
 * so one device call (the extended public key) yields them all; Ledger Live puts each account under
 * its own hardened index and needs one call per account.
 */
export async function discoverLedgerAccounts(
  transport: Transport,
  options: { scheme?: DerivationScheme; start?: number; count?: number } = {},
): Promise<DiscoveredAccount[]> {
  const scheme = options.scheme ?? 'live'
  const start = options.start ?? 0
  const count = options.count ?? 5
  if (!DERIVATION_SCHEMES[scheme]) throw new InvalidInputError(`Unknown derivation scheme "${scheme}".`, { nextStep: 'Use live, legacy or bip44.' })
  if (!Number.isSafeInteger(count) || count < 1 || count > 100) throw new InvalidInputError('--count is a number from 1 to 100.')
  const eth = await createEthApp(transport)
  const indexes = Array.from({ length: count }, (_, i) => start + i)
  try {
    if (scheme === 'live') {
      const accounts: DiscoveredAccount[] = []
      for (const index of indexes) {
        const path = derivationPath(scheme, index)
        const { address } = await eth.getAddress(ledgerPath(path))
        accounts.push({ address: checksumAddress(address), path, scheme, index })
      }
      return accounts
    }
    const parentPath = scheme === 'bip44' ? "m/44'/60'/0'/0" : "m/44'/60'/0'"
    const { publicKey, chainCode } = await eth.getAddress(ledgerPath(parentPath), false, true)
    if (!chainCode) throw new InvalidInputError('The Ledger returned no chain code for the extended public key.')
    const compressed = secp256k1.Point.fromBytes(hexToBytes(publicKey, 'public key')).toBytes(true)
    const parent = new HDKey({ publicKey: compressed, chainCode: hexToBytes(chainCode, 'chain code') })
    return indexes.map((index) => {
      const child = secp256k1.Point.fromBytes(parent.deriveChild(index).publicKey!).toBytes(false)
      return { address: publicKeyToAddress(child), path: derivationPath(scheme, index), scheme, index }
    })
  } catch (error) {
    throw toLedgerError(error)
  }
}
