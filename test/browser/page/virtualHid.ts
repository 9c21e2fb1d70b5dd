// Runs in the page before its own scripts (page.addInitScript): a `navigator.hid` stand-in whose one
// device is a Ledger (vendor 0x2c97) and whose reports travel, through a Playwright binding, to the
// Node side (test/browser/support/ledgerHid.ts), where the Ledger emulator answers. The real
// @ledgerhq/hw-transport-webhid runs against it unchanged.
import { USB } from '../../../signers/ledger/protocol.js'

type Reply = { reports: string[]; unplugged?: true }
type Request = { op: 'choose' } | { op: 'open'; device: number } | { op: 'write'; device: number; report: string }
type TestWindow = Window & {
  __xmtpTestOptions?: { hid?: 'virtual' | 'none'; device?: string }
  __virtualLedger?: (request: Request) => Promise<unknown>
  __virtualHid?: VirtualHid
}

const testWindow = window as TestWindow
const mode = testWindow.__xmtpTestOptions?.hid ?? 'virtual'
const realHid = (navigator as { hid?: { requestDevice(options: unknown): Promise<unknown[]> } }).hid

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16))
const call = (request: Request) => {
  const binding = testWindow.__virtualLedger
  if (!binding) throw new Error('the virtual Ledger binding is missing')
  return binding(request)
}

/**
 * The site's permission to use the device: Chromium keeps it in the profile, across reloads and
 * replugs (here per test device). Kept page-side (not asked of the Node side) on purpose: answering a Playwright binding
 * counts as a user gesture, and `getDevices` runs before the gesture check of `requestDevice`.
 */
const PERMISSION_KEY = `__virtualHid.permitted.${testWindow.__xmtpTestOptions?.device ?? 'device'}`
const permission = {
  granted: () => localStorage.getItem(PERMISSION_KEY) === 'yes',
  grant: () => localStorage.setItem(PERMISSION_KEY, 'yes'),
  forget: () => localStorage.removeItem(PERMISSION_KEY),
}

class VirtualHidDevice extends EventTarget {
  readonly vendorId = USB.VENDOR_ID
  readonly productId = 0x5011 // Nano S Plus
  readonly productName = 'Nano S Plus'
  readonly collections = [{ usagePage: 0xffa0, usage: 0x01, type: 0, children: [], inputReports: [], outputReports: [], featureReports: [] }]
  oninputreport: ((event: Event) => void) | null = null
  gone = false
  #opened = false

  constructor(
    readonly serial: number,
    private readonly hid: VirtualHid,
  ) {
    super()
  }

  get opened(): boolean {
    return this.#opened
  }

  async open(): Promise<void> {
    if (this.gone) throw new DOMException('Failed to open the device.', 'NotAllowedError')
    if (this.#opened) throw new DOMException('The device is already open.', 'InvalidStateError')
    // The Node side may answer as Chromium does when another app holds the device.
    const refusal = (await call({ op: 'open', device: this.serial })) as { name: string; message: string } | null
    if (refusal) throw new DOMException(refusal.message, refusal.name)
    this.#opened = true
  }

  async close(): Promise<void> {
    this.#opened = false
  }

  async forget(): Promise<void> {
    this.#opened = false
    permission.forget()
  }

  async sendReport(reportId: number, data: BufferSource): Promise<void> {
    if (!this.#opened) throw new DOMException('The device must be opened first.', 'InvalidStateError')
    if (this.gone) throw new DOMException('Failed to write the report.', 'NotAllowedError')
    if (reportId !== 0) throw new DOMException('Ledger devices use report 0.', 'NotAllowedError')
    const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data)
    // Resolves when written, like a real device; the answer arrives later as input reports.
    void (call({ op: 'write', device: this.serial, report: toHex(bytes) }) as Promise<Reply>).then(
      (reply) => {
        for (const report of reply.reports) this.#deliver(report)
        if (reply.unplugged) this.hid.unplug({ silent: false })
      },
      () => undefined,
    )
  }

  markUnplugged(): void {
    this.gone = true
    this.#opened = false
  }

  #deliver(hex: string): void {
    if (!this.#opened || this.gone) return
    const event = Object.assign(new Event('inputreport'), { device: this, reportId: 0, data: new DataView(fromHex(hex).buffer) })
    this.dispatchEvent(event)
    this.oninputreport?.(event)
  }
}

class VirtualHid extends EventTarget {
  onconnect: ((event: Event) => void) | null = null
  ondisconnect: ((event: Event) => void) | null = null
  devices: VirtualHidDevice[] = [new VirtualHidDevice(1, this)]

  async getDevices(): Promise<VirtualHidDevice[]> {
    return permission.granted() ? [...this.devices] : []
  }

  async requestDevice(options: { filters: { vendorId?: number }[] }): Promise<VirtualHidDevice[]> {
    // Without a click the browser refuses before any dialog: let it give its own error.
    if (!navigator.userActivation.isActive && realHid) return (await realHid.requestDevice(options)) as VirtualHidDevice[]
    // The device dialog: the Node side says whether the person picks the Ledger or closes the dialog.
    if ((await call({ op: 'choose' })) !== 'select') return []
    permission.grant()
    return this.devices.filter((d) => options.filters.some((f) => f.vendorId === undefined || f.vendorId === d.vendorId))
  }

  /** Unplugs the device: with `silent`, the browser has not noticed yet and the next write fails. */
  unplug({ silent }: { silent: boolean }): void {
    const device = this.devices.shift()
    if (!device) return
    if (silent) {
      device.gone = true
      return
    }
    device.markUnplugged()
    const event = Object.assign(new Event('disconnect'), { device })
    this.dispatchEvent(event)
    this.ondisconnect?.(event)
  }

  /** Plugs it back: a new HIDDevice object, as Chromium makes, with the permission kept. */
  replug(): void {
    const device = new VirtualHidDevice(1, this)
    this.devices = [device]
    const event = Object.assign(new Event('connect'), { device })
    this.dispatchEvent(event)
    this.onconnect?.(event)
  }
}

if (mode === 'none') {
  Object.defineProperty(Navigator.prototype, 'hid', { configurable: true, enumerable: true, get: () => undefined })
} else {
  const hid = new VirtualHid()
  Object.defineProperty(Navigator.prototype, 'hid', { configurable: true, enumerable: true, get: () => hid })
  testWindow.__virtualHid = hid
}
