import { DeviceNotFoundError, InvalidInputError, TransportUnavailableError } from '../../src/errors.js'
import { toLedgerError } from './errors.js'
import type { Transport } from './ledgerSigner.js'

const WALLET = 'Ledger'

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
 * USB HID from Node. `@ledgerhq/hw-transport-node-hid` is an optional dependency (it builds
 * `node-hid`), loaded only here, so installing this package never fails for people without it.
 */
export async function openLedgerNodeHid(options: { openTimeoutMs?: number } = {}): Promise<Transport> {
  let TransportNodeHid: TransportClass
  try {
    TransportNodeHid = defaultExport(await import('@ledgerhq/hw-transport-node-hid/lib/TransportNodeHid'))
  } catch (cause) {
    throw new TransportUnavailableError('USB HID support for Ledger is not installed.', {
      wallet: WALLET,
      details: cause instanceof Error ? cause.message : String(cause),
      nextStep:
        'Install it: on Debian/Ubuntu `apt-get install libusb-1.0-0-dev libudev-dev`, then `npm install @ledgerhq/hw-transport-node-hid` (it builds node-hid).',
      cause,
    })
  }
  try {
    const transport = await TransportNodeHid.create!(options.openTimeoutMs ?? 3_000, options.openTimeoutMs ?? 3_000)
    return transport
  } catch (error) {
    const name = (error as { name?: string }).name
    if (name === 'NoDeviceFound' || name === 'ListenTimeout' || /no (ledger )?device|cannot open|could not open/i.test(String((error as Error).message))) {
      throw new DeviceNotFoundError({
        wallet: WALLET,
        details: String((error as Error).message),
        nextStep:
          'Connect and unlock the Ledger, open the Ethereum app, and quit Ledger Live. On Linux, install Ledger’s udev rules so your user may open it (see the README).',
      })
    }
    throw toLedgerError(error)
  }
}

/**
 * WebHID in the browser: reuses a device the page was already allowed to open; otherwise asks the
 * person to pick one, which the browser allows only during a click or key press.
 */
export async function openLedgerWebHid(): Promise<Transport> {
  const hid = (globalThis.navigator as { hid?: unknown } | undefined)?.hid
  if (!hid) {
    throw new TransportUnavailableError('This browser has no WebHID.', {
      wallet: WALLET,
      nextStep: 'Use a Chromium-based browser (Chrome, Edge, Brave, Opera) on an https:// page or localhost.',
    })
  }
  const TransportWebHID = defaultExport(await import('@ledgerhq/hw-transport-webhid/lib/TransportWebHID'))
  try {
    const connected = await TransportWebHID.openConnected!()
    if (connected) return connected
    return await TransportWebHID.request!()
  } catch (error) {
    const { name, message } = error as { name?: string; message?: string }
    if (name === 'SecurityError' || (name === 'NotAllowedError' && /gesture/i.test(message ?? ''))) {
      throw new TransportUnavailableError('The browser lets a page ask for a Ledger only in answer to a click.', {
        wallet: WALLET,
        details: `${name}: ${message}`,
        nextStep: 'Call this from a button’s click handler (a user gesture), then pick the Ledger in the browser’s dialog.',
      })
    }
    if (name === 'TransportOpenUserCancelled' || /no device selected/i.test(message ?? '')) {
      throw new DeviceNotFoundError({ wallet: WALLET, details: message ?? '', nextStep: 'Connect the Ledger, click again and select it in the browser’s dialog.' })
    }
    throw toLedgerError(error)
  }
}

/** Speculos' APDU port (or the xmtp-signers emulator's), from `speculos://host:port`. */
export async function openLedgerSpeculos(url: string): Promise<Transport> {
  const match = /^speculos:\/\/([^:/]+):(\d+)\/?$/.exec(url)
  if (!match) throw new InvalidInputError(`Not a Speculos address: ${url}`, { nextStep: 'Write it as speculos://127.0.0.1:9999.' })
  const SpeculosTransport = defaultExport(await import('@ledgerhq/hw-transport-node-speculos/lib/SpeculosTransport'))
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
