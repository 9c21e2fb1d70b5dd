// Times "call → first APDU at the device": wraps one emulator's `exchange` (the point where an APDU
// reaches the device, in process or behind the Speculos TCP server) and notes when the first one
// after `start()` arrives. Shared by bench/ledger.ts and the fresh-process bench/ledger-cold.ts.
import { performance } from 'node:perf_hooks'
import { enableIdentityText } from '../src/index.js'
import type { LedgerEmulator } from '../signers/ledger/emulator/index.js'

/** What the timed signPersonalMessage calls sign: the storage request's text, as unlockIdentity sends it. */
export const SIGN_TEXT = enableIdentityText(new Uint8Array(32).fill(7))

export type FirstApduProbe = {
  /** Call immediately before the call being timed. */
  start(): void
  /** Milliseconds from `start()` to the first APDU the device received after it. */
  elapsed(): number
}

export function probeFirstApdu(emulator: LedgerEmulator): FirstApduProbe {
  let startedAt: number | undefined
  let firstAt: number | undefined
  const exchange = emulator.exchange.bind(emulator)
  emulator.exchange = (apdu: Uint8Array) => {
    if (startedAt !== undefined && firstAt === undefined) firstAt = performance.now()
    return exchange(apdu)
  }
  return {
    start() {
      firstAt = undefined
      startedAt = performance.now()
    },
    elapsed() {
      if (startedAt === undefined || firstAt === undefined) throw new Error('no APDU reached the device since start()')
      return firstAt - startedAt
    },
  }
}
