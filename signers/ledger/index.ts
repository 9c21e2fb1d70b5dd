// xmtp-signers/ledger: a Ledger account through the Ethereum app, over any @ledgerhq/hw-transport.
export { LedgerSigner, MINIMUM_ETH_APP_VERSION, type LedgerSignerOptions, type LedgerDeviceAction } from './ledgerSigner.js'
export { LedgerConnection, type LedgerConnectionOptions, type Transport } from './ledgerConnection.js'
export { LEDGER_STATUS_WORDS, toLedgerError, statusWordHex } from './errors.js'
export { APDU, CLA, STATUS_WORDS, renderPersonalMessage, type StatusWord } from './protocol.js'
export { openLedgerTransport, openLedgerNodeHid, openLedgerWebHid, openLedgerSpeculos } from './transports.js'
export { discoverLedgerAccounts, type DiscoveredAccount, type DiscoverLedgerAccountsOptions } from './accounts.js'
export { derivationPath, DERIVATION_SCHEMES, describeDerivationPath, type DerivationScheme } from '../../src/adapter/index.js'
