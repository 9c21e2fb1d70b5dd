/**
 * Aborts reach the device: every adapter honours `signPersonalMessage(text, { signal })` and
 * `signTypedData(data, { signal })`. Ledger through the real hw-app-eth over the emulator, Trezor
 * through the real @trezor/connect over the emulated Bridge; injected, smart account and local key.
 * An abort while the device shows a prompt ends the request within a second with OperationAbortedError,
 * the next request works, and an already-aborted signal sends nothing to the device.
 */
import type { PublicClient } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recoverPersonalSignAddress, normalizeSignature, hashTypedData, publicKeyToAddress } from '../src/index.js'
import { OperationAbortedError } from '../src/errors.js'
import { recoverPublicKey } from '../src/signature.js'
import { InjectedSigner, type Eip1193Provider } from '../signers/injected/index.js'
import { LedgerSigner, type LedgerDeviceAction } from '../signers/ledger/index.js'
import { createEmulatorTransport, LedgerEmulator, TEST_MNEMONIC, type DeviceScreen, type UserDecision } from '../signers/ledger/emulator/index.js'
import { LocalSigner } from '../signers/local/index.js'
import { SmartAccountSigner } from '../signers/smart-account/index.js'
import { TrezorSigner, type TrezorDeviceAction } from '../signers/trezor/index.js'
import { startTrezorBridge, TrezorEmulator } from '../signers/trezor/emulator/index.js'
import { MAIL_TYPED_DATA } from './support/typedData.js'

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = performance.now()
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error('condition not met in time')
    await sleep(5)
  }
}

/** Aborts `pending` while the person looks at its prompt: it must end ABORTED within a second. */
async function abortAtPrompt(person: { readonly waiting: number }, controller: AbortController, pending: Promise<unknown>): Promise<void> {
  await waitUntil(() => person.waiting === 1)
  const started = performance.now()
  controller.abort()
  const { error, ms } = await failure(pending, started)
  expect(error).toMatchObject({ code: 'ABORTED' })
  expect(ms).toBeLessThan(1_000)
}

/** Rejects with what `promise` rejects with, and how long after `since` it settled. */
async function failure(promise: Promise<unknown>, since: number): Promise<{ error: unknown; ms: number }> {
  const error = await promise.then(
    () => new Error('resolved, expected a rejection'),
    (e: unknown) => e,
  )
  return { error, ms: performance.now() - since }
}

/** A person who answers only when told to: `answer('reject')` ends every prompt waiting so far. */
function slowPerson() {
  const waiting: ((decision: UserDecision) => void)[] = []
  return {
    decide: (_screen: DeviceScreen | unknown) => new Promise<UserDecision>((resolve) => waiting.push(resolve)),
    answer(decision: UserDecision) {
      for (const resolve of waiting.splice(0)) resolve(decision)
    },
    get waiting() {
      return waiting.length
    },
  }
}

describe('Ledger (hw-app-eth over the emulator)', () => {
  it('already aborted: OperationAbortedError and no APDU reaches the device', async () => {
    const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
    const signer = await LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator) })
    const before = emulator.apduCount
    const aborted = AbortSignal.abort()
    await expect(signer.signPersonalMessage('never sent', { signal: aborted })).rejects.toBeInstanceOf(OperationAbortedError)
    await expect(signer.signTypedData(MAIL_TYPED_DATA, { signal: aborted })).rejects.toMatchObject({ code: 'ABORTED' })
    expect(emulator.apduCount).toBe(before)
    await signer.close()
  })

  it('aborted while the device shows the prompt: ABORTED within 1 s, the UI is told to reject it there, and the next request works once it is answered', async () => {
    const person = slowPerson()
    const actions: LedgerDeviceAction[] = []
    const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC, decide: person.decide })
    const signer = await LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator), onDeviceAction: (a) => actions.push(a) })
    const controller = new AbortController()
    const pending = signer.signPersonalMessage('abort me', { signal: controller.signal })
    await waitUntil(() => person.waiting === 1)
    expect(emulator.screens.at(-1)).toMatchObject({ kind: 'sign-message', text: 'abort me' })
    const started = performance.now()
    controller.abort()
    const { error, ms } = await failure(pending, started)
    expect(error).toBeInstanceOf(OperationAbortedError)
    expect(ms).toBeLessThan(1_000)
    // The device still shows it (no APDU-level cancel): the app hears so, and `done` waits for the device.
    expect(actions.map((a) => a.kind)).toEqual(['sign-message', 'reject-on-device'])

    // The next request queues behind the prompt still on the device; the person rejects that one when told.
    const apdusBefore = emulator.apduCount
    const next = signer.signPersonalMessage('next')
    await sleep(100)
    expect(emulator.apduCount).toBe(apdusBefore) // nothing sent while the device is busy with the old prompt
    person.answer('reject')
    await waitUntil(() => person.waiting === 1) // the next request's prompt
    expect(actions.map((a) => a.kind)).toEqual(['sign-message', 'reject-on-device', 'done', 'sign-message'])
    person.answer('approve')
    expect(recoverPersonalSignAddress('next', normalizeSignature(await next))).toBe(signer.address)
    await signer.close()
  })

  it('the person never answers the abandoned prompt: the next request fails typed within its own bound, and works once it is answered', async () => {
    const person = slowPerson()
    const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC, decide: person.decide })
    const signer = await LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator), confirmationTimeoutMs: 300 })
    const controller = new AbortController()
    const pending = signer.signPersonalMessage('abandoned', { signal: controller.signal })
    await waitUntil(() => person.waiting === 1)
    controller.abort()
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' })
    const started = performance.now()
    const { error, ms } = await failure(signer.signPersonalMessage('too early'), started)
    expect(error).toMatchObject({ code: 'SIGNER_BUSY', name: 'DeviceBusyError' })
    expect((error as Error).message).toContain('Reject the earlier request on the Ledger')
    expect(ms).toBeLessThan(1_000)
    person.answer('reject')
    const later = signer.signTypedData(MAIL_TYPED_DATA)
    await waitUntil(() => person.waiting === 1)
    person.answer('approve')
    const signature = normalizeSignature(await later)
    expect(publicKeyToAddress(recoverPublicKey(hashTypedData(MAIL_TYPED_DATA), signature))).toBe(signer.address)
    await signer.close()
  })

  it('the signer’s own timeout behaves as an abort: typed, bounded, and the next request works', async () => {
    const person = slowPerson()
    const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC, decide: person.decide })
    const signer = await LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator), confirmationTimeoutMs: 200 })
    const started = performance.now()
    const { error, ms } = await failure(signer.signPersonalMessage('too slow'), started)
    expect(error).toMatchObject({ code: 'SIGNER_TIMEOUT' })
    expect(ms).toBeLessThan(1_000)
    person.answer('approve') // the late answer is discarded
    const next = signer.signPersonalMessage('next')
    await waitUntil(() => person.waiting === 1)
    person.answer('approve')
    expect(recoverPersonalSignAddress('next', normalizeSignature(await next))).toBe(signer.address)
    await signer.close()
  })

  it('aborting a typed-data signature on the device works the same way', async () => {
    const person = slowPerson()
    const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC, decide: person.decide })
    const signer = await LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator) })
    const controller = new AbortController()
    const pending = signer.signTypedData(MAIL_TYPED_DATA, { signal: controller.signal })
    await abortAtPrompt(person, controller, pending)
    person.answer('reject')
    const next = signer.signPersonalMessage('after typed data')
    await waitUntil(() => person.waiting === 1)
    person.answer('approve')
    expect(recoverPersonalSignAddress('after typed data', normalizeSignature(await next))).toBe(signer.address)
    await signer.close()
  })

  it('timeouts are validated when the signer opens: NaN, Infinity, 0 and negatives are InvalidInputError', async () => {
    const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 0, -5]) {
      const before = emulator.apduCount
      await expect(LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator), confirmationTimeoutMs: bad })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
      await expect(LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator), exchangeTimeoutMs: bad })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
      expect(emulator.apduCount).toBe(before)
    }
  })
})

describe('Trezor (@trezor/connect over the emulated Bridge)', () => {
  let emulator: TrezorEmulator
  let bridge: Awaited<ReturnType<typeof startTrezorBridge>>
  let signer: TrezorSigner
  const actions: TrezorDeviceAction[] = []
  const person = slowPerson()
  let stalled = false
  beforeAll(async () => {
    emulator = new TrezorEmulator({ mnemonic: TEST_MNEMONIC })
    emulator.decide = (screen) => (stalled ? person.decide(screen) : 'approve')
    bridge = await startTrezorBridge(emulator, { version: '3.0.5' })
    signer = await TrezorSigner.open({ bridgeUrl: bridge.url, onDeviceAction: (a) => actions.push(a) })
  })
  afterAll(async () => {
    await signer?.close()
    await bridge?.close()
  })

  it('already aborted: OperationAbortedError and no message reaches the device', async () => {
    const before = emulator.messages.length
    await expect(signer.signPersonalMessage('never sent', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(OperationAbortedError)
    await expect(signer.signTypedData(MAIL_TYPED_DATA, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' })
    expect(emulator.messages.length).toBe(before)
  })

  it('aborted while the device shows the prompt: ABORTED within 1 s, connect cancels it on the device, and the next request works', async () => {
    stalled = true
    const controller = new AbortController()
    const pending = signer.signPersonalMessage('abort me', { signal: controller.signal })
    await waitUntil(() => person.waiting === 1, 10_000)
    expect(emulator.screens.at(-1)).toMatchObject({ kind: 'sign-message', text: 'abort me' })
    const started = performance.now()
    controller.abort()
    const { error, ms } = await failure(pending, started)
    expect(error).toBeInstanceOf(OperationAbortedError)
    expect(ms).toBeLessThan(1_000)
    // TrezorConnect.cancel() sent Cancel; the device ended the prompt with Failure.
    await waitUntil(() => emulator.messages.some((m, i) => m.type === 'Cancel' && emulator.messages[i + 1]?.type === 'Failure'))
    stalled = false
    person.answer('approve') // the emulated person's pending decision no longer matters
    const signature = await signer.signPersonalMessage('next')
    expect(recoverPersonalSignAddress('next', normalizeSignature(signature))).toBe(signer.address)
    expect(actions.filter((a) => a.kind === 'done').length).toBe(actions.filter((a) => a.kind !== 'done').length)
  })

  it('aborting a typed-data signature on the device, then the next one works', async () => {
    stalled = true
    const controller = new AbortController()
    const pending = signer.signTypedData(MAIL_TYPED_DATA, { signal: controller.signal })
    await waitUntil(() => person.waiting === 1, 10_000)
    const started = performance.now()
    controller.abort()
    const { error, ms } = await failure(pending, started)
    expect(error).toMatchObject({ code: 'ABORTED' })
    expect(ms).toBeLessThan(1_000)
    stalled = false
    person.answer('approve')
    const signature = normalizeSignature(await signer.signTypedData(MAIL_TYPED_DATA))
    expect(publicKeyToAddress(recoverPublicKey(hashTypedData(MAIL_TYPED_DATA), signature))).toBe(signer.address)
  })

  it('timeouts are validated at open: NaN, Infinity, 0 and negatives are InvalidInputError before connect starts', async () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 0, -1]) {
      await expect(TrezorSigner.open({ bridgeUrl: bridge.url, confirmationTimeoutMs: bad })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
      await expect(TrezorSigner.open({ bridgeUrl: bridge.url, deviceTimeoutMs: bad })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    }
    // The open signer was not disturbed.
    expect(recoverPersonalSignAddress('still here', normalizeSignature(await signer.signPersonalMessage('still here')))).toBe(signer.address)
  })
})

/** An EIP-1193 wallet whose signature requests wait for the person (forever here) and which records what it was given. */
function waitingWallet(account: LocalSigner) {
  const requests: { method: string; signal?: AbortSignal }[] = []
  const provider: Eip1193Provider = {
    async request({ method, params }, options) {
      requests.push({ method, ...(options?.signal ? { signal: options.signal } : {}) })
      if (method === 'eth_requestAccounts' || method === 'eth_accounts') return [account.address]
      if (method === 'eth_chainId') return '0x1'
      if (method === 'personal_sign' || method === 'eth_signTypedData_v4') {
        // A viem-style provider ends the request when its signal aborts.
        return new Promise((_, reject) => options?.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))))
      }
      throw Object.assign(new Error(`unsupported ${method}`), { code: 4200 })
    },
  }
  return { provider, requests }
}

describe('injected (EIP-1193)', () => {
  it('already aborted: nothing is asked of the wallet', async () => {
    const { provider, requests } = waitingWallet(LocalSigner.fromMnemonic(TEST_MNEMONIC))
    const signer = await InjectedSigner.open({ provider })
    const before = requests.length
    await expect(signer.signPersonalMessage('never', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(OperationAbortedError)
    await expect(signer.signTypedData(MAIL_TYPED_DATA, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' })
    expect(requests.length).toBe(before)
  })

  it('aborted while the wallet waits: ABORTED within 1 s, and the signal reached the request', async () => {
    const { provider, requests } = waitingWallet(LocalSigner.fromMnemonic(TEST_MNEMONIC))
    const signer = await InjectedSigner.open({ provider })
    for (const sign of [(s: AbortSignal) => signer.signPersonalMessage('abort me', { signal: s }), (s: AbortSignal) => signer.signTypedData(MAIL_TYPED_DATA, { signal: s })]) {
      const controller = new AbortController()
      const pending = sign(controller.signal)
      await waitUntil(() => ['personal_sign', 'eth_signTypedData_v4'].includes(requests.at(-1)?.method ?? ''))
      const started = performance.now()
      controller.abort()
      const { error, ms } = await failure(pending, started)
      expect(error).toBeInstanceOf(OperationAbortedError)
      expect(ms).toBeLessThan(1_000)
      expect(requests.at(-1)?.signal?.aborted).toBe(true)
    }
  })

  it('a provider that ignores the signal still ends the wait on abort', async () => {
    const account = LocalSigner.fromMnemonic(TEST_MNEMONIC)
    const provider: Eip1193Provider = {
      request: async ({ method }) => (method === 'eth_chainId' ? '0x1' : /accounts$/i.test(method) ? [account.address] : new Promise(() => {})),
    }
    const signer = await InjectedSigner.open({ provider })
    const controller = new AbortController()
    const pending = signer.signPersonalMessage('hangs', { signal: controller.signal })
    await sleep(20)
    const started = performance.now()
    controller.abort()
    const { error, ms } = await failure(pending, started)
    expect(error).toMatchObject({ code: 'ABORTED' })
    expect(ms).toBeLessThan(1_000)
  })
})

describe('smart account: the signal goes down to the owner', () => {
  // A deployed plain ERC-1271 account on chain 1; the owner is a Ledger over the emulator.
  const client = { getChainId: async () => 1, getCode: async () => '0x6080' } as unknown as PublicClient
  const ACCOUNT = '0x000000000000000000000000000000000000c0de'

  it('already aborted: the owner device is not asked', async () => {
    const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
    const owner = await LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator) })
    const signer = await SmartAccountSigner.open({ client, account: ACCOUNT, scheme: 'erc1271', owner })
    const before = emulator.apduCount
    await expect(signer.signPersonalMessage('never', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(OperationAbortedError)
    expect(emulator.apduCount).toBe(before)
    await signer.close()
  })

  it('aborted while the owner’s Ledger shows the prompt: ABORTED within 1 s; the next request works', async () => {
    const person = slowPerson()
    const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC, decide: person.decide })
    const owner = await LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator) })
    const signer = await SmartAccountSigner.open({ client, account: ACCOUNT, scheme: 'erc1271', owner })
    const controller = new AbortController()
    const pending = signer.signPersonalMessage('abort me', { signal: controller.signal })
    await abortAtPrompt(person, controller, pending)
    person.answer('reject')
    const next = signer.signPersonalMessage('next')
    await waitUntil(() => person.waiting === 1)
    person.answer('approve')
    // erc1271: the account's signature is the owner's own personal_sign.
    expect(recoverPersonalSignAddress('next', normalizeSignature(await next))).toBe(owner.address)
    await signer.close()
  })
})

describe('local key', () => {
  it('already aborted: OperationAbortedError, nothing signed; otherwise it signs', async () => {
    const signer = LocalSigner.fromMnemonic(TEST_MNEMONIC)
    await expect(signer.signPersonalMessage('never', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(OperationAbortedError)
    await expect(signer.signTypedData(MAIL_TYPED_DATA, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' })
    const live = new AbortController()
    expect(recoverPersonalSignAddress('ok', normalizeSignature(await signer.signPersonalMessage('ok', { signal: live.signal })))).toBe(signer.address)
  })
})
