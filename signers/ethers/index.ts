// xmtp-signers/ethers: ethers v6 both ways. ethers is an optional peer dependency, loaded only when used.
export { EthersAccountSigner, fromEthersSigner, toEthersSigner, type XmtpEthersSigner } from './ethersSigner.js'
export { toEthersError } from './errors.js'
