// The Ledger device emulator: the Ethereum app's APDU protocol in memory, for tests and users' CI.
export {
  LedgerEmulator,
  TEST_MNEMONIC,
  DEFAULT_APP_VERSION,
  DASHBOARD_APP_NAME,
  DASHBOARD_OS_VERSION,
  type DeviceScreen,
  type UserDecision,
  type LedgerFault,
  type LedgerEmulatorOptions,
} from './emulator.js'
export { createEmulatorTransport, type Transport } from './transport.js'
export { startSpeculosServer, type SpeculosServer } from './speculosServer.js'
export { STATUS_WORDS, type StatusWord } from './statusWords.js'
export { renderPersonalMessage } from './display.js'
export { parsePathString, formatPath } from './paths.js'
