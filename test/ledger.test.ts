/**
 * The Ledger signer end to end: the real @ledgerhq/hw-app-eth over our device emulator, in-process
 * and over TCP with the real Speculos transport; the fault matrix; accounts; interop with xmtp-js.
 */
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createIdentity,
  derivationPath,
  hashTypedData,
  MemoryKeyStore,
  recoverPersonalSignAddress,
  normalizeSignature,
  storageTopic,
  toHex,
  unlockIdentity,
  verifyEncodedBundle,
  publicKeyToAddress,
  type ProgressEvent,
} from '../src/index.js'
import { encodePrivateKeyBundle } from '../src/wire.js'
import { recoverPublicKey } from '../src/signature.js'
import { LocalSigner } from '../signers/local/index.js'
import { discoverLedgerAccounts, LedgerConnection, LedgerSigner, openLedgerNodeHid, openLedgerSpeculos, toLedgerError, type LedgerSignerOptions } from '../signers/ledger/index.js'
import { createEmulatorTransport, LedgerEmulator, startSpeculosServer, TEST_MNEMONIC, type LedgerFault } from '../signers/ledger/emulator/index.js'
import { xmtpJsLoadsStoredBundle } from './support/xmtpJsPeer.js'
import { MAIL_TYPED_DATA } from './support/typedData.js'

const LIVE_0 = "m/44'/60'/0'/0/0"

function device(options: ConstructorParameters<typeof LedgerEmulator>[0] = {}) {
  const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC, ...options })
  // A factory, so the signer can reopen after a disconnect as it would with USB.
  const openTransport = async () => createEmulatorTransport(emulator)
  return { emulator, openTransport }
}

async function openSigner(emulator: LedgerEmulator, options: Partial<LedgerSignerOptions> = {}) {
  return LedgerSigner.open({ openTransport: async () => createEmulatorTransport(emulator), ...options })
}

const typedData = MAIL_TYPED_DATA

describe('LedgerSigner over the emulator', () => {
  it('opens at Ledger Live account 0 and reports the app version', async () => {
    const { emulator } = device({ appVersion: '1.13.0' })
    const signer = await openSigner(emulator)
    expect(signer.path).toBe(LIVE_0)
    expect(signer.address).toBe(LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: LIVE_0 }).address)
    expect(signer.appVersion).toBe('1.13.0')
    await signer.close()
  })

  it('derives by scheme and index, and by explicit path', async () => {
    const { emulator } = device()
    for (const [scheme, index] of [['live', 2], ['legacy', 3], ['bip44', 4]] as const) {
      const signer = await openSigner(emulator, { scheme, index })
      expect(signer.path).toBe(derivationPath(scheme, index))
      expect(signer.address).toBe(LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: signer.path }).address)
      await signer.close()
    }
    const explicit = await openSigner(emulator, { path: "m/44'/60'/7'/0/1" })
    expect(explicit.address).toBe(LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: "m/44'/60'/7'/0/1" }).address)
    await explicit.close()
  })

  it('creates, unlocks and verifies an identity; the device showed the XMTP texts', async () => {
    const { emulator } = device()
    const signer = await openSigner(emulator)
    const store = new MemoryKeyStore()
    const created = await createIdentity(signer, store)
    const unlocked = await unlockIdentity(signer, store)
    expect(toHex(unlocked.identity.identityPublicKey)).toBe(toHex(created.identity.identityPublicKey))
    expect(verifyEncodedBundle(created.identity.encodeContactBundle(2), { expectedAddress: signer.address }).valid).toBe(true)
    const texts = emulator.screens.filter((s) => s.kind === 'sign-message').map((s) => (s as { text: string }).text)
    expect(texts[0]).toMatch(/^XMTP : Create Identity/)
    expect(texts[1]).toMatch(/^XMTP : Enable Identity/)
    expect(texts[2]).toBe(texts[1])
    // Identical to a software key on the same path: RFC 6979 signatures, so the same storage key.
    const local = LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: LIVE_0 })
    expect(toHex(await signer.signPersonalMessage(texts[1]!))).toBe(toHex(await local.signPersonalMessage(texts[1]!)))
    await signer.close()
  })

  it('signs EIP-712 in full and (on an app from before September 2026) in hashed mode, recovering to the account', async () => {
    // Today's app refuses hashed EIP-712; 1.22.0 is the last that signs it.
    const { emulator } = device({ appVersion: '1.22.0' })
    for (const eip712Mode of ['full', 'hashed'] as const) {
      const signer = await openSigner(emulator, { eip712Mode })
      const signature = normalizeSignature(await signer.signTypedData(typedData))
      expect(publicKeyToAddress(recoverPublicKey(hashTypedData(typedData), signature))).toBe(signer.address)
      await signer.close()
    }
    expect(emulator.screens.some((s) => s.kind === 'sign-typed-data' && s.mode === 'full')).toBe(true)
    expect(emulator.screens.some((s) => s.kind === 'sign-typed-data' && s.mode === 'hashed')).toBe(true)
  })

  it('shows the address on the device for the person to confirm', async () => {
    const { emulator } = device()
    const signer = await openSigner(emulator, { scheme: 'bip44', index: 1 })
    expect(await signer.showAddress()).toBe(signer.address)
    expect(emulator.screens.at(-1)).toMatchObject({ kind: 'address', address: signer.address })
    emulator.injectFault({ type: 'reject' })
    await expect(signer.showAddress()).rejects.toMatchObject({ code: 'USER_REJECTED' })
    await signer.close()
  })

  it('refuses the wrong account, naming both addresses', async () => {
    const { emulator } = device()
    const other = LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: "m/44'/60'/0'/0/9" }).address
    const error = await openSigner(emulator, { expectedAddress: other }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ACCOUNT_MISMATCH' })
    expect(String((error as Error).message)).toContain(other)
    expect(String((error as Error).message)).toContain(LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: LIVE_0 }).address)
  })

  it('refuses a too-old Ethereum app with a clear error', async () => {
    const { emulator } = device({ appVersion: '1.8.5' })
    await expect(openSigner(emulator)).rejects.toMatchObject({ code: 'UNSUPPORTED_APP_VERSION', name: 'UnsupportedAppVersionError' })
  })

  it('guards the empty message hw-app-eth would crash on', async () => {
    const { emulator } = device()
    const signer = await openSigner(emulator)
    await expect(signer.signPersonalMessage('')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await signer.close()
  })

  it('one exchange at a time: a second request while one waits gets a busy error, or waits by option', async () => {
    const { emulator } = device({ confirmDelayMs: 150 })
    const failing = await openSigner(emulator)
    const first = failing.signPersonalMessage('first')
    await expect(failing.signPersonalMessage('second')).rejects.toMatchObject({ code: 'SIGNER_BUSY', name: 'DeviceBusyError' })
    expect(normalizeSignature(await first).bytes).toHaveLength(65)
    await failing.close()

    const waiting = await openSigner(emulator, { whenBusy: 'wait' })
    const [a, b] = await Promise.all([waiting.signPersonalMessage('one'), waiting.signPersonalMessage('two')])
    expect(recoverPersonalSignAddress('one', normalizeSignature(a))).toBe(waiting.address)
    expect(recoverPersonalSignAddress('two', normalizeSignature(b))).toBe(waiting.address)
    await waiting.close()
  })

  it('gives up on a confirmation that never comes, then works again', async () => {
    const { emulator } = device()
    const signer = await openSigner(emulator, { confirmationTimeoutMs: 100 })
    emulator.injectFault({ type: 'delay', ms: 400 })
    await expect(signer.signPersonalMessage('slow')).rejects.toMatchObject({ code: 'SIGNER_TIMEOUT' })
    await new Promise((r) => setTimeout(r, 450))
    expect(await signer.signPersonalMessage('fast')).toHaveLength(65)
    await signer.close()
  })
})

describe('dead transports (issue 10 part 5)', () => {
  it('a transport that dies with an error no table knows is dropped: after the replug the next call reopens and signs', async () => {
    const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
    let opened = 0
    let dying: { dead: boolean } | undefined
    const openTransport = async () => {
      opened++
      const transport = createEmulatorTransport(emulator)
      const state = { dead: false }
      dying = state
      const exchange = transport.exchange.bind(transport)
      // What a USB stack gives when the handle went bad: a plain Error, no status word, no known name.
      transport.exchange = async (apdu: Buffer) => {
        if (state.dead) throw new Error('read EIO')
        return exchange(apdu)
      }
      return transport
    }
    const signer = await LedgerSigner.open({ openTransport })
    expect(opened).toBe(1)
    dying!.dead = true
    const error = await signer.signPersonalMessage('dies').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'DEVICE_ERROR' })
    expect((error as Error).message).toContain('read EIO')
    emulator.unplug()
    emulator.reconnect()
    expect(recoverPersonalSignAddress('after the replug', normalizeSignature(await signer.signPersonalMessage('after the replug')))).toBe(signer.address)
    expect(opened).toBe(2)
    await signer.close()
  })

  it('an HID open timeout that is not a finite positive number is InvalidInputError before anything is opened', async () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 0, -1]) await expect(openLedgerNodeHid({ openTimeoutMs: bad })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })

  it('a status word is the device answering: the transport is kept', async () => {
    const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
    let opened = 0
    const signer = await LedgerSigner.open({ openTransport: async () => (opened++, createEmulatorTransport(emulator)) })
    emulator.injectFault({ type: 'reject' })
    await expect(signer.signPersonalMessage('rejected')).rejects.toMatchObject({ code: 'USER_REJECTED' })
    expect(await signer.signPersonalMessage('kept')).toHaveLength(65)
    expect(opened).toBe(1)
    await signer.close()
  })
})

// ---- fault matrix ---------------------------------------------------------------------------------

type Step = 'create: Create Identity' | 'create: Enable Identity' | 'unlock: Enable Identity'
const FAULTS: { fault: LedgerFault; code: string }[] = [
  { fault: { type: 'reject' }, code: 'USER_REJECTED' },
  { fault: { type: 'locked' }, code: 'DEVICE_LOCKED' },
  { fault: { type: 'app-closed' }, code: 'WRONG_APP' },
  { fault: { type: 'wrong-app', appName: 'Bitcoin' }, code: 'WRONG_APP' },
  { fault: { type: 'os-menu' }, code: 'DEVICE_MENU_OPEN' },
  { fault: { type: 'busy' }, code: 'SIGNER_BUSY' },
  { fault: { type: 'disconnect', atApdu: 1 }, code: 'SIGNER_DISCONNECTED' },
  { fault: { type: 'disconnect', atApdu: 2 }, code: 'SIGNER_DISCONNECTED' }, // mid-chunking of the Create Identity text
]
const STEPS: Step[] = ['create: Create Identity', 'create: Enable Identity', 'unlock: Enable Identity']

describe('fault matrix: every fault at every step ends typed, stores nothing partial, and a retry succeeds', () => {
  for (const step of STEPS) {
    for (const { fault, code } of FAULTS) {
      if (fault.type === 'disconnect' && fault.atApdu === 2 && step !== 'create: Create Identity') continue
      it(`${fault.type}${fault.type === 'disconnect' ? ` at APDU ${fault.atApdu}` : ''} during ${step} → ${code}`, async () => {
        const { emulator } = device()
        const signer = await openSigner(emulator)
        const store = new MemoryKeyStore()
        const topic = storageTopic(signer.address)
        const [operation, purpose] = step.split(': ') as ['create' | 'unlock', string]
        if (operation === 'unlock') await createIdentity(signer, store)
        const before = await store.get(topic)
        const wanted = purpose === 'Create Identity' ? 'create-identity' : 'enable-identity'
        let armed = false
        const onProgress = (event: ProgressEvent) => {
          if (event.type === 'signature-request' && event.purpose === wanted && !armed) {
            armed = true
            // Locked, another app, a menu: states that last until the person changes them.
            emulator.injectFault({ ...fault, persistent: ['locked', 'app-closed', 'wrong-app', 'os-menu'].includes(fault.type) })
          }
        }
        const run = () => (operation === 'create' ? createIdentity(signer, store, { onProgress }) : unlockIdentity(signer, store, { onProgress }))
        const error = await run().catch((e: unknown) => e)
        expect(error, String(error)).toMatchObject({ code })
        expect((error as Error).message).toContain('What to do:')
        if (fault.type === 'wrong-app') expect((error as Error).message).toContain('Bitcoin')
        // Nothing partial: no bundle after a failed create; the stored one untouched after a failed unlock.
        const after = await store.get(topic)
        expect(after === undefined ? undefined : toHex(after)).toBe(before === undefined ? undefined : toHex(before))
        // The person fixes it (reconnects, unlocks, opens the app) and tries again.
        emulator.clearFaults()
        emulator.reconnect()
        armed = true
        const retried = await run()
        expect(retried.identity.address).toBe(signer.address)
        await signer.close()
      })
    }
  }
})

// ---- over TCP, with the real Speculos transport -----------------------------------------------------

describe('over TCP with @ledgerhq/hw-transport-node-speculos', () => {
  let server: Awaited<ReturnType<typeof startSpeculosServer>>
  let emulator: LedgerEmulator
  beforeAll(async () => {
    emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
    server = await startSpeculosServer(emulator)
  })
  afterAll(async () => server.close())

  it('creates and unlocks an identity through speculos://', async () => {
    const signer = await LedgerSigner.open({ openTransport: () => openLedgerSpeculos(server.url) })
    const store = new MemoryKeyStore()
    const created = await createIdentity(signer, store)
    const unlocked = await unlockIdentity(signer, store)
    expect(toHex(unlocked.identity.identityPublicKey)).toBe(toHex(created.identity.identityPublicKey))
    await signer.close()
  })

  it('reports a dropped connection as a disconnect and reopens on the next call', async () => {
    const signer = await LedgerSigner.open({ openTransport: () => openLedgerSpeculos(server.url) })
    emulator.injectFault({ type: 'disconnect' })
    await expect(signer.signPersonalMessage('dropped')).rejects.toMatchObject({ code: 'SIGNER_DISCONNECTED' })
    emulator.reconnect()
    expect(recoverPersonalSignAddress('again', normalizeSignature(await signer.signPersonalMessage('again')))).toBe(signer.address)
    await signer.close()
  })

  it('says clearly when nothing listens at the address', async () => {
    await expect(openLedgerSpeculos('speculos://127.0.0.1:1')).rejects.toMatchObject({ code: 'TRANSPORT_UNAVAILABLE' })
  })
})

// ---- accounts -------------------------------------------------------------------------------------

describe('account discovery', () => {
  it('lists addresses with their scheme, index and path, as a software wallet derives them', async () => {
    const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
    for (const scheme of ['live', 'legacy', 'bip44'] as const) {
      const before = emulator.apduCount
      const accounts = await discoverLedgerAccounts(createEmulatorTransport(emulator), { scheme, count: 4, start: 1 })
      expect(accounts.map((a) => a.index)).toEqual([1, 2, 3, 4])
      for (const account of accounts) {
        expect(account.scheme).toBe(scheme)
        expect(account.path).toBe(derivationPath(scheme, account.index))
        expect(account.address).toBe(LocalSigner.fromMnemonic(TEST_MNEMONIC, { path: account.path }).address)
      }
      // BIP-44 and legacy come from one extended key; Live needs a call per account.
      expect(emulator.apduCount - before).toBe(scheme === 'live' ? 4 : 1)
    }
  })

  it('takes a LedgerConnection (its own or a signer’s) as well as a transport: the same accounts, errors typed, bad counts refused first', async () => {
    const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
    const connection = new LedgerConnection({ openTransport: async () => createEmulatorTransport(emulator) })
    for (const scheme of ['live', 'bip44'] as const) {
      const viaTransport = await discoverLedgerAccounts(createEmulatorTransport(emulator), { scheme, count: 2 })
      expect(await discoverLedgerAccounts(connection, { scheme, count: 2 })).toEqual(viaTransport)
    }
    const signer = await LedgerSigner.open({ transport: createEmulatorTransport(emulator), scheme: 'bip44' })
    expect((await discoverLedgerAccounts(signer.connection, { scheme: 'bip44', count: 1 }))[0]!.address).toBe(signer.address)
    await signer.close()
    emulator.injectFault({ type: 'locked' })
    await expect(discoverLedgerAccounts(connection, { scheme: 'live', count: 1 })).rejects.toMatchObject({ code: 'DEVICE_LOCKED' })
    const before = emulator.apduCount
    await expect(discoverLedgerAccounts(connection, { count: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(discoverLedgerAccounts(connection, { start: -1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    expect(emulator.apduCount).toBe(before)
    await connection.close()
  })
})

describe('errors keep what the vendor threw', () => {
  it('every mapped error chains the original as cause', () => {
    const statusError = Object.assign(new Error('Ledger device: UNKNOWN_ERROR (0x6985)'), { name: 'TransportStatusError', statusCode: 0x6985 })
    const raceError = Object.assign(new Error('An action was already pending'), { name: 'TransportRaceCondition' })
    const timeoutError = Object.assign(new Error('timed out'), { name: 'TransportExchangeTimeoutError' })
    const unknown = new Error('read EIO')
    for (const [error, code] of [
      [statusError, 'USER_REJECTED'],
      [raceError, 'SIGNER_BUSY'],
      [timeoutError, 'SIGNER_TIMEOUT'],
      [unknown, 'DEVICE_ERROR'],
    ] as const) {
      const typed = toLedgerError(error)
      expect(typed.code).toBe(code)
      expect(typed.cause).toBe(error)
    }
  })
})

// ---- the stored bundle opens in xmtp-js ------------------------------------------------------------

describe('interop: a Ledger-made identity opens in @xmtp/xmtp-js', () => {
  it('xmtp-js loads the bundle stored with the Ledger, using a wallet with the same key', async () => {
    const { emulator } = device()
    const signer = await openSigner(emulator)
    const created = await createIdentity(signer, new MemoryKeyStore())
    const theirs = await xmtpJsLoadsStoredBundle(created, { mnemonic: TEST_MNEMONIC, path: LIVE_0 })
    expect(toHex(theirs.privateKeyBundle)).toBe(toHex(encodePrivateKeyBundle(created.identity.exportPrivateKeyBundle())))
    expect(theirs.publishes).toBe(0)
    await signer.close()
  })
})

// ---- USB HID from Node -----------------------------------------------------------------------------

describe('USB HID transport', () => {
  it('with no Ledger attached, says so and how to fix it (or that HID support is not installed)', async () => {
    const { openLedgerNodeHid } = await import('../signers/ledger/index.js')
    let hidInstalled = true
    try {
      createRequire(import.meta.url).resolve('@ledgerhq/hw-transport-node-hid')
    } catch {
      hidInstalled = false
    }
    const error = await openLedgerNodeHid({ openTimeoutMs: 500 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: hidInstalled ? 'DEVICE_NOT_FOUND' : 'MISSING_PACKAGE' })
    expect(String((error as Error).message)).toMatch(hidInstalled ? /udev/ : /libusb/)
  })
})
