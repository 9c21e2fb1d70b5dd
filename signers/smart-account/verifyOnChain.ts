import type { PublicClient } from 'viem'
import { publicClientFor } from './viemClient.js'
import { checksumAddress, hashPersonalMessage, hexToBytes, isXmtpSignersError, to0xHex } from '../../src/adapter/index.js'
import {
  formatAccountId,
  parseXmtpV3Text,
  RpcUnavailableError,
  verifyEncodedBundle,
  WrongChainError,
  type BundleFormat,
  type BundleVerification,
  type VerificationCheck,
  type XmtpV3Verification,
} from '../../src/index.js'

export type OnChainOptions = {
  rpcUrl?: string
  client?: PublicClient
  expectedAddress?: string
  format?: BundleFormat | 'auto'
  /** Where to ask the account: at the block recorded with the attestation (default), or now. */
  at?: 'recorded' | 'latest'
}

/**
 * Verifies a public bundle completely: every offline check, and for a smart-account attestation the
 * account contract's verdict, by `eth_call` at the block recorded with it, on the chain it names.
 */
export async function verifyBundleOnChain(input: Uint8Array | string, options: OnChainOptions): Promise<BundleVerification> {
  const report = verifyEncodedBundle(input, options)
  const attestation = report.smartAccount
  if (!attestation) return report
  const rpc = options.rpcUrl ?? 'the given client'
  const client = await publicClientFor(options)
  const fail = (error: unknown): never => {
    if (isXmtpSignersError(error)) throw error
    throw new RpcUnavailableError(rpc, { details: error instanceof Error ? error.message.split('\n')[0] : String(error), cause: error })
  }
  const chainId = await client.getChainId().catch(fail)
  if (chainId !== attestation.account.chainId) {
    throw new WrongChainError({ expected: attestation.account.chainId, actual: chainId, what: `The attesting account ${formatAccountId(attestation.account)}` })
  }
  const blockNumber = options.at === 'latest' ? await client.getBlockNumber({ cacheTime: 0 }).catch(fail) : attestation.blockNumber
  const valid = await client
    .verifyHash({ address: attestation.account.address, hash: to0xHex(attestation.hash), signature: to0xHex(attestation.signature), blockNumber })
    .catch(fail)
  const where = `${formatAccountId(attestation.account)} at block ${blockNumber}${options.at === 'latest' ? ' (latest)' : ''}`
  const checks: VerificationCheck[] = report.checks.map((check) =>
    check.name === 'identity-attested-by-wallet'
      ? {
          name: check.name,
          ok: valid,
          detail: valid
            ? `the smart account ${where} accepts its "XMTP : Create Identity" signature (ERC-1271 / ERC-6492, eth_call)`
            : `the smart account ${where} does not accept the signature`,
        }
      : check,
  )
  return { ...report, checks, valid: checks.every((c) => c.ok), walletAddress: valid ? attestation.account.address : undefined }
}

/**
 * Verifies a smart account's signature of an XMTP v3 text ("XMTP : Authenticate to inbox …"), as
 * XMTP v3 does: ERC-1271 (or the ERC-6492 universal validator) by `eth_call` at the recorded block.
 */
export async function verifyXmtpV3SmartAccountSignature(params: {
  text: string
  signature: Uint8Array | string
  account: string
  chainId: number | bigint
  blockNumber: bigint
  rpcUrl?: string
  client?: PublicClient
}): Promise<XmtpV3Verification> {
  const text = parseXmtpV3Text(params.text)
  const rpc = params.rpcUrl ?? 'the given client'
  const client = await publicClientFor(params)
  const fail = (error: unknown): never => {
    if (isXmtpSignersError(error)) throw error
    throw new RpcUnavailableError(rpc, { details: error instanceof Error ? error.message.split('\n')[0] : String(error), cause: error })
  }
  const account = checksumAddress(params.account)
  const chainId = await client.getChainId().catch(fail)
  if (BigInt(chainId) !== BigInt(params.chainId)) throw new WrongChainError({ expected: Number(params.chainId), actual: chainId, what: `The account ${account}` })
  const signature = typeof params.signature === 'string' ? hexToBytes(params.signature, 'signature') : params.signature
  const valid = await client
    .verifyHash({ address: account, hash: to0xHex(hashPersonalMessage(params.text)), signature: to0xHex(signature), blockNumber: params.blockNumber })
    .catch(fail)
  return {
    valid,
    text,
    signer: valid ? account : undefined,
    detail: `${account} on chain ${chainId} ${valid ? 'accepts' : 'does not accept'} the signature at block ${params.blockNumber}`,
  }
}
