/**
 * The conformance kit (xmtp-signers/adapter/conformance) on every in-tree adapter — Trezor through its
 * emulator and the real @trezor/connect, an injected wallet and a Safe on anvil, a local key — each
 * `{ ok: true }`; and a deliberately broken signer, which the kit must fail with each broken check named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkSignerConformance } from '../src/adapter/conformance.js'
import { TEST_MNEMONIC, type Signer, type SignerCapabilities, type SignOptions, type TypedData } from '../src/adapter/index.js'
import { httpProvider, InjectedSigner } from '../signers/injected/index.js'
import { LocalSigner } from '../signers/local/index.js'
import { SmartAccountSigner } from '../signers/smart-account/index.js'
import { TrezorSigner } from '../signers/trezor/index.js'
import { startTrezorBridge, TrezorEmulator, type TrezorBridge } from '../signers/trezor/emulator/index.js'
import { startAnvil, type Anvil } from './support/anvil.js'
import { deploySafe } from './support/accounts.js'

const pathOf = (index: number) => `m/44'/60'/0'/0/${index}`

describe('every in-tree adapter keeps the Signer contract', () => {
  let anvil: Anvil
  let bridge: TrezorBridge
  beforeAll(async () => {
    anvil = await startAnvil()
    bridge = await startTrezorBridge(new TrezorEmulator({ mnemonic: TEST_MNEMONIC }), { version: '3.0.5' })
  })
  afterAll(async () => {
    await bridge?.close()
    await anvil?.stop()
  })

  it('LocalSigner', async () => {
    expect(await checkSignerConformance(() => LocalSigner.fromMnemonic(TEST_MNEMONIC))).toEqual({ ok: true, failures: [] })
  })

  it('TrezorSigner (emulator, real @trezor/connect)', async () => {
    expect(await checkSignerConformance(() => TrezorSigner.open({ bridgeUrl: bridge.url }))).toEqual({ ok: true, failures: [] })
  })

  it('InjectedSigner (an EIP-1193 provider backed by anvil)', async () => {
    const report = await checkSignerConformance(() => InjectedSigner.open({ provider: httpProvider(anvil.rpcUrl), account: anvil.accounts[5]!, requestAccounts: false }))
    expect(report).toEqual({ ok: true, failures: [] })
  })

  it('SmartAccountSigner (a 1-of-1 Safe on anvil)', async () => {
    // Its own owner key: close() zeroes it, so it is not the shared dev signer.
    const owner = LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: pathOf(6) })
    const safe = await deploySafe(anvil, { owners: [owner.address], threshold: 1 })
    const report = await checkSignerConformance(() => SmartAccountSigner.open({ rpcUrl: anvil.rpcUrl, account: safe, scheme: 'safe', owner }))
    expect(report).toEqual({ ok: true, failures: [] })
  })
})

/** Claims one account and signs with another, ignores the abort signal, and throws a plain Error once closed. */
class BrokenSigner implements Signer {
  readonly #claimed = LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: pathOf(7) })
  readonly #signing = LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: pathOf(8) })
  readonly address = this.#claimed.address
  readonly capabilities: SignerCapabilities = { kind: 'broken', accountType: 'EOA', reproducibleSignatures: 'yes', typedData: true }
  #closed = false

  async signPersonalMessage(text: string, _options?: SignOptions): Promise<Uint8Array> {
    if (this.#closed) throw new Error('closed')
    return this.#signing.signPersonalMessage(text)
  }

  async signTypedData(typedData: TypedData, _options?: SignOptions): Promise<Uint8Array> {
    if (this.#closed) throw new Error('closed')
    return this.#signing.signTypedData(typedData)
  }

  async close(): Promise<void> {
    this.#closed = true
  }
}

describe('the conformance kit fails a broken signer', () => {
  it('names the wrong-account signatures, the ignored abort and the untyped error after close', async () => {
    const report = await checkSignerConformance(() => new BrokenSigner())
    expect(report.ok).toBe(false)
    expect(report.failures.map((f) => f.check).sort()).toEqual(['abort', 'close', 'personal-sign', 'typed-data'])
    const reason = (check: string) => report.failures.find((f) => f.check === check)!.reason
    const signing = LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: pathOf(8) }).address
    expect(reason('personal-sign')).toContain(`recovers to ${signing}`)
    expect(reason('typed-data')).toContain(`recovers to ${signing}`)
    expect(reason('abort')).toMatch(/aborted signal was ignored/)
    expect(reason('close')).toMatch(/typed error; got Error: closed/)
  })

  it('a signer that honours the abort but with an untyped error still fails the abort check', async () => {
    const local = LocalSigner.fromMnemonic(TEST_MNEMONIC)
    const untypedAbort: Signer = {
      address: local.address,
      capabilities: { ...local.capabilities, typedData: false },
      signPersonalMessage: (text, options) => (options?.signal?.aborted ? Promise.reject(new Error('aborted')) : local.signPersonalMessage(text)),
      close: async () => undefined,
    }
    const report = await checkSignerConformance(() => untypedAbort)
    expect(report.failures.map((f) => f.check)).toEqual(['abort'])
    expect(report.failures[0]!.reason).toMatch(/must reject with code ABORTED; got Error: aborted/)
  })
})
