/**
 * A loopback-only stand-in for an XMTP v2 node's HTTP API (the gRPC gateway, `message/v1`), with just
 * what `@xmtp/xmtp-js@13.0.4` uses to create, store and load keys:
 *
 *   POST /message/v1/query        {contentTopics:[t], pagingInfo?:{limit, direction, cursor?}, startTimeNs?, endTimeNs?}
 *                                 → {envelopes:[{contentTopic, timestampNs:"<decimal>", message:"<base64>"}], pagingInfo}
 *   POST /message/v1/batch-query  {requests:[QueryRequest…]} → {responses:[QueryResponse…]}
 *   POST /message/v1/publish      {envelopes:[Envelope…]} → {}
 *
 * Bodies are JSON as the gateway speaks it: bytes are standard base64, uint64 are decimal strings,
 * enums are their names. A malformed request is answered 400 `{code: 3, message}` (xmtp-js throws it
 * as a GrpcError), an unknown path 404 `{code: 5}`. Paging works as the gateway's: when more
 * envelopes match than `limit`, the response carries a cursor and the client asks again with it.
 *
 * The server listens on 127.0.0.1, port 0 (a free port), and refuses any peer that is not loopback.
 * Every publish is recorded (`publishes`), every request too (`requests`); `seed` stores an envelope
 * without counting it as a publish. `close()` ends open keep-alive connections and is idempotent.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Envelope = {
  readonly contentTopic: string
  /** Nanoseconds since the epoch, as the node orders envelopes. */
  readonly timestampNs: bigint
  readonly message: Uint8Array
}

export type RecordedRequest = {
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: unknown
}

export type PublishRecord = Envelope & {
  /** The `Authorization` header the publish carried (xmtp-js sends a bearer auth token). */
  readonly authorization: string | undefined
}

const MAX_BODY_BYTES = 4 * 1024 * 1024
const DIRECTIONS = new Set(['SORT_DIRECTION_UNSPECIFIED', 'SORT_DIRECTION_ASCENDING', 'SORT_DIRECTION_DESCENDING'])
const DEFAULT_LIMIT = 100
const MAX_LIMIT = 100

class BadRequest extends Error {}

type StoredEnvelope = Envelope & { readonly sequence: number }

type JsonEnvelope = { contentTopic: string; timestampNs: string; message: string }

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1'
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadRequest(`${what} must be a JSON object`)
  return value as Record<string, unknown>
}

function asDecimal(value: unknown, what: string): bigint | undefined {
  if (value === undefined || value === null) return undefined
  if ((typeof value !== 'string' && typeof value !== 'number') || !/^\d+$/.test(String(value))) {
    throw new BadRequest(`${what} must be a uint64 (decimal string)`)
  }
  return BigInt(value)
}

function decodeBase64(value: unknown, what: string): Uint8Array {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw new BadRequest(`${what} must be standard base64`)
  }
  return new Uint8Array(Buffer.from(value, 'base64'))
}

function toJsonEnvelope(envelope: Envelope): JsonEnvelope {
  return {
    contentTopic: envelope.contentTopic,
    timestampNs: envelope.timestampNs.toString(),
    message: Buffer.from(envelope.message).toString('base64'),
  }
}

export class FakeXmtpNode {
  readonly #server: Server
  readonly #topics = new Map<string, StoredEnvelope[]>()
  readonly #publishes: PublishRecord[] = []
  readonly #requests: RecordedRequest[] = []
  #sequence = 0
  #closed: Promise<void> | undefined
  readonly url: string

  private constructor(server: Server, url: string) {
    this.#server = server
    this.url = url
  }

  /** Starts a node on 127.0.0.1 at a free port. */
  static async start(): Promise<FakeXmtpNode> {
    let node: FakeXmtpNode | undefined
    const server = createServer((request, response) => {
      if (!node) {
        response.destroy()
        return
      }
      node.#handle(request, response)
    })
    server.keepAliveTimeout = 1000
    server.headersTimeout = 5000
    server.requestTimeout = 10_000
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
    const { address, port } = server.address() as AddressInfo
    node = new FakeXmtpNode(server, `http://${address}:${port}`)
    return node
  }

  /** Every envelope received through `/message/v1/publish`, in arrival order. */
  get publishes(): readonly PublishRecord[] {
    return this.#publishes
  }

  /** Every request, in arrival order (path, headers, parsed body). */
  get requests(): readonly RecordedRequest[] {
    return this.#requests
  }

  /** Publishes to one topic. */
  publishesTo(contentTopic: string): readonly PublishRecord[] {
    return this.#publishes.filter((p) => p.contentTopic === contentTopic)
  }

  /** Stores an envelope as if someone had published it earlier; not recorded as a publish. */
  seed(contentTopic: string, message: Uint8Array, timestampNs: bigint = BigInt(Date.now()) * 1_000_000n): void {
    this.#store({ contentTopic, message: message.slice(), timestampNs })
  }

  /** The envelopes on a topic, oldest first. */
  envelopes(contentTopic: string): Envelope[] {
    return this.#sorted([contentTopic]).map(({ contentTopic: topic, timestampNs, message }) => ({ contentTopic: topic, timestampNs, message }))
  }

  /** The newest envelope's bytes on a topic. */
  latest(contentTopic: string): Uint8Array | undefined {
    return this.envelopes(contentTopic).at(-1)?.message
  }

  /** Forgets every envelope, publish and request (the server keeps running). */
  reset(): void {
    this.#topics.clear()
    this.#publishes.length = 0
    this.#requests.length = 0
  }

  /** Stops listening and ends open connections. Safe to call twice. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve, reject) => {
      this.#server.close((error) => (error ? reject(error) : resolve()))
      this.#server.closeAllConnections()
    })
    return this.#closed
  }

  #store(envelope: Envelope): void {
    const list = this.#topics.get(envelope.contentTopic) ?? []
    list.push({ ...envelope, sequence: this.#sequence++ })
    this.#topics.set(envelope.contentTopic, list)
  }

  #sorted(topics: readonly string[]): StoredEnvelope[] {
    return topics
      .flatMap((t) => this.#topics.get(t) ?? [])
      .sort((a, b) => (a.timestampNs < b.timestampNs ? -1 : a.timestampNs > b.timestampNs ? 1 : a.sequence - b.sequence))
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const reply = (status: number, body: unknown) => {
      if (response.headersSent) return
      response.writeHead(status, { 'content-type': 'application/json' })
      response.end(JSON.stringify(body))
    }
    if (!isLoopback(request.socket.remoteAddress)) {
      reply(403, { code: 7, message: 'loopback only' })
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reply(413, { code: 8, message: 'request too large' })
        request.destroy()
        return
      }
      chunks.push(chunk)
    })
    request.on('error', () => response.destroy())
    request.on('end', () => {
      const path = (request.url ?? '').split('?')[0] ?? ''
      let body: unknown
      try {
        const text = Buffer.concat(chunks).toString('utf8')
        body = text.length > 0 ? JSON.parse(text) : {}
      } catch {
        this.#requests.push({ path, headers: request.headers, body: undefined })
        reply(400, { code: 3, message: 'the body is not JSON' })
        return
      }
      this.#requests.push({ path, headers: request.headers, body })
      if (request.method !== 'POST') {
        reply(405, { code: 12, message: `${request.method} is not supported` })
        return
      }
      try {
        switch (path) {
          case '/message/v1/query':
            reply(200, this.#query(body))
            return
          case '/message/v1/batch-query': {
            const requests = asObject(body, 'the batch query').requests
            if (!Array.isArray(requests)) throw new BadRequest('requests must be an array')
            reply(200, { responses: requests.map((q) => this.#query(q)) })
            return
          }
          case '/message/v1/publish':
            this.#publish(body, request.headers.authorization)
            reply(200, {})
            return
          default:
            reply(404, { code: 5, message: `no such endpoint: ${path}` })
        }
      } catch (error) {
        if (error instanceof BadRequest) reply(400, { code: 3, message: error.message })
        else reply(500, { code: 13, message: error instanceof Error ? error.message : String(error) })
      }
    })
  }

  #publish(body: unknown, authorization: string | undefined): void {
    const envelopes = asObject(body, 'the publish request').envelopes
    if (!Array.isArray(envelopes) || envelopes.length === 0) throw new BadRequest('envelopes must be a non-empty array')
    // Validate them all before storing any, as one request is one write.
    const parsed = envelopes.map((value, i): Envelope => {
      const e = asObject(value, `envelope ${i}`)
      if (typeof e.contentTopic !== 'string' || e.contentTopic.length === 0) throw new BadRequest(`envelope ${i}: contentTopic must be a string`)
      const timestampNs = asDecimal(e.timestampNs, `envelope ${i}: timestampNs`)
      if (timestampNs === undefined) throw new BadRequest(`envelope ${i}: timestampNs is missing`)
      return { contentTopic: e.contentTopic, timestampNs, message: decodeBase64(e.message, `envelope ${i}: message`) }
    })
    for (const envelope of parsed) {
      this.#store(envelope)
      this.#publishes.push({ ...envelope, authorization })
    }
  }

  #query(value: unknown): { envelopes: JsonEnvelope[]; pagingInfo: Record<string, unknown> } {
    const q = asObject(value, 'the query')
    const topics = q.contentTopics
    if (!Array.isArray(topics) || topics.length === 0 || !topics.every((t) => typeof t === 'string' && t.length > 0)) {
      throw new BadRequest('contentTopics must be a non-empty array of strings')
    }
    const paging = q.pagingInfo === undefined ? {} : asObject(q.pagingInfo, 'pagingInfo')
    const direction = paging.direction ?? 'SORT_DIRECTION_UNSPECIFIED'
    if (typeof direction !== 'string' || !DIRECTIONS.has(direction)) throw new BadRequest(`unknown direction ${String(direction)}`)
    const requestedLimit = paging.limit ?? 0
    if (typeof requestedLimit !== 'number' || !Number.isInteger(requestedLimit) || requestedLimit < 0) throw new BadRequest('limit must be a uint32')
    const limit = requestedLimit === 0 ? DEFAULT_LIMIT : Math.min(requestedLimit, MAX_LIMIT)
    const start = asDecimal(q.startTimeNs, 'startTimeNs')
    const end = asDecimal(q.endTimeNs, 'endTimeNs')
    // The cursor is opaque to clients; here it is the offset of the next page in this query's order.
    let offset = 0
    if (paging.cursor !== undefined && paging.cursor !== null) {
      const digest = asObject(asObject(paging.cursor, 'cursor').index, 'cursor.index').digest
      const decoded = Buffer.from(decodeBase64(digest, 'cursor.index.digest')).toString('utf8')
      if (!/^\d+$/.test(decoded)) throw new BadRequest('not a cursor from this node')
      offset = Number(decoded)
    }
    let matching = this.#sorted(topics as string[]).filter((e) => (start === undefined || e.timestampNs >= start) && (end === undefined || e.timestampNs <= end))
    if (direction === 'SORT_DIRECTION_DESCENDING') matching = matching.reverse()
    const page = matching.slice(offset, offset + limit)
    const next = offset + page.length
    const pagingInfo: Record<string, unknown> = { limit, direction }
    if (page.length > 0 && next < matching.length) {
      pagingInfo.cursor = { index: { digest: Buffer.from(String(next)).toString('base64'), senderTimeNs: page.at(-1)!.timestampNs.toString() } }
    }
    return { envelopes: page.map(toJsonEnvelope), pagingInfo }
  }
}
