// The key store test page's script: the IndexedDB store and the engine, as a web app bundles them.
import { isXmtpSignersError, storageTopic, toHex, unlockOrCreateIdentity } from '../../../src/index.js'
import { IndexedDbKeyStore } from '../../../stores/indexedDbKeyStore.js'
import { LocalSigner } from '../../../signers/local/index.js'

const api = { IndexedDbKeyStore, LocalSigner, unlockOrCreateIdentity, storageTopic, toHex, isXmtpSignersError }
export type StoreHarness = typeof api
;(window as Window & { xmtpTest?: StoreHarness }).xmtpTest = api
document.body.dataset.ready = 'true'
