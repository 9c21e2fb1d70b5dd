export { InjectedSigner, type InjectedSignerOptions } from './injectedSigner.js'
export { discoverInjectedWallets, httpProvider, type Eip1193Provider, type InjectedWallet } from './providers.js'
export { PROVIDER_ERROR_CODES, toProviderError } from './errors.js'
