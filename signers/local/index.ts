export { LocalSigner, DEFAULT_DERIVATION_PATH } from './localSigner.js'
