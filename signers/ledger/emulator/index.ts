// The Ledger device emulator: the Ethereum app's APDU protocol in memory, for tests and users' CI.
import { formatDerivationPath, parseDerivationPath } from '../../../src/adapter/index.js'

export {
  LedgerEmulator,
  TEST_MNEMONIC,
  DEFAULT_APP_VERSION,
  DASHBOARD_APP_NAME,
  DASHBOARD_OS_VERSION,
  ETHEREUM_APP_NAME,
  HASHED_EIP712_REMOVED_IN,
  type DeviceScreen,
  type UserDecision,
  type LedgerFault,
  type LedgerEmulatorOptions,
} from './emulator.js'
export { describeScreen, type EmulatorScreen } from '../../shared/emulatorScreens.js'
export { createEmulatorTransport, type Transport } from './transport.js'
export { startSpeculosServer, type SpeculosServer } from './speculosServer.js'
export { startSpeculosHttpServer, screenTexts, type SpeculosHttpServer, type SpeculosEvent } from './speculosHttpServer.js'
export { APDU, STATUS_WORDS, renderPersonalMessage, type StatusWord } from '../protocol.js'

/** @deprecated The kit's `parseDerivationPath` (xmtp-signers/adapter): the one path parser. */
export const parsePathString: (path: string) => number[] = parseDerivationPath
/** @deprecated The kit's `formatDerivationPath` (xmtp-signers/adapter). */
export const formatPath: (indexes: readonly number[]) => string = formatDerivationPath
