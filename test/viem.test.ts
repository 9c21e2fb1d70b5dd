/**
 * xmtp-signers/viem both ways, with real viem: viem local accounts and wallet clients over a real anvil as
 * Signers (conformance, create → unlock), the refusals typed, and our Signers (Ledger through its emulator
 * and the real hw-app-eth, a local key) as viem accounts whose signatures viem itself verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWalletClient, http, UserRejectedRequestError, verifyMessage, verifyTypedData, type Hex } from 'viem'
import { mnemonicToAccount, privateKeyToAccount, toAccount } from 'viem/accounts'
import { checkSignerConformance, EIP712_MAIL_EXAMPLE } from '../src/adapter/conformance.js'
import { TEST_MNEMONIC, to0xHex, type Signer } from '../src/adapter/index.js'
import { createIdentity, isXmtpSignersError, MemoryKeyStore, unlockIdentity } from '../src/index.js'
import { LedgerSigner } from '../signers/ledger/index.js'
import { createEmulatorTransport, LedgerEmulator } from '../signers/ledger/emulator/index.js'
import { LocalSigner } from '../signers/local/index.js'
import { fromViemAccount, fromViemWalletClient, isViemAccount, toViemAccount } from '../signers/viem/index.js'
import { startAnvil, type Anvil } from './support/anvil.js'

const OK = { ok: true, failures: [] }
/** Anvil's dev account 1 (m/44'/60'/0'/0/1 of TEST_MNEMONIC), a well-known test key. */
const KEY_1: Hex = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'

async function createThenUnlock(signer: Signer): Promise<void> {
  const store = new MemoryKeyStore()
  const created = await createIdentity(signer, store)
  const unlocked = await unlockIdentity(signer, store)
  expect(unlocked.created).toBe(false)
  expect(unlocked.identity.encodeContactBundle(1)).toEqual(created.identity.encodeContactBundle(1))
}

/** Resolves the typed error a promise (or a throwing call) ends with. */
async function failure(run: () => unknown): Promise<{ code: string; message: string }> {
  try {
    await run()
  } catch (error) {
    if (!isXmtpSignersError(error)) throw error
    return { code: error.code, message: error.message }
  }
  throw new Error('expected a typed error, but it succeeded')
}

describe('fromViemAccount', () => {
  it('keeps the Signer contract for privateKeyToAccount and mnemonicToAccount, declaring reproducible signatures', async () => {
    expect(await checkSignerConformance(() => fromViemAccount(privateKeyToAccount(KEY_1)))).toEqual(OK)
    expect(await checkSignerConformance(() => fromViemAccount(mnemonicToAccount(TEST_MNEMONIC)))).toEqual(OK)
    const signer = fromViemAccount(mnemonicToAccount(TEST_MNEMONIC, { addressIndex: 1 }))
    expect(signer.address).toBe(privateKeyToAccount(KEY_1).address)
    expect(signer.capabilities).toEqual({ kind: 'viem', accountType: 'EOA', reproducibleSignatures: 'yes', typedData: true })
  })

  it('takes a custom toAccount, declares its reproducibility unknown, and checksums its address', async () => {
    const inner = privateKeyToAccount(KEY_1)
    const custom = toAccount({ ...inner, address: inner.address.toLowerCase() as Hex })
    const signer = fromViemAccount(custom)
    expect(signer.address).toBe(inner.address)
    expect(signer.capabilities.reproducibleSignatures).toBe('unknown')
    expect(await checkSignerConformance(() => fromViemAccount(custom))).toEqual(OK)
    // Without signTypedData it declares no typed data and refuses it typed.
    const messagesOnly = fromViemAccount(toAccount({ address: inner.address, signMessage: inner.signMessage, signTransaction: inner.signTransaction } as never))
    expect(messagesOnly.capabilities.typedData).toBe(false)
    expect((await failure(() => messagesOnly.signTypedData!(EIP712_MAIL_EXAMPLE))).code).toBe('UNSUPPORTED_OPERATION')
  })

  it('creates and unlocks an identity through a viem local account', async () => {
    await createThenUnlock(fromViemAccount(privateKeyToAccount(KEY_1)))
    await createThenUnlock(fromViemAccount(mnemonicToAccount(TEST_MNEMONIC, { addressIndex: 2 })))
  })

  it('checks every signature: an account that signs with another key is AccountMismatchError', async () => {
    const other = privateKeyToAccount(KEY_1)
    const liar = toAccount({ ...mnemonicToAccount(TEST_MNEMONIC), signMessage: other.signMessage, signTypedData: other.signTypedData })
    const signer = fromViemAccount(liar)
    expect((await failure(() => signer.signPersonalMessage('hello'))).code).toBe('ACCOUNT_MISMATCH')
    expect((await failure(() => signer.signTypedData!(EIP712_MAIL_EXAMPLE))).code).toBe('ACCOUNT_MISMATCH')
  })

  it('ends a pending request on abort, maps a rejection, and is closed after close()', async () => {
    const inner = privateKeyToAccount(KEY_1)
    let answer: 'hang' | 'reject' = 'hang'
    const wallet = toAccount({
      ...inner,
      signMessage: () => (answer === 'hang' ? new Promise<Hex>(() => undefined) : Promise.reject(new UserRejectedRequestError(new Error('User denied message signature.')))),
    })
    const signer = fromViemAccount(wallet)
    const controller = new AbortController()
    const pending = signer.signPersonalMessage('hello', { signal: controller.signal })
    setTimeout(() => controller.abort(), 20)
    expect((await failure(() => pending)).code).toBe('ABORTED')
    answer = 'reject'
    expect((await failure(() => signer.signPersonalMessage('hello'))).code).toBe('USER_REJECTED')
    await signer.close()
    await signer.close()
    const closed = await failure(() => signer.signPersonalMessage('hello'))
    expect(closed.code).toBe('SIGNER_CLOSED')
    expect(closed.message).toContain('fromViemAccount')
  })

  it('refuses a JSON-RPC account, a client and anything else with a typed error naming what to use', async () => {
    const jsonRpc = toAccount('0x70997970C51812dc3A010C7d01b50e0d17dc79C8')
    expect(isViemAccount(jsonRpc)).toBe(true)
    const refused = await failure(() => fromViemAccount(jsonRpc))
    expect(refused.code).toBe('INVALID_INPUT')
    expect(refused.message).toContain('fromViemWalletClient')
    const client = createWalletClient({ transport: http('http://127.0.0.1:1') })
    expect((await failure(() => fromViemAccount(client as never))).message).toContain('fromViemWalletClient(client)')
    expect((await failure(() => fromViemAccount({} as never))).message).toContain('privateKeyToAccount')
    expect((await failure(() => fromViemAccount({ address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', type: 'smart' } as never))).message).toContain('SmartAccountSigner')
  })
})

describe('fromViemWalletClient (a real anvil)', () => {
  let anvil: Anvil
  beforeAll(async () => {
    anvil = await startAnvil()
  })
  afterAll(async () => {
    await anvil?.stop()
  })

  it('keeps the Signer contract for an unlocked node account and for a client holding a local key', async () => {
    const account = anvil.accounts[3]!
    const remote = () => fromViemWalletClient(createWalletClient({ account, transport: http(anvil.rpcUrl) }))
    expect(await checkSignerConformance(remote)).toEqual(OK)
    expect(remote().address).toBe(account)
    expect(remote().capabilities).toEqual({ kind: 'viem', accountType: 'EOA', reproducibleSignatures: 'unknown', typedData: true })

    const local = () => fromViemWalletClient(createWalletClient({ account: privateKeyToAccount(KEY_1), transport: http(anvil.rpcUrl) }))
    expect(await checkSignerConformance(local)).toEqual(OK)
    expect(local().capabilities.reproducibleSignatures).toBe('yes')
  })

  it('creates and unlocks an identity through each client', async () => {
    await createThenUnlock(fromViemWalletClient(createWalletClient({ account: anvil.accounts[4]!, transport: http(anvil.rpcUrl) })))
    await createThenUnlock(fromViemWalletClient(createWalletClient({ account: privateKeyToAccount(KEY_1), transport: http(anvil.rpcUrl) })))
  })

  it('signs as the account it is given, never silently as the node’s first account', async () => {
    const bare = createWalletClient({ transport: http(anvil.rpcUrl) })
    const refused = await failure(() => fromViemWalletClient(bare))
    expect(refused.code).toBe('INVALID_INPUT')
    expect(refused.message).toContain('{ account')

    const chosen = fromViemWalletClient(bare, { account: anvil.accounts[5]!.toLowerCase() })
    expect(chosen.address).toBe(anvil.accounts[5])
    const signature = await chosen.signPersonalMessage('which account?')
    expect(await verifyMessage({ address: anvil.accounts[5]!, message: 'which account?', signature: to0xHex(signature) })).toBe(true)
    // An option overrides the client's own account.
    const client = createWalletClient({ account: anvil.accounts[0]!, transport: http(anvil.rpcUrl) })
    expect(fromViemWalletClient(client, { account: privateKeyToAccount(KEY_1) }).address).toBe(privateKeyToAccount(KEY_1).address)
    expect((await failure(() => fromViemWalletClient(bare, { account: '0x123' }))).code).toBe('INVALID_INPUT')
  })

  it('maps a node that does not hold the account to a typed error, and an unreachable node to RPC_UNAVAILABLE', async () => {
    // Anvil unlocks only its dev accounts: it cannot sign for this address.
    const notHeld = fromViemWalletClient(createWalletClient({ account: '0x000000000000000000000000000000000000dEaD', transport: http(anvil.rpcUrl) }))
    const notHeldError = await failure(() => notHeld.signPersonalMessage('x'))
    expect(notHeldError.code).toBe('SIGNER_UNAVAILABLE')
    expect(notHeldError.message).toContain('the node holding this account')
    const down = fromViemWalletClient(createWalletClient({ account: anvil.accounts[0]!, transport: http('http://127.0.0.1:1', { retryCount: 0 }) }))
    expect((await failure(() => down.signPersonalMessage('x'))).code).toBe('RPC_UNAVAILABLE')
  })
})

describe('toViemAccount', () => {
  it('makes a Ledger (emulator, real hw-app-eth) a viem account whose signatures viem verifies', async () => {
    const ledger = await LedgerSigner.open({ openTransport: async () => createEmulatorTransport(new LedgerEmulator()) })
    try {
      const account = toViemAccount(ledger)
      expect(account.address).toBe(ledger.address)
      expect(account.type).toBe('local')

      const message = 'Sign in to example.org\nNonce: 42 ✓'
      const signature = await account.signMessage({ message })
      expect(await verifyMessage({ address: account.address, message, signature })).toBe(true)
      const raw = new TextEncoder().encode(message)
      expect(await account.signMessage({ message: { raw } })).toBe(signature)
      expect(await account.signMessage({ message: { raw: to0xHex(raw) } })).toBe(signature)

      const typed = { ...EIP712_MAIL_EXAMPLE, domain: { ...EIP712_MAIL_EXAMPLE.domain, verifyingContract: EIP712_MAIL_EXAMPLE.domain.verifyingContract as Hex } }
      const typedSignature = await account.signTypedData(typed as never)
      const verifyParameters = { ...typed, address: account.address, signature: typedSignature } as unknown as Parameters<typeof verifyTypedData>[0]
      expect(await verifyTypedData(verifyParameters)).toBe(true)

      // An app's own viem code signs with it through a wallet client, and a round trip keeps the Ledger's reproducibility.
      const client = createWalletClient({ account, transport: http('http://127.0.0.1:1') })
      expect(await client.signMessage({ message })).toBe(signature)
      expect(fromViemAccount(account).capabilities).toEqual({ kind: 'viem', accountType: 'EOA', reproducibleSignatures: 'yes', typedData: true })

      const refusedTx = await failure(() => account.signTransaction({ to: account.address, value: 1n, chainId: 1, gas: 21000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n, nonce: 0 }))
      expect(refusedTx.code).toBe('UNSUPPORTED_OPERATION')
      const refusedRaw = await failure(() => account.signMessage({ message: { raw: '0xfffe' } }))
      expect(refusedRaw.code).toBe('UNSUPPORTED_OPERATION')
      expect(refusedRaw.message).toContain('UTF-8')
    } finally {
      await ledger.close()
    }
  })

  it('signs exactly the bytes viem’s own privateKeyToAccount signs, and round-trips through fromViemAccount', async () => {
    const ours = toViemAccount(LocalSigner.fromPrivateKey(KEY_1))
    const viems = privateKeyToAccount(KEY_1)
    for (const message of ['hello', '', { raw: '0x68656c6c6f' as Hex }]) {
      expect(await ours.signMessage({ message })).toBe(await viems.signMessage({ message }))
    }
    const withBigints = { ...EIP712_MAIL_EXAMPLE, domain: { ...EIP712_MAIL_EXAMPLE.domain, chainId: 1n } }
    expect(await ours.signTypedData(withBigints as never)).toBe(await viems.signTypedData(withBigints as never))
    // An explicit EIP712Domain type (as eth_signTypedData_v4 carries it) signs the same digest.
    const explicit = {
      ...withBigints,
      types: {
        EIP712Domain: [
          { name: 'name', type: 'string' },
          { name: 'version', type: 'string' },
          { name: 'chainId', type: 'uint256' },
          { name: 'verifyingContract', type: 'address' },
        ],
        ...withBigints.types,
      },
    }
    expect(await ours.signTypedData(explicit as never)).toBe(await viems.signTypedData(withBigints as never))
    expect(await checkSignerConformance(() => fromViemAccount(toViemAccount(LocalSigner.fromPrivateKey(KEY_1))))).toEqual(OK)
  })

  it('refuses what is not a Signer, naming what to use', async () => {
    expect((await failure(() => toViemAccount(privateKeyToAccount(KEY_1) as never))).message).toContain('fromViemAccount')
    expect((await failure(() => toViemAccount({} as never))).code).toBe('INVALID_INPUT')
    // A smart account's signatures do not recover to its address: wrapped and unwrapped again, it is refused.
    const scw: Signer = {
      address: privateKeyToAccount(KEY_1).address,
      capabilities: { kind: 'smart-account', accountType: 'SCW', reproducibleSignatures: 'yes', typedData: false, chainId: 1 },
      signPersonalMessage: async () => new Uint8Array(65),
      close: async () => undefined,
    }
    const scwAccount = toViemAccount(scw)
    expect((await failure(() => fromViemAccount(scwAccount))).message).toContain('Pass the Signer you gave toViemAccount')
  })
})
