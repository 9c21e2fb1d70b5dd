/**
 * The injected (EIP-1193) signer: against anvil's own personal_sign / eth_signTypedData_v4 over HTTP,
 * against provider objects that fail with each EIP-1193 error code, and EIP-6963 discovery.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createIdentity,
  hashTypedData,
  MemoryKeyStore,
  normalizeSignature,
  publicKeyToAddress,
  storageTopic,
  toHex,
  unlockIdentity,
  verifyEncodedBundle,
  type TypedData,
} from '../src/index.js'
import { recoverPublicKey } from '../src/signature.js'
import { LocalSigner } from '../signers/local/index.js'
import { discoverInjectedWallets, httpProvider, InjectedSigner, type Eip1193Provider } from '../signers/injected/index.js'
import { ANVIL_MNEMONIC, startAnvil, type Anvil } from './support/anvil.js'

let anvil: Anvil
beforeAll(async () => {
  anvil = await startAnvil()
})
afterAll(async () => anvil?.stop())

const typedData: TypedData = {
  domain: { name: 'xmtp-signers test', version: '1', chainId: 31337, verifyingContract: '0x0000000000000000000000000000000000000001' },
  types: { Note: [{ name: 'text', type: 'string' }, { name: 'n', type: 'uint256' }] },
  primaryType: 'Note',
  message: { text: 'hello', n: 7n },
}

describe('InjectedSigner against anvil (JSON-RPC over HTTP)', () => {
  it('creates, unlocks and verifies an identity with anvil’s own personal_sign', async () => {
    const account = anvil.accounts[3]!
    const signer = await InjectedSigner.open({ provider: httpProvider(anvil.rpcUrl), account, requestAccounts: false })
    expect(signer.address).toBe(account)
    expect(signer.chainId).toBe(anvil.chainId)
    expect(signer.capabilities.reproducibleSignatures).toBe('unknown')
    const store = new MemoryKeyStore()
    let storageRequests = 0
    const created = await createIdentity(signer, store, {
      onProgress: (e) => void (e.type === 'signature-request' && e.purpose === 'enable-identity' && storageRequests++),
    })
    // Reproducibility unknown: the storage text was signed twice and compared.
    expect(storageRequests).toBe(2)
    expect(verifyEncodedBundle(created.identity.encodeContactBundle(2), { expectedAddress: account }).valid).toBe(true)
    const unlocked = await unlockIdentity(signer, store)
    expect(toHex(unlocked.identity.identityPublicKey)).toBe(toHex(created.identity.identityPublicKey))
  })

  it('signs EIP-712 with eth_signTypedData_v4, recovering to the account', async () => {
    const account = anvil.accounts[4]!
    const signer = await InjectedSigner.open({ provider: httpProvider(anvil.rpcUrl), account, requestAccounts: false })
    const signature = normalizeSignature(await signer.signTypedData(typedData))
    expect(publicKeyToAddress(recoverPublicKey(hashTypedData(typedData), signature))).toBe(account)
  })

  it('connect, the old name of open, still opens the same account', async () => {
    const account = anvil.accounts[4]!
    const signer = await InjectedSigner.open({ provider: httpProvider(anvil.rpcUrl), account, requestAccounts: false })
    expect(signer.address).toBe(account)
    await signer.close()
  })

  it('says clearly when the RPC does not answer', async () => {
    await expect(InjectedSigner.open({ provider: httpProvider('http://127.0.0.1:1'), requestAccounts: false })).rejects.toMatchObject({ code: 'RPC_UNAVAILABLE' })
  })
})

/** An in-page wallet stand-in: a local key, the EIP-1193 surface, events, and a way to fail. */
function fakeWallet(options: { fail?: { method: string; code: number; message?: string }; vZeroOne?: boolean; signAs?: LocalSigner } = {}) {
  const me = LocalSigner.fromMnemonic(ANVIL_MNEMONIC, { path: "m/44'/60'/0'/0/5" })
  const listeners = new Map<string, ((...args: unknown[]) => void)[]>()
  let chainId = 1
  const provider: Eip1193Provider & { emit(event: string, value: unknown): void; setChain(id: number): void } = {
    async request({ method, params }) {
      if (options.fail && options.fail.method === method) throw Object.assign(new Error(options.fail.message ?? 'failed'), { code: options.fail.code })
      switch (method) {
        case 'eth_requestAccounts':
        case 'eth_accounts':
          return [me.address.toLowerCase()]
        case 'eth_chainId':
          return `0x${chainId.toString(16)}`
        case 'personal_sign': {
          const [data] = params as [string, string]
          const text = new TextDecoder().decode(Buffer.from(data.slice(2), 'hex'))
          const signature = await (options.signAs ?? me).signPersonalMessage(text)
          if (options.vZeroOne) signature[64] = signature[64]! - 27
          return `0x${toHex(signature)}`
        }
        default:
          throw Object.assign(new Error(`unsupported ${method}`), { code: 4200 })
      }
    },
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener])
    },
    removeListener(event, listener) {
      listeners.set(event, (listeners.get(event) ?? []).filter((l) => l !== listener))
    },
    emit(event, value) {
      for (const l of listeners.get(event) ?? []) l(value)
    },
    setChain(id) {
      chainId = id
    },
  }
  return { provider, me }
}

describe('InjectedSigner against EIP-1193 provider objects: each error ends typed, nothing stored', () => {
  const cases = [
    { method: 'personal_sign', code: 4001, expected: 'USER_REJECTED' },
    { method: 'personal_sign', code: 4100, expected: 'SIGNER_UNAVAILABLE' },
    { method: 'personal_sign', code: 4900, expected: 'SIGNER_DISCONNECTED' },
    { method: 'personal_sign', code: 4901, expected: 'SIGNER_DISCONNECTED' },
    { method: 'personal_sign', code: -32002, expected: 'SIGNER_BUSY' },
    { method: 'personal_sign', code: -32603, expected: 'DEVICE_ERROR' },
    { method: 'eth_requestAccounts', code: 4001, expected: 'USER_REJECTED' },
  ]
  for (const { method, code, expected } of cases) {
    it(`${method} failing with ${code} → ${expected}`, async () => {
      const { provider } = fakeWallet({ fail: { method, code } })
      const store = new MemoryKeyStore()
      const error = await InjectedSigner.open({ provider })
        .then((signer) => createIdentity(signer, store))
        .catch((e: unknown) => e)
      expect(error).toMatchObject({ code: expected })
      expect((error as Error).message).toContain('What to do:')
      expect(await store.get(storageTopic(fakeWallet().me.address))).toBeUndefined()
    })
  }

  it('a wallet that returns v = 0/1 works (normalized in one place)', async () => {
    const { provider, me } = fakeWallet({ vZeroOne: true })
    const signer = await InjectedSigner.open({ provider })
    const created = await createIdentity(signer, new MemoryKeyStore())
    expect(created.identity.address).toBe(me.address)
  })

  it('a signature from another account is refused, naming both', async () => {
    const other = LocalSigner.fromMnemonic(ANVIL_MNEMONIC, { path: "m/44'/60'/0'/0/6" })
    const { provider, me } = fakeWallet({ signAs: other })
    const signer = await InjectedSigner.open({ provider })
    const store = new MemoryKeyStore()
    const error = await createIdentity(signer, store).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ACCOUNT_MISMATCH' })
    expect((error as Error).message).toContain(me.address)
    expect((error as Error).message).toContain(other.address)
    expect(await store.get(storageTopic(me.address))).toBeUndefined()
  })

  it('an account switch between the two signatures is noticed; nothing is stored', async () => {
    const { provider, me } = fakeWallet()
    const signer = await InjectedSigner.open({ provider })
    const store = new MemoryKeyStore()
    const error = await createIdentity(signer, store, {
      onProgress: (e) => {
        if (e.type === 'signature-verified' && e.purpose === 'create-identity') provider.emit('accountsChanged', ['0x000000000000000000000000000000000000dEaD'])
      },
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ACCOUNT_MISMATCH' })
    expect((error as Error).message).toContain('0x000000000000000000000000000000000000dEaD')
    expect(await store.get(storageTopic(me.address))).toBeUndefined()
    provider.emit('accountsChanged', [me.address])
    expect((await createIdentity(signer, store)).created).toBe(true)
  })

  it('a chain switch between the two signatures is noticed; nothing is stored', async () => {
    const { provider, me } = fakeWallet()
    const signer = await InjectedSigner.open({ provider, chainId: 1 })
    const store = new MemoryKeyStore()
    const error = await createIdentity(signer, store, {
      onProgress: (e) => {
        if (e.type === 'signature-verified' && e.purpose === 'create-identity') {
          provider.setChain(8453)
          provider.emit('chainChanged', '0x2105')
        }
      },
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'WRONG_CHAIN', expectedChainId: 1, actualChainId: 8453 })
    expect(await store.get(storageTopic(me.address))).toBeUndefined()
  })
})

describe('EIP-6963 discovery', () => {
  it('lists the announced wallets with name and icon, and the legacy window.ethereum once', async () => {
    const target = new EventTarget() as EventTarget & { ethereum?: Eip1193Provider }
    const rabby = fakeWallet().provider
    const metamask = fakeWallet().provider
    const legacyOnly = fakeWallet().provider
    target.addEventListener('eip6963:requestProvider', () => {
      for (const [name, provider] of [['Rabby', rabby], ['MetaMask', metamask]] as const) {
        const info = { uuid: `uuid-${name}`, name, icon: `data:image/svg+xml,<svg id="${name}"/>`, rdns: `io.${name.toLowerCase()}` }
        target.dispatchEvent(Object.assign(new Event('eip6963:announceProvider'), { detail: Object.freeze({ info, provider }) }))
      }
    })
    target.ethereum = metamask // MetaMask also injects window.ethereum: listed once
    let wallets = await discoverInjectedWallets({ target, timeoutMs: 20 })
    expect(wallets.map((w) => w.info.name)).toEqual(['Rabby', 'MetaMask'])
    expect(wallets[0]!.info.icon).toContain('svg')
    target.ethereum = legacyOnly
    wallets = await discoverInjectedWallets({ target, timeoutMs: 20 })
    expect(wallets.map((w) => w.info.name)).toEqual(['Rabby', 'MetaMask', 'Browser wallet (window.ethereum)'])
    const signer = await InjectedSigner.open({ provider: wallets[1]!.provider })
    expect(signer.address).toBe(fakeWallet().me.address)
  })
})

describe('bounded waits and aborts (issue 10)', () => {
  it('timeouts are validated where given: NaN, Infinity, 0 and negatives are InvalidInputError', async () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 0, -1]) {
      expect(() => httpProvider(anvil.rpcUrl, { timeoutMs: bad })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
      await expect(discoverInjectedWallets({ timeoutMs: bad, target: new EventTarget() })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    }
  })

  it('an abort ends the HTTP request itself: anvil is not waited for, and the signer says ABORTED', async () => {
    const provider = httpProvider(anvil.rpcUrl)
    const controller = new AbortController()
    controller.abort()
    // The provider alone: the fetch is cancelled, a typed RPC error.
    await expect(provider.request({ method: 'eth_chainId' }, { signal: controller.signal })).rejects.toMatchObject({ code: 'RPC_UNAVAILABLE' })
    const signer = await InjectedSigner.open({ provider, account: anvil.accounts[3]!, requestAccounts: false })
    await expect(signer.signPersonalMessage('never', { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' })
    expect(await signer.signPersonalMessage('still works')).toHaveLength(65)
  })
})
