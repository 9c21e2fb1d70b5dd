import {
  abortable,
  AccountMismatchError,
  checksumAddress,
  expectSignedBy,
  hashPersonalMessage,
  hashTypedData,
  InvalidInputError,
  sameAddress,
  throwIfAborted,
  to0xHex,
  typedDataToJson,
  utf8,
  type XmtpSignersError,
  type Address,
  type SignOptions,
  type Signer,
  type SignerCapabilities,
  type TypedData,
} from '../../src/adapter/index.js'
import { SignerUnavailableError, WrongChainError } from '../../src/index.js'
import { toProviderError } from './errors.js'
import type { Eip1193Provider } from './providers.js'

export type InjectedSignerOptions = {
  provider: Eip1193Provider
  /** Which account to use; default the first the wallet grants. */
  account?: string
  /** Ask the wallet to connect (eth_requestAccounts, shows a prompt) rather than only read eth_accounts. */
  requestAccounts?: boolean
  /** Refuse to sign while the wallet is on another chain. */
  chainId?: number
}

/**
 * Any EIP-1193 wallet (MetaMask, Rabby, Coinbase Wallet, a desktop wallet's loopback RPC, anvil).
 * The account and chain are re-checked before each request, so a switch between the two XMTP
 * signatures is noticed, and every signature must recover to the account.
 */
export class InjectedSigner implements Signer {
  readonly address: Address
  readonly chainId: number
  // Wallets do not say whether their signatures are deterministic: the engine signs the storage text twice.
  readonly capabilities: SignerCapabilities
  readonly #provider: Eip1193Provider
  readonly #unsubscribe: () => void
  #changed: XmtpSignersError | undefined

  private constructor(provider: Eip1193Provider, address: Address, chainId: number) {
    this.#provider = provider
    this.address = address
    this.chainId = chainId
    this.capabilities = { kind: 'injected', accountType: 'EOA', reproducibleSignatures: 'unknown', typedData: true, chainId }
    const onAccounts = (...args: unknown[]) => {
      const accounts = (args[0] as string[] | undefined) ?? []
      if (!accounts.some((a) => sameAddress(a, address))) {
        this.#changed = new AccountMismatchError({
          expected: address,
          actual: accounts[0] ? checksumAddress(accounts[0]) : 'no account',
          what: 'The wallet’s selected account',
          nextStep: `Switch the wallet back to ${address} and retry; nothing was stored.`,
        })
      } else this.#changed = undefined
    }
    const onChain = (...args: unknown[]) => {
      const next = Number(args[0])
      this.#changed = next === chainId ? undefined : new WrongChainError({ expected: chainId, actual: next, what: 'The wallet' })
    }
    provider.on?.('accountsChanged', onAccounts)
    provider.on?.('chainChanged', onChain)
    this.#unsubscribe = () => {
      provider.removeListener?.('accountsChanged', onAccounts)
      provider.removeListener?.('chainChanged', onChain)
    }
  }

  /** Reads (or asks for) the wallet's account and chain; every hardware and software adapter opens the same way. */
  static async open(options: InjectedSignerOptions): Promise<InjectedSigner> {
    const { provider } = options
    const call = (method: string, params: unknown[] = []) => provider.request({ method, params }).catch((e: unknown) => Promise.reject(toProviderError(e)))
    const accounts = ((await call(options.requestAccounts === false ? 'eth_accounts' : 'eth_requestAccounts')) as string[] | undefined) ?? []
    if (accounts.length === 0) {
      throw new SignerUnavailableError('The wallet shares no account with this site.', { nextStep: 'Unlock the wallet and connect an account, then retry.' })
    }
    const wanted = options.account ? checksumAddress(options.account) : checksumAddress(accounts[0]!)
    if (!accounts.some((a) => sameAddress(a, wanted))) {
      throw new AccountMismatchError({ expected: wanted, actual: checksumAddress(accounts[0]!), what: 'The wallet’s account', nextStep: `Select ${wanted} in the wallet (or connect it to this site) and retry.` })
    }
    const chainId = Number(await call('eth_chainId'))
    if (options.chainId !== undefined && chainId !== options.chainId) throw new WrongChainError({ expected: options.chainId, actual: chainId, what: 'The wallet' })
    return new InjectedSigner(provider, wanted, chainId)
  }

  /** @deprecated The old name of `open`. */
  static connect(options: InjectedSignerOptions): Promise<InjectedSigner> {
    return InjectedSigner.open(options)
  }

  /**
   * EIP-1193 has no cancel: the signal goes to providers that take one (viem's), and the wait ends on
   * abort either way; a wallet popup still open is the person's to dismiss.
   */
  async #request(method: string, params: unknown[], signal: AbortSignal | undefined, what: string): Promise<unknown> {
    throwIfAborted(signal, what)
    const pending = this.#provider.request({ method, params }, signal ? { signal } : undefined).catch((e: unknown) => Promise.reject(toProviderError(e)))
    return abortable(pending, signal, what)
  }

  /** A switch of account or chain since connecting fails the next request instead of signing with the wrong one. */
  async #checkUnchanged(signal: AbortSignal | undefined, what: string): Promise<void> {
    if (this.#changed) throw this.#changed
    const chainId = Number(await this.#request('eth_chainId', [], signal, what))
    if (chainId !== this.chainId) throw new WrongChainError({ expected: this.chainId, actual: chainId, what: 'The wallet' })
  }

  async signPersonalMessage(text: string, options: SignOptions = {}): Promise<Uint8Array> {
    const what = 'message signature'
    throwIfAborted(options.signal, what)
    if (text.length === 0) throw new InvalidInputError('Wallets cannot sign an empty message.')
    await this.#checkUnchanged(options.signal, what)
    // MetaMask's order: [data, address], the data as 0x hex of the UTF-8 text.
    const result = await this.#request('personal_sign', [to0xHex(utf8(text)), this.address], options.signal, what)
    return this.#checked(result, hashPersonalMessage(text), 'The wallet’s message signature')
  }

  async signTypedData(typedData: TypedData, options: SignOptions = {}): Promise<Uint8Array> {
    const what = 'typed-data signature'
    throwIfAborted(options.signal, what)
    await this.#checkUnchanged(options.signal, what)
    const result = await this.#request('eth_signTypedData_v4', [this.address, JSON.stringify(typedDataToJson(typedData))], options.signal, what)
    return this.#checked(result, hashTypedData(typedData), 'The wallet’s typed-data signature')
  }

  #checked(result: unknown, digest: Uint8Array, what: string): Uint8Array {
    if (typeof result !== 'string') throw new InvalidInputError('The wallet answered a signature request with something that is not hex.')
    return expectSignedBy({ account: this.address, digest, signature: result, what })
  }

  async close(): Promise<void> {
    this.#unsubscribe()
  }
}
