// Runs in the page before its own scripts: an EIP-1193 wallet announced over EIP-6963, whose
// requests go through a Playwright binding to the Node side (test/browser/support/anvilWallet.ts),
// which answers from anvil.
export {}

type Reply = { result?: unknown; error?: { code: number; message: string; data?: unknown } }
type TestWindow = Window & { __anvilWallet?: (request: { method: string; params: unknown }) => Promise<Reply> }

const testWindow = window as TestWindow
const ICON =
  'data:image/svg+xml;base64,' +
  btoa('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#f5a623"/><path d="M8 22l8-12 8 12z" fill="#fff"/></svg>')
const listeners = new Map<string, Set<(...args: unknown[]) => void>>()

const provider = {
  async request({ method, params }: { method: string; params?: unknown }): Promise<unknown> {
    const binding = testWindow.__anvilWallet
    if (!binding) throw Object.assign(new Error('The wallet is not reachable.'), { code: 4900 })
    const reply = await binding({ method, params: params ?? [] })
    if (reply.error) throw Object.assign(new Error(reply.error.message), { code: reply.error.code, data: reply.error.data })
    return reply.result
  },
  on(event: string, listener: (...args: unknown[]) => void) {
    if (!listeners.has(event)) listeners.set(event, new Set())
    listeners.get(event)!.add(listener)
    return provider
  },
  removeListener(event: string, listener: (...args: unknown[]) => void) {
    listeners.get(event)?.delete(listener)
    return provider
  },
}

const info = Object.freeze({ uuid: crypto.randomUUID(), name: 'Anvil Test Wallet', icon: ICON, rdns: 'org.xmtp-signers.test-wallet' })
const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider }) }))
window.addEventListener('eip6963:requestProvider', announce)
announce()
