import { InvalidInputError, validTimeoutMs } from '../../src/adapter/index.js'
import { toProviderError } from './errors.js'

/** An EIP-1193 provider: what `window.ethereum` and EIP-6963 announcements hand over. */
export type Eip1193Provider = {
  /** `options.signal`: viem-style providers cancel on it; others ignore the second argument. */
  request(args: { method: string; params?: unknown[] | Record<string, unknown> }, options?: { signal?: AbortSignal }): Promise<unknown>
  on?(event: string, listener: (...args: unknown[]) => void): unknown
  removeListener?(event: string, listener: (...args: unknown[]) => void): unknown
}

/** EIP-6963: one wallet a page offers. */
export type InjectedWallet = { info: { uuid: string; name: string; icon: string; rdns: string }; provider: Eip1193Provider }

type EventTargetLike = {
  addEventListener(type: string, listener: (event: Event) => void): void
  removeEventListener(type: string, listener: (event: Event) => void): void
  dispatchEvent(event: Event): boolean
}

/**
 * Lists the wallets the page offers (EIP-6963 announcements, collected for `timeoutMs`), plus the
 * legacy `window.ethereum` when no announced wallet is that same provider.
 */
export async function discoverInjectedWallets(options: { timeoutMs?: number; target?: EventTargetLike & { ethereum?: Eip1193Provider } } = {}): Promise<InjectedWallet[]> {
  const timeoutMs = validTimeoutMs(options.timeoutMs, 'timeoutMs', 200)
  const target = options.target ?? (globalThis as unknown as EventTargetLike & { ethereum?: Eip1193Provider })
  if (typeof target.addEventListener !== 'function') return []
  const found = new Map<string, InjectedWallet>()
  const onAnnounce = (event: Event) => {
    const detail = (event as CustomEvent<InjectedWallet>).detail
    if (detail?.info?.uuid && typeof detail.provider?.request === 'function' && !found.has(detail.info.uuid)) found.set(detail.info.uuid, detail)
  }
  target.addEventListener('eip6963:announceProvider', onAnnounce)
  try {
    target.dispatchEvent(new Event('eip6963:requestProvider'))
    await new Promise((resolve) => setTimeout(resolve, timeoutMs))
  } finally {
    target.removeEventListener('eip6963:announceProvider', onAnnounce)
  }
  const wallets = [...found.values()]
  const legacy = target.ethereum
  if (legacy && !wallets.some((w) => w.provider === legacy)) {
    wallets.push({ info: { uuid: 'window.ethereum', name: 'Browser wallet (window.ethereum)', icon: '', rdns: '' }, provider: legacy })
  }
  return wallets
}

/**
 * A provider that speaks JSON-RPC over HTTP: for desktop wallets that serve one on loopback, and
 * for development nodes (anvil's unlocked accounts answer personal_sign and eth_signTypedData_v4).
 */
export function httpProvider(url: string, options: { timeoutMs?: number } = {}): Eip1193Provider {
  if (!/^https?:\/\//.test(url)) throw new InvalidInputError(`Not an HTTP JSON-RPC URL: ${url}`, { nextStep: 'Write it as http://127.0.0.1:8545.' })
  const timeoutMs = validTimeoutMs(options.timeoutMs, 'timeoutMs', 60_000)
  let id = 0
  return {
    async request({ method, params }, requestOptions) {
      // The caller's abort ends the HTTP request too, not only the wait for it.
      const deadline = AbortSignal.timeout(timeoutMs)
      const signal = requestOptions?.signal ? AbortSignal.any([requestOptions.signal, deadline]) : deadline
      let response: Response
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params: params ?? [] }),
          signal,
        })
      } catch (error) {
        throw toProviderError(error, url)
      }
      const body = (await response.json().catch(() => undefined)) as { result?: unknown; error?: { code: number; message: string } } | undefined
      if (!body) throw toProviderError(new TypeError(`HTTP ${response.status} with no JSON-RPC body`), url)
      if (body.error) throw toProviderError(body.error, url)
      return body.result
    },
  }
}
