/**
 * xmtp-signers/ethers both ways, with real ethers v6: Wallet, HDNodeWallet and a JsonRpcSigner on a real
 * anvil as our Signer (conformance, create → unlock), and our Ledger (emulator) and local signers as ethers signers.
 */
import { BrowserProvider, HDNodeWallet, JsonRpcProvider, VoidSigner, Wallet, verifyMessage, verifyTypedData, type JsonRpcSigner } from 'ethers'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { privateKeyToAccount } from 'viem/accounts'
import { checkSignerConformance, EIP712_MAIL_EXAMPLE } from '../src/adapter/conformance.js'
import { TEST_MNEMONIC, utf8 } from '../src/adapter/index.js'
import { createIdentity, MemoryKeyStore, toHex, unlockIdentity, type Signer } from '../src/index.js'
import { fromEthersSigner, toEthersSigner } from '../signers/ethers/index.js'
import { LedgerSigner } from '../signers/ledger/index.js'
import { createEmulatorTransport, LedgerEmulator } from '../signers/ledger/emulator/index.js'
import { LocalSigner } from '../signers/local/index.js'
import { startAnvil, type Anvil } from './support/anvil.js'

const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
const OPTIONS = { requestTimeoutMs: 10_000 }
const { types: MAIL_TYPES, domain: MAIL_DOMAIN, message: MAIL_MESSAGE } = EIP712_MAIL_EXAMPLE
const mailTypes = MAIL_TYPES as unknown as Record<string, { name: string; type: string }[]>

let anvil: Anvil
let provider: JsonRpcProvider
let rpcSigner: JsonRpcSigner

beforeAll(async () => {
  anvil = await startAnvil()
  provider = new JsonRpcProvider(anvil.rpcUrl, anvil.chainId, { staticNetwork: true, pollingInterval: 50 })
  rpcSigner = await provider.getSigner(0)
})

afterAll(async () => {
  provider?.destroy()
  await anvil?.stop()
})

async function roundTrip(signer: Signer) {
  const store = new MemoryKeyStore()
  const created = await createIdentity(signer, store)
  const unlocked = await unlockIdentity(signer, store)
  expect(toHex(unlocked.identity.identityPublicKey)).toBe(toHex(created.identity.identityPublicKey))
}

describe('fromEthersSigner', () => {
  it('keeps the Signer contract for a Wallet, an HDNodeWallet and a JsonRpcSigner on anvil', async () => {
    for (const make of [() => new Wallet(KEY), () => HDNodeWallet.fromPhrase(TEST_MNEMONIC), () => rpcSigner]) {
      const report = await checkSignerConformance(() => fromEthersSigner(make()), OPTIONS)
      expect(report, JSON.stringify(report.failures, null, 2)).toEqual({ ok: true, failures: [] })
    }
  })

  it('declares a local key reproducible and a remote wallet unknown, with checksummed addresses', async () => {
    const wallet = await fromEthersSigner(new Wallet(KEY))
    expect(wallet.address).toBe(new Wallet(KEY).address)
    expect(wallet.capabilities).toEqual({ kind: 'ethers', accountType: 'EOA', reproducibleSignatures: 'yes', typedData: true })
    const hd = await fromEthersSigner(HDNodeWallet.fromPhrase(TEST_MNEMONIC))
    expect(hd.address).toBe(LocalSigner.fromMnemonic(TEST_MNEMONIC).address)
    expect(hd.capabilities.reproducibleSignatures).toBe('yes')
    const remote = await fromEthersSigner(rpcSigner)
    expect(remote.address).toBe(anvil.accounts[0])
    expect(remote.capabilities.reproducibleSignatures).toBe('unknown')
  })

  it('creates and unlocks an identity through each', async () => {
    await roundTrip(await fromEthersSigner(new Wallet(KEY)))
    await roundTrip(await fromEthersSigner(HDNodeWallet.fromPhrase(TEST_MNEMONIC)))
    await roundTrip(await fromEthersSigner(rpcSigner))
  })

  it('signs as the ethers Wallet does, typed data included', async () => {
    const wallet = new Wallet(KEY)
    const signer = await fromEthersSigner(wallet)
    expect(toHex(await signer.signPersonalMessage('hello'))).toBe((await wallet.signMessage('hello')).slice(2))
    expect(toHex(await signer.signTypedData(EIP712_MAIL_EXAMPLE))).toBe((await wallet.signTypedData(MAIL_DOMAIN, mailTypes, MAIL_MESSAGE)).slice(2))
  })

  it('refuses what is not an ethers signer with a typed error naming what to use', async () => {
    const cases: [unknown, RegExp][] = [
      [privateKeyToAccount(KEY), /fromViemAccount/],
      [anvil.client, /fromViemWalletClient/],
      [LocalSigner.fromPrivateKey(KEY), /already an xmtp-signers Signer/],
      [provider, /provider\.getSigner\(\)/],
      [{ request: async () => null }, /InjectedSigner\.open/],
      [undefined, /ethers v6 Signer/],
    ]
    for (const [value, next] of cases) {
      const error = await fromEthersSigner(value as never).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'INVALID_INPUT' })
      expect((error as { nextStep: string }).nextStep).toMatch(next)
    }
  })

  it('maps ethers failures to typed errors: a VoidSigner cannot sign', async () => {
    const signer = await fromEthersSigner(new VoidSigner(anvil.accounts[0]!))
    expect(signer.capabilities.reproducibleSignatures).toBe('unknown')
    await expect(signer.signPersonalMessage('hello')).rejects.toMatchObject({ code: 'UNSUPPORTED_OPERATION', nextStep: expect.stringMatching(/Wallet/) })
  })

  it('maps a rejection in the wallet behind a BrowserProvider (EIP-1193 4001) to USER_REJECTED', async () => {
    const account = anvil.accounts[0]!
    const eip1193 = {
      request: async ({ method }: { method: string }) => {
        if (method === 'eth_chainId') return '0x7a69'
        if (method === 'eth_accounts' || method === 'eth_requestAccounts') return [account]
        if (method === 'personal_sign') throw Object.assign(new Error('User rejected the request.'), { code: 4001 })
        throw Object.assign(new Error(`unexpected ${method}`), { code: 4200 })
      },
    }
    const browser = new BrowserProvider(eip1193, 31337)
    try {
      const signer = await fromEthersSigner(await browser.getSigner())
      expect(signer.address).toBe(account)
      await expect(signer.signPersonalMessage('hello')).rejects.toMatchObject({ code: 'USER_REJECTED', cause: expect.objectContaining({ code: 'ACTION_REJECTED' }) })
    } finally {
      browser.destroy()
    }
  })

  it('refuses a signature from another account (a signer that lies about its address)', async () => {
    const wallet = new Wallet(KEY)
    const liar = { getAddress: async () => anvil.accounts[2]!, signMessage: (m: string) => wallet.signMessage(m) }
    const signer = await fromEthersSigner(liar as never)
    await expect(signer.signPersonalMessage('hello')).rejects.toMatchObject({ code: 'ACCOUNT_MISMATCH' })
  })

  it('honours abort while the wallet is still answering, and is closed after close()', async () => {
    const slow = { getAddress: async () => new Wallet(KEY).address, signMessage: () => new Promise<string>(() => {}) }
    const signer = await fromEthersSigner(slow as never)
    const controller = new AbortController()
    const pending = signer.signPersonalMessage('hello', { signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' })
    await signer.close()
    await signer.close()
    await expect(signer.signPersonalMessage('hello')).rejects.toMatchObject({ code: 'SIGNER_CLOSED' })
  })
})

describe('the xmtp-signers/ethers entry', () => {
  it('loads ethers only when asked: no static import of it in the bundled entry', async () => {
    const out = await build({ entryPoints: ['signers/ethers/index.ts'], bundle: true, write: false, format: 'esm', platform: 'neutral', packages: 'external', logLevel: 'silent' })
    const code = out.outputFiles[0]!.text
    expect(code).toContain('import("ethers")')
    expect(code).not.toMatch(/from\s*["']ethers["']|import\s*["']ethers["']/)
  })
})

describe('toEthersSigner', () => {
  it('makes a Ledger (emulator) an ethers signer whose signatures ethers verifies', async () => {
    const emulator = new LedgerEmulator()
    const ledger = await LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator) })
    try {
      const signer = await toEthersSigner(ledger)
      expect(await signer.getAddress()).toBe(ledger.address)
      const signature = await signer.signMessage('hello from ethers')
      expect(verifyMessage('hello from ethers', signature)).toBe(ledger.address)
      expect(verifyMessage(utf8('bytes too'), await signer.signMessage(utf8('bytes too')))).toBe(ledger.address)
      const typed = await signer.signTypedData(MAIL_DOMAIN, mailTypes, MAIL_MESSAGE)
      expect(verifyTypedData(MAIL_DOMAIN, mailTypes, MAIL_MESSAGE, typed)).toBe(ledger.address)
    } finally {
      await ledger.close()
    }
  })

  it('refuses transactions and non-UTF-8 bytes with typed errors', async () => {
    const signer = await toEthersSigner(LocalSigner.fromPrivateKey(KEY))
    await expect(signer.signTransaction({ to: anvil.accounts[1], value: 1n })).rejects.toMatchObject({ code: 'UNSUPPORTED_OPERATION', nextStep: expect.stringMatching(/transactions/) })
    await expect(signer.signMessage(Uint8Array.of(0xff, 0xfe, 0x00))).rejects.toMatchObject({ code: 'UNSUPPORTED_OPERATION', nextStep: expect.stringMatching(/string/) })
    await expect(toEthersSigner(new Wallet(KEY) as never)).rejects.toMatchObject({ code: 'INVALID_INPUT', nextStep: expect.stringMatching(/fromEthersSigner/) })
  })

  it('gives a LocalSigner the same bytes as ethers’ own Wallet, and connects to a provider', async () => {
    const wallet = new Wallet(KEY)
    const signer = await toEthersSigner(LocalSigner.fromPrivateKey(KEY))
    expect(await signer.getAddress()).toBe(wallet.address)
    for (const text of ['hello', 'XMTP : Create Identity\n0102\n\nFor more info: https://xmtp.org/signatures/']) {
      expect(await signer.signMessage(text)).toBe(await wallet.signMessage(text))
    }
    expect(await signer.signTypedData(MAIL_DOMAIN, mailTypes, MAIL_MESSAGE)).toBe(await wallet.signTypedData(MAIL_DOMAIN, mailTypes, MAIL_MESSAGE))
    const connected = signer.connect(provider)
    expect(connected.provider).toBe(provider)
    expect(connected.signer).toBe(signer.signer)
    expect((await connected.provider!.getNetwork()).chainId).toBe(BigInt(anvil.chainId))
    // Round trip: an ethers signer made from ours goes back through fromEthersSigner and still makes an identity.
    await roundTrip(await fromEthersSigner(signer))
  })
})
