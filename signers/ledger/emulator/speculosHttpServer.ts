import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { hexToBytes, toHex } from '../../../src/adapter/index.js'
import type { EmulatorScreen } from '../../shared/emulatorScreens.js'
import { assertLoopbackHost, LOOPBACK_HOSTS, listenOnLoopback } from '../../shared/loopbackServer.js'
import { MAX_APDU_DATA } from '../protocol.js'
import type { LedgerEmulator } from './emulator.js'

export type SpeculosHttpServer = {
  host: string
  port: number
  /** `http://127.0.0.1:PORT`: what `speculosTransportFactory(url)` takes. */
  url: `http://${string}`
  close(): Promise<void>
}

/** One text Speculos saw drawn on the screen, as its `GET /events` lists them. */
export type SpeculosEvent = { text: string; x: number; y: number; w: number; h: number; clear: boolean }

/** `{"data": "<hex of 5 + 255 bytes>"}` is about 540 bytes; a body far larger is not a Speculos client. */
const MAX_BODY_BYTES = 4096
/** Events kept for `GET /events`, oldest dropped first: a long test must not grow memory without bound. */
const MAX_EVENTS = 1000
/** Speculos draws each text line at a fixed left margin, one line height apart. */
const LINE = { x: 0, height: 12, width: 128 } as const
const HEX = /^(?:[0-9a-fA-F]{2})*$/

/** The lines the device draws for a screen, as Speculos reports the texts it saw. */
export function screenTexts(screen: EmulatorScreen): string[] {
  switch (screen.kind) {
    case 'address':
      return ['Verify Ethereum address', screen.address, 'Approve', 'Reject']
    case 'sign-message':
      return ['Review message', screen.text, 'Sign message', 'Reject']
    case 'sign-typed-data':
      return screen.mode === 'full'
        ? ['Review typed message', screen.primaryType, ...Object.keys(screen.message ?? {}), 'Sign typed message', 'Reject']
        : ['Review typed message', `Domain hash ${screen.domainHash ?? ''}`, `Message hash ${screen.messageHash ?? ''}`, 'Sign typed message', 'Reject']
    case 'open-app':
      return [`Open ${screen.appName}?`, 'Open app', 'Reject']
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
  response.end(text)
}

/** The request body, at most MAX_BODY_BYTES; undefined (socket destroyed) when larger. */
function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        request.socket.destroy()
        resolve(undefined)
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
    request.on('close', () => resolve(undefined))
  })
}

/** The Host header names this loopback server: a page on another name (DNS rebinding) is refused. */
function hostIsLoopback(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false
  const name = hostHeader.startsWith('[') ? hostHeader.slice(1, hostHeader.indexOf(']')) : hostHeader.split(':')[0]!
  return LOOPBACK_HOSTS.has(name)
}

function apduFromBody(body: string): Uint8Array | string {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return 'The body is not JSON: send {"data": "<hex APDU>"}.'
  }
  const data = (parsed as { data?: unknown } | null)?.data
  if (typeof data !== 'string' || !HEX.test(data)) return 'Send {"data": "<hex APDU>"}: an even number of hex digits.'
  if (data.length < 8 || data.length > 2 * (5 + MAX_APDU_DATA)) return `An APDU is 4 to ${5 + MAX_APDU_DATA} bytes.`
  return hexToBytes(data)
}

/**
 * Serves `emulator` with Speculos' HTTP REST API, so `@ledgerhq/device-transport-kit-speculos` (DMK) and
 * any Speculos REST client reach it: `POST /apdu` `{"data": hex}` → `{"data": hex data ‖ SW}`,
 * `GET /events` → `{"events": [...]}` (`?currentscreenonly=true`: the screen in front), `DELETE /events`,
 * and `GET /events?stream=true`, a `text/event-stream` of `data: {event}` lines as texts are drawn.
 * APDUs are answered one at a time in arrival order (Speculos' endpoint lock). Loopback only. Faults apply
 * as on the device: an unplugged device closes every connection and refuses new ones (a Speculos that went
 * away); `busy` answers 409; `delay` delays the answer.
 */
export async function startSpeculosHttpServer(emulator: LedgerEmulator, options: { host?: string; port?: number } = {}): Promise<SpeculosHttpServer> {
  const host = options.host ?? '127.0.0.1'
  assertLoopbackHost(host, 'The Speculos REST emulator server')
  const sockets = new Set<Socket>()
  const streams = new Set<ServerResponse>()
  const events: SpeculosEvent[] = []
  let currentScreen: SpeculosEvent[] = []
  let closing = false
  // One APDU at a time, as Speculos' endpoint lock does: a request that arrives meanwhile waits its turn.
  let turn: Promise<unknown> = Promise.resolve()

  const stopScreens = emulator.addScreenListener((screen) => {
    const drawn = screenTexts(screen).map((text, line) => ({ text, x: LINE.x, y: line * LINE.height, w: LINE.width, h: LINE.height, clear: line === 0 }))
    currentScreen = drawn
    events.push(...drawn)
    if (events.length > MAX_EVENTS) events.splice(0, events.length - MAX_EVENTS)
    for (const stream of streams) for (const event of drawn) stream.write(`data: ${JSON.stringify(event)}\n\n`)
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!emulator.connected || closing) {
      request.socket.destroy()
      return
    }
    if (!hostIsLoopback(request.headers.host)) return sendJson(response, 403, { error: 'This emulator answers loopback host names only.' })
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/apdu') {
      if (request.method !== 'POST') return sendJson(response, 405, { error: 'POST {"data": "<hex APDU>"} to /apdu.' })
      // A JSON content type makes a browser preflight, which this server never grants: no web page can sign.
      if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
        return sendJson(response, 415, { error: 'Send the APDU as application/json.' })
      }
      const body = await readBody(request)
      if (body === undefined) return
      const apdu = apduFromBody(body)
      if (typeof apdu === 'string') return sendJson(response, 400, { error: apdu })
      const exchange = turn.then(() => (request.socket.destroyed ? undefined : emulator.exchange(apdu)))
      turn = exchange.catch(() => {})
      let answer: Uint8Array | undefined
      try {
        answer = await exchange
      } catch (error) {
        const name = (error as Error).name
        if (name === 'TransportRaceCondition') return sendJson(response, 409, { error: 'Another APDU is being answered: wait for it, then retry.' })
        // Unplugged: the disconnect listener already closed this connection, as a Speculos that went away.
        request.socket.destroy()
        return
      }
      if (answer === undefined || response.destroyed) return
      return sendJson(response, 200, { data: toHex(answer) })
    }
    if (url.pathname === '/events') {
      if (request.method === 'DELETE') {
        events.length = 0
        currentScreen = []
        return sendJson(response, 200, {})
      }
      if (request.method !== 'GET') return sendJson(response, 405, { error: 'GET or DELETE /events.' })
      if (url.searchParams.get('stream') === 'true') {
        response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' })
        response.flushHeaders()
        streams.add(response)
        response.on('close', () => streams.delete(response))
        return
      }
      const current = url.searchParams.get('currentscreenonly') === 'true'
      return sendJson(response, 200, { events: current ? currentScreen : events })
    }
    return sendJson(response, 404, { error: `No ${request.method ?? ''} ${url.pathname}: this emulator serves /apdu and /events.` })
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => request.socket.destroy())
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    if (!emulator.connected) socket.destroy()
  })
  server.on('clientError', (_error, socket) => socket.destroy())

  const stopDisconnects = emulator.addDisconnectListener(() => {
    for (const socket of sockets) socket.destroy()
  })

  let address: Awaited<ReturnType<typeof listenOnLoopback>>
  try {
    address = await listenOnLoopback(server, host, options.port, 'The Speculos REST emulator server')
  } catch (error) {
    stopScreens()
    stopDisconnects()
    throw error
  }
  return {
    host: address.host,
    port: address.port,
    url: `http://${address.urlHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing = true
        stopScreens()
        stopDisconnects()
        for (const stream of streams) stream.end()
        for (const socket of sockets) socket.destroy()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
