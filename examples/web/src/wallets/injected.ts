import { discoverInjectedWallets, InjectedSigner, type InjectedWallet } from 'xmtp-signers/injected'
import type { ConnectedWallet } from './types.js'

export { discoverInjectedWallets, type InjectedWallet }

/** eth_requestAccounts: the wallet asks the person which account this site may see. */
export async function connectInjected(wallet: InjectedWallet): Promise<ConnectedWallet> {
  const signer = await InjectedSigner.open({ provider: wallet.provider })
  return { signer, label: wallet.info.name, confirmsOn: 'wallet' }
}
