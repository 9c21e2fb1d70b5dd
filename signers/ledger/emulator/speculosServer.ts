import { createServer, type Socket } from 'node:net'
import type { LedgerEmulator } from './emulator.js'

export type SpeculosServer = {
  host: string
  port: number
  /** `speculos://127.0.0.1:PORT`. */
  url: string
  close(): Promise<void>
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])
/** An APDU is at most 5 + 255 bytes; anything far larger is not a Speculos client. */
const MAX_REQUEST = 4096

/**
 * Serves `emulator` with Speculos' APDU framing over TCP, so `@ledgerhq/hw-transport-node-speculos`
 * (and any Speculos client) reaches it: request `u32BE length || apdu`, response
 * `u32BE length(data) || data || SW`. Loopback only: the emulator signs with real keys.
 * An unplugged device closes every connection; a busy one closes the connection that asked.
 */
export async function startSpeculosServer(emulator: LedgerEmulator, options: { host?: string; port?: number } = {}): Promise<SpeculosServer> {
  const host = options.host ?? '127.0.0.1'
  if (!LOOPBACK.has(host)) throw new Error(`The Speculos emulator server listens on loopback only (127.0.0.1 or ::1), not ${host}.`)
  const sockets = new Set<Socket>()

  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    if (!emulator.connected) {
      socket.destroy()
      return
    }
    let pending = Buffer.alloc(0)
    let queue = Promise.resolve()
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk])
      while (pending.length >= 4) {
        const length = pending.readUInt32BE(0)
        if (length > MAX_REQUEST) {
          socket.destroy()
          return
        }
        if (pending.length < 4 + length) break
        const apdu = pending.subarray(4, 4 + length)
        pending = pending.subarray(4 + length)
        // One APDU at a time per connection, answered in order.
        queue = queue.then(async () => {
          if (socket.destroyed) return
          try {
            const response = await emulator.exchange(apdu)
            const header = Buffer.alloc(4)
            header.writeUInt32BE(response.length - 2)
            socket.write(Buffer.concat([header, response]))
          } catch {
            socket.destroy()
          }
        })
      }
    })
  })

  const stopListening = emulator.addDisconnectListener(() => {
    for (const socket of sockets) socket.destroy()
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host, port: options.port ?? 0, exclusive: true }, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('The Speculos emulator server has no TCP address.')
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    host: address.address,
    port: address.port,
    url: `speculos://${urlHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        stopListening()
        for (const socket of sockets) socket.destroy()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
