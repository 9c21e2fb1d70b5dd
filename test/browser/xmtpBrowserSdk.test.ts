/**
 * Our XMTP v3 signer (`toXmtpSigner` over a LocalSigner) run against the real @xmtp/browser-sdk
 * (WASM, in Debian's Chromium), with no network beyond 127.0.0.1: the SDK's API URL is the loopback
 * server that serves the page, which answers its API calls with 404.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build, type Plugin } from 'esbuild'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { verifyXmtpV3Signature, XMTP_V3_TEXT_HEADER } from '../../src/index.js'
import { launchChromium, type Chromium } from './support/chromium.js'
import { serveStatic, type StaticServer } from './support/staticServer.js'

const root = resolve(import.meta.dirname, '../..')
const SDK_DIST = join(root, 'node_modules/@xmtp/browser-sdk/dist')
const WASM = join(root, 'node_modules/@xmtp/wasm-bindings/dist/bindings_wasm_bg.wasm')

let chromium: Chromium | undefined
let server: StaticServer | undefined
let outDir: string | undefined

/** The SDK starts its worker at `./workers/client` (no extension); the bundle serves it as a .js module. */
const workerUrlWithExtension: Plugin = {
  name: 'sdk-worker-url',
  setup(builder) {
    builder.onLoad({ filter: /@xmtp[\\/]browser-sdk[\\/]dist[\\/]index\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8')
      const patched = source.replace('new URL("./workers/client",import.meta.url)', 'new URL("./workers/client.js",import.meta.url)')
      if (patched === source) throw new Error('the browser-sdk no longer starts its worker at new URL("./workers/client", import.meta.url)')
      return { contents: patched, loader: 'js' }
    })
  },
}

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'xmtp-signers-sdk-page-'))
  const common = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'silent', outdir: outDir } as const
  await Promise.all([
    build({ ...common, entryPoints: { page: join(import.meta.dirname, 'sdkPage/page.ts') }, plugins: [workerUrlWithExtension] }),
    build({ ...common, entryPoints: { 'workers/client': join(SDK_DIST, 'workers/client.js') } }),
  ])
  // The bindings fetch their WASM next to the module that loads them: the page and the worker.
  copyFileSync(WASM, join(outDir, 'bindings_wasm_bg.wasm'))
  copyFileSync(WASM, join(outDir, 'workers', 'bindings_wasm_bg.wasm'))
  ;[chromium, server] = await Promise.all([
    launchChromium(),
    serveStatic({
      root: outDir,
      headers: {},
      extra: { '/index.html': '<!doctype html><html><head><title>browser-sdk</title><link rel="icon" href="data:,"></head><body><script type="module" src="/page.js"></script></body></html>' },
    }),
  ])
}, 55_000)

afterAll(async () => {
  await chromium?.close()
  await server?.close()
  if (outDir) rmSync(outDir, { recursive: true, force: true })
})

type SignCall = { flow: string; text: string; signature: string; verified: { valid: boolean; signer: string; actions: string[]; inboxId: string } }
type PageResult = {
  fatal?: string
  address: string
  identifier: { identifier: string; identifierKind: number }
  inboxId: string
  revoke: { completed: boolean; error?: string }
  revokeWrongKey: { completed: boolean; error?: string }
  create: { completed: boolean; error?: string }
  calls: SignCall[]
}

const PUBLISH = '/xmtp.identity.api.v1.IdentityApi/PublishIdentityUpdate'
const GET_INBOX_IDS = '/xmtp.identity.api.v1.IdentityApi/GetInboxIds'
const INSTALLATION_HEX = Array.from({ length: 32 }, (_, i) => (i + 1).toString(16).padStart(2, '0')).join('')

it('browser-sdk asks our signer to sign its text and accepts the signature, offline up to publishing', async () => {
  const page = await chromium!.context.newPage()
  const requests: string[] = []
  const pageErrors: string[] = []
  page.on('request', (request) => requests.push(request.url()))
  page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`))
  try {
    await page.goto(`${server!.url}/index.html?api=${encodeURIComponent(server!.url)}`, { timeout: 10_000 })
    await page.waitForFunction(() => (window as any).__sdkResult !== undefined, undefined, { timeout: 40_000 })
    const result = (await page.evaluate(() => (window as any).__sdkResult)) as PageResult
    expect(result.fatal).toBeUndefined()
    expect(pageErrors).toEqual([])
    // Nothing left loopback: the SDK's API URL is this server.
    expect(requests.filter((url) => !url.startsWith(`${server!.url}/`))).toEqual([])
    // What the server saw between the page's marks, per flow.
    const log = server!.requests
    const between = (from: string, to: string) => log.slice(log.indexOf(`/mark/${from}`), log.indexOf(`/mark/${to}`))
    expect(log).toEqual(expect.arrayContaining(['/mark/revoke', '/mark/revoke-wrong-key', '/mark/create', '/mark/end', '/bindings_wasm_bg.wasm', '/workers/client.js', '/workers/bindings_wasm_bg.wasm']))

    expect(result.identifier).toEqual({ identifier: result.address.toLowerCase(), identifierKind: 0 })
    expect(result.inboxId).toMatch(/^[0-9a-f]{64}$/)

    // 1. Client.revokeInstallations: the SDK called our signMessage once, with its own text …
    const revoke = result.calls.filter((c) => c.flow === 'revoke')
    expect(revoke).toHaveLength(1)
    const { text, signature } = revoke[0]!
    expect(text.startsWith(`${XMTP_V3_TEXT_HEADER}\n\nInbox ID: ${result.inboxId}\nCurrent time: `)).toBe(true)
    expect(text).toContain(`\n\n- Revoke messaging access from app\n  (ID: ${INSTALLATION_HEX})\n\nFor more info: https://xmtp.org/signatures`)
    expect(signature).toMatch(/^[0-9a-f]{130}$/)
    // … our verifier accepts our result (in the page and here) …
    expect(revoke[0]!.verified).toMatchObject({ valid: true, signer: result.address, inboxId: result.inboxId, actions: ['- Revoke messaging access from app'] })
    expect(verifyXmtpV3Signature({ text, signature, address: result.address }).valid).toBe(true)
    // … and so did the SDK's signature request: it went on to publish the update, which needs the network.
    expect(result.revoke.completed).toBe(false)
    expect(result.revoke.error).toContain(`endpoint "${PUBLISH}"`)
    expect(between('revoke', 'revoke-wrong-key')).toContain(PUBLISH)

    // 1b. A signature by another key: the SDK's request refuses it and publishes nothing.
    const wrong = result.calls.filter((c) => c.flow === 'revoke-wrong-key')
    expect(wrong).toHaveLength(1)
    expect(wrong[0]!.verified.valid).toBe(false)
    expect(result.revokeWrongKey).toEqual({ completed: false, error: expect.stringContaining('UnknownSigner') })
    expect(between('revoke-wrong-key', 'create')).not.toContain(PUBLISH)

    // 2. Client.create: its worker (WASM loaded there too) asks the network for the account's inbox
    //    before anything is signed, so offline it stops there and never calls our signer.
    expect(result.calls.filter((c) => c.flow === 'create')).toEqual([])
    expect(result.create.completed).toBe(false)
    expect(result.create.error).toContain(`endpoint "${GET_INBOX_IDS}"`)
    expect(between('create', 'end')).toContain(GET_INBOX_IDS)
    expect(between('create', 'end')).not.toContain(PUBLISH)
  } finally {
    await page.close()
  }
}, 55_000)
