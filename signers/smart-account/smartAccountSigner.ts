import type { PublicClient } from 'viem'
import { publicClientFor } from './viemClient.js'
import {
  abortable,
  checksumAddress,
  hashPersonalMessage,
  hexToBytes,
  InvalidInputError,
  isXmtpSignersError,
  throwIfAborted,
  to0xHex,
  UnsupportedOperationError,
  type Address,
  type Hex,
  type Reproducibility,
  type SignOptions,
  type Signer,
  type SignerCapabilities,
  type TypedData,
} from '../../src/adapter/index.js'
import { RpcUnavailableError, WrongChainError } from '../../src/index.js'
import { SCHEMES, wrapErc6492, type SchemeName } from './schemes/index.js'

export type SmartAccountSignerOptions = {
  /** An RPC of the account's chain (or a viem public client). */
  rpcUrl?: string
  client?: PublicClient
  /** The smart account. */
  account: string
  /** Refuse an RPC that serves another chain. */
  chainId?: number
  /** How the account validates signatures: Safe, Coinbase Smart Wallet, ERC-7739, or plain ERC-1271. */
  scheme: SchemeName
  /** The owner who signs for the account — any signer: Ledger, Trezor, injected, local. */
  owner?: Signer
  /** Several owners, for a multisig (Safe threshold > 1): each signs; their signatures are combined. */
  owners?: Signer[]
  /** Coinbase Smart Wallet: the owner's index in the account's owner list. */
  ownerIndex?: number
  /** Not deployed yet: its factory and calldata, so signatures are ERC-6492 wrapped until it is. */
  counterfactual?: { factory: string; factoryCalldata: Hex }
  /** erc7739: the account's EIP-712 domain name and version; read from the account (ERC-5267) when deployed. */
  eip712Domain?: { name: string; version: string }
}

function rpcError(url: string, error: unknown): never {
  if (isXmtpSignersError(error)) throw error
  throw new RpcUnavailableError(url, { details: error instanceof Error ? error.message.split('\n')[0] : String(error), cause: error })
}

/**
 * A smart account as a signer: its owner(s) sign what the account's scheme asks for (EIP-712 for
 * Safe, Coinbase, ERC-7739), the result is wrapped into the account's signature, and the account
 * contract itself — on chain, through the RPC — says whether it accepts it.
 */
export class SmartAccountSigner implements Signer {
  readonly address: Address
  readonly capabilities: SignerCapabilities
  readonly scheme: SchemeName
  readonly owners: readonly Signer[]
  readonly #client: PublicClient
  readonly #rpc: string
  readonly #options: SmartAccountSignerOptions
  readonly #eip712Domain: { name: string; version: string } | undefined

  private constructor(
    client: PublicClient,
    rpc: string,
    chainId: number,
    reproducible: Reproducibility,
    options: SmartAccountSignerOptions,
    owners: Signer[],
    eip712Domain: { name: string; version: string } | undefined,
  ) {
    this.#client = client
    this.#rpc = rpc
    this.#options = options
    this.#eip712Domain = eip712Domain
    this.address = checksumAddress(options.account)
    this.scheme = options.scheme
    this.owners = owners
    this.capabilities = { kind: 'smart-account', accountType: 'SCW', reproducibleSignatures: reproducible, typedData: false, chainId }
  }

  /** Connects to the chain, checks it is the expected one, and whether the account is deployed. */
  static async open(options: SmartAccountSignerOptions): Promise<SmartAccountSigner> {
    const scheme = SCHEMES[options.scheme]
    if (!scheme) throw new InvalidInputError(`Unknown smart-account scheme "${String(options.scheme)}".`, { nextStep: 'Use safe, coinbase, erc7739 or erc1271.' })
    const owners = options.owners ?? (options.owner ? [options.owner] : [])
    if (owners.length === 0) throw new InvalidInputError('A smart-account signer needs an owner signer.', { nextStep: 'Pass `owner` (or `owners` for a multisig).' })
    if (options.scheme !== 'erc1271' && owners.some((o) => !o.capabilities.typedData || !o.signTypedData)) {
      throw new UnsupportedOperationError(`The ${options.scheme} scheme needs an owner that signs EIP-712 typed data.`, {
        nextStep: 'Use an owner signer with typed-data support (Ledger, Trezor, injected wallets and local keys all have it).',
      })
    }
    const rpc = options.rpcUrl ?? 'the given client'
    if (!options.client && !options.rpcUrl) throw new InvalidInputError('A smart-account signer needs an RPC of its chain.', { nextStep: 'Pass `rpcUrl` (or a viem `client`).' })
    const client = await publicClientFor(options)
    const chainId = await client.getChainId().catch((e: unknown) => rpcError(rpc, e))
    if (options.chainId !== undefined && options.chainId !== chainId) {
      throw new WrongChainError({ expected: options.chainId, actual: chainId, what: `The account ${checksumAddress(options.account)}` })
    }
    const code = await client.getCode({ address: checksumAddress(options.account) }).catch((e: unknown) => rpcError(rpc, e))
    const deployed = code !== undefined && code !== '0x'
    if (!deployed && !options.counterfactual) {
      throw new InvalidInputError(`No contract is deployed at ${checksumAddress(options.account)} on chain ${chainId}.`, {
        nextStep: 'Check the account address and rpcUrl; for an account not deployed yet, give `counterfactual` (its factory and factory calldata, ERC-6492).',
      })
    }
    // Several owners can sign in more than one valid way; a counterfactual signature changes once deployed.
    const reproducible: Reproducibility =
      owners.length > 1 || !deployed ? 'no' : owners[0]!.capabilities.reproducibleSignatures === 'yes' ? 'yes' : 'unknown'
    let eip712Domain = options.eip712Domain
    if (options.scheme === 'erc7739' && !eip712Domain) {
      if (!deployed) {
        throw new InvalidInputError('An ERC-7739 account that is not deployed yet cannot tell its EIP-712 domain.', {
          nextStep: 'Give the account’s EIP-712 domain name and version as the `eip712Domain` option.',
        })
      }
      const { domain } = await client.getEip712Domain({ address: checksumAddress(options.account) }).catch((e: unknown) => rpcError(rpc, e))
      eip712Domain = { name: domain.name, version: domain.version }
    }
    return new SmartAccountSigner(client, rpc, chainId, reproducible, options, owners, eip712Domain)
  }

  async signPersonalMessage(text: string, options: SignOptions = {}): Promise<Uint8Array> {
    const { signal } = options
    const what = 'smart-account signature'
    throwIfAborted(signal, what)
    const scheme = SCHEMES[this.scheme]
    const ctx = {
      account: this.address,
      chainId: this.capabilities.chainId!,
      hash: to0xHex(hashPersonalMessage(text)),
      message: text,
      ...(this.#eip712Domain ? { eip712Domain: this.#eip712Domain } : {}),
    }
    const request = scheme.ownerRequest(ctx)
    const ownerSignatures = []
    for (const owner of this.owners) {
      // Each owner gets the signal: an abort cancels the prompt of whichever owner is asked now, and no later one is asked.
      throwIfAborted(signal, what)
      const signature =
        request.kind === 'typed-data'
          ? await owner.signTypedData!(request.typedData as TypedData, { signal })
          : await owner.signPersonalMessage(request.text, { signal })
      ownerSignatures.push({ owner: owner.address, signature })
    }
    let signature = scheme.wrap(ctx, ownerSignatures, this.#options.ownerIndex === undefined ? undefined : { ownerIndex: this.#options.ownerIndex })
    if (this.#options.counterfactual && !(await abortable(this.isDeployed(), signal, what))) {
      signature = wrapErc6492({ factory: checksumAddress(this.#options.counterfactual.factory), factoryCalldata: this.#options.counterfactual.factoryCalldata, signature })
    }
    return hexToBytes(signature, 'account signature')
  }

  async isDeployed(): Promise<boolean> {
    const code = await this.#client.getCode({ address: this.address }).catch((e: unknown) => rpcError(this.#rpc, e))
    return code !== undefined && code !== '0x'
  }

  /** Asks the chain (ERC-1271, or the ERC-6492 universal validator) whether the account accepts `signature` for `hash`. */
  async verifySignature(hash: Uint8Array, signature: Uint8Array, blockNumber?: bigint): Promise<{ valid: boolean; blockNumber: bigint }> {
    const at = blockNumber ?? (await this.#client.getBlockNumber({ cacheTime: 0 }).catch((e: unknown) => rpcError(this.#rpc, e)))
    const valid = await this.#client
      .verifyHash({ address: this.address, hash: to0xHex(hash), signature: to0xHex(signature), blockNumber: at })
      .catch((e: unknown) => rpcError(this.#rpc, e))
    return { valid, blockNumber: at }
  }

  async close(): Promise<void> {
    for (const owner of this.owners) await owner.close()
  }
}
