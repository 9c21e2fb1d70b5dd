import type { PublicClient } from 'viem'
import { optionalPackage } from '../../src/adapter/index.js'

// viem is a peer dependency of this entry point: loaded when a signer or a check first needs the chain.
const loadViem = optionalPackage({ packages: ['viem'], feature: 'xmtp-signers/smart-account' }, () => import('viem'))

/** The caller's client, or one for `rpcUrl` with bounded requests (15 s, one retry). */
export async function publicClientFor(options: { client?: PublicClient | undefined; rpcUrl?: string | undefined }): Promise<PublicClient> {
  if (options.client) return options.client
  const { createPublicClient, http } = await loadViem()
  return createPublicClient({ transport: http(options.rpcUrl, { timeout: 15_000, retryCount: 1 }) })
}
