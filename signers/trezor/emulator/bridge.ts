import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { DeviceBusyError, DeviceGoneError, type TrezorEmulator } from './emulator.js'
import { MODELS } from './models.js'
import { MalformedFrameError, readFrame } from './messages.js'
import { assertLoopbackHost, listenOnLoopback } from '../../shared/loopbackServer.js'

export type TrezorBridgeOptions = {
  /** 127.0.0.1 (default), ::1 or localhost: the bridge drives a device holding real keys. */
  host?: string
  /** Default 0: a free port. @trezor/connect looks at 21325 unless given `new BridgeTransport({ port })`. */
  port?: number
  /** What `POST /` reports (default '2.0.33', the last trezord-go); connect calls versions below 3 outdated. */
  version?: string
  /** How long /listen holds a request when nothing changes (default 10 s; trezord-go holds 5 minutes). */
  listenTimeoutMs?: number
}

export type TrezorBridge = {
  /** `http://127.0.0.1:PORT`. */
  url: string
  host: string
  port: number
  /** Every request, in order: `/acquire/1/null`, `/call/2`, … (for tests and debugging). */
  readonly requests: string[]
  /** Ends open requests (long polls included) and stops listening; frees the port. */
  close(): Promise<void>
}

/** A bridge-level description of the device, as /enumerate and /listen give it. */
type Descriptor = {
  path: string
  vendor: number
  product: number
  type: number
  debug: boolean
  session: string | null
  sessionOwner: string | null
  debugSession: null
}

// trezord's CORS rule: pages on trezor.io, and localhost:5xxx/8xxx for development. @trezor/transport
// in Node sends `Origin: https://wallet.trezor.io`; requests with no or another Origin get 403.
const ALLOWED_ORIGINS = [/^https:\/\/([A-Za-z0-9\-_]+\.)*trezor\.io$/, /^https?:\/\/localhost:[58]\d{3}$/]
/** A Trezor message is at most a few hundred kB; a body far larger is not a bridge client. */
const MAX_BODY = 4 * 1024 * 1024
/** Who holds the device when the 'used-elsewhere' fault steals it. */
export const OTHER_APP = 'another app (emulated)'

/** trezord's error strings, which @trezor/transport matches exactly. */
const ERRORS = {
  sessionNotFound: 'session not found',
  wrongPrevious: 'wrong previous session',
  deviceNotFound: 'device not found',
  disconnected: 'device disconnected during action',
  otherCall: 'other call in progress',
  malformed: 'malformed data',
} as const

class BridgeError extends Error {}

/** How long a call outlives its session's end before failing, so /listen reports the change first. */
const LATE_FAILURE_MS = 50
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Serves `emulator` as Trezor Bridge (trezord) does over HTTP, so the real @trezor/connect and
 * @trezor/transport find it: `POST /` (version), `/enumerate`, `/listen` (long poll), `/acquire`,
 * `/release`, `/call`, `/post`, `/read`, with hex bodies of `u16BE type || u32BE length || protobuf`.
 * Loopback only. Errors are trezord's `400 {"error": "…"}` with its exact strings.
 */
export async function startTrezorBridge(emulator: TrezorEmulator, options: TrezorBridgeOptions = {}): Promise<TrezorBridge> {
  const host = options.host ?? '127.0.0.1'
  assertLoopbackHost(host, 'The Trezor bridge emulator')
  const version = options.version ?? '2.0.33'
  const listenTimeoutMs = options.listenTimeoutMs ?? 10_000
  const requests: string[] = []
  const usb = MODELS[emulator.model].usb

  let sessionCounter = 0
  /** The one session on the device (trezord allows one per device), or none. */
  let session: { id: string; owner: string | null } | undefined
  /** The /call or /read waiting for the device's answer, per session. */
  const reading = new Map<string, AbortController>()
  const listeners = new Set<() => void>()
  const sockets = new Set<Socket>()

  const descriptors = (): Descriptor[] =>
    emulator.connected
      ? [{ path: emulator.usbPath, vendor: usb.vendor, product: usb.product, type: usb.type, debug: false, session: session?.id ?? null, sessionOwner: session?.owner ?? null, debugSession: null }]
      : []
  const notify = () => {
    for (const listener of [...listeners]) listener()
  }
  /** Ends the session; a call still waiting on it fails with `error` (after listeners learnt why). */
  const endSession = (error: string) => {
    if (!session) return
    const pending = reading.get(session.id)
    session = undefined
    notify()
    // Let /listen answer first, so connect learns why before the call fails (as with trezord, where the
    // enumeration change and the failed USB read race, and connect handles either order).
    if (pending) setTimeout(() => pending.abort(new BridgeError(error)), LATE_FAILURE_MS).unref()
  }

  const stopUsb = emulator.addUsbListener((event) => {
    if (event === 'unplugged') endSession(ERRORS.disconnected)
    else if (event === 'stolen') {
      endSession(ERRORS.sessionNotFound)
      session = { id: String(++sessionCounter), owner: OTHER_APP }
      notify()
    } else notify()
  })

  const sameDevices = (a: unknown, b: Descriptor[]) => {
    if (!Array.isArray(a) || a.length !== b.length) return false
    return b.every((d, i) => {
      const o = a[i] as Partial<Descriptor> | null
      return o !== null && typeof o === 'object' && o.path === d.path && (o.session ?? null) === d.session
    })
  }

  const routes: Record<string, (param: string[], body: string, signal: AbortSignal) => Promise<unknown>> = {
    '': async () => ({ version }),
    enumerate: async () => descriptors(),
    listen: async (_, body, signal) => {
      let known: unknown
      try {
        known = JSON.parse(body || '[]')
      } catch {
        throw new BridgeError('invalid character in listen body')
      }
      if (!sameDevices(known, descriptors())) return descriptors()
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer)
          listeners.delete(onChange)
          signal.removeEventListener('abort', done)
          resolve()
        }
        const onChange = () => {
          if (!sameDevices(known, descriptors())) done()
        }
        const timer = setTimeout(done, listenTimeoutMs)
        listeners.add(onChange)
        signal.addEventListener('abort', done)
      })
      return descriptors()
    },
    acquire: async ([path = '', previous = 'null'], body) => {
      if (!emulator.connected || path !== emulator.usbPath) throw new BridgeError(ERRORS.deviceNotFound)
      if ((session?.id ?? 'null') !== previous) throw new BridgeError(ERRORS.wrongPrevious)
      let owner: string | null = null
      try {
        const parsed = JSON.parse(body || '{}') as { sessionOwner?: unknown }
        if (typeof parsed.sessionOwner === 'string') owner = parsed.sessionOwner
      } catch {
        // trezord-go ignores the body; the Node bridge reads sessionOwner from it.
      }
      endSession(ERRORS.sessionNotFound)
      emulator.flush()
      session = { id: String(++sessionCounter), owner }
      notify()
      return { session: session.id }
    },
    release: async ([id = '']) => {
      if (session?.id !== id) throw new BridgeError(ERRORS.sessionNotFound)
      endSession(ERRORS.sessionNotFound)
      return { session: id }
    },
    call: (param, body, signal) => exchange(param[0] ?? '', body, signal, 'call'),
    post: (param, body, signal) => exchange(param[0] ?? '', body, signal, 'post'),
    read: (param, body, signal) => exchange(param[0] ?? '', body, signal, 'read'),
  }

  async function exchange(id: string, body: string, signal: AbortSignal, mode: 'call' | 'post' | 'read'): Promise<string> {
    if (session?.id !== id) throw new BridgeError(ERRORS.sessionNotFound)
    if (mode !== 'post' && reading.has(id)) throw new BridgeError(ERRORS.otherCall)
    if (mode !== 'read') {
      if (!/^([0-9a-fA-F]{2})*$/.test(body)) throw new BridgeError(ERRORS.malformed)
      const frame = Buffer.from(body, 'hex')
      try {
        readFrame(frame)
        emulator.write(frame)
      } catch (error) {
        if (error instanceof MalformedFrameError) throw new BridgeError(ERRORS.malformed)
        if (error instanceof DeviceBusyError) throw new BridgeError(ERRORS.otherCall)
        if (error instanceof DeviceGoneError) throw new BridgeError(ERRORS.disconnected)
        throw error
      }
      if (session?.id !== id) {
        // The message unplugged the device or let another app take it ('disconnect', 'used-elsewhere').
        await delay(LATE_FAILURE_MS)
        throw new BridgeError(emulator.connected ? ERRORS.sessionNotFound : ERRORS.disconnected)
      }
      if (mode === 'post') return ''
    } else if (body !== '') throw new BridgeError('non-empty body on read mode')
    const controller = new AbortController()
    reading.set(id, controller)
    const onClientGone = () => controller.abort(new BridgeError('request closed'))
    signal.addEventListener('abort', onClientGone)
    try {
      const frame = await emulator.read(controller.signal)
      return Buffer.from(frame).toString('hex')
    } catch (error) {
      if (error instanceof BridgeError) {
        // trezord releases the session of a call whose client went away.
        if (signal.aborted && session?.id === id) endSession(ERRORS.sessionNotFound)
        throw error
      }
      if (error instanceof DeviceGoneError) {
        // The device answers no more; endSession() fails this call with the reason shortly.
        const ended = new Promise<void>((resolve) => (controller.signal.aborted ? resolve() : controller.signal.addEventListener('abort', () => resolve())))
        await Promise.race([ended, delay(4 * LATE_FAILURE_MS)])
        throw controller.signal.reason instanceof BridgeError ? controller.signal.reason : new BridgeError(ERRORS.disconnected)
      }
      throw error
    } finally {
      signal.removeEventListener('abort', onClientGone)
      if (reading.get(id) === controller) reading.delete(id)
    }
  }

  const server = createServer((req, res) => void handle(req, res))
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://bridge')
    requests.push(url.pathname)
    const origin = req.headers.origin
    if (typeof origin !== 'string' || !ALLOWED_ORIGINS.some((re) => re.test(origin))) {
      res.writeHead(403).end()
      req.resume()
      return
    }
    res.setHeader('Access-Control-Allow-Origin', origin)
    if (req.method === 'OPTIONS') {
      res.writeHead(200, { 'Access-Control-Allow-Methods': 'POST, OPTIONS', 'Access-Control-Allow-Headers': 'Accept, Accept-Language, Content-Language, Origin, Content-Type' }).end()
      req.resume()
      return
    }
    const [name = '', ...params] = url.pathname.split('/').filter(Boolean)
    const route = Object.hasOwn(routes, name) && req.method === 'POST' ? routes[name] : undefined
    if (!route) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found\n')
      req.resume()
      return
    }
    const client = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) client.abort()
    })
    let body = ''
    try {
      body = await readBody(req)
      const result = await route(params, body.trim(), client.signal)
      if (res.destroyed) return
      if (typeof result === 'string') res.writeHead(200, { 'Content-Type': 'text/plain' }).end(result)
      else res.writeHead(200, { 'Content-Type': 'application/json' }).end(`${JSON.stringify(result)}\n`)
    } catch (error) {
      if (res.destroyed) return
      const message = error instanceof BridgeError ? error.message : `internal error: ${(error as Error).message}`
      res.writeHead(400, { 'Content-Type': 'application/json' }).end(`${JSON.stringify({ error: message })}\n`)
    }
  }

  const address = await listenOnLoopback(server, host, options.port, 'The Trezor bridge emulator')
  const urlHost = address.urlHost
  let closing: Promise<void> | undefined
  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.host,
    port: address.port,
    requests,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        stopUsb()
        for (const controller of reading.values()) controller.abort(new BridgeError('bridge closed'))
        for (const listener of [...listeners]) listener()
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
        for (const socket of sockets) socket.destroy()
      })),
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) {
        req.destroy()
        reject(new BridgeError('request body too large'))
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
