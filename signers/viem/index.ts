// xmtp-signers/viem: viem accounts and wallet clients as Signers, and our Signers as viem accounts.
export { fromViemAccount, fromViemWalletClient, toViemAccount, isViemAccount, isViemClient, type FromViemWalletClientOptions, type ViemWalletClient } from './viemSigner.js'
export { toViemError } from './errors.js'
