// One cold start, run by bench/ledger.ts in a fresh Node process:
//
//   node --import tsx bench/ledger-cold.ts --transport=memory|tcp
//
// Nothing here loads @ledgerhq/hw-app-eth before the timed calls (LedgerSigner imports it lazily, on
// its first device interaction), so LedgerSigner.open → first APDU includes loading it, as in an
// app's first use. Then the first signPersonalMessage of the process is timed. Prints one line:
// `RESULT {json}`. The parent checks `hwAppEthLoadedBeforeOpen` is false.
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { LedgerSigner, openLedgerSpeculos, type Transport } from '../signers/ledger/index.js'
import { createEmulatorTransport, LedgerEmulator, startSpeculosServer, TEST_MNEMONIC } from '../signers/ledger/emulator/index.js'
import { probeFirstApdu, SIGN_TEXT } from './firstApdu.js'

export type ColdResult = {
  transport: 'memory' | 'tcp'
  /** performance.now() when this script's body starts: Node, tsx and our modules loaded. */
  processReadyMs: number
  /** tcp only: openLedgerSpeculos (loads hw-transport-node-speculos, connects). */
  transportOpenMs?: number
  hwAppEthLoadedBeforeOpen: boolean
  hwAppEthLoadedAfterOpen: boolean
  openToFirstApduMs: number
  openMs: number
  signToFirstApduMs: number
  signMs: number
}

const processReadyMs = performance.now()
const require = createRequire(import.meta.url)
const hwAppEthLoaded = () => Object.keys(require.cache).some((file) => file.includes('@ledgerhq/hw-app-eth/'))

const kind = process.argv.find((arg) => arg.startsWith('--transport='))?.slice('--transport='.length)
if (kind !== 'memory' && kind !== 'tcp') throw new Error('usage: ledger-cold.ts --transport=memory|tcp')

const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
const probe = probeFirstApdu(emulator)
const server = kind === 'tcp' ? await startSpeculosServer(emulator) : undefined
let transport: Transport
let transportOpenMs: number | undefined
if (server) {
  const t = performance.now()
  transport = await openLedgerSpeculos(server.url)
  transportOpenMs = performance.now() - t
} else {
  transport = createEmulatorTransport(emulator)
}

const hwAppEthLoadedBeforeOpen = hwAppEthLoaded()
probe.start()
let t = performance.now()
const signer = await LedgerSigner.open({ transport })
const openMs = performance.now() - t
const openToFirstApduMs = probe.elapsed()
const hwAppEthLoadedAfterOpen = hwAppEthLoaded()

probe.start()
t = performance.now()
await signer.signPersonalMessage(SIGN_TEXT)
const signMs = performance.now() - t
const signToFirstApduMs = probe.elapsed()

await signer.close()
await server?.close()

const result: ColdResult = {
  transport: kind,
  processReadyMs,
  ...(transportOpenMs !== undefined ? { transportOpenMs } : {}),
  hwAppEthLoadedBeforeOpen,
  hwAppEthLoadedAfterOpen,
  openToFirstApduMs,
  openMs,
  signToFirstApduMs,
  signMs,
}
console.log(`RESULT ${JSON.stringify(result)}`)
