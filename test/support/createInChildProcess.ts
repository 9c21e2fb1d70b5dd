// Run by fileKeyStore*.test.ts and killAtRandom.test.ts in other processes: one engine operation on a shared store.
// argv: directory startAt [operation] [accountIndex] [lockTimeoutMs]. Prints `ready` on stderr once loaded, the result as JSON on stdout.
import { FileKeyStore } from '../../stores/fileKeyStore.js'
import { createIdentity, rotatePreKey, toHex, unlockIdentity, unlockOrCreateIdentity, type StoredIdentity } from '../../src/index.js'
import { LocalSigner } from '../../signers/local/index.js'
import { TEST_MNEMONIC } from '../../src/adapter/index.js'

type Operation = 'unlockOrCreate' | 'create' | 'unlock' | 'rotate' | 'rotate-loop'

const [directory, startAt, operation = 'unlockOrCreate', accountIndex = '0', lockTimeoutMs] = process.argv.slice(2) as [string, string, Operation?, string?, string?]
const signer = LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: `m/44'/60'/0'/0/${Number(accountIndex)}` })
const store = new FileKeyStore(directory, { lockPollMs: 5, ...(lockTimeoutMs ? { lockTimeoutMs: Number(lockTimeoutMs) } : {}) })
const wait = Number(startAt) - Date.now()
if (wait > 0) await new Promise((r) => setTimeout(r, wait))
process.stderr.write('ready\n')

const run = (op: Exclude<Operation, 'rotate-loop'>): Promise<StoredIdentity> =>
  op === 'create'
    ? createIdentity(signer, store)
    : op === 'unlock'
      ? unlockIdentity(signer, store)
      : op === 'rotate'
        ? rotatePreKey(signer, store)
        : unlockOrCreateIdentity(signer, store)

if (operation === 'rotate-loop') {
  // Rotates until killed: the parent picks the moment.
  for (;;) await rotatePreKey(signer, store)
}
const result = await run(operation)
process.stdout.write(JSON.stringify({ created: result.created, identityPublicKey: toHex(result.identity.identityPublicKey) }))
