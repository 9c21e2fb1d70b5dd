import { DeviceNotFoundError, InvalidInputError, isModuleNotFound, MissingPackageError, optionalPackage, TransportUnavailableError, validTimeoutMs } from '../../src/adapter/index.js'
import { noLedgerChosenError, toLedgerError, WALLET, webHidOpenRefusal, webHidRequestRefusal, webHidUnavailableError } from './errors.js'
import type { Transport } from './ledgerConnection.js'
import { USB } from './protocol.js'

type TransportClass = {
  open(descriptor?: unknown, timeoutMs?: number): Promise<Transport>
  create?(openTimeout?: number, listenTimeout?: number): Promise<Transport>
  openConnected?(): Promise<Transport | null>
  request?(): Promise<Transport>
  isSupported?(): Promise<boolean>
}

/** The class a CommonJS module exports as `default`, however the loader wrapped it. */
function defaultExport(module: unknown): TransportClass {
  const candidate = (module as { default?: unknown }).default as { default?: unknown; open?: unknown }
  return (typeof candidate?.open === 'function' ? candidate : candidate?.default) as TransportClass
}

/**
 * USB HID from Node on the LedgerJS path. `@ledgerhq/hw-transport-node-hid` is an optional peer (it builds
 * `node-hid`), loaded only here, so installing this package never fails for people without it.
 */
export async function openLedgerNodeHid(options: { openTimeoutMs?: number } = {}): Promise<Transport> {
  const openTimeoutMs = validTimeoutMs(options.openTimeoutMs, 'openTimeoutMs', 3_000)
  let TransportNodeHid: TransportClass
  try {
    // A specifier in a variable: the build must not need the optional package's types to be installed.
    const specifier: string = '@ledgerhq/hw-transport-node-hid'
    TransportNodeHid = defaultExport(await import(/* @vite-ignore */ specifier))
  } catch (cause) {
    if (isModuleNotFound(cause)) {
      throw new MissingPackageError({
        packages: ['@ledgerhq/hw-transport-node-hid'],
        feature: 'USB HID on the LedgerJS path (openLedgerNodeHid)',
        details: 'it builds node-hid: on Debian/Ubuntu first `apt-get install libusb-1.0-0-dev libudev-dev pkg-config`; the default DMK path (LedgerSigner.open({})) needs none of this',
        cause,
      })
    }
    throw new TransportUnavailableError('USB HID support for Ledger failed to load.', {
      wallet: WALLET,
      details: cause instanceof Error ? cause.message : String(cause),
      nextStep:
        'Install it: on Debian/Ubuntu `apt-get install libusb-1.0-0-dev libudev-dev`, then `npm install @ledgerhq/hw-transport-node-hid` (it builds node-hid).',
      cause,
    })
  }
  try {
    const transport = await TransportNodeHid.create!(openTimeoutMs, openTimeoutMs)
    return transport
  } catch (error) {
    const name = (error as { name?: string }).name
    if (name === 'NoDeviceFound' || name === 'ListenTimeout' || /no (ledger )?device|cannot open|could not open/i.test(String((error as Error).message))) {
      throw new DeviceNotFoundError({
        wallet: WALLET,
        details: String((error as Error).message),
        nextStep:
          'Connect and unlock the Ledger, open the Ethereum app, and quit Ledger Live. On Linux, install Ledger’s udev rules so your user may open it (see the README).',
        cause: error,
      })
    }
    throw toLedgerError(error)
  }
}

const importWebHid = optionalPackage({ packages: ['@ledgerhq/hw-transport-webhid', 'buffer'], feature: 'WebHID on the LedgerJS path (openLedgerWebHid)' }, () => import('@ledgerhq/hw-transport-webhid/lib/TransportWebHID'))
const importSpeculos = optionalPackage({ packages: ['@ledgerhq/hw-transport-node-speculos'], feature: 'Speculos TCP on the LedgerJS path (openLedgerSpeculos)' }, () => import('@ledgerhq/hw-transport-node-speculos/lib/SpeculosTransport'))

/** What we use of WebHID's `HIDDevice` and `navigator.hid` (structural: no DOM typings needed). */
type HidDevice = { readonly vendorId: number; readonly productId: number; readonly opened: boolean }
type Hid = {
  getDevices(): Promise<HidDevice[]>
  requestDevice(options: { filters: { vendorId: number }[] }): Promise<HidDevice[]>
  addEventListener(type: 'disconnect', listener: (event: { device?: unknown }) => void): void
  removeEventListener(type: 'disconnect', listener: (event: { device?: unknown }) => void): void
}

/**
 * Ledger's packages (hw-transport, hw-transport-webhid, hw-app-eth) use Node's global `Buffer`.
 * Browsers have none: install the `buffer` package's, here, on the Ledger path only, so the
 * engine and the other adapters never need a polyfill.
 */
async function provideBufferGlobal(): Promise<void> {
  const scope = globalThis as { Buffer?: unknown }
  if (typeof scope.Buffer === 'function') return
  const { Buffer } = await import('buffer')
  scope.Buffer ??= Buffer
}

function namedError(name: string, message: string): Error {
  const error = new Error(message)
  error.name = name
  return error
}

/**
 * WebHID in the browser: reuses a Ledger the page was already allowed to open; otherwise asks the
 * person to pick one, which the browser allows only during a click or key press. Each failure
 * people meet ends in a typed error saying what to do: no WebHID, no click, nothing chosen, the
 * device held by another app, already open in this page, unplugged mid-flow.
 */
export async function openLedgerWebHid(): Promise<Transport> {
  const hid = (globalThis.navigator as { hid?: Hid } | undefined)?.hid
  if (!hid) throw webHidUnavailableError()
  await provideBufferGlobal()
  const TransportWebHID = defaultExport(await importWebHid())
  let device: HidDevice | undefined
  try {
    device = (await hid.getDevices()).find((d) => d.vendorId === USB.VENDOR_ID)
    // Asking is needed only once per device: the browser remembers the permission for this site.
    device ??= (await hid.requestDevice({ filters: [{ vendorId: USB.VENDOR_ID }] })).find((d) => d.vendorId === USB.VENDOR_ID)
  } catch (error) {
    throw webHidRequestRefusal(error) ?? toLedgerError(error)
  }
  if (!device) throw noLedgerChosenError()
  let transport: Transport
  try {
    transport = await TransportWebHID.open(device)
  } catch (error) {
    throw webHidOpenRefusal(error) ?? toLedgerError(error)
  }
  failPendingReadOnUnplug(hid, device, transport)
  return transport
}

/**
 * hw-transport-webhid waits for input reports with no end: unplugged while the device shows a
 * message, the exchange would never settle. Make the pending read fail when WebHID reports the
 * device gone, so the signer sees `DeviceDisconnectedError` at once.
 */
function failPendingReadOnUnplug(hid: Hid, device: HidDevice, transport: Transport): void {
  const internals = transport as Transport & { read?: () => Promise<unknown> }
  const read = internals.read
  if (typeof read !== 'function') return
  let unplugged: Error | undefined
  const waiting = new Set<(error: Error) => void>()
  internals.read = () =>
    unplugged
      ? Promise.reject(unplugged)
      : new Promise((resolve, reject) => {
          waiting.add(reject)
          read().then(resolve, reject).finally(() => waiting.delete(reject))
        })
  const onDisconnect = (event: { device?: unknown }) => {
    if (event.device !== device) return
    hid.removeEventListener('disconnect', onDisconnect)
    unplugged = namedError('DisconnectedDeviceDuringOperation', 'The Ledger was unplugged during the exchange.')
    for (const reject of [...waiting]) reject(unplugged)
  }
  hid.addEventListener('disconnect', onDisconnect)
  const close = transport.close.bind(transport)
  internals.close = async () => {
    hid.removeEventListener('disconnect', onDisconnect)
    // Closing an unplugged device may never answer: bounded.
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([close().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 2_000)))])
    clearTimeout(timer)
  }
}

/** Speculos' APDU port (or the xmtp-signers emulator's), from `speculos://host:port`. */
export async function openLedgerSpeculos(url: string): Promise<Transport> {
  const match = /^speculos:\/\/([^:/]+):(\d+)\/?$/.exec(url)
  if (!match) throw new InvalidInputError(`Not a Speculos address: ${url}`, { nextStep: 'Write it as speculos://127.0.0.1:9999.' })
  const SpeculosTransport = defaultExport(await importSpeculos())
  try {
    return await SpeculosTransport.open({ apduPort: Number(match[2]), host: match[1] })
  } catch (error) {
    throw toLedgerError(error)
  }
}

/** Opens a transport from a CLI-style spec: `hid`, `webhid`, or `speculos://host:port`. */
export function openLedgerTransport(spec: string): Promise<Transport> {
  if (spec === 'hid') return openLedgerNodeHid()
  if (spec === 'webhid') return openLedgerWebHid()
  if (spec.startsWith('speculos://')) return openLedgerSpeculos(spec)
  return Promise.reject(new InvalidInputError(`Unknown Ledger transport "${spec}".`, { nextStep: 'Use hid, webhid or speculos://HOST:PORT.' }))
}
