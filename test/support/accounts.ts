import { createRequire } from 'node:module'
import {
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  getContractAddress,
  keccak256,
  pad,
  zeroAddress,
  concatHex,
  BaseError,
  RpcRequestError,
  type Abi,
  type Address,
  type Hash,
  type Hex,
} from 'viem'
import { to0xHex } from '../../src/bytes.js'
import type { Signer, TypedData } from '../../src/signer.js'
import { LocalSigner } from '../../signers/local/index.js'
import { loadContracts } from '../contracts/compile.js'
import { ANVIL_MNEMONIC, type Anvil } from './anvil.js'

// Real smart accounts on a test anvil: Safe 1.5.0 from its npm artifacts, and the small accounts in
// test/contracts (Coinbase-style, OpenZeppelin ERC-7739, plain ERC-1271). Every deployer returns
// the account address once its transaction is mined; transactions are sent from dev account 0.

const require = createRequire(import.meta.url)

type Artifact = { abi: Abi; bytecode: Hex }
function safeArtifact(path: string): Artifact {
  const { abi, bytecode } = require(`@safe-global/safe-smart-account/build/artifacts/contracts/${path}`) as Artifact
  return { abi, bytecode }
}
const SAFE = safeArtifact('Safe.sol/Safe.json')
const SAFE_PROXY_FACTORY = safeArtifact('proxies/SafeProxyFactory.sol/SafeProxyFactory.json')
const COMPATIBILITY_FALLBACK_HANDLER = safeArtifact('handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json')

/** The EIP-712 domain name and version of test/contracts/Erc7739Account.sol (its `eip712Domain()`). */
export const ERC7739_ACCOUNT_DOMAIN = { name: 'Erc7739Account', version: '1' } as const

const SENTINEL_OWNERS: Address = '0x0000000000000000000000000000000000000001'

const devSigners = new Map<number, LocalSigner>()
/** The key behind anvil dev account `index` (m/44'/60'/0'/0/index of the test mnemonic), as a LocalSigner. */
export function devSigner(index: number): LocalSigner {
  let signer = devSigners.get(index)
  if (!signer) {
    signer = LocalSigner.fromMnemonic(ANVIL_MNEMONIC, { path: `m/44'/60'/0'/0/${index}` })
    devSigners.set(index, signer)
  }
  return signer
}

async function mined(anvil: Anvil, hash: Hash) {
  const receipt = await anvil.client.waitForTransactionReceipt({ hash, pollingInterval: 20, timeout: 10_000 })
  if (receipt.status !== 'success') throw new Error(`transaction ${hash} reverted`)
  return receipt
}

async function deploy(anvil: Anvil, artifact: Artifact, args: readonly unknown[] = []): Promise<Address> {
  const hash = await anvil.client.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args, account: anvil.accounts[0]!, chain: anvil.chain })
  const { contractAddress } = await mined(anvil, hash)
  if (!contractAddress) throw new Error('deployment returned no contract address')
  return getAddress(contractAddress)
}

async function send(anvil: Anvil, to: Address, data: Hex) {
  const hash = await anvil.client.sendTransaction({ to, data, account: anvil.accounts[0]!, chain: anvil.chain })
  return mined(anvil, hash)
}

type Infrastructure = { safeSingleton: Address; safeProxyFactory: Address; fallbackHandler: Address; erc7739Factory: Address }
const infrastructure = new WeakMap<Anvil, Promise<Infrastructure>>()

/** The shared contracts (Safe singleton, proxy factory, fallback handler, ERC-7739 factory), deployed once per anvil. */
function infra(anvil: Anvil): Promise<Infrastructure> {
  let promise = infrastructure.get(anvil)
  if (!promise) {
    promise = (async () => ({
      // One after the other: they come from one account, so their nonces must not race.
      safeSingleton: await deploy(anvil, SAFE),
      safeProxyFactory: await deploy(anvil, SAFE_PROXY_FACTORY),
      fallbackHandler: await deploy(anvil, COMPATIBILITY_FALLBACK_HANDLER),
      erc7739Factory: await deploy(anvil, loadContracts().Erc7739AccountFactory),
    }))()
    infrastructure.set(anvil, promise)
  }
  return promise
}

let saltCounter = 0n

// ---- Safe 1.5.0 ---------------------------------------------------------------------------------

/** A real Safe 1.5.0 proxy with CompatibilityFallbackHandler (so it answers ERC-1271). */
export async function deploySafe(anvil: Anvil, params: { owners: readonly Address[]; threshold: number; saltNonce?: bigint }): Promise<Address> {
  const { safeSingleton, safeProxyFactory, fallbackHandler } = await infra(anvil)
  const initializer = encodeFunctionData({
    abi: SAFE.abi,
    functionName: 'setup',
    args: [params.owners, BigInt(params.threshold), zeroAddress, '0x', fallbackHandler, zeroAddress, 0n, zeroAddress],
  })
  const args = [safeSingleton, initializer, params.saltNonce ?? saltCounter++] as const
  const { result } = await anvil.client.simulateContract({
    address: safeProxyFactory,
    abi: SAFE_PROXY_FACTORY.abi,
    functionName: 'createProxyWithNonce',
    args,
    account: anvil.accounts[0]!,
  })
  await send(anvil, safeProxyFactory, encodeFunctionData({ abi: SAFE_PROXY_FACTORY.abi, functionName: 'createProxyWithNonce', args }))
  return getAddress(result as Address)
}

export async function safeOwners(anvil: Anvil, safe: Address, blockNumber?: bigint): Promise<Address[]> {
  return (await anvil.client.readContract({ address: safe, abi: SAFE.abi, functionName: 'getOwners', blockNumber })) as Address[]
}

/**
 * Executes a call from the Safe through execTransaction, signed by `signers` (threshold-many owners)
 * over the SafeTx EIP-712 message; a dev account relays it. Resolves with the block it was mined in.
 */
export async function safeExecTransaction(
  anvil: Anvil,
  params: { safe: Address; to: Address; data: Hex; value?: bigint; signers: readonly Signer[] },
): Promise<{ transactionHash: Hash; blockNumber: bigint }> {
  const { safe, to, data, value = 0n } = params
  const nonce = (await anvil.client.readContract({ address: safe, abi: SAFE.abi, functionName: 'nonce' })) as bigint
  const tx = { to, value, data, operation: 0, safeTxGas: 0n, baseGas: 0n, gasPrice: 0n, gasToken: zeroAddress, refundReceiver: zeroAddress, nonce }
  const typedData: TypedData = {
    domain: { chainId: anvil.chainId, verifyingContract: safe },
    types: {
      EIP712Domain: [
        { name: 'chainId', type: 'uint256' },
        { name: 'verifyingContract', type: 'address' },
      ],
      SafeTx: [
        { name: 'to', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'data', type: 'bytes' },
        { name: 'operation', type: 'uint8' },
        { name: 'safeTxGas', type: 'uint256' },
        { name: 'baseGas', type: 'uint256' },
        { name: 'gasPrice', type: 'uint256' },
        { name: 'gasToken', type: 'address' },
        { name: 'refundReceiver', type: 'address' },
        { name: 'nonce', type: 'uint256' },
      ],
    },
    primaryType: 'SafeTx',
    message: tx,
  }
  const signed = await Promise.all(params.signers.map(async (s) => ({ owner: BigInt(s.address), signature: await s.signTypedData!(typedData) })))
  signed.sort((a, b) => (a.owner < b.owner ? -1 : 1))
  const signatures = concatHex(signed.map((s) => to0xHex(s.signature)))
  const receipt = await send(
    anvil,
    safe,
    encodeFunctionData({
      abi: SAFE.abi,
      functionName: 'execTransaction',
      args: [tx.to, tx.value, tx.data, tx.operation, tx.safeTxGas, tx.baseGas, tx.gasPrice, tx.gasToken, tx.refundReceiver, signatures],
    }),
  )
  // execTransaction does not revert when the inner call fails; it emits ExecutionFailure instead.
  const nonceAfter = (await anvil.client.readContract({ address: safe, abi: SAFE.abi, functionName: 'nonce' })) as bigint
  if (nonceAfter !== nonce + 1n) throw new Error('the Safe transaction was not executed')
  const failed = receipt.logs.some((log) => log.address.toLowerCase() === safe.toLowerCase() && log.topics[0] === EXECUTION_FAILURE_TOPIC)
  if (failed) throw new Error('the Safe transaction was executed but its call failed (ExecutionFailure)')
  return { transactionHash: receipt.transactionHash, blockNumber: receipt.blockNumber }
}

const EXECUTION_FAILURE_TOPIC = keccak256(new TextEncoder().encode('ExecutionFailure(bytes32,uint256)'))

/** Removes `owner` from the Safe on chain (OwnerManager.removeOwner), setting the new threshold. */
export async function safeRemoveOwner(
  anvil: Anvil,
  params: { safe: Address; owner: Address; threshold: number; signers: readonly Signer[] },
): Promise<{ transactionHash: Hash; blockNumber: bigint }> {
  const owners = await safeOwners(anvil, params.safe)
  const index = owners.findIndex((o) => o.toLowerCase() === params.owner.toLowerCase())
  if (index < 0) throw new Error(`${params.owner} is not an owner of ${params.safe}`)
  const prevOwner = index === 0 ? SENTINEL_OWNERS : owners[index - 1]!
  const data = encodeFunctionData({ abi: SAFE.abi, functionName: 'removeOwner', args: [prevOwner, params.owner, BigInt(params.threshold)] })
  return safeExecTransaction(anvil, { safe: params.safe, to: params.safe, data, signers: params.signers })
}

/** Adds `owner` to the Safe on chain (OwnerManager.addOwnerWithThreshold). */
export async function safeAddOwner(
  anvil: Anvil,
  params: { safe: Address; owner: Address; threshold: number; signers: readonly Signer[] },
): Promise<{ transactionHash: Hash; blockNumber: bigint }> {
  const data = encodeFunctionData({ abi: SAFE.abi, functionName: 'addOwnerWithThreshold', args: [params.owner, BigInt(params.threshold)] })
  return safeExecTransaction(anvil, { safe: params.safe, to: params.safe, data, signers: params.signers })
}

// ---- the accounts in test/contracts -------------------------------------------------------------

/** CoinbaseStyleAccount: Coinbase Smart Wallet's ERC-1271 rules; owner i is `owners[i]` (abi-encoded, 32 bytes). */
export async function deployCoinbaseStyleAccount(anvil: Anvil, params: { owners: readonly Address[] }): Promise<Address> {
  const owners = params.owners.map((owner) => encodeAbiParameters([{ type: 'address' }], [owner]))
  return deploy(anvil, loadContracts().CoinbaseStyleAccount, [owners])
}

export async function deployPlainErc1271Account(anvil: Anvil, params: { owner: Address }): Promise<Address> {
  return deploy(anvil, loadContracts().PlainErc1271Account, [params.owner])
}

export type CounterfactualAccount = { address: Address; factory: Address; factoryCalldata: Hex }

/** An Erc7739Account's address and the factory call that deploys it there, without deploying it (ERC-6492). */
export async function counterfactualErc7739Account(anvil: Anvil, params: { owner: Address; salt?: Hex }): Promise<CounterfactualAccount> {
  const { erc7739Factory: factory } = await infra(anvil)
  const { Erc7739Account, Erc7739AccountFactory } = loadContracts()
  const salt = params.salt ?? pad(`0x${(saltCounter++).toString(16)}`, { size: 32 })
  const address = getContractAddress({
    opcode: 'CREATE2',
    from: factory,
    salt,
    bytecode: concatHex([Erc7739Account.bytecode, encodeAbiParameters([{ type: 'address' }], [params.owner])]),
  })
  const onChain = await anvil.client.readContract({ address: factory, abi: Erc7739AccountFactory.abi, functionName: 'getAddress', args: [params.owner, salt] })
  if ((onChain as Address).toLowerCase() !== address.toLowerCase()) throw new Error(`factory predicts ${onChain as Address}, computed ${address}`)
  const factoryCalldata = encodeFunctionData({ abi: Erc7739AccountFactory.abi, functionName: 'createAccount', args: [params.owner, salt] })
  return { address, factory, factoryCalldata }
}

/** Sends a counterfactual account's factory call, deploying it at its address. */
export async function deployCounterfactual(anvil: Anvil, account: CounterfactualAccount): Promise<Address> {
  await send(anvil, account.factory, account.factoryCalldata)
  const code = await anvil.client.getCode({ address: account.address })
  if (!code || code === '0x') throw new Error(`the factory call deployed nothing at ${account.address}`)
  return account.address
}

/** An OpenZeppelin Account + SignerECDSA + ERC7739, deployed through the factory (domain: ERC7739_ACCOUNT_DOMAIN). */
export async function deployErc7739Account(anvil: Anvil, params: { owner: Address; salt?: Hex }): Promise<Address> {
  return deployCounterfactual(anvil, await counterfactualErc7739Account(anvil, params))
}

// ---- checking ---------------------------------------------------------------------------------

const ERC1271_ABI = [
  {
    type: 'function',
    name: 'isValidSignature',
    stateMutability: 'view',
    inputs: [
      { name: 'hash', type: 'bytes32' },
      { name: 'signature', type: 'bytes' },
    ],
    outputs: [{ name: '', type: 'bytes4' }],
  },
] as const

/**
 * The account's own answer to `isValidSignature(hash, signature)` (one eth_call, optionally at a past
 * block): the 4 bytes it returned (`0x1626ba7e` means valid), or 'reverted'.
 */
export async function isValidSignatureCall(
  anvil: Anvil,
  params: { account: Address; hash: Hex; signature: Hex; blockNumber?: bigint },
): Promise<Hex | 'reverted'> {
  try {
    const { data } = await anvil.client.call({
      to: params.account,
      data: encodeFunctionData({ abi: ERC1271_ABI, functionName: 'isValidSignature', args: [params.hash, params.signature] }),
      blockNumber: params.blockNumber,
    })
    return data === undefined || data.length < 10 ? 'reverted' : (data.slice(0, 10) as Hex)
  } catch (error) {
    // The node answered with an error (a revert): anything else (no connection) is the test's problem.
    if (error instanceof BaseError && error.walk((e) => e instanceof RpcRequestError)) return 'reverted'
    throw error
  }
}
