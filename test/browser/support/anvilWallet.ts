import type { Address } from 'viem'

type Reply = { result?: unknown; error?: { code: number; message: string; data?: unknown } }

// What a wallet does without asking the person again; anything else is refused as unsupported.
const FORWARDED = new Set(['eth_chainId', 'net_version', 'eth_blockNumber', 'personal_sign', 'eth_signTypedData_v4', 'eth_call', 'eth_getCode'])

/**
 * The Node side of the page's EIP-6963 test wallet: it grants one of anvil's unlocked accounts and
 * forwards signing to anvil's own personal_sign, as a browser wallet would after the person approves.
 */
export class AnvilWalletBridge {
  readonly calls: { method: string; params: unknown }[] = []
  /** The next personal_sign is refused as a person pressing "Reject" (EIP-1193 code 4001). */
  rejectNextSignature = false
  #id = 0

  constructor(
    readonly rpcUrl: string,
    readonly account: Address,
  ) {}

  async handle({ method, params }: { method: string; params: unknown }): Promise<Reply> {
    this.calls.push({ method, params })
    if (method === 'eth_requestAccounts' || method === 'eth_accounts') return { result: [this.account] }
    if (method === 'personal_sign' && this.rejectNextSignature) {
      this.rejectNextSignature = false
      return { error: { code: 4001, message: 'User rejected the request.' } }
    }
    if (!FORWARDED.has(method)) return { error: { code: 4200, message: `The wallet does not support ${method}.` } }
    const response = await fetch(this.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++this.#id, method, params }),
      signal: AbortSignal.timeout(10_000),
    })
    const body = (await response.json()) as Reply
    return body.error ? { error: body.error } : { result: body.result }
  }
}
