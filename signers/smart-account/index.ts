export { SmartAccountSigner, type SmartAccountSignerOptions } from './smartAccountSigner.js'
export { verifyBundleOnChain, verifyXmtpV3SmartAccountSignature, type OnChainOptions } from './verifyOnChain.js'
export { SCHEMES, wrapErc6492, type SchemeName } from './schemes/index.js'
