/**
 * A key store on an XMTP v2 node (its HTTP gateway, `message/v1`), as `@xmtp/xmtp-js@13.0.4` keeps keys:
 *
 * - `get` reads the private store topic newest first, one envelope a page, and takes the first envelope
 *   with a message — exactly xmtp-js's `TopicPersistence.getItem`; older envelopes are never consulted,
 *   so a newest envelope that does not decrypt is an error (the engine's), never a reason to look further.
 * - writes go through `putIdentity` (the engine calls it with the identity): the node wants a publish
 *   signed by the identity key (`Authorization: Bearer base64(Token)`, xmtp-js's `LocalAuthenticator`),
 *   and after the private bundle the contact bundles are published (v1 then v2, as xmtp-js's `Client.create`).
 * - `withLock` serializes the callers of this process only. A node has no lock: two processes (or an
 *   xmtp-js client) creating keys for one account at once can both publish, and the newest envelope wins.
 *   Before publishing, `putIdentity` reads the topic again and refuses when something is stored.
 *
 * Every request is bounded (`timeoutMs`), retried with backoff on 5xx, a reset connection or a timeout
 * (`retries`), and abortable; a node's answer is read up to `maxResponseBytes`.
 */
import { concatBytes } from '../src/bytes.js'
import { hashes } from '../src/crypto/backend.js'
import { IdentityExistsError, InvalidInputError, isXmtpSignersError, KeyStoreError, NetworkReadOnlyError, UnsupportedOperationError, type XmtpSignersError } from '../src/errors.js'
import type { PublishingKeyStore, XmtpIdentity } from '../src/identity.js'
import { encodePublicKeyV1 } from '../src/keyBundle.js'
import { contactTopic, type LockOptions, type PutOptions } from '../src/keyStore.js'
import { signDigestWithIdentityKey } from '../src/keys.js'
import { decodeMessage, encodeMessage } from '../src/proto.js'
import { checksumAddress } from '../src/signature.js'
import { abortReason, throwIfAborted, validTimeoutMs } from '../src/timeout.js'
import { verifyContactBundles, type ContactBundleResult } from '../src/verify.js'
import { TopicLocks } from './topicLocks.js'

// The errors and the engine type a user of this entry meets, from their one definition.
export { NetworkReadOnlyError } from '../src/errors.js'
export type { PublishingKeyStore } from '../src/identity.js'

export type NetworkKeyStoreOptions = {
  /** How long one request may take. Default 15 s. */
  readonly timeoutMs?: number
  /** Retries after a 5xx, a reset connection or a timeout. Default 3. */
  readonly retries?: number
  /** The first backoff; it doubles each retry (with jitter). Default 250 ms. */
  readonly retryDelayMs?: number
  /** How long `withLock` waits for another local caller. Default 10 min. */
  readonly lockTimeoutMs?: number
  /** The largest answer read from the node. Default 4 MiB. */
  readonly maxResponseBytes?: number
  /** The most pages `get` and `lookupContact` read. Default 100. */
  readonly maxPages?: number
  /** For tests and other runtimes: the `fetch` to use. */
  readonly fetch?: typeof fetch
}

export type NetworkRequestOptions = { readonly signal?: AbortSignal }

/** An envelope as the node returned it. */
export type NodeEnvelope = { readonly contentTopic: string; readonly timestampNs: bigint; readonly message: Uint8Array }

const DEFAULT_TIMEOUT_MS = 15_000
const DEFAULT_RETRIES = 3
const DEFAULT_RETRY_DELAY_MS = 250
const MAX_RETRY_DELAY_MS = 5_000
const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024
const DEFAULT_MAX_PAGES = 100
const GRPC_PERMISSION_DENIED = 7
const GRPC_UNAUTHENTICATED = 16

type JsonQueryResponse = { envelopes?: unknown; pagingInfo?: { cursor?: unknown } }

function nodeUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (error) {
    throw new InvalidInputError('The XMTP node URL is not a URL.', { details: url, nextStep: 'Pass the node’s base URL, e.g. http://127.0.0.1:5555.', cause: error })
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InvalidInputError('The XMTP node URL must be http or https.', { details: url, nextStep: 'Pass the node’s base URL, e.g. https://production.xmtp.network.' })
  }
  return parsed.href.replace(/\/+$/, '')
}

function validCount(value: number | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new InvalidInputError(`${name} must be a whole number from 0 to ${max}.`, { details: `${name}: ${String(value)}`, nextStep: `Pass ${name} in range, or leave it out (${fallback}).` })
  }
  return value
}

// btoa/atob, not Buffer: the store runs in browsers too.
function base64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 8192) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[])
  return btoa(binary)
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
}

/** Decodes one gateway envelope; a field of the wrong shape is a malformed answer, not "empty". */
function parseEnvelope(value: unknown, location: string): NodeEnvelope {
  const e = value as Record<string, unknown> | null
  const message = e?.message ?? ''
  if (
    typeof e !== 'object' ||
    e === null ||
    typeof e.contentTopic !== 'string' ||
    !/^\d+$/.test(String(e.timestampNs ?? '0')) ||
    typeof message !== 'string' ||
    !/^[A-Za-z0-9+/]*={0,2}$/.test(message) ||
    message.length % 4 !== 0
  ) {
    throw malformed(location, `an envelope is not {contentTopic, timestampNs, message}: ${JSON.stringify(value)?.slice(0, 200)}`)
  }
  return { contentTopic: e.contentTopic, timestampNs: BigInt(String(e.timestampNs ?? '0')), message: fromBase64(message) }
}

function malformed(location: string, details: string): KeyStoreError {
  return new KeyStoreError(`The XMTP node at ${location} sent an answer that is not the message API’s JSON.`, {
    details,
    nextStep: 'Check that the URL is an XMTP v2 node’s HTTP API (not a web page or a proxy’s error). Nothing was stored or generated.',
  })
}

/** The bearer token xmtp-js's `LocalAuthenticator` makes: the identity key's signature of keccak256(AuthData). */
export function authToken(identity: XmtpIdentity, createdNs: bigint = BigInt(Date.now()) * 1_000_000n): string {
  const { identityKey } = identity.exportPrivateKeyBundle()
  const authDataBytes = encodeMessage('AuthData', { walletAddr: checksumAddress(identity.address), createdNs })
  const { compact, recovery } = signDigestWithIdentityKey(identityKey.secretKey, hashes.keccak256(authDataBytes))
  // The identity key as the stored bundle holds it: the wallet-signed v1 PublicKey.
  const publicKey = decodeMessage('PublicKey', encodePublicKeyV1(identityKey.publicKey), 'identity key')
  return base64(encodeMessage('Token', { identityKey: publicKey, authDataBytes, authDataSignature: { ecdsaCompact: { bytes: compact, recovery } } }))
}

/** The node's HTTP API: one JSON POST, bounded, retried when the failure is transient. */
class NodeClient {
  readonly url: string
  readonly #options: Required<Omit<NetworkKeyStoreOptions, 'fetch' | 'lockTimeoutMs'>> & { fetch: typeof fetch }

  constructor(url: string, options: NetworkKeyStoreOptions) {
    this.url = nodeUrl(url)
    this.#options = {
      timeoutMs: validTimeoutMs(options.timeoutMs, 'timeoutMs', DEFAULT_TIMEOUT_MS),
      retries: validCount(options.retries, 'retries', DEFAULT_RETRIES, 10),
      retryDelayMs: validCount(options.retryDelayMs, 'retryDelayMs', DEFAULT_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS),
      maxResponseBytes: validCount(options.maxResponseBytes, 'maxResponseBytes', DEFAULT_MAX_RESPONSE_BYTES, 256 * 1024 * 1024),
      maxPages: validCount(options.maxPages, 'maxPages', DEFAULT_MAX_PAGES, 100_000),
      fetch: options.fetch ?? globalThis.fetch,
    }
  }

  get maxPages(): number {
    return this.#options.maxPages
  }

  /** The envelopes on `topic`, newest first, until `stop` says enough or the pages run out (bounded). */
  async *newestFirst(topic: string, pageSize: number, signal: AbortSignal | undefined): AsyncGenerator<NodeEnvelope> {
    let cursor: unknown
    for (let page = 0; page < this.#options.maxPages; page++) {
      const body: Record<string, unknown> = { contentTopics: [topic], pagingInfo: { limit: pageSize, direction: 'SORT_DIRECTION_DESCENDING', ...(cursor ? { cursor } : {}) } }
      const answer = (await this.post('/message/v1/query', body, undefined, signal)) as JsonQueryResponse
      const envelopes = answer.envelopes ?? []
      if (!Array.isArray(envelopes)) throw malformed(this.url, 'envelopes is not an array')
      for (const envelope of envelopes) yield parseEnvelope(envelope, this.url)
      cursor = answer.pagingInfo?.cursor
      if (!cursor || envelopes.length === 0) return
    }
    throw new KeyStoreError(`The XMTP node at ${this.url} kept paging past ${this.#options.maxPages} pages.`, {
      details: topic,
      nextStep: 'Raise maxPages if the topic is really that long; nothing was stored or generated.',
    })
  }

  async publish(envelopes: readonly NodeEnvelope[], token: string, signal: AbortSignal | undefined): Promise<void> {
    const body = { envelopes: envelopes.map((e) => ({ contentTopic: e.contentTopic, timestampNs: e.timestampNs.toString(), message: base64(e.message) })) }
    await this.post('/message/v1/publish', body, token, signal)
  }

  async post(path: string, body: unknown, token: string | undefined, signal: AbortSignal | undefined): Promise<unknown> {
    const { retries, retryDelayMs } = this.#options
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(signal, 'the request to the XMTP node')
      const outcome = await this.#once(path, body, token, signal)
      if (outcome.ok) return outcome.value
      if (!outcome.transient || attempt >= retries) throw outcome.error
      // Exponential backoff with full jitter, so retrying clients do not arrive in step.
      await sleep(Math.min(MAX_RETRY_DELAY_MS, retryDelayMs * 2 ** attempt) * (0.5 + Math.random() / 2), signal)
    }
  }

  async #once(path: string, body: unknown, token: string | undefined, signal: AbortSignal | undefined): Promise<{ ok: true; value: unknown } | { ok: false; transient: boolean; error: XmtpSignersError }> {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), this.#options.timeoutMs)
    const forward = () => controller.abort()
    signal?.addEventListener('abort', forward, { once: true })
    const endpoint = `${this.url}${path}`
    try {
      let response: Response
      try {
        response = await this.#options.fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
          signal: controller.signal,
        })
      } catch (error) {
        if (signal?.aborted) return { ok: false, transient: false, error: abortReason(signal, 'the request to the XMTP node') }
        return { ok: false, transient: true, error: this.#unreachable(endpoint, controller.signal.aborted, error) }
      }
      let text: string
      try {
        text = await readBounded(response, this.#options.maxResponseBytes)
      } catch (error) {
        if (signal?.aborted) return { ok: false, transient: false, error: abortReason(signal, 'the request to the XMTP node') }
        if (error instanceof KeyStoreError) return { ok: false, transient: false, error }
        return { ok: false, transient: true, error: this.#unreachable(endpoint, controller.signal.aborted, error) }
      }
      if (response.status >= 500) {
        return { ok: false, transient: true, error: new KeyStoreError(`The XMTP node at ${this.url} failed (HTTP ${response.status}).`, { details: `${path}: ${text.slice(0, 300)}`, nextStep: 'Retry later; nothing was stored or generated.' }) }
      }
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch (error) {
        return { ok: false, transient: false, error: malformed(this.url, `${path} HTTP ${response.status}: ${text.length} bytes that are not JSON (truncated?)`) }
      }
      if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, transient: false, error: malformed(this.url, `${path}: not a JSON object`) }
      if (response.ok) return { ok: true, value: json }
      const code = (json as { code?: unknown }).code
      const message = String((json as { message?: unknown }).message ?? '').slice(0, 300)
      if (path === '/message/v1/publish' && (response.status === 403 || code === GRPC_PERMISSION_DENIED)) {
        return { ok: false, transient: false, error: new NetworkReadOnlyError(this.url, { details: `HTTP ${response.status}, code ${String(code)}: ${message}` }) }
      }
      if (response.status === 401 || code === GRPC_UNAUTHENTICATED) {
        return { ok: false, transient: false, error: new KeyStoreError(`The XMTP node at ${this.url} refused the identity key’s auth token.`, { details: message, nextStep: 'Check the computer’s clock (tokens carry the time) and retry; nothing was stored.' }) }
      }
      return { ok: false, transient: false, error: new KeyStoreError(`The XMTP node at ${this.url} refused the request (HTTP ${response.status}).`, { details: `${path}, code ${String(code)}: ${message}`, nextStep: 'Check that the URL is an XMTP v2 node’s HTTP API; nothing was stored or generated.' }) }
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', forward)
    }
  }

  #unreachable(endpoint: string, timedOut: boolean, cause: unknown): KeyStoreError {
    if (timedOut) {
      return new KeyStoreError(`The XMTP node at ${this.url} did not answer within ${this.#options.timeoutMs} ms.`, {
        details: endpoint,
        nextStep: 'Retry later, or raise timeoutMs for a slow node; nothing was stored or generated.',
        cause,
      })
    }
    return new KeyStoreError(`The XMTP node at ${this.url} could not be reached.`, {
      details: `${endpoint}: ${cause instanceof Error ? `${cause.message}${cause.cause instanceof Error ? ` (${cause.cause.message})` : ''}` : String(cause)}`,
      nextStep: 'Check the URL and that the node is running and reachable, then retry; nothing was stored or generated.',
      cause,
    })
  }
}

/** The body as text, refusing (typed) one longer than `max` bytes. */
async function readBounded(response: Response, max: number): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.length
    if (size > max) {
      await reader.cancel().catch(() => undefined)
      throw new KeyStoreError('The XMTP node sent an answer larger than allowed.', { details: `more than ${max} bytes`, nextStep: 'Raise maxResponseBytes if that is expected; nothing was stored or generated.' })
    }
    chunks.push(value)
  }
  return new TextDecoder().decode(concatBytes(...chunks))
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal, 'the request to the XMTP node'))
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortReason(signal!, 'the request to the XMTP node'))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** A key store on an XMTP v2 node; see the module comment for what it can and cannot promise. */
export class NetworkKeyStore implements PublishingKeyStore {
  readonly location: string
  readonly #client: NodeClient
  readonly #locks: TopicLocks

  constructor(url: string, options: NetworkKeyStoreOptions = {}) {
    this.#client = new NodeClient(url, options)
    this.location = this.#client.url
    this.#locks = new TopicLocks(validTimeoutMs(options.lockTimeoutMs, 'lockTimeoutMs', 10 * 60_000), 'Finish or cancel the other request in this process, then retry.')
  }

  /** The newest envelope's bytes on `topic`, as xmtp-js reads its private store; `undefined` when the topic is empty. */
  async get(topic: string, options: NetworkRequestOptions = {}): Promise<Uint8Array | undefined> {
    // Page size 1, newest first, first envelope with a message: xmtp-js's TopicPersistence.getItem.
    for await (const envelope of this.#client.newestFirst(topic, 1, options.signal)) {
      if (envelope.message.length > 0) return envelope.message
    }
    return undefined
  }

  /** Refused: a node takes only publishes signed by the identity key, so the engine writes through `putIdentity`. */
  async put(topic: string, _value: Uint8Array, _options?: PutOptions): Promise<void> {
    throw new UnsupportedOperationError('A NetworkKeyStore stores only through the engine (createIdentity, unlockOrCreateIdentity, rotatePreKey).', {
      details: `put(${topic}) without the identity: the node needs a publish signed by the identity key`,
      nextStep: 'Call createIdentity or rotatePreKey with this store; they hand it the identity to sign the publish with.',
    })
  }

  /**
   * Publishes the encrypted bundle to the private store topic, then the contact bundles (v1, v2).
   * Without `overwrite` it first reads the topic and refuses (`IdentityExistsError`) when anything is stored.
   */
  async putIdentity(topic: string, encryptedBundle: Uint8Array, identity: XmtpIdentity, options: PutOptions & NetworkRequestOptions = {}): Promise<void> {
    if (topic !== identity.storageTopic) {
      throw new InvalidInputError('The bundle’s topic is not the identity’s private store topic.', { details: `${topic} vs ${identity.storageTopic}`, nextStep: 'Store an identity under its own storage topic (storageTopic(address)).' })
    }
    if (!options.overwrite && (await this.get(topic, options)) !== undefined) throw new IdentityExistsError(topic, this.location)
    const token = authToken(identity)
    const nowNs = BigInt(Date.now()) * 1_000_000n
    await this.#client.publish([{ contentTopic: topic, timestampNs: nowNs, message: encryptedBundle }], token, options.signal)
    try {
      await this.#publishContact(identity, token, nowNs + 1n, options.signal)
    } catch (error) {
      if (!isXmtpSignersError(error) || error.code === 'ABORTED') throw error
      throw new KeyStoreError('The keys were stored on the XMTP node, but the contact bundle was not published.', {
        details: error.message,
        nextStep: 'Unlock the identity (unlockIdentity) and call publishContact(identity) on this store to let others find it.',
        cause: error,
      })
    }
  }

  /** Publishes the identity's contact bundles (v1, then v2, as xmtp-js's Client.create) to its contact topic. */
  async publishContact(identity: XmtpIdentity, options: NetworkRequestOptions = {}): Promise<void> {
    await this.#publishContact(identity, authToken(identity), BigInt(Date.now()) * 1_000_000n, options.signal)
  }

  async #publishContact(identity: XmtpIdentity, token: string, timestampNs: bigint, signal: AbortSignal | undefined): Promise<void> {
    const topic = contactTopic(identity.address)
    // One nanosecond apart: a node orders by time, so the v2 bundle is the newest, as after Client.create.
    await this.#client.publish(
      [
        { contentTopic: topic, timestampNs, message: identity.encodeContactBundle(1) },
        { contentTopic: topic, timestampNs: timestampNs + 1n, message: identity.encodeContactBundle(2) },
      ],
      token,
      signal,
    )
  }

  /** Serializes this process's callers per topic; it cannot stop another process or client publishing meanwhile. */
  withLock<T>(topic: string, task: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    return this.#locks.run(topic, task, options)
  }

}

/** One envelope of a contact topic and what verifying it found. */
export type ContactEntry = {
  readonly timestampNs: bigint
  readonly bundle: Uint8Array
  /** Every check with its reason (or why it did not decode); `valid` only when all passed for `address`. */
  readonly result: ContactBundleResult
  readonly valid: boolean
}

export type ContactLookup = {
  readonly address: string
  readonly contactTopic: string
  /** The newest valid bundle, or `undefined` when none is. */
  readonly best: ContactEntry | undefined
  /** Every envelope read: the valid ones newest first, then the invalid ones newest first. */
  readonly entries: readonly ContactEntry[]
}

/** Reads `address`'s contact topic on the node at `url` and verifies every bundle against that address. */
export async function lookupContact(url: string, address: string, options: Omit<NetworkKeyStoreOptions, 'lockTimeoutMs'> & NetworkRequestOptions = {}): Promise<ContactLookup> {
  const account = checksumAddress(address)
  const topic = contactTopic(account)
  const client = new NodeClient(url, options)
  const read: NodeEnvelope[] = []
  for await (const envelope of client.newestFirst(topic, 100, options.signal)) if (envelope.message.length > 0) read.push(envelope)
  const results = verifyContactBundles(
    read.map((e) => e.message),
    { expectedAddress: account },
  )
  const entries = read.map((e, i): ContactEntry => {
    const result = results[i]!
    return { timestampNs: e.timestampNs, bundle: e.message, result, valid: result.decoded && result.verification.valid }
  })
  // Stable sort: newest-first order within the valid and within the invalid.
  const ordered = [...entries.filter((e) => e.valid), ...entries.filter((e) => !e.valid)]
  return { address: account, contactTopic: topic, best: ordered[0]?.valid ? ordered[0] : undefined, entries: ordered }
}
