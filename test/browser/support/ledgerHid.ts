// The device side of Ledger's USB HID framing, for the virtual WebHID device: 64-byte reports, each
// `channel (u16) | tag 0x05 | sequence (u16) | payload`, the first payload starting with the APDU's
// u16 length. A device answers on the channel the host wrote on (node-hid uses 0x0101;
// hw-transport-webhid picks a random one per transport).
import type { DeviceScreen, LedgerEmulator, UserDecision } from '../../../signers/ledger/emulator/index.js'
import { USB } from '../../../signers/ledger/protocol.js'

export const HID_REPORT_SIZE = USB.HID_REPORT_SIZE
export const HID_TAG_APDU = USB.HID_TAG_APDU
const HEADER = 5

export class HidFramingError extends Error {
  override name = 'HidFramingError'
}

/** Collects a host's reports into APDUs, checking channel, tag and sequence as a device does. */
export class HidApduReader {
  #channel = 0
  #length = 0
  #sequence = 0
  #data: number[] = []
  #reading = false

  /** Feeds one report; returns the APDU once its last report has arrived. */
  push(report: Uint8Array): { channel: number; apdu: Uint8Array } | undefined {
    if (report.length !== HID_REPORT_SIZE) throw new HidFramingError(`a report is ${HID_REPORT_SIZE} bytes, got ${report.length}`)
    const channel = (report[0]! << 8) | report[1]!
    const tag = report[2]!
    const sequence = (report[3]! << 8) | report[4]!
    if (tag !== HID_TAG_APDU) throw new HidFramingError(`tag 0x${tag.toString(16)}, expected 0x${HID_TAG_APDU.toString(16).padStart(2, '0')}`)
    if (!this.#reading) {
      if (sequence !== 0) throw new HidFramingError(`an APDU starts at sequence 0, got ${sequence}`)
      this.#channel = channel
      this.#length = (report[5]! << 8) | report[6]!
      this.#data = [...report.subarray(7)]
      this.#sequence = 1
      this.#reading = true
    } else {
      if (channel !== this.#channel) throw new HidFramingError(`channel 0x${channel.toString(16)} in the middle of an APDU on 0x${this.#channel.toString(16)}`)
      if (sequence !== this.#sequence) throw new HidFramingError(`sequence ${sequence}, expected ${this.#sequence}`)
      this.#data.push(...report.subarray(HEADER))
      this.#sequence++
    }
    if (this.#data.length < this.#length) return undefined
    this.#reading = false
    return { channel: this.#channel, apdu: Uint8Array.from(this.#data.slice(0, this.#length)) }
  }
}

/** A device's response (data ‖ status word) as 64-byte reports on `channel`. */
export function frameHidResponse(channel: number, response: Uint8Array): Uint8Array[] {
  const payload = [response.length >> 8, response.length & 0xff, ...response]
  const reports: Uint8Array[] = []
  for (let sequence = 0, offset = 0; offset < payload.length; sequence++) {
    const report = new Uint8Array(HID_REPORT_SIZE)
    report.set([channel >> 8, channel & 0xff, HID_TAG_APDU, sequence >> 8, sequence & 0xff])
    const chunk = payload.slice(offset, offset + HID_REPORT_SIZE - HEADER)
    report.set(chunk, HEADER)
    offset += chunk.length
    reports.push(report)
  }
  return reports
}

/** One USB Ledger as the virtual WebHID device's Node side sees it: reports in, the emulator's answers out. */
export class VirtualLedgerUsb {
  /** Every report, for assertions on the framing the real hw-transport-webhid used. */
  readonly reports: { direction: 'host→device' | 'device→host'; channel: number; tag: number; sequence: number }[] = []
  readonly framingErrors: string[] = []
  #reader = new HidApduReader()

  constructor(readonly emulator: LedgerEmulator) {}

  /** A report written by the page; resolves with the response reports once a whole APDU was answered. */
  async write(report: Uint8Array): Promise<{ reports: Uint8Array[]; unplugged?: true }> {
    this.reports.push({ direction: 'host→device', channel: (report[0]! << 8) | report[1]!, tag: report[2]!, sequence: (report[3]! << 8) | report[4]! })
    let complete: { channel: number; apdu: Uint8Array } | undefined
    try {
      complete = this.#reader.push(report)
    } catch (error) {
      this.framingErrors.push((error as Error).message)
      this.#reader = new HidApduReader()
      return { reports: [] }
    }
    if (!complete) return { reports: [] }
    let response: Uint8Array
    try {
      response = await this.emulator.exchange(complete.apdu)
    } catch (error) {
      // Unplugged (the emulator says so by name): no answer ever comes; the page hears a disconnect.
      if (/^Disconnected/.test((error as Error).name)) return { reports: [], unplugged: true }
      throw error
    }
    const reports = frameHidResponse(complete.channel, response)
    for (const r of reports) this.reports.push({ direction: 'device→host', channel: complete.channel, tag: r[2]!, sequence: (r[3]! << 8) | r[4]! })
    return { reports }
  }

  /** A fresh reader, as a real device has after being replugged. */
  reset(): void {
    this.#reader = new HidApduReader()
  }
}

/**
 * The page's virtual Ledger, Node side: the device dialog's answer, how `open()` goes (Chromium's
 * errors when another app holds the device), and the USB link to the emulator.
 */
let devices = 0

export class VirtualLedger {
  /** Names this device in the page (its remembered permission), unique per test device. */
  readonly id = `ledger-${++devices}-${Date.now()}`
  /** What the person does in the browser's device dialog. */
  chooser: 'select' | 'cancel' = 'select'
  /** How `HIDDevice.open()` fails, as Chromium reports it (e.g. NotAllowedError while Ledger Live holds it). */
  openRefusal: { name: string; message: string } | undefined
  readonly usb: VirtualLedgerUsb
  dialogs = 0

  constructor(readonly emulator: LedgerEmulator) {
    this.usb = new VirtualLedgerUsb(emulator)
  }

  async handle(request: { op: 'choose' } | { op: 'open'; device: number } | { op: 'write'; device: number; report: string }): Promise<unknown> {
    switch (request.op) {
      case 'choose':
        this.dialogs++
        return this.chooser
      case 'open':
        return this.openRefusal ?? null
      case 'write': {
        const reply = await this.usb.write(Uint8Array.from(Buffer.from(request.report, 'hex')))
        return { reports: reply.reports.map((r) => Buffer.from(r).toString('hex')), ...(reply.unplugged ? { unplugged: true } : {}) }
      }
    }
  }
}

/** The person at the device: each confirmation waits until the test approves or rejects it. */
export class DevicePerson {
  readonly #pending: { screen: DeviceScreen; resolve: (decision: UserDecision) => void }[] = []
  readonly #waiters: ((item: { screen: DeviceScreen; resolve: (decision: UserDecision) => void }) => void)[] = []

  readonly decide = (screen: DeviceScreen): Promise<UserDecision> =>
    new Promise<UserDecision>((resolve) => {
      const item = { screen, resolve }
      const waiter = this.#waiters.shift()
      if (waiter) waiter(item)
      else this.#pending.push(item)
    })

  /** The next screen that asks for a decision (bounded wait). */
  next(timeoutMs = 15_000): Promise<{ screen: DeviceScreen; approve(): void; reject(): void }> {
    const wrap = (item: { screen: DeviceScreen; resolve: (decision: UserDecision) => void }) => ({
      screen: item.screen,
      approve: () => item.resolve('approve'),
      reject: () => item.resolve('reject'),
    })
    const ready = this.#pending.shift()
    if (ready) return Promise.resolve(wrap(ready))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(onItem), 1)
        reject(new Error(`no device screen within ${timeoutMs} ms`))
      }, timeoutMs)
      const onItem = (item: { screen: DeviceScreen; resolve: (decision: UserDecision) => void }) => {
        clearTimeout(timer)
        resolve(wrap(item))
      }
      this.#waiters.push(onItem)
    })
  }
}
