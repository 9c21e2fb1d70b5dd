/**
 * Random device-fault sequences with a fixed seed: each step arms one fault of the emulator's fault set
 * (or an abort, a timeout, a replug, a transport that dies with an untyped error) and runs one
 * operation. Every failure must be a typed XmtpSignersError with a known code — never INTERNAL, never
 * raw — and once the person clears the fault, the first clean retry must sign for the account.
 * Ledger through the real hw-app-eth, Trezor through the real @trezor/connect (one signer for the
 * whole run: TrezorConnect is a process-wide singleton, and state carried between steps is the point).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashTypedData, isXmtpSignersError, normalizeSignature, publicKeyToAddress, recoverPersonalSignAddress } from '../src/index.js'
import { recoverPublicKey } from '../src/signature.js'
import { LedgerSigner, type Transport } from '../signers/ledger/index.js'
import { createEmulatorTransport, LedgerEmulator, TEST_MNEMONIC, type DeviceScreen, type UserDecision } from '../signers/ledger/emulator/index.js'
import { TrezorSigner } from '../signers/trezor/index.js'
import { startTrezorBridge, TrezorEmulator, type TrezorFault, type TrezorScreen } from '../signers/trezor/emulator/index.js'
import { MAIL_TYPED_DATA } from './support/typedData.js'
import { pick, seededRandom as prng } from './support/seededRandom.js'


const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const started = performance.now()
  while (!condition()) {
    if (performance.now() - started > timeoutMs) return false
    await sleep(5)
  }
  return true
}

/** The codes a device fault may end in; anything else (DEVICE_ERROR, INTERNAL, a raw Error) fails the run. */
const DEVICE_FAULT_CODES = new Set([
  'USER_REJECTED',
  'DEVICE_LOCKED',
  'WRONG_APP',
  'DEVICE_MENU_OPEN',
  'SIGNER_BUSY',
  'SIGNER_DISCONNECTED',
  'SIGNER_TIMEOUT',
  'ABORTED',
  'DEVICE_NOT_FOUND',
  'DEVICE_PIN_REQUIRED',
])

type Operation = 'personal-sign' | 'typed-data'
const OPERATIONS: readonly Operation[] = ['personal-sign', 'typed-data']

type Signing = { address: string; signPersonalMessage(text: string, o?: { signal?: AbortSignal }): Promise<Uint8Array>; signTypedData(t: typeof MAIL_TYPED_DATA, o?: { signal?: AbortSignal }): Promise<Uint8Array> }

/** Runs `operation`; resolves to 'signed' (checked to recover to the account) or the error it failed with. */
async function attempt(signer: Signing, operation: Operation, text: string, signal?: AbortSignal): Promise<'signed' | unknown> {
  try {
    if (operation === 'personal-sign') {
      const signature = normalizeSignature(await signer.signPersonalMessage(text, signal ? { signal } : {}))
      expect(recoverPersonalSignAddress(text, signature)).toBe(signer.address)
    } else {
      const signature = normalizeSignature(await signer.signTypedData(MAIL_TYPED_DATA, signal ? { signal } : {}))
      expect(publicKeyToAddress(recoverPublicKey(hashTypedData(MAIL_TYPED_DATA), signature))).toBe(signer.address)
    }
    return 'signed'
  } catch (error) {
    return error
  }
}

function expectTyped(outcome: unknown, context: string, alsoAllowed: readonly string[] = []): void {
  if (outcome === 'signed') return
  expect(isXmtpSignersError(outcome), `${context}: untyped ${String(outcome)}`).toBe(true)
  const { code, message } = outcome as { code: string; message: string }
  expect(DEVICE_FAULT_CODES.has(code) || alsoAllowed.includes(code), `${context}: ${code} ${message}`).toBe(true)
  expect(message, context).toContain('What to do:')
}

// ---- Ledger -----------------------------------------------------------------------------------------

const LEDGER_FAULTS = [
  'reject',
  'locked',
  'app-closed',
  'wrong-app',
  'os-menu',
  'busy',
  'disconnect',
  'unplug-at-prompt',
  'delay',
  'timeout',
  'abort-at-prompt',
  'replug',
  'dead-transport',
] as const
type LedgerStepFault = (typeof LEDGER_FAULTS)[number]
const LEDGER_SEQUENCES = 60
const LEDGER_STEPS = 4
/** A caller that aborts 10 ms into the prompt, and a person who would have approved it 50 ms later. */
function abortAtPrompt(): { signal: AbortSignal; onPrompt: () => Promise<UserDecision> } {
  const controller = new AbortController()
  const onPrompt = () => {
    setTimeout(() => controller.abort(), 10)
    return new Promise<UserDecision>((resolve) => setTimeout(() => resolve('approve'), 60))
  }
  return { signal: controller.signal, onPrompt }
}

const LEDGER_CONFIRMATION_TIMEOUT_MS = 250

describe('Ledger: random fault sequences (seed 0x1ed6e7, 60 × 4 steps)', () => {
  it('every failure is typed, and every clean retry signs', async () => {
    const random = prng(0x1ed6e7)
    const seen = new Map<string, number>()
    for (let sequence = 0; sequence < LEDGER_SEQUENCES; sequence++) {
      let onPrompt: ((screen: DeviceScreen) => UserDecision | Promise<UserDecision>) | undefined
      const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC, decide: (screen) => onPrompt?.(screen) ?? 'approve' })
      // Transports the test can kill with an error no table knows, as a USB stack does (EIO, a closed handle).
      const transports: { transport: Transport; dead: boolean }[] = []
      const openTransport = async () => {
        const transport = createEmulatorTransport(emulator) as unknown as Transport & { exchange: Transport['exchange'] }
        const entry = { transport, dead: false }
        const exchange = transport.exchange.bind(transport)
        transport.exchange = async (apdu: Uint8Array) => {
          if (entry.dead) throw new Error('read EIO')
          return exchange(apdu)
        }
        transports.push(entry)
        return transport
      }
      const signer = await LedgerSigner.open({ openTransport, confirmationTimeoutMs: LEDGER_CONFIRMATION_TIMEOUT_MS })
      for (let step = 0; step < LEDGER_STEPS; step++) {
        const fault: LedgerStepFault = pick(random, LEDGER_FAULTS)
        const operation = pick(random, OPERATIONS)
        const context = `ledger sequence ${sequence} step ${step}: ${fault} during ${operation}`
        let signal: AbortSignal | undefined
        switch (fault) {
          case 'reject':
          case 'locked':
          case 'app-closed':
          case 'os-menu':
          case 'busy':
            emulator.injectFault({ type: fault, persistent: fault !== 'reject' && fault !== 'busy' })
            break
          case 'wrong-app':
            emulator.injectFault({ type: 'wrong-app', appName: 'Bitcoin', persistent: true })
            break
          case 'disconnect':
            emulator.injectFault({ type: 'disconnect', atApdu: 1 + Math.floor(random() * 3) })
            break
          case 'unplug-at-prompt':
            onPrompt = () => {
              emulator.unplug()
              return new Promise<UserDecision>(() => {})
            }
            break
          case 'delay':
            emulator.injectFault({ type: 'delay', ms: 20 + Math.floor(random() * 80) })
            break
          case 'timeout':
            emulator.injectFault({ type: 'delay', ms: LEDGER_CONFIRMATION_TIMEOUT_MS + 100 })
            break
          case 'abort-at-prompt':
            ;({ signal, onPrompt } = abortAtPrompt())
            break
          case 'replug':
            emulator.unplug()
            emulator.reconnect()
            break
          case 'dead-transport':
            for (const entry of transports) entry.dead = true
            break
        }
        const outcome = await attempt(signer, operation, `step ${sequence}.${step}`, signal)
        // An I/O error no table knows is reported as such (DEVICE_ERROR, with its text in the details).
        expectTyped(outcome, context, fault === 'dead-transport' ? ['DEVICE_ERROR'] : [])
        if (fault === 'dead-transport') expect((outcome as Error).message, context).toContain('read EIO')
        const key = `${fault} → ${outcome === 'signed' ? 'signed' : (outcome as { code: string }).code}`
        seen.set(key, (seen.get(key) ?? 0) + 1)

        // The person clears it: plugs the device back in, closes the menu, opens the app, answers the prompt.
        onPrompt = undefined
        emulator.clearFaults()
        emulator.reconnect()
        expect(await waitUntil(() => !emulator.busy, 2_000), `${context}: the device stays busy`).toBe(true)
        const retry = await attempt(signer, pick(random, OPERATIONS), `retry ${sequence}.${step}`)
        expect(retry, `${context}: clean retry failed: ${String((retry as Error)?.message ?? retry)}`).toBe('signed')
      }
      await signer.close()
    }
    // The run covered what it claims: every fault was drawn, and failures were met.
    const faultsSeen = new Set([...seen.keys()].map((k) => k.split(' → ')[0]))
    expect([...faultsSeen].sort()).toEqual([...LEDGER_FAULTS].sort())
    expect([...seen.keys()].some((k) => k.endsWith('ABORTED'))).toBe(true)
    expect([...seen.keys()].some((k) => k.endsWith('SIGNER_DISCONNECTED'))).toBe(true)
  })
})

// ---- Trezor -----------------------------------------------------------------------------------------

const TREZOR_FAULTS = ['reject', 'disconnect', 'busy', 'used-elsewhere', 'pin', 'delay', 'timeout', 'abort-at-prompt', 'replug'] as const
type TrezorStepFault = (typeof TREZOR_FAULTS)[number]
const TREZOR_SEQUENCES = 30
const TREZOR_CONFIRMATION_TIMEOUT_MS = 1_500

describe('Trezor: random fault sequences (seed 0x7e2e0, 30 steps on one signer)', () => {
  let emulator: TrezorEmulator
  let bridge: Awaited<ReturnType<typeof startTrezorBridge>>
  let signer: TrezorSigner
  let onPrompt: ((screen: TrezorScreen) => UserDecision | Promise<UserDecision>) | undefined
  beforeAll(async () => {
    emulator = new TrezorEmulator({ mnemonic: TEST_MNEMONIC })
    emulator.decide = (screen) => onPrompt?.(screen) ?? 'approve'
    bridge = await startTrezorBridge(emulator, { version: '3.0.5' })
    signer = await TrezorSigner.open({ bridgeUrl: bridge.url, confirmationTimeoutMs: TREZOR_CONFIRMATION_TIMEOUT_MS })
  })
  afterAll(async () => {
    await signer?.close()
    await bridge?.close()
  })

  it('every failure is typed, and every clean retry signs', async () => {
    const random = prng(0x7e2e0)
    const seen = new Map<string, number>()
    for (let sequence = 0; sequence < TREZOR_SEQUENCES; sequence++) {
      const fault: TrezorStepFault = pick(random, TREZOR_FAULTS)
      const operation = pick(random, OPERATIONS)
      const context = `trezor step ${sequence}: ${fault} during ${operation}`
      let signal: AbortSignal | undefined
      let replugged = false
      switch (fault) {
        case 'reject':
        case 'pin':
          emulator.injectFault({ type: fault })
          break
        case 'disconnect':
          emulator.injectFault({ type: 'disconnect', ...(random() < 0.5 ? { on: 'ButtonAck' } : {}) } as TrezorFault)
          replugged = true
          break
        case 'busy':
          emulator.injectFault({ type: 'busy' } as TrezorFault)
          break
        case 'used-elsewhere':
          emulator.injectFault({ type: 'used-elsewhere', ...(random() < 0.5 ? { on: 'ButtonAck' } : {}) } as TrezorFault)
          break
        case 'delay':
          emulator.injectFault({ type: 'delay', ms: 20 + Math.floor(random() * 200), on: 'ButtonAck' } as TrezorFault)
          break
        case 'timeout':
          emulator.injectFault({ type: 'delay', ms: TREZOR_CONFIRMATION_TIMEOUT_MS + 300, on: 'ButtonAck' } as TrezorFault)
          break
        case 'abort-at-prompt':
          ;({ signal, onPrompt } = abortAtPrompt())
          break
        case 'replug':
          emulator.unplug()
          emulator.reconnect()
          replugged = true
          break
      }
      const started = performance.now()
      const outcome = await attempt(signer, operation, `step ${sequence}`, signal)
      expectTyped(outcome, context)
      // Bounded: the signer's own limit, plus connect's cancel round trip.
      expect(performance.now() - started, context).toBeLessThan(TREZOR_CONFIRMATION_TIMEOUT_MS + 1_500)
      const key = `${fault} → ${outcome === 'signed' ? 'signed' : (outcome as { code: string }).code}`
      seen.set(key, (seen.get(key) ?? 0) + 1)

      // The person clears it: plugs the Trezor back in and waits until the computer sees it again.
      onPrompt = undefined
      emulator.clearFaults()
      const mark = emulator.messages.length
      if (!emulator.connected) {
        emulator.reconnect()
        replugged = true
      }
      // connect talks to a device again 2.7 s after it vanished mid-call (its "auth penalty").
      if (replugged) await waitUntil(() => emulator.messages.slice(mark).some((m) => m.direction === 'in'), 6_000)
      const retry = await attempt(signer, pick(random, OPERATIONS), `retry ${sequence}`)
      expect(retry, `${context}: clean retry failed: ${String((retry as Error)?.message ?? retry)}`).toBe('signed')
    }
    const faultsSeen = new Set([...seen.keys()].map((k) => k.split(' → ')[0]))
    expect([...faultsSeen].sort()).toEqual([...TREZOR_FAULTS].sort())
    expect([...seen.keys()].some((k) => k.endsWith('ABORTED'))).toBe(true)
  }, 120_000)
})
