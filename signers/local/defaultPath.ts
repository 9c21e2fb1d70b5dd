import { derivationPath } from '../../src/derivationPaths.js'

/** MetaMask's and most wallets' first account: BIP-44, account 0, address index 0. */
export const DEFAULT_DERIVATION_PATH = derivationPath('bip44', 0)
