/** The Ledger adapter against the kit's Signer contract, through the emulator and the real hw-app-eth. */
import { describe, expect, it } from 'vitest'
import { checkSignerConformance } from '../src/adapter/conformance.js'
import { LedgerSigner, openLedgerSpeculos } from '../signers/ledger/index.js'
import { createEmulatorTransport, LedgerEmulator, startSpeculosServer } from '../signers/ledger/emulator/index.js'

const OPTIONS = { requestTimeoutMs: 10_000 }

describe('LedgerSigner conformance', () => {
  it('keeps the Signer contract in process, for today\'s app and for an old hashed-only one', async () => {
    for (const eip712Full of [true, false]) {
      // An app without full EIP-712 (before 1.9.19) signs the hashes instead.
      const emulator = new LedgerEmulator(eip712Full ? {} : { eip712Full: false, appVersion: '1.9.18' })
      const report = await checkSignerConformance(() => LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator) }), OPTIONS)
      expect(report, JSON.stringify(report.failures, null, 2)).toEqual({ ok: true, failures: [] })
    }
  })

  it('keeps it over Speculos TCP, and with a bare transport that cannot be reopened', async () => {
    const emulator = new LedgerEmulator()
    const server = await startSpeculosServer(emulator)
    try {
      const overTcp = await checkSignerConformance(() => LedgerSigner.open({ openTransport: () => openLedgerSpeculos(server.url) }), OPTIONS)
      expect(overTcp, JSON.stringify(overTcp.failures, null, 2)).toEqual({ ok: true, failures: [] })
    } finally {
      await server.close()
    }
    const bare = await checkSignerConformance(() => LedgerSigner.open({ transport: createEmulatorTransport(emulator) }), OPTIONS)
    expect(bare, JSON.stringify(bare.failures, null, 2)).toEqual({ ok: true, failures: [] })
  })
})
