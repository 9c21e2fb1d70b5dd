// Run by fileKeyStore.test.ts in several processes at once: retrieve-or-generate on one shared store.
import { FileKeyStore } from '../../src/fileKeyStore.js'
import { toHex, unlockOrCreateIdentity } from '../../src/index.js'
import { LocalSigner } from '../../signers/local/index.js'

const [directory, startAt] = process.argv.slice(2) as [string, string]
const signer = LocalSigner.fromMnemonic('test test test test test test test test test test test junk')
const wait = Number(startAt) - Date.now()
if (wait > 0) await new Promise((r) => setTimeout(r, wait))
const result = await unlockOrCreateIdentity(signer, new FileKeyStore(directory, { lockPollMs: 5 }))
process.stdout.write(JSON.stringify({ created: result.created, identityPublicKey: toHex(result.identity.identityPublicKey) }))
