/**
 * The example web app (examples/web) end to end in Debian's Chromium, served as built by Vite under
 * a strict Content-Security-Policy:
 * - a Ledger over WebHID: a `navigator.hid` stand-in whose device speaks Ledger's HID framing to our
 *   Ledger emulator, so the real DMK web-hid transport and Ethereum signer kit run (and, with
 *   `?ledger=ledgerjs`, the real @ledgerhq/hw-transport-webhid and hw-app-eth);
 * - a wallet announced over EIP-6963, backed by anvil;
 * - the build: Ledger and Trezor code only in lazy chunks; the Trezor chunk loads under the CSP
 *   (its signing needs connect.trezor.io and is not run here);
 * - the WebHID failures people meet, each ending in the library's own message;
 * - the IndexedDB key store, across tabs.
 * Screenshots of each step go to test-artifacts/browser/.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import type { CDPSession, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../examples/web/csp.js'
import { hexToBytes, MemoryKeyStore, storageTopic, toHex, unlockIdentity } from '../../src/index.js'
import { TEST_MNEMONIC } from '../../src/adapter/index.js'
import { LedgerSigner } from '../../signers/ledger/index.js'
import { createEmulatorTransport, DEFAULT_APP_VERSION, LedgerEmulator } from '../../signers/ledger/emulator/index.js'
import { startAnvil, type Anvil } from '../support/anvil.js'
import { AnvilWalletBridge } from './support/anvilWallet.js'
import { launchChromium, type Chromium } from './support/chromium.js'
import { DevicePerson, VirtualLedger } from './support/ledgerHid.js'
import { pageScript } from './support/pageScripts.js'
import { serveStatic, type StaticServer } from './support/staticServer.js'

const root = resolve(import.meta.dirname, '../..')
const ARTIFACTS = join(root, 'test-artifacts', 'browser')
const EXAMPLE_DB = 'xmtp-signers-example'
const LEDGER_PATH_0 = "m/44'/60'/0'/0/0"
const STEP_TIMEOUT_MS = 15_000

let chromium: Chromium
let server: StaticServer
let anvil: Anvil
let outDir: string
let scripts: Record<'virtualHid' | 'anvilWallet' | 'watch', string>
let manifest: Record<string, { file: string; isEntry?: boolean; isDynamicEntry?: boolean; imports?: string[]; dynamicImports?: string[] }>

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true })
  outDir = await mkdtemp(join(tmpdir(), 'xmtp-signers-web-'))
  // The app exactly as `vite build` makes it, in a child process with its own time limit.
  const build = promisify(execFile)(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', 'examples/web', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: root,
    timeout: 90_000,
  })
  const harness = pageScript('storeHarness')
  ;[anvil, chromium, scripts] = await Promise.all([
    startAnvil(),
    launchChromium(),
    Promise.all([pageScript('virtualHid'), pageScript('anvilWallet'), pageScript('watch')]).then(([virtualHid, anvilWallet, watch]) => ({ virtualHid, anvilWallet, watch })),
  ])
  await build
  manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8'))
  server = await serveStatic({
    root: outDir,
    headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
    extra: {
      '/store-harness.html': '<!doctype html><html><head><title>key store</title><link rel="icon" href="data:,"></head><body><script src="/store-harness.js"></script></body></html>',
      '/store-harness.js': await harness,
    },
  })
}, 100_000)

afterAll(async () => {
  await chromium?.close()
  await server?.close()
  await anvil?.stop()
  if (outDir) rmSync(outDir, { recursive: true, force: true })
})

// ---- pages --------------------------------------------------------------------------------------

type AppPage = {
  page: Page
  /** Every URL the page requested. */
  requests: string[]
  /** Fails the test on a CSP violation, a console error, an uncaught exception or a request off loopback. */
  assertClean(): void
}

async function openPage(path: string, options: { hid?: 'virtual' | 'none'; ledger?: VirtualLedger; wallet?: AnvilWalletBridge; waitReady?: boolean } = {}): Promise<AppPage> {
  const page = await chromium.context.newPage()
  page.setDefaultTimeout(STEP_TIMEOUT_MS)
  const csp: unknown[] = []
  const consoleErrors: string[] = []
  const pageErrors: string[] = []
  const requests: string[] = []
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()))
  page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`))
  page.on('request', (request) => requests.push(request.url()))
  await page.exposeBinding('__reportCsp', (_source, violation: unknown) => void csp.push(violation))
  await page.exposeBinding('__virtualLedger', (_source, request) => {
    if (!options.ledger) throw new Error('no virtual Ledger in this test')
    return options.ledger.handle(request)
  })
  await page.exposeBinding('__anvilWallet', (_source, request) => {
    if (!options.wallet) return { error: { code: 4900, message: 'no wallet in this test' } }
    return options.wallet.handle(request)
  })
  await page.addInitScript({ content: `window.__xmtpTestOptions = ${JSON.stringify({ hid: options.hid ?? 'virtual', device: options.ledger?.id })}` })
  await page.addInitScript({ content: scripts.watch })
  await page.addInitScript({ content: scripts.virtualHid })
  if (options.wallet) await page.addInitScript({ content: scripts.anvilWallet })
  await page.goto(`${server.url}${path}`)
  if (options.waitReady !== false) await page.waitForSelector('body[data-ready="true"]', { state: 'attached' })
  return {
    page,
    requests,
    assertClean: () => {
      expect(csp, 'Content-Security-Policy violations').toEqual([])
      expect(consoleErrors, 'console errors').toEqual([])
      expect(pageErrors, 'uncaught exceptions').toEqual([])
      expect(requests.filter((url) => !url.startsWith(`${server.url}/`) && !url.startsWith('data:')), 'requests off loopback').toEqual([])
    },
  }
}

const openApp = (options: Parameters<typeof openPage>[1] = {}) => openPage('/', options)

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true })
}

async function expectError(page: Page, title: string, nextStep: string | RegExp): Promise<void> {
  await page.waitForSelector('#error:not([hidden])')
  expect(await page.textContent('#error-title')).toBe(title)
  const next = (await page.textContent('#error-next')) ?? ''
  if (typeof nextStep === 'string') expect(next).toContain(nextStep)
  else expect(next).toMatch(nextStep)
}

async function logLine(page: Page, text: string): Promise<void> {
  await page.locator('#log li', { hasText: text }).last().waitFor()
}

/** The raw record for an account in the app's IndexedDB, read without the library. */
async function storedRecord(page: Page, address: string): Promise<string | null> {
  return page.evaluate(
    ({ name, topic }) =>
      new Promise<string | null>((resolvePromise, rejectPromise) => {
        const request = indexedDB.open(name)
        request.onerror = () => rejectPromise(request.error)
        request.onsuccess = () => {
          const db = request.result
          if (!db.objectStoreNames.contains('keys')) return resolvePromise((db.close(), null))
          const get = db.transaction('keys').objectStore('keys').get(topic)
          get.onerror = () => rejectPromise(get.error)
          get.onsuccess = () => {
            db.close()
            const value = get.result as Uint8Array | undefined
            resolvePromise(value ? Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('') : null)
          }
        }
      }),
    { name: EXAMPLE_DB, topic: storageTopic(address) },
  )
}

/** The manifest's chunk files a chunk needs, with (or without) the chunks it imports lazily. */
function chunkFiles(key: string, withLazy: boolean, seen = new Set<string>()): Set<string> {
  const chunk = manifest[key]
  if (!chunk || seen.has(key)) return new Set()
  seen.add(key)
  const files = new Set([chunk.file])
  for (const next of [...(chunk.imports ?? []), ...(withLazy ? (chunk.dynamicImports ?? []) : [])]) for (const f of chunkFiles(next, withLazy, seen)) files.add(f)
  return files
}
const chunkText = (files: Iterable<string>) => [...files].map((f) => readFileSync(join(outDir, f), 'utf8')).join('\n')
// DMK's web-hid kit (the default), LedgerJS's hw-transport-webhid (?ledger=ledgerjs), and the signer's own request names.
const LEDGER_MARKERS = ['WebHidTransportNotSupportedError', 'HIDNotSupported', 'GET APP AND VERSION', 'GET APP CONFIGURATION']
const TREZOR_MARKERS = ['connect.trezor.io']
/** The lazy Ledger and Trezor chunk files (DMK's chunks have generic names such as index-….js). */
function lazyFiles(): Set<string> {
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!
  const upFront = chunkFiles(entry, false)
  return new Set([...chunkFiles('src/wallets/ledger.ts', true), ...chunkFiles('src/wallets/trezor.ts', true)].filter((f) => !upFront.has(f)))
}
const lazyChunkRequests = (requests: string[]) => {
  const lazy = lazyFiles()
  return requests.filter((url) => lazy.has(new URL(url).pathname.slice(1)))
}
const bufferChunkRequested = (requests: string[]) => requests.some((url) => new URL(url).pathname.slice(1) === manifest['../../node_modules/buffer/index.js']!.file)

/** A click from a script with no user activation (Playwright's own calls count as a gesture). */
async function clickWithoutGesture(cdp: CDPSession, selector: string): Promise<void> {
  await cdp.send('Runtime.evaluate', { expression: `document.querySelector(${JSON.stringify(selector)}).click()`, userGesture: false })
}

async function textWithoutGesture(cdp: CDPSession, expression: string): Promise<string> {
  const { result } = await cdp.send('Runtime.evaluate', { expression, userGesture: false, returnByValue: true })
  return String(result.value ?? '')
}

async function pollWithoutGesture(cdp: CDPSession, expression: string, timeoutMs = STEP_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while ((await textWithoutGesture(cdp, expression)) !== 'true') {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms: ${expression}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

// ---- the build ----------------------------------------------------------------------------------

describe('the example app as built', () => {
  it('loads the engine, the injected signer and the IndexedDB store up front; Ledger and Trezor are lazy chunks', () => {
    const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!
    const upFront = chunkFiles(entry, false)
    const upFrontText = chunkText(upFront)
    for (const marker of [...LEDGER_MARKERS, ...TREZOR_MARKERS]) expect(upFrontText, marker).not.toContain(marker)
    expect(upFrontText).toContain('eip6963:requestProvider') // the injected signer's discovery
    expect(upFrontText).toContain('xmtp-signers:') // the IndexedDB store's lock names

    const ledger = [...chunkFiles('src/wallets/ledger.ts', true)].filter((f) => !upFront.has(f))
    const trezor = [...chunkFiles('src/wallets/trezor.ts', true)].filter((f) => !upFront.has(f))
    for (const marker of LEDGER_MARKERS) expect(chunkText(ledger), marker).toContain(marker)
    for (const marker of TREZOR_MARKERS) expect(chunkText(trezor), marker).toContain(marker)
    // The Buffer polyfill is reachable only from the Ledger chunk.
    const buffer = manifest['../../node_modules/buffer/index.js']!.file
    expect(ledger).toContain(buffer)
    expect(upFront.has(buffer)).toBe(false)
    expect(trezor).not.toContain(buffer)
  })
})

// ---- a Ledger over WebHID -----------------------------------------------------------------------

describe('Sign in with a Ledger over WebHID', () => {
  it('click → connect → check the address → create → unlock → verify, showing what the device shows', async () => {
    const person = new DevicePerson()
    const emulator = new LedgerEmulator({ decide: person.decide })
    const ledger = new VirtualLedger(emulator)
    const address = emulator.addressAt(LEDGER_PATH_0)
    const app = await openApp({ ledger })
    const { page } = app
    expect(await page.evaluate(() => [typeof (globalThis as { Buffer?: unknown }).Buffer, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined'])
    await shot(page, '01-start')
    expect(lazyChunkRequests(app.requests)).toEqual([])

    await page.click('#connect-ledger')
    await page.waitForSelector('#account:not([hidden])')
    expect(await page.textContent('#account-address')).toBe(address)
    expect(await page.textContent('#account-path')).toBe(`${LEDGER_PATH_0} — Ledger Live account 0 = BIP-44 standard account 0`)
    expect(await page.textContent('#account-wallet')).toBe(`Ledger, Ethereum app ${DEFAULT_APP_VERSION}`)
    expect(ledger.dialogs).toBe(1)
    await shot(page, '02-ledger-connected')

    await page.click('#show-address')
    const addressScreen = await person.next()
    expect(addressScreen.screen).toEqual({ kind: 'address', path: LEDGER_PATH_0, address })
    await page.waitForSelector('#prompt:not([hidden])')
    expect(await page.textContent('#prompt-instructions')).toContain(address)
    await shot(page, '03-ledger-check-address')
    addressScreen.approve()
    await logLine(page, 'You confirmed on the device that it holds this address')

    await page.click('#create')
    const create = await person.next()
    expect(create.screen.kind).toBe('sign-message')
    const createText = (create.screen as { text: string }).text
    expect(createText).toMatch(/^XMTP : Create Identity\\x0a[0-9a-f]{130,}\\x0a\\x0aFor more info: https:\/\/xmtp\.org\/signatures\/$/)
    await page.waitForSelector('#prompt:not([hidden])')
    expect(await page.textContent('#prompt-title')).toBe('Confirm on your Ledger')
    // The page shows the person exactly what the device shows.
    expect(await page.textContent('#prompt-text')).toBe(createText)
    expect(await page.textContent('#prompt-why')).toContain('Create Identity: your wallet attests')
    await shot(page, '04-ledger-confirm-create-identity')
    create.approve()

    const enable = await person.next()
    const enableText = (enable.screen as { text: string }).text
    expect(enableText).toMatch(/^XMTP : Enable Identity\\x0a[0-9a-f]{64}\\x0a\\x0aFor more info: https:\/\/xmtp\.org\/signatures\/$/)
    await page.locator('#prompt-text', { hasText: 'Enable Identity' }).waitFor()
    expect(await page.textContent('#prompt-text')).toBe(enableText)
    await shot(page, '05-ledger-confirm-enable-identity')
    enable.approve()

    await page.waitForSelector('#identity-facts:not([hidden])')
    const identityKey = (await page.textContent('#identity-key'))!
    expect(identityKey).toMatch(/^04[0-9a-f]{128}$/)
    expect(await page.textContent('#stored-in')).toContain(`indexeddb:${EXAMPLE_DB}`)
    await logLine(page, 'Your XMTP identity is created and stored')
    await shot(page, '06-ledger-created')
    // The DMK path needs no Buffer polyfill: its chunk was not fetched and no global was set.
    expect(await page.evaluate(() => typeof (globalThis as { Buffer?: unknown }).Buffer)).toBe('undefined')
    expect(bufferChunkRequested(app.requests)).toBe(false)

    // The real DMK web-hid transport framed every APDU: 64-byte reports, tag 0x05, one channel, sequences from 0.
    expect(ledger.usb.framingErrors).toEqual([])
    const hostReports = ledger.usb.reports.filter((r) => r.direction === 'host→device')
    expect(hostReports.length).toBeGreaterThan(8)
    expect(new Set(hostReports.map((r) => r.tag))).toEqual(new Set([0x05]))
    expect(new Set(ledger.usb.reports.map((r) => r.channel)).size).toBe(1)
    expect(emulator.screens.map((s) => s.kind)).toEqual(['address', 'sign-message', 'sign-message'])
    // DMK asked the OS which app is in front (GET APP AND VERSION, B0 01).
    expect(emulator.transcript.some((x) => x.command.startsWith('b001'))).toBe(true)

    // What the browser stored is an XMTP bundle the same Ledger opens outside the browser.
    const stored = await storedRecord(page, address)
    expect(stored).toMatch(/^[0-9a-f]+$/)
    const nodeStore = new MemoryKeyStore()
    await nodeStore.put(storageTopic(address), hexToBytes(stored!))
    const nodeSigner = await LedgerSigner.open({ transport: createEmulatorTransport(new LedgerEmulator()) })
    try {
      expect(toHex((await unlockIdentity(nodeSigner, nodeStore)).identity.identityPublicKey)).toBe(identityKey)
    } finally {
      await nodeSigner.close()
    }

    // A new visit: the browser remembers the Ledger (no dialog), the identity comes from IndexedDB.
    ledger.chooser = 'cancel'
    await page.reload()
    await page.waitForSelector('body[data-ready="true"]')
    await page.click('#connect-ledger')
    await page.waitForSelector('#account:not([hidden])')
    expect(ledger.dialogs).toBe(1)
    await page.locator('#account-stored', { hasText: 'Yes, in this browser' }).waitFor()
    await page.click('#unlock')
    const unlock = await person.next()
    expect((unlock.screen as { text: string }).text).toMatch(/^XMTP : Enable Identity\\x0a/)
    expect(await page.textContent('#prompt-text')).toBe((unlock.screen as { text: string }).text)
    unlock.approve()
    await page.waitForSelector('#identity-facts:not([hidden])')
    expect(await page.textContent('#identity-key')).toBe(identityKey)
    await logLine(page, 'Your XMTP identity is unlocked')
    await shot(page, '07-ledger-unlocked')

    await page.click('#verify')
    await page.waitForSelector('#checks:not([hidden])')
    const checks = await page.locator('#checks li').allTextContents()
    expect(checks.length).toBeGreaterThanOrEqual(3)
    expect(checks.every((c) => c.startsWith('✓'))).toBe(true)
    expect(checks.join('\n')).toContain('identity-attested-by-wallet')
    await logLine(page, `is valid: attested by ${address}`)
    await shot(page, '08-ledger-verified')
    app.assertClean()
    await page.close()
  })
})

// ---- a browser wallet (EIP-6963) ----------------------------------------------------------------

describe('Sign in with a browser wallet (EIP-6963, backed by anvil)', () => {
  it('create → unlock → verify, with no Ledger or Trezor code loaded and no Node globals', async () => {
    const account = anvil.accounts[1]!
    const wallet = new AnvilWalletBridge(anvil.rpcUrl, account)
    const app = await openApp({ wallet })
    const { page } = app
    const walletButton = page.locator('#injected-wallets button[data-rdns="org.xmtp-signers.test-wallet"]')
    expect(await walletButton.textContent()).toBe('Anvil Test Wallet')
    expect(await walletButton.locator('img').getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/)

    await walletButton.click()
    await page.waitForSelector('#account:not([hidden])')
    expect(await page.textContent('#account-address')).toBe(account)
    expect(await page.textContent('#account-wallet')).toBe('Anvil Test Wallet')
    expect(await page.isHidden('#show-address')).toBe(true)
    await shot(page, '11-injected-connected')

    await page.click('#create')
    await page.waitForSelector('#identity-facts:not([hidden])')
    const identityKey = await page.textContent('#identity-key')
    const signed = wallet.calls.filter((c) => c.method === 'personal_sign').map((c) => Buffer.from(String((c.params as string[])[0]).slice(2), 'hex').toString('utf8'))
    // The attestation once; the storage text twice, compared (a browser wallet may not be deterministic).
    expect(signed.map((t) => t.split('\n')[0])).toEqual(['XMTP : Create Identity', 'XMTP : Enable Identity', 'XMTP : Enable Identity'])
    await logLine(page, 'once more: a browser wallet does not say')
    await shot(page, '12-injected-created')

    await page.click('#verify')
    await page.waitForSelector('#checks:not([hidden])')
    expect((await page.locator('#checks li').allTextContents()).every((c) => c.startsWith('✓'))).toBe(true)

    // A new visit unlocks from IndexedDB; a rejection in the wallet is said plainly.
    await page.reload()
    await page.waitForSelector('body[data-ready="true"]')
    await walletButton.click()
    await page.locator('#account-stored', { hasText: 'Yes, in this browser' }).waitFor()
    wallet.rejectNextSignature = true
    await page.click('#unlock')
    await expectError(page, 'The signature request was rejected in the wallet.', 'approve the request')
    await shot(page, '13-injected-rejected')
    await page.click('#unlock')
    await page.waitForSelector('#identity-facts:not([hidden])')
    expect(await page.textContent('#identity-key')).toBe(identityKey)
    await shot(page, '14-injected-unlocked')

    expect(lazyChunkRequests(app.requests)).toEqual([])
    expect(await page.evaluate(() => [typeof (globalThis as { Buffer?: unknown }).Buffer, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined'])
    app.assertClean()
    await page.close()
  })
})

// ---- Trezor -------------------------------------------------------------------------------------

describe('the Trezor button’s chunk', () => {
  // Signing needs Trezor Connect's iframe from connect.trezor.io (off loopback, outside this CSP): not run here.
  it('loads under the strict CSP with no Node globals and exports the connect function', async () => {
    const app = await openApp()
    // A string, not a function: the test runner would rewrite a function's import().
    const exported = (await app.page.evaluate(`import(${JSON.stringify(`/${manifest['src/wallets/trezor.ts']!.file}`)}).then((m) => Object.keys(m))`)) as string[]
    expect(exported).toContain('connectTrezor')
    expect(await app.page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined')
    app.assertClean()
    await app.page.close()
  })
})

// ---- WebHID failures ----------------------------------------------------------------------------

describe('the Ledger’s own screens before the Ethereum app answers (DMK device-action states)', () => {
  it('locked, then the dashboard in front: the page says to unlock it, then to allow opening the Ethereum app; then it connects', async () => {
    const person = new DevicePerson()
    const emulator = new LedgerEmulator({ decide: person.decide })
    emulator.injectFault({ type: 'locked' })
    emulator.injectFault({ type: 'app-closed' })
    const ledger = new VirtualLedger(emulator)
    const app = await openApp({ ledger })
    const { page } = app
    // Every prompt title the page shows, in order (an unlock prompt lasts only until the next poll).
    await page.evaluate(() => {
      const titles: string[] = []
      ;(window as unknown as { promptTitles: string[] }).promptTitles = titles
      const title = document.getElementById('prompt-title')!
      new MutationObserver(() => titles.push(title.textContent ?? '')).observe(title, { childList: true, characterData: true, subtree: true })
    })
    await page.click('#connect-ledger')
    const openAppScreen = await person.next()
    expect(openAppScreen.screen).toMatchObject({ kind: 'open-app', appName: 'Ethereum' })
    await page.locator('#prompt-title', { hasText: 'Open the Ethereum app' }).waitFor()
    expect(await page.textContent('#prompt-instructions')).toContain('approve it there')
    await shot(page, '25-ledger-open-app')
    openAppScreen.approve()
    await page.waitForSelector('#account:not([hidden])')
    const titles = await page.evaluate(() => (window as unknown as { promptTitles: string[] }).promptTitles)
    expect(titles).toContain('Unlock your Ledger')
    expect(titles.indexOf('Unlock your Ledger')).toBeLessThan(titles.indexOf('Open the Ethereum app'))
    expect(await page.textContent('#account-wallet')).toBe(`Ledger, Ethereum app ${DEFAULT_APP_VERSION}`)
    app.assertClean()
    await page.close()
  })
})

describe('the LedgerJS path, kept behind ?ledger=ledgerjs', () => {
  it('connects with hw-transport-webhid and hw-app-eth, which bring the Buffer polyfill from the Ledger chunk', async () => {
    const person = new DevicePerson()
    const emulator = new LedgerEmulator({ decide: person.decide })
    const ledger = new VirtualLedger(emulator)
    const app = await openPage('/?ledger=ledgerjs', { ledger })
    const { page } = app
    await page.fill('#account-index', '2')
    await page.click('#connect-ledger')
    await page.waitForSelector('#account:not([hidden])')
    expect(await page.textContent('#account-address')).toBe(emulator.addressAt("m/44'/60'/2'/0/0"))
    // LedgerJS reads the version with GET APP CONFIGURATION (E0 06) and never sends DMK's GET APP AND VERSION (B0 01).
    expect(emulator.transcript.some((x) => x.command.startsWith('e006'))).toBe(true)
    expect(emulator.transcript.some((x) => x.command.startsWith('b001'))).toBe(false)
    expect(await page.evaluate(() => typeof (globalThis as { Buffer?: unknown }).Buffer)).toBe('function')
    expect(bufferChunkRequested(app.requests)).toBe(true)
    await page.click('#create')
    for (const _ of ['Create Identity', 'Enable Identity']) (await person.next()).approve()
    await page.waitForSelector('#identity-facts:not([hidden])')
    app.assertClean()
    await page.close()
  })
})

describe('WebHID failures on the DMK path end in the library’s clear message', () => {
  it('a browser without WebHID', async () => {
    const app = await openApp({ hid: 'none' })
    expect(await app.page.isVisible('#webhid-note')).toBe(true)
    await app.page.click('#connect-ledger')
    await expectError(app.page, 'This browser has no WebHID, so it cannot reach a Ledger.', 'Use a Chromium-based browser')
    await shot(app.page, '21-no-webhid')
    app.assertClean()
    await app.page.close()
  })

  it('no permission: asked outside a click', async () => {
    const ledger = new VirtualLedger(new LedgerEmulator())
    // Everything through CDP with userGesture: false: Playwright's own calls would count as a click.
    const app = await openApp({ ledger, waitReady: false })
    const cdp = await chromium.context.newCDPSession(app.page)
    await pollWithoutGesture(cdp, `document.body.dataset.ready === 'true'`)
    expect(await textWithoutGesture(cdp, 'String(navigator.userActivation.isActive)')).toBe('false')
    await clickWithoutGesture(cdp, '#connect-ledger')
    await pollWithoutGesture(cdp, `!document.getElementById('error').hidden`)
    expect(await textWithoutGesture(cdp, `document.getElementById('error-title').textContent`)).toBe('The browser lets a page ask for a Ledger only in answer to a click.')
    expect(await textWithoutGesture(cdp, `document.getElementById('error-next').textContent`)).toContain('Call this from a button’s click handler')
    // Chromium's own refusal, not the stand-in's: no dialog was shown.
    expect(await textWithoutGesture(cdp, `document.getElementById('error-details').textContent`)).toContain('Must be handling a user gesture')
    expect(ledger.dialogs).toBe(0)
    await cdp.detach()
    await shot(app.page, '22-no-gesture')
    app.assertClean()
    await app.page.close()
  })

  it('no permission: the device dialog closed without choosing', async () => {
    const ledger = new VirtualLedger(new LedgerEmulator())
    ledger.chooser = 'cancel'
    const app = await openApp({ ledger })
    await app.page.click('#connect-ledger')
    await expectError(app.page, 'No Ledger was found.', 'click again and choose it in the browser’s dialog')
    expect(await app.page.textContent('#error-details')).toContain('no Ledger was chosen')
    expect(bufferChunkRequested(app.requests)).toBe(false) // DMK's web-hid transport asked, not LedgerJS's
    app.assertClean()
    await app.page.close()
  })

  it('the device held by another app (Ledger Live)', async () => {
    const ledger = new VirtualLedger(new LedgerEmulator())
    ledger.openRefusal = { name: 'NotAllowedError', message: 'Failed to open the device.' }
    const app = await openApp({ ledger })
    await app.page.click('#connect-ledger')
    await expectError(app.page, 'The Ledger is busy with another request.', 'Quit Ledger Live and close other tabs, windows or apps using the Ledger')
    expect(await app.page.textContent('#error-details')).toContain('another app holds the Ledger (NotAllowedError: Failed to open the device.)')
    expect(bufferChunkRequested(app.requests)).toBe(false) // DMK's web-hid transport opened it, not LedgerJS's
    await shot(app.page, '23-held-by-another-app')
    // Once Ledger Live lets go, the same click works.
    ledger.openRefusal = undefined
    await app.page.click('#connect-ledger')
    await app.page.waitForSelector('#account:not([hidden])')
    app.assertClean()
    await app.page.close()
  })

  it('the device already open in this page', async () => {
    const ledger = new VirtualLedger(new LedgerEmulator())
    const app = await openApp({ ledger })
    const { page } = app
    await page.click('#connect-ledger')
    await page.waitForSelector('#account:not([hidden])')
    await page.click('#disconnect')
    await page.waitForSelector('#account', { state: 'hidden' })
    // Another part of the page opens the device and keeps it.
    await page.evaluate(async () => {
      const [device] = await (navigator as unknown as { hid: { getDevices(): Promise<{ open(): Promise<void> }[]> } }).hid.getDevices()
      await device!.open()
    })
    await page.click('#connect-ledger')
    await expectError(page, 'The Ledger is busy with another request.', 'This page already holds a connection to the Ledger')
    // DMK's web-hid transport would take an open device over silently; the signer refuses before DMK opens it.
    expect(await page.textContent('#error-details')).toContain('the Ledger is already open in this page')
    // Once the other part lets go, the same click works.
    await page.evaluate(async () => {
      const [device] = await (navigator as unknown as { hid: { getDevices(): Promise<{ close(): Promise<void> }[]> } }).hid.getDevices()
      await device!.close()
    })
    await page.click('#connect-ledger')
    await page.waitForSelector('#account:not([hidden])')
    app.assertClean()
    await page.close()
  })

  it('unplugged while the device shows the message: fails at once, nothing stored; replugged, it works', async () => {
    const person = new DevicePerson()
    const emulator = new LedgerEmulator({ decide: person.decide })
    const ledger = new VirtualLedger(emulator)
    const app = await openApp({ ledger })
    const { page } = app
    await page.fill('#account-index', '1') // another account than the first test's
    const address = emulator.addressAt("m/44'/60'/1'/0/0")
    await page.click('#connect-ledger')
    await page.waitForSelector('#account:not([hidden])')
    expect(await page.textContent('#account-address')).toBe(address)

    await page.click('#create')
    const pending = await person.next()
    const started = Date.now()
    emulator.unplug() // the page hears WebHID's disconnect event
    await expectError(page, 'The Ledger was disconnected.', 'Plug it in again, unlock it, open the Ethereum app and retry. Nothing was stored.')
    expect(Date.now() - started).toBeLessThan(5_000) // not the 5-minute confirmation limit, nor DMK's 6 s wait for a replug
    expect(await page.textContent('#error-details')).toContain('DeviceDisconnectedWhileSendingError')
    expect(await storedRecord(page, address)).toBeNull()
    await shot(page, '24-unplugged-mid-flow')
    pending.reject()

    // Plugged back in: the signer reopens the device (permission kept, no dialog) and checks the account.
    emulator.reconnect()
    ledger.usb.reset()
    await page.evaluate(() => (window as unknown as { __virtualHid: { replug(): void } }).__virtualHid.replug())
    await page.click('#create')
    for (const _ of ['Create Identity', 'Enable Identity']) (await person.next()).approve()
    await page.waitForSelector('#identity-facts:not([hidden])')
    expect(await storedRecord(page, address)).toMatch(/^[0-9a-f]+$/)
    expect(ledger.dialogs).toBe(1)
    app.assertClean()
    await page.close()
  })

  it('unplugged between requests: the next write fails', async () => {
    const emulator = new LedgerEmulator()
    const ledger = new VirtualLedger(emulator)
    const app = await openApp({ ledger })
    await app.page.click('#connect-ledger')
    await app.page.waitForSelector('#account:not([hidden])')
    emulator.unplug()
    await app.page.evaluate(() => (window as unknown as { __virtualHid: { unplug(o: { silent: boolean }): void } }).__virtualHid.unplug({ silent: true }))
    await app.page.click('#show-address')
    await expectError(app.page, 'The Ledger was disconnected.', 'Plug it in again')
    expect(await app.page.textContent('#error-details')).toContain('WebHidSendReportError: Failed to write the report')
    app.assertClean()
    await app.page.close()
  })
})

// ---- the IndexedDB key store --------------------------------------------------------------------

type Harness = import('./page/storeHarness.js').StoreHarness
type HarnessWindow = Window & { xmtpTest: Harness; release?: () => void }

describe('IndexedDbKeyStore in Chromium', () => {
  it('get / put / overwrite, copies, typed errors, and records that outlive the page', async () => {
    const app = await openPage('/store-harness.html')
    const { page } = app
    const result = await page.evaluate(async () => {
      const { IndexedDbKeyStore } = (window as unknown as HarnessWindow).xmtpTest
      const store = new IndexedDbKeyStore({ databaseName: 'semantics' })
      const codeOf = (promise: Promise<unknown>) => promise.then(() => 'ok', (e: { code?: string; shortMessage?: string }) => `${e.code}: ${e.shortMessage}`)
      const empty = await store.get('topic')
      const value = Uint8Array.of(1, 2, 3)
      await store.put('topic', value)
      value[0] = 9 // the store kept a copy
      const first = Array.from((await store.get('topic'))!)
      const again = await codeOf(store.put('topic', Uint8Array.of(4)))
      const afterRefusal = Array.from((await store.get('topic'))!)
      await store.put('topic', Uint8Array.of(7, 7), { overwrite: true })
      const overwritten = Array.from((await store.get('topic'))!)
      // A record some other script wrote that is not bytes.
      await new Promise<void>((done, fail) => {
        const open = indexedDB.open('semantics')
        open.onsuccess = () => {
          const tx = open.result.transaction('keys', 'readwrite')
          tx.objectStore('keys').put('not bytes', 'foreign')
          tx.oncomplete = () => (open.result.close(), done())
          tx.onerror = () => fail(tx.error)
        }
      })
      const foreign = await codeOf(store.get('foreign'))
      const refused = await codeOf(
        new IndexedDbKeyStore({
          indexedDB: {
            open() {
              throw new DOMException('Access to IndexedDB is denied.', 'SecurityError')
            },
          } as unknown as IDBFactory,
        }).get('topic'),
      )
      await store.delete('foreign')
      store.close()
      return { empty: empty === undefined, first, again, afterRefusal, overwritten, foreign, refused, location: store.location }
    })
    expect(result).toEqual({
      empty: true,
      first: [1, 2, 3],
      again: 'IDENTITY_EXISTS: An XMTP identity is already stored for this account; it was not replaced.',
      afterRefusal: [1, 2, 3],
      overwritten: [7, 7],
      foreign: 'KEY_STORE: The record for foreign in indexeddb:semantics is not bytes.',
      refused: 'KEY_STORE: The key store indexeddb:xmtp-signers could not be opened: the browser refused it.',
      location: 'indexeddb:semantics',
    })
    await page.reload()
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' })
    expect(
      await page.evaluate(async () => {
        const { IndexedDbKeyStore } = (window as unknown as HarnessWindow).xmtpTest
        return Array.from((await new IndexedDbKeyStore({ databaseName: 'semantics' }).get('topic'))!)
      }),
    ).toEqual([7, 7])
    app.assertClean()
    await page.close()
  })

  it('two tabs: the lock is held across tabs with a bounded, typed wait; one identity per account; add never overwrites', async () => {
    const a = await openPage('/store-harness.html')
    const b = await openPage('/store-harness.html')
    await a.page.evaluate(() => {
      const w = window as unknown as HarnessWindow
      const store = new w.xmtpTest.IndexedDbKeyStore({ databaseName: 'tabs' })
      void store.withLock('/topic', () => new Promise<void>((release) => (w.release = release)))
    })
    const waited = await b.page.evaluate(async () => {
      const { IndexedDbKeyStore } = (window as unknown as HarnessWindow).xmtpTest
      const store = new IndexedDbKeyStore({ databaseName: 'tabs', lockTimeoutMs: 300 })
      const started = performance.now()
      const outcome = await store.withLock('/topic', async () => 'held').then(
        (v) => v,
        (e: { code?: string; nextStep?: string }) => `${e.code}: ${e.nextStep}`,
      )
      const other = await store.withLock('/another-topic', async () => 'held')
      return { outcome, ms: performance.now() - started, other }
    })
    expect(waited.outcome).toBe('KEY_STORE_LOCKED: Another tab or window of this app is creating or unlocking this identity: finish or cancel it there, then retry.')
    expect(waited.ms).toBeGreaterThanOrEqual(250)
    expect(waited.ms).toBeLessThan(5_000)
    expect(waited.other).toBe('held')
    await a.page.evaluate(() => (window as unknown as HarnessWindow).release!())
    expect(
      await b.page.evaluate(() => new (window as unknown as HarnessWindow).xmtpTest.IndexedDbKeyStore({ databaseName: 'tabs', lockTimeoutMs: 5_000 }).withLock('/topic', async () => 'held')),
    ).toBe('held')

    // The same wallet signs in from two tabs at once: one creates, the other waits and unlocks it.
    const signIn = (page: Page) =>
      page.evaluate(async (mnemonic) => {
        const { IndexedDbKeyStore, LocalSigner, unlockOrCreateIdentity, toHex } = (window as unknown as HarnessWindow).xmtpTest
        const signer = LocalSigner.fromMnemonic(mnemonic)
        const { created, identity } = await unlockOrCreateIdentity(signer, new IndexedDbKeyStore({ databaseName: 'tabs' }))
        return { created, key: toHex(identity.identityPublicKey) }
      }, TEST_MNEMONIC)
    const [fromA, fromB] = await Promise.all([signIn(a.page), signIn(b.page)])
    expect([fromA.created, fromB.created].sort()).toEqual([false, true])
    expect(fromA.key).toBe(fromB.key)

    // Without any lock, two tabs adding the same topic: the database keeps the first.
    const add = (page: Page) =>
      page.evaluate(() =>
        new (window as unknown as HarnessWindow).xmtpTest.IndexedDbKeyStore({ databaseName: 'tabs' }).put('/race', Uint8Array.of(1)).then(
          () => 'stored',
          (e: { code?: string }) => String(e.code),
        ),
      )
    expect((await Promise.all([add(a.page), add(b.page)])).sort()).toEqual(['IDENTITY_EXISTS', 'stored'])
    a.assertClean()
    b.assertClean()
    await a.page.close()
    await b.page.close()
  })
})
