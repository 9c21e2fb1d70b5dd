/**
 * A loopback-only XMTP v2 node for tests: the HTTP API of a real node (its gRPC gateway, `message/v1`)
 * with what `@xmtp/xmtp-js@13.0.4` and `NetworkKeyStore` use to create, store and load keys:
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
 * With `requireAuth`, a publish must carry `Authorization: Bearer <Token>` as xmtp-js sends it: the
 * identity key attested by a wallet, and its signature of `AuthData{walletAddr, createdNs}`; a publish
 * to an account's private store or contact topic must come from that account. Without a valid token:
 * 401 `{code: 16 UNAUTHENTICATED}`, the code xmtp-js retries on with a fresh token.
 *
 * `readOnly` answers every publish 403 `{code: 7 PERMISSION_DENIED}`, as a stand-in for the v2 network
 * since XIP-53 (2025-06-23): the exact answer of XMTP's read-only nodes is not documented, so this is
 * the gRPC status the gateway maps to a refused write.
 *
 * The server listens on 127.0.0.1 (port 0 picks a free one) and refuses any peer that is not loopback.
 * Every publish is recorded (`publishes`), every request too (`requests`); `seed` stores an envelope
 * without counting it as a publish; `failNext` queues faults (an HTTP status, a delay, a truncated body,
 * a reset connection) for the next requests. `close()` ends open keep-alive connections and is idempotent.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { hashes } from '../src/crypto/backend.js'
import { encodeUnsignedPublicKeyV1 } from '../src/keyBundle.js'
import { decodeMessage } from '../src/proto.js'
import { checksumAddress, publicKeyToAddress, recoverPersonalSignAddress, recoverPublicKey, sameAddress, signatureFromCompact } from '../src/signature.js'
import { createIdentityText } from '../src/texts.js'

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
  /** The wallet the auth token speaks for, when it carried a valid one. */
  readonly authenticatedWallet: string | undefined
}

/** What the node does to one upcoming request instead of (or before) answering it. */
export type NodeFault =
  /** Answer this HTTP status with a gRPC error body (`code`, default 14 UNAVAILABLE); the request is not served. */
  | { readonly kind: 'status'; readonly status: number; readonly code?: number }
  /** Serve the request after `ms` (a slow node). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Serve the request (a publish lands), then send only the first half of the JSON answer. */
  | { readonly kind: 'truncate' }
  /** Drop the connection without answering; the request is not served. */
  | { readonly kind: 'reset' }

export type XmtpNodeOptions = {
  /** Refuse every publish as the read-only v2 network does (403, gRPC code 7). */
  readonly readOnly?: boolean
  /** The port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number
  /** Check the bearer token of every publish as a real node does. Default true. */
  readonly requireAuth?: boolean
  /** The largest request body accepted (413 beyond). Default 4 MiB. */
  readonly maxBodyBytes?: number
}

const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024
const DIRECTIONS = new Set(['SORT_DIRECTION_UNSPECIFIED', 'SORT_DIRECTION_ASCENDING', 'SORT_DIRECTION_DESCENDING'])
const DEFAULT_LIMIT = 100
const MAX_LIMIT = 100
const ACCOUNT_TOPIC = /^\/xmtp\/0\/(?:privatestore-(0x[0-9a-fA-F]{40})\/key_bundle|contact-(0x[0-9a-fA-F]{40}))\/proto$/
const GRPC_UNAUTHENTICATED = 16
const GRPC_PERMISSION_DENIED = 7

class BadRequest extends Error {}
class Refused extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message)
  }
}

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

/** The wallet a bearer token speaks for, checked as a node checks it; throws `Refused` (401) when it does not hold. */
export function authenticatedWallet(authorization: string | undefined): string {
  const unauthenticated = (why: string) => new Refused(401, GRPC_UNAUTHENTICATED, `authentication failed: ${why}`)
  const match = /^Bearer ([A-Za-z0-9+/]+={0,2})$/.exec(authorization ?? '')
  if (!match) throw unauthenticated('no bearer token')
  try {
    const token = decodeMessage('Token', new Uint8Array(Buffer.from(match[1]!, 'base64')), 'auth token')
    const key = token.identityKey
    const publicKey = key?.secp256k1Uncompressed?.bytes
    const attestation = key?.signature?.walletEcdsaCompact ?? key?.signature?.ecdsaCompact
    if (!key || !publicKey || !attestation) throw unauthenticated('the token has no wallet-signed identity key')
    const wallet = recoverPersonalSignAddress(
      createIdentityText(encodeUnsignedPublicKeyV1({ timestamp: key.timestamp, publicKey })),
      signatureFromCompact(attestation.bytes, attestation.recovery),
    )
    const authData = decodeMessage('AuthData', token.authDataBytes, 'auth data')
    const signature = token.authDataSignature?.ecdsaCompact
    if (!signature) throw unauthenticated('the auth data is not signed by the identity key')
    const signer = recoverPublicKey(hashes.keccak256(token.authDataBytes), signatureFromCompact(signature.bytes, signature.recovery))
    if (publicKeyToAddress(signer) !== publicKeyToAddress(publicKey)) throw unauthenticated('the auth data signature is not the identity key’s')
    if (!sameAddress(authData.walletAddr, wallet)) throw unauthenticated('the token names another wallet than the one attesting its key')
    return checksumAddress(wallet)
  } catch (error) {
    if (error instanceof Refused) throw error
    throw unauthenticated(error instanceof Error ? error.message : String(error))
  }
}

export class XmtpNode {
  readonly #server: Server
  readonly #options: Required<Omit<XmtpNodeOptions, 'port'>>
  readonly #topics = new Map<string, StoredEnvelope[]>()
  readonly #publishes: PublishRecord[] = []
  readonly #requests: RecordedRequest[] = []
  readonly #faults: NodeFault[] = []
  #sequence = 0
  #closed: Promise<void> | undefined
  readonly url: string

  private constructor(server: Server, url: string, options: XmtpNodeOptions) {
    this.#server = server
    this.url = url
    this.#options = {
      readOnly: options.readOnly ?? false,
      requireAuth: options.requireAuth ?? true,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    }
  }

  /** Starts a node on 127.0.0.1. */
  static async start(options: XmtpNodeOptions = {}): Promise<XmtpNode> {
    const port = options.port ?? 0
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be 0..65535, got ${String(options.port)}`)
    let node: XmtpNode | undefined
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
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
    const { address, port: bound } = server.address() as AddressInfo
    node = new XmtpNode(server, `http://${address}:${bound}`, options)
    return node
  }

  get readOnly(): boolean {
    return this.#options.readOnly
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

  /** Queues faults, one per upcoming request, in order (after the faults already queued). */
  failNext(...faults: NodeFault[]): void {
    this.#faults.push(...faults)
  }

  /** Forgets every envelope, publish, request and queued fault (the server keeps running). */
  reset(): void {
    this.#topics.clear()
    this.#publishes.length = 0
    this.#requests.length = 0
    this.#faults.length = 0
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
      if (response.headersSent || response.destroyed) return
      response.writeHead(status, { 'content-type': 'application/json' })
      response.end(JSON.stringify(body))
    }
    if (!isLoopback(request.socket.remoteAddress)) {
      reply(403, { code: GRPC_PERMISSION_DENIED, message: 'loopback only' })
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) return
      size += chunk.length
      if (size > this.#options.maxBodyBytes) {
        tooLarge = true
        reply(413, { code: 8, message: 'request too large' })
        request.destroy()
        return
      }
      chunks.push(chunk)
    })
    request.on('error', () => response.destroy())
    request.on('end', () => {
      if (tooLarge) return
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
      const fault = this.#faults.shift()
      if (fault?.kind === 'delay') {
        const timer = setTimeout(() => this.#answer(request, path, body, reply), fault.ms)
        response.once('close', () => clearTimeout(timer))
        return
      }
      if (fault?.kind === 'status') return reply(fault.status, { code: fault.code ?? 14, message: `injected fault: HTTP ${fault.status}` })
      if (fault?.kind === 'reset') return void response.socket?.destroy()
      if (fault?.kind === 'truncate') {
        const full = JSON.stringify(this.#compute(path, body, request).body)
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end(full.slice(0, Math.max(1, Math.floor(full.length / 2))))
        return
      }
      this.#answer(request, path, body, reply)
    })
  }

  #answer(request: IncomingMessage, path: string, body: unknown, reply: (status: number, body: unknown) => void): void {
    const { status, body: answer } = this.#compute(path, body, request)
    reply(status, answer)
  }

  #compute(path: string, body: unknown, request: IncomingMessage): { status: number; body: unknown } {
    if (request.method !== 'POST') return { status: 405, body: { code: 12, message: `${request.method} is not supported` } }
    try {
      switch (path) {
        case '/message/v1/query':
          return { status: 200, body: this.#query(body) }
        case '/message/v1/batch-query': {
          const requests = asObject(body, 'the batch query').requests
          if (!Array.isArray(requests)) throw new BadRequest('requests must be an array')
          return { status: 200, body: { responses: requests.map((q) => this.#query(q)) } }
        }
        case '/message/v1/publish':
          this.#publish(body, request.headers.authorization)
          return { status: 200, body: {} }
        default:
          return { status: 404, body: { code: 5, message: `no such endpoint: ${path}` } }
      }
    } catch (error) {
      if (error instanceof BadRequest) return { status: 400, body: { code: 3, message: error.message } }
      if (error instanceof Refused) return { status: error.status, body: { code: error.code, message: error.message } }
      return { status: 500, body: { code: 13, message: error instanceof Error ? error.message : String(error) } }
    }
  }

  #publish(body: unknown, authorization: string | undefined): void {
    if (this.#options.readOnly) {
      throw new Refused(403, GRPC_PERMISSION_DENIED, 'this XMTP v2 node is read-only: publishing is disabled (XIP-53)')
    }
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
    let wallet: string | undefined
    if (this.#options.requireAuth) {
      wallet = authenticatedWallet(authorization)
      for (const envelope of parsed) {
        const owner = ACCOUNT_TOPIC.exec(envelope.contentTopic)
        const account = owner?.[1] ?? owner?.[2]
        if (account && !sameAddress(account, wallet)) {
          throw new Refused(403, GRPC_PERMISSION_DENIED, `${wallet} may not publish to ${envelope.contentTopic}`)
        }
      }
    }
    for (const envelope of parsed) {
      this.#store(envelope)
      this.#publishes.push({ ...envelope, authorization, authenticatedWallet: wallet })
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

/** Starts a loopback XMTP v2 node; `close()` it when done (the process can then exit). */
export function startXmtpNode(options: XmtpNodeOptions = {}): Promise<XmtpNode> {
  return XmtpNode.start(options)
}
