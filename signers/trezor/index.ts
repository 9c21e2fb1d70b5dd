export { TrezorSigner, type TrezorSignerOptions, type TrezorConnectApi, type TrezorDeviceAction } from './trezorSigner.js'
export { TREZOR_FAILURE_CODES, toTrezorError } from './errors.js'
export { discoverTrezorAccounts } from './accounts.js'
