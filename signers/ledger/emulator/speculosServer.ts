import { createServer, type Socket } from 'node:net'
import type { LedgerEmulator } from './emulator.js'
import { assertLoopbackHost, listenOnLoopback } from '../../shared/loopbackServer.js'

export type SpeculosServer = {
  host: string
  port: number
  /** `speculos://127.0.0.1:PORT`. */
  url: string
  close(): Promise<void>
}

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
  assertLoopbackHost(host, 'The Speculos emulator server')
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

  const address = await listenOnLoopback(server, host, options.port, 'The Speculos emulator server')
  const urlHost = address.urlHost
  return {
    host: address.host,
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
