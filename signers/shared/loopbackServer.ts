import type { Server } from 'node:net'

// The device emulators' servers (Speculos TCP, Trezor Bridge HTTP) listen on loopback only.
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '::1', 'localhost'])

export function assertLoopbackHost(host: string, what: string): void {
  if (!LOOPBACK_HOSTS.has(host)) throw new Error(`${what} listens on loopback only (127.0.0.1 or ::1), not ${host}.`)
}

/** Starts `server` on `host` (loopback) and the given or a free port; resolves with where it listens. */
export async function listenOnLoopback(server: Server, host: string, port: number | undefined, what: string): Promise<{ host: string; port: number; urlHost: string }> {
  assertLoopbackHost(host, what)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host, port: port ?? 0, exclusive: true }, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error(`${what} has no TCP address.`)
  return { host: address.address, port: address.port, urlHost: address.family === 'IPv6' ? `[${address.address}]` : address.address }
}
