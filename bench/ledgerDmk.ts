// The DMK path's share of the Ledger bench: what createIdentity / unlockIdentity cost in APDU traffic
// when the real Device Management Kit (signer-kit-ethereum, the Speculos REST transport) drives our
// emulator, against the same 255-byte minimum as the LedgerJS path, and call → first APDU (warm).
// DMK polls the device (GET APP AND VERSION) around each action: those APDUs are counted apart.
import { performance } from 'node:perf_hooks'
import { createIdentity, MemoryKeyStore, unlockIdentity, type ProgressEvent } from '../src/index.js'
import { LedgerSigner } from '../signers/ledger/index.js'
import { APDU, apduPrefix, MAX_APDU_DATA } from '../signers/ledger/protocol.js'
import { LedgerEmulator, startSpeculosHttpServer, TEST_MNEMONIC } from '../signers/ledger/emulator/index.js'
import { probeFirstApdu, SIGN_TEXT } from './firstApdu.js'
import { fmtMs, fmtRange, median } from './stats.js'

const PATH = "m/44'/60'/0'/0/0"
const SIGN = apduPrefix(APDU.SIGN_PERSONAL_MESSAGE)
const POLL = apduPrefix(APDU.GET_APP_AND_VERSION)

export type DmkTraffic = { signApdus: number; signBytes: number; signData: number[]; pollApdus: number; otherApdus: number; bytes: number }
export type DmkReport = { open: DmkTraffic; create: DmkTraffic; unlock: DmkTraffic; firstApduMs: number[]; signMs: number[]; chunk: number }

function count(pairs: readonly { command: string; response: string }[]): DmkTraffic {
  const signs = pairs.filter((p) => p.command.startsWith(SIGN))
  const polls = pairs.filter((p) => p.command.startsWith(POLL))
  const bytes = (ps: typeof pairs) => ps.reduce((n, p) => n + (p.command.length + p.response.length) / 2, 0)
  return {
    signApdus: signs.length,
    signBytes: bytes(signs),
    signData: signs.map((p) => p.command.length / 2 - 5),
    pollApdus: polls.length,
    otherApdus: pairs.length - signs.length - polls.length,
    bytes: bytes(pairs),
  }
}

export async function runLedgerDmkBench(repeats = { sign: 20, warmup: 3 }): Promise<DmkReport> {
  const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
  const server = await startSpeculosHttpServer(emulator)
  const probe = probeFirstApdu(emulator)
  try {
    const signer = await LedgerSigner.open({ dmk: server.url, path: PATH })
    try {
      const open = count(emulator.transcript.slice())
      const store = new MemoryKeyStore()
      const slice = async (call: () => Promise<unknown>) => {
        const from = emulator.transcript.length
        await call()
        return count(emulator.transcript.slice(from))
      }
      const onProgress = (_: ProgressEvent) => undefined
      const create = await slice(() => createIdentity(signer, store, { onProgress }))
      const unlock = await slice(() => unlockIdentity(signer, store, { onProgress }))
      const firstApduMs: number[] = []
      const signMs: number[] = []
      for (let i = 0; i < repeats.warmup + repeats.sign; i++) {
        probe.start()
        const start = performance.now()
        await signer.signPersonalMessage(SIGN_TEXT)
        if (i < repeats.warmup) continue
        signMs.push(performance.now() - start)
        firstApduMs.push(probe.elapsed())
      }
      return { open, create, unlock, firstApduMs, signMs, chunk: Math.max(...create.signData, ...unlock.signData) }
    } finally {
      await signer.close()
    }
  } finally {
    await server.close()
  }
}

export function ledgerDmkSection(r: DmkReport, sdk: { dmk: string; signerKit: string }): string {
  const row = (label: string, t: DmkTraffic) => `| ${label} | ${t.signApdus}${t.signData.length ? ` (${t.signData.join(' + ')} data bytes)` : ''} | ${t.pollApdus} | ${t.otherApdus} | ${t.bytes} |`
  return `### The Device Management Kit path (the default)

The real \`@ledgerhq/device-management-kit\` ${sdk.dmk} with \`@ledgerhq/device-signer-kit-ethereum\` ${sdk.signerKit} over
\`@ledgerhq/device-transport-kit-speculos\`, against the emulator's Speculos REST API (\`startSpeculosHttpServer\`),
offline context module. DMK sends personal messages in chunks of up to ${MAX_APDU_DATA} data bytes (largest seen:
${r.chunk}): the fewest SIGN PERSONAL MESSAGE APDUs the protocol allows, the minimum column of the table above.
It also asks which app is in front (GET APP AND VERSION) around each action; those are counted apart.

| exchange | SIGN PERSONAL MESSAGE APDUs | GET APP AND VERSION polls | other APDUs | all bytes |
| --- | ---: | ---: | ---: | ---: |
${row('open (session, app check, address)', r.open)}
${row('createIdentity', r.create)}
${row('unlockIdentity', r.unlock)}

Warm call → first APDU for \`signPersonalMessage\` over the REST transport: median ${fmtMs(median(r.firstApduMs))}
(${fmtRange(r.firstApduMs)}); the whole signature ${fmtMs(median(r.signMs))} (${fmtRange(r.signMs)}), ${r.signMs.length} calls.
`
}
