/**
 * NetworkKeyStore and lookupContact over the shipped loopback XMTP v2 node (xmtp-signers/testing), with
 * the reference client (@xmtp/xmtp-js 13.0.4, loaded with createRequire) on the same node, both ways.
 */
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { HDKey } from '@scure/bip32'
import { mnemonicToSeedSync } from '@scure/bip39'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  contactTopic,
  createIdentity,
  MemoryKeyStore,
  rotatePreKey,
  storageTopic,
  unlockIdentity,
  unlockOrCreateIdentity,
  type ProgressEvent,
} from '../src/index.js'
import { decodeMessage, encodeMessage } from '../src/proto.js'
import { encodePrivateKeyBundle } from '../src/wire.js'
import { LocalSigner } from '../signers/local/index.js'
import { LedgerSigner } from '../signers/ledger/index.js'
import { createEmulatorTransport, LedgerEmulator, TEST_MNEMONIC } from '../signers/ledger/emulator/index.js'
import { authToken, lookupContact, NetworkKeyStore } from '../stores/networkKeyStore.js'
import { authenticatedWallet, startXmtpNode, type XmtpNode } from '../testing/index.js'

type XmtpJs = typeof import('@xmtp/xmtp-js')
type ViemAccounts = typeof import('viem/accounts')
type XmtpProto = typeof import('@xmtp/proto')
const require = createRequire(import.meta.url)
const xmtp = require('@xmtp/xmtp-js') as XmtpJs
const proto = require('@xmtp/proto') as XmtpProto
const { privateKeyToAccount } = require('viem/accounts') as ViemAccounts

const TIMEOUT = 30_000
const LIVE_0 = "m/44'/60'/0'/0/0"
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

/** xmtp-js's Signer over a private key, recording every text it is asked to sign. */
function xmtpWallet(privateKey: Uint8Array) {
  const account = privateKeyToAccount(`0x${hex(privateKey)}`)
  const texts: string[] = []
  return {
    address: account.address,
    texts,
    getAddress: async (): Promise<string> => account.address,
    signMessage: async (message: string): Promise<string> => {
      texts.push(message)
      return account.signMessage({ message })
    },
  }
}

const ledgerKey = (): Uint8Array => HDKey.fromMasterSeed(mnemonicToSeedSync(TEST_MNEMONIC)).derive(LIVE_0).privateKey!
const localKey = (label: string): Uint8Array => new Uint8Array(Buffer.from(label.padEnd(32, '.').slice(0, 32)))

async function ledger(): Promise<LedgerSigner> {
  const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
  return LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator) })
}

/** Engine options that count the wallet signature requests. */
function counting() {
  const requests: string[] = []
  return { requests, onProgress: (e: ProgressEvent) => e.type === 'signature-request' && requests.push(e.purpose) }
}

const createClient = (wallet: ReturnType<typeof xmtpWallet>, url: string) => xmtp.Client.create(wallet, { apiUrl: url, persistConversations: false })

describe('NetworkKeyStore over a loopback XMTP v2 node, with xmtp-js on the same node', () => {
  let node: XmtpNode
  beforeAll(async () => {
    node = await startXmtpNode()
  })
  afterAll(async () => {
    await node?.close()
  })
  beforeEach(() => node.reset())

  it('xmtp-js Client.create stores keys there; our store and the Ledger emulator open them with one signature', async () => {
    const wallet = xmtpWallet(ledgerKey())
    const client = await createClient(wallet, node.url)
    const theirIdentityKey = hex(client.publicKeyBundle.identityKey.secp256k1Uncompressed.bytes)
    await client.close()
    expect(wallet.texts).toHaveLength(2)
    // The node checked xmtp-js's bearer token: our token check accepts the reference's.
    expect(node.publishesTo(storageTopic(wallet.address)).map((p) => p.authenticatedWallet)).toEqual([wallet.address])
    const publishedBefore = node.publishes.length

    const signer = await ledger()
    try {
      expect(signer.address).toBe(wallet.address)
      const progress = counting()
      const opened = await unlockIdentity(signer, new NetworkKeyStore(node.url), progress)
      expect(progress.requests).toEqual(['enable-identity'])
      expect(opened.created).toBe(false)
      expect(hex(opened.identity.identityPublicKey)).toBe(theirIdentityKey)
      expect(node.publishes).toHaveLength(publishedBefore)
    } finally {
      await signer.close()
    }
  }, TIMEOUT)

  it('the CLI opens keys xmtp-js stored there: unlock --signer ledger --transport emulator --network URL', async () => {
    const wallet = xmtpWallet(ledgerKey())
    const client = await createClient(wallet, node.url)
    const theirIdentityKey = hex(client.publicKeyBundle.identityKey.secp256k1Uncompressed.bytes)
    await client.close()
    const publishedBefore = node.publishes.length
    const { runCli } = await import('../cli/run.js')
    let stdout = ''
    const code = await runCli(['unlock', '--signer', 'ledger', '--transport', 'emulator', '--network', node.url, '--json'], {
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
      env: { XMTP_SIGNERS_EMULATOR_CONFIRM_MS: '0' },
    })
    expect(code, stdout).toBe(0)
    expect(JSON.parse(stdout).identityPublicKey).toBe(theirIdentityKey)
    expect(node.publishes).toHaveLength(publishedBefore)
  }, TIMEOUT)

  it('we create there (Ledger emulator); xmtp-js Client.create loads them: no new keys, one signature', async () => {
    const signer = await ledger()
    let ours: Awaited<ReturnType<typeof unlockOrCreateIdentity>>
    try {
      const progress = counting()
      ours = await unlockOrCreateIdentity(signer, new NetworkKeyStore(node.url), progress)
      expect(ours.created).toBe(true)
      expect(progress.requests).toEqual(['create-identity', 'enable-identity'])
    } finally {
      await signer.close()
    }
    const address = ours.identity.address
    // The private bundle, then the contact bundles v1 and v2, each under a token for this account.
    expect(node.publishes.map((p) => [p.contentTopic, p.authenticatedWallet])).toEqual([
      [storageTopic(address), address],
      [contactTopic(address), address],
      [contactTopic(address), address],
    ])
    expect(hex(node.latest(storageTopic(address))!)).toBe(hex(ours.encryptedBundle))
    expect(node.publishesTo(contactTopic(address)).map((p) => hex(p.message))).toEqual([hex(ours.identity.encodeContactBundle(1)), hex(ours.identity.encodeContactBundle(2))])

    const wallet = xmtpWallet(ledgerKey())
    const client = await createClient(wallet, node.url)
    try {
      expect(wallet.texts).toHaveLength(1)
      expect(wallet.texts[0]).toMatch(/^XMTP : Enable Identity\n/)
      expect(hex(client.publicKeyBundle.identityKey.secp256k1Uncompressed.bytes)).toBe(hex(ours.identity.identityPublicKey))
      expect(node.publishesTo(storageTopic(address))).toHaveLength(1)
    } finally {
      await client.close()
    }
  }, TIMEOUT)

  it('xmtp-js finds our contact bundle, and lookupContact finds theirs (verified, newest valid first)', async () => {
    const oursSigner = LocalSigner.fromPrivateKey(localKey('network ours'))
    const ours = await unlockOrCreateIdentity(oursSigner, new NetworkKeyStore(node.url))
    const theirWallet = xmtpWallet(localKey('network theirs'))
    const them = await createClient(theirWallet, node.url)
    try {
      const found = await them.getUserContact(oursSigner.address)
      expect(found).toBeDefined()
      expect(hex(found!.identityKey.secp256k1Uncompressed.bytes)).toBe(hex(ours.identity.identityPublicKey))
      expect(await them.canMessage(oursSigner.address)).toBe(true)

      // A forged bundle (another account's keys) published later on their topic ranks after the valid ones.
      const forger = await createIdentity(LocalSigner.fromPrivateKey(localKey('network forger')), new MemoryKeyStore())
      node.seed(contactTopic(theirWallet.address), forger.identity.encodeContactBundle(2), BigInt(Date.now() + 60_000) * 1_000_000n)
      node.seed(contactTopic(theirWallet.address), Uint8Array.of(1, 2, 3), BigInt(Date.now() + 61_000) * 1_000_000n)

      const lookup = await lookupContact(node.url, theirWallet.address.toLowerCase())
      expect(lookup.address).toBe(theirWallet.address)
      expect(lookup.best).toBeDefined()
      expect(lookup.best!.result.decoded && hex(lookup.best!.result.verification.identityPublicKey)).toBe(hex(them.publicKeyBundle.identityKey.secp256k1Uncompressed.bytes))
      // xmtp-js published v1 then v2: the v2 bundle is the newest valid one.
      expect(lookup.best!.result.decoded && lookup.best!.result.verification.format).toBe('ContactBundleV2')
      expect(lookup.entries.map((e) => e.valid)).toEqual([true, true, false, false])
      // The invalid ones newest first too: the undecodable bytes (newest), then the forged bundle, each with its reason.
      const [undecodable, forged] = [lookup.entries[2]!, lookup.entries[3]!]
      expect(undecodable.timestampNs > forged.timestampNs).toBe(true)
      expect(!undecodable.result.decoded && undecodable.result.error.code).toBe('MALFORMED_BUNDLE')
      expect(forged.result.decoded && forged.result.verification.checks.find((c) => c.name === 'expected-account')).toMatchObject({ ok: false })
      expect(lookup.entries[0]!.timestampNs > lookup.entries[1]!.timestampNs).toBe(true)
    } finally {
      await them.close()
    }
    const none = await lookupContact(node.url, LocalSigner.fromPrivateKey(localKey('network nobody')).address)
    expect(none.best).toBeUndefined()
    expect(none.entries).toEqual([])
  }, TIMEOUT)

  it('our auth token is xmtp-js LocalAuthenticator’s, byte for byte, and the node checks it', async () => {
    const signer = LocalSigner.fromPrivateKey(localKey('network token'))
    const { identity } = await createIdentity(signer, new MemoryKeyStore())
    const createdNs = 1_700_000_000_000n * 1_000_000n
    const ours = authToken(identity, createdNs)
    // The same private bundle in xmtp-js's own class.
    const keys = new xmtp.PrivateKeyBundleV1(proto.privateKey.PrivateKeyBundle.decode(encodePrivateKeyBundle(identity.exportPrivateKeyBundle())).v1!)
    const theirs = await new xmtp.LocalAuthenticator(keys.identityKey).createToken(new Date(Number(createdNs / 1_000_000n)))
    expect(ours).toBe(theirs.toBase64())
    expect(authenticatedWallet(`Bearer ${ours}`)).toBe(signer.address)
    const token = decodeMessage('Token', new Uint8Array(Buffer.from(ours, 'base64')), 'token')
    expect(decodeMessage('AuthData', token.authDataBytes, 'auth data')).toEqual({ walletAddr: signer.address, createdNs })
    // The same signature over other auth data (a later time) no longer authenticates.
    const replayed = encodeMessage('Token', { ...token, authDataBytes: encodeMessage('AuthData', { walletAddr: signer.address, createdNs: createdNs + 1n }) })
    expect(() => authenticatedWallet(`Bearer ${Buffer.from(replayed).toString('base64')}`)).toThrow(/not the identity key’s/)
    expect(() => authenticatedWallet(undefined)).toThrow(/no bearer token/)
    const unauthenticated = await fetch(`${node.url}/message/v1/publish`, {
      method: 'POST',
      body: JSON.stringify({ envelopes: [{ contentTopic: storageTopic(signer.address), timestampNs: '1', message: 'AQI=' }] }),
    })
    expect(unauthenticated.status).toBe(401)
    expect(await unauthenticated.json()).toMatchObject({ code: 16 })
    expect(node.publishes).toHaveLength(0)
  }, TIMEOUT)

  it('publishes to another account’s topics are refused by the node, and put without the identity by the store', async () => {
    const signer = LocalSigner.fromPrivateKey(localKey('network owner'))
    const other = await createIdentity(LocalSigner.fromPrivateKey(localKey('network other')), new MemoryKeyStore())
    const refused = await fetch(`${node.url}/message/v1/publish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${authToken(other.identity)}` },
      body: JSON.stringify({ envelopes: [{ contentTopic: storageTopic(signer.address), timestampNs: '1', message: 'AQI=' }] }),
    })
    expect(refused.status).toBe(403)
    const store = new NetworkKeyStore(node.url)
    await expect(store.put(storageTopic(signer.address), Uint8Array.of(1))).rejects.toMatchObject({ code: 'UNSUPPORTED_OPERATION' })
    await expect(store.putIdentity(storageTopic(signer.address), other.encryptedBundle, other.identity)).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    expect(node.publishes).toHaveLength(0)
  }, TIMEOUT)

  it('get takes the newest envelope with a message, as xmtp-js does; createIdentity never publishes over it', async () => {
    const signer = LocalSigner.fromPrivateKey(localKey('network newest'))
    const first = await createIdentity(signer, new MemoryKeyStore())
    const second = await createIdentity(signer, new MemoryKeyStore())
    const topic = storageTopic(signer.address)
    node.seed(topic, second.encryptedBundle, 2_000n)
    node.seed(topic, first.encryptedBundle, 1_000n)
    const store = new NetworkKeyStore(node.url)
    expect(hex((await store.get(topic))!)).toBe(hex(second.encryptedBundle))
    const opened = await unlockIdentity(signer, store)
    expect(hex(opened.identity.identityPublicKey)).toBe(hex(second.identity.identityPublicKey))
    await expect(createIdentity(signer, store)).rejects.toMatchObject({ code: 'IDENTITY_EXISTS' })
    expect(await store.get(storageTopic(LocalSigner.fromPrivateKey(localKey('network empty')).address))).toBeUndefined()
    expect(node.publishes).toHaveLength(0)
  }, TIMEOUT)

  it('rotatePreKey publishes a newer bundle (the one get now reads) and the new contact bundles', async () => {
    const signer = LocalSigner.fromPrivateKey(localKey('network rotate'))
    const store = new NetworkKeyStore(node.url)
    const created = await unlockOrCreateIdentity(signer, store)
    const rotated = await rotatePreKey(signer, store)
    expect(hex((await store.get(created.storageTopic))!)).toBe(hex(rotated.encryptedBundle))
    expect(node.envelopes(created.storageTopic)).toHaveLength(2)
    const lookup = await lookupContact(node.url, signer.address)
    expect(lookup.best!.result.decoded && hex(lookup.best!.result.verification.preKeyPublicKey)).toBe(hex(rotated.identity.preKeyPublicKey))
  }, TIMEOUT)

  it('withLock: two local callers creating at once publish one identity', async () => {
    const signer = LocalSigner.fromPrivateKey(localKey('network race'))
    const store = new NetworkKeyStore(node.url)
    const [a, b] = await Promise.all([unlockOrCreateIdentity(signer, store), unlockOrCreateIdentity(signer, store)])
    expect([a.created, b.created].sort()).toEqual([false, true])
    expect(hex(a.identity.identityPublicKey)).toBe(hex(b.identity.identityPublicKey))
    expect(node.publishesTo(storageTopic(signer.address))).toHaveLength(1)
  }, TIMEOUT)
})

describe('a read-only node (the v2 network since XIP-53)', () => {
  let node: XmtpNode
  beforeAll(async () => {
    node = await startXmtpNode({ readOnly: true })
  })
  afterAll(async () => {
    await node?.close()
  })

  it('our create ends in NetworkReadOnlyError with nothing published; unlocking a stored identity still works', async () => {
    const signer = LocalSigner.fromPrivateKey(localKey('network read-only'))
    const store = new NetworkKeyStore(node.url, { retryDelayMs: 1 })
    const error = await unlockOrCreateIdentity(signer, store).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'NETWORK_READ_ONLY', name: 'NetworkReadOnlyError' })
    expect((error as Error).message).toMatch(/no longer accepts new identities/)
    expect((error as { nextStep: string }).nextStep).toMatch(/unlockIdentity/)
    expect(node.publishes).toHaveLength(0)
    // One refused publish: a read-only answer is not retried.
    expect(node.requests.filter((r) => r.path === '/message/v1/publish')).toHaveLength(1)

    const existing = await createIdentity(signer, new MemoryKeyStore())
    node.seed(existing.storageTopic, existing.encryptedBundle)
    const opened = await unlockOrCreateIdentity(signer, store)
    expect(opened.created).toBe(false)
    expect(hex(opened.identity.identityPublicKey)).toBe(hex(existing.identity.identityPublicKey))
    expect(node.publishes).toHaveLength(0)
  }, TIMEOUT)
})

describe('faults: typed errors, nothing overwritten', () => {
  let node: XmtpNode
  const signer = LocalSigner.fromPrivateKey(localKey('network faults'))
  beforeAll(async () => {
    node = await startXmtpNode()
  })
  afterAll(async () => {
    await node?.close()
  })
  beforeEach(() => node.reset())

  it('a node that is down: KEY_STORE "could not be reached", after the bounded retries', async () => {
    const down = await startXmtpNode()
    const url = down.url
    await down.close()
    const store = new NetworkKeyStore(url, { retries: 2, retryDelayMs: 1, timeoutMs: 2000 })
    const error = await unlockOrCreateIdentity(signer, store).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'KEY_STORE' })
    expect((error as Error).message).toMatch(/could not be reached/)
  }, TIMEOUT)

  it('a slow node: KEY_STORE "did not answer within" the timeout, each attempt bounded', async () => {
    node.failNext({ kind: 'delay', ms: 3000 }, { kind: 'delay', ms: 3000 })
    const store = new NetworkKeyStore(node.url, { retries: 1, retryDelayMs: 1, timeoutMs: 150 })
    const started = Date.now()
    const error = await store.get(storageTopic(signer.address)).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'KEY_STORE' })
    expect((error as Error).message).toMatch(/did not answer within 150 ms/)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(node.requests).toHaveLength(2)
  }, TIMEOUT)

  it('500s then success: retried with backoff, then it works; more 500s than retries: typed error', async () => {
    node.failNext({ kind: 'status', status: 500 }, { kind: 'status', status: 503 })
    const store = new NetworkKeyStore(node.url, { retries: 2, retryDelayMs: 1 })
    const created = await unlockOrCreateIdentity(signer, store)
    expect(created.created).toBe(true)
    expect(node.publishesTo(created.storageTopic)).toHaveLength(1)

    node.reset()
    node.failNext({ kind: 'status', status: 502 }, { kind: 'status', status: 502 }, { kind: 'reset' })
    const error = await store.get(created.storageTopic).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'KEY_STORE' })
    expect(node.requests).toHaveLength(3)
  }, TIMEOUT)

  it('truncated JSON: KEY_STORE malformed answer, not "empty", so nothing is generated or published', async () => {
    node.failNext({ kind: 'truncate' })
    const store = new NetworkKeyStore(node.url, { retryDelayMs: 1 })
    const progress = counting()
    const error = await unlockOrCreateIdentity(signer, store, progress).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'KEY_STORE' })
    expect((error as Error).message).toMatch(/not the message API’s JSON/)
    expect(progress.requests).toEqual([])
    expect(node.publishes).toHaveLength(0)
  }, TIMEOUT)

  it('an envelope of another account on the topic: typed decryption error, left untouched, nothing published', async () => {
    const foreign = await createIdentity(LocalSigner.fromPrivateKey(localKey('network stranger')), new MemoryKeyStore())
    const topic = storageTopic(signer.address)
    node.seed(topic, foreign.encryptedBundle, 5_000n)
    const store = new NetworkKeyStore(node.url)
    await expect(unlockOrCreateIdentity(signer, store)).rejects.toMatchObject({ code: 'BUNDLE_DECRYPTION_FAILED' })
    await expect(createIdentity(signer, store)).rejects.toMatchObject({ code: 'IDENTITY_EXISTS' })
    await expect(rotatePreKey(signer, store)).rejects.toMatchObject({ code: 'BUNDLE_DECRYPTION_FAILED' })
    expect(node.envelopes(topic).map((e) => hex(e.message))).toEqual([hex(foreign.encryptedBundle)])
    expect(node.publishes).toHaveLength(0)
  }, TIMEOUT)

  it('an answer of the wrong shape, and bounded answers', async () => {
    const fakeFetch = (async () => new Response(JSON.stringify({ envelopes: [{ contentTopic: 't', timestampNs: 'soon', message: 'AQ==' }] }))) as typeof fetch
    await expect(new NetworkKeyStore(node.url, { fetch: fakeFetch }).get('t')).rejects.toMatchObject({ code: 'KEY_STORE' })
    const huge = (async () => new Response('x'.repeat(2048))) as typeof fetch
    await expect(new NetworkKeyStore(node.url, { fetch: huge, maxResponseBytes: 1024 }).get('t')).rejects.toThrow(/larger than allowed/)
    expect(() => new NetworkKeyStore('ftp://example.org')).toThrow(/http or https/)
    const controller = new AbortController()
    node.failNext({ kind: 'delay', ms: 3000 })
    const pending = new NetworkKeyStore(node.url).get('t', { signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' })
  }, TIMEOUT)
})

describe('the shipped node', () => {
  it('pages, bounds bodies, serves loopback only and lets the process exit after close', async () => {
    const node = await startXmtpNode({ maxBodyBytes: 1024 })
    try {
      expect(new URL(node.url).hostname).toBe('127.0.0.1')
      for (let i = 0; i < 5; i++) node.seed('/t', Uint8Array.of(i), BigInt(i + 1))
      const api = new xmtp.HttpApiClient(node.url)
      const seen: number[] = []
      for await (const e of api.queryIterator({ contentTopic: '/t' }, { pageSize: 2, direction: xmtp.SortDirection.SORT_DIRECTION_DESCENDING })) seen.push(e.message![0]!)
      expect(seen).toEqual([4, 3, 2, 1, 0])
      const big = await fetch(`${node.url}/message/v1/query`, { method: 'POST', body: JSON.stringify({ contentTopics: ['x'.repeat(2000)] }) }).catch((e: unknown) => e)
      expect(big instanceof Response ? big.status : 'reset').not.toBe(200)
    } finally {
      await node.close()
      await node.close()
    }
    await expect(fetch(`${node.url}/message/v1/query`, { method: 'POST', body: '{}' })).rejects.toThrow()
  }, TIMEOUT)

  it('a process that started a node, used it over keep-alive and closed it exits by itself', async () => {
    const entry = join(import.meta.dirname, '..', 'testing', 'index.ts')
    const script = [
      `import { startXmtpNode } from ${JSON.stringify(entry)}`,
      'const node = await startXmtpNode()',
      "const answer = await fetch(node.url + '/message/v1/query', { method: 'POST', body: JSON.stringify({ contentTopics: ['/t'] }) })",
      'console.log(answer.status)',
      'await node.close()',
    ].join('\n')
    // No process.exit in the script: it ends only when close() left nothing open (a hang hits the 15 s kill).
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 15_000 }, (_, out) => resolve({ code: child.exitCode, stdout: out }))
    })
    expect(stdout.trim()).toBe('200')
    expect(code).toBe(0)
  }, TIMEOUT)
})
