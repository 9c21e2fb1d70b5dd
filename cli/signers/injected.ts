import { UsageError } from '../usageError.js'
import type { CliSigner } from './types.js'

export const injectedSigner: CliSigner = {
  kind: 'injected',
  wallet: 'wallet',
  flags: { rpc: { type: 'string' }, account: { type: 'string' } },
  usage: ['  --signer injected --rpc URL [--account 0x…]', "                                  an EIP-1193 wallet's JSON-RPC over HTTP (desktop wallets, dev nodes)"].join('\n'),
  canOwn: true,
  open: async (flags) => {
    if (!flags.rpc) throw new UsageError('--signer injected needs --rpc URL: a wallet’s (or a dev node’s) JSON-RPC over HTTP.')
    const { InjectedSigner, httpProvider } = await import('../../signers/injected/index.js')
    const signer = await InjectedSigner.open({
      provider: httpProvider(flags.rpc),
      requestAccounts: false,
      ...(flags.account ? { account: flags.account } : {}),
    })
    return { signer, description: `wallet JSON-RPC at ${flags.rpc} (chain ${signer.chainId})` }
  },
}
