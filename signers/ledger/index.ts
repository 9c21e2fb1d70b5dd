// xmtp-signers/ledger: a Ledger account through the Ethereum app, over Ledger's Device Management Kit
// (the default: USB, WebHID, Speculos) or LedgerJS (hw-app-eth over a @ledgerhq/hw-transport the app holds).
export { LedgerSigner, MINIMUM_ETH_APP_VERSION, type LedgerSignerOptions, type LedgerDeviceAction } from './ledgerSigner.js'
export { LedgerConnection, type LedgerConnectionOptions, type Transport } from './ledgerConnection.js'
export { LedgerJsLink, type LedgerEthLink, type LedgerStack, type LinkRequest, type EthAddress, type EthSignature } from './ethLink.js'
export { DmkLink, DEFAULT_DISCOVERY_TIMEOUT_MS, type DmkChoice, type DmkLinkOptions } from './dmkLink.js'
export { offlineContextModule } from './contextModule.js'
export { LEDGER_STATUS_WORDS, toLedgerError, dmkErrorToLedgerError, statusWordHex } from './errors.js'
export { APDU, CLA, STATUS_WORDS, renderPersonalMessage, type StatusWord } from './protocol.js'
export { openLedgerTransport, openLedgerNodeHid, openLedgerWebHid, openLedgerSpeculos } from './transports.js'
export { discoverLedgerAccounts, type DiscoveredAccount, type DiscoverLedgerAccountsOptions, type LedgerAccountSource } from './accounts.js'
export { derivationPath, DERIVATION_SCHEMES, describeDerivationPath, type DerivationScheme } from '../../src/adapter/index.js'
