/**
 * The virtual WebHID Ledger's framing (test/browser/support/ledgerHid.ts) against Ledger's own:
 * hw-transport-webhid's `hid-framing` frames APDUs that our device side must read back, and reads
 * the responses our device side frames. Without a browser, so a framing mistake shows up here first.
 */
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { frameHidResponse, HID_REPORT_SIZE, HidApduReader, HidFramingError } from './support/ledgerHid.js'

type Framing = {
  makeBlocks(apdu: Buffer): Uint8Array[]
  reduceResponse(acc: unknown, chunk: Buffer): unknown
  getReducedResult(acc: unknown): Buffer | undefined
}
const require = createRequire(import.meta.url)
const createHIDframing = (require('@ledgerhq/hw-transport-webhid/lib/hid-framing') as { default: (channel: number, packetSize: number) => Framing }).default

const bytes = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff)

describe('Ledger HID framing: the virtual device against hw-transport-webhid', () => {
  // 0x0101 is node-hid's channel; hw-transport-webhid picks a random one per transport.
  for (const channel of [0x0101, 0xbeef]) {
    for (const length of [5, 57, 58, 59, 64, 121, 122, 260]) {
      it(`reads a ${length}-byte APDU on channel 0x${channel.toString(16)} and answers on that channel`, () => {
        const framing = createHIDframing(channel, HID_REPORT_SIZE)
        const apdu = bytes(length, length)
        const blocks = framing.makeBlocks(Buffer.from(apdu))
        const reader = new HidApduReader()
        const results = blocks.map((block) => reader.push(block))
        expect(blocks.every((b) => b.length === HID_REPORT_SIZE)).toBe(true)
        expect(results.slice(0, -1).every((r) => r === undefined)).toBe(true)
        expect(results.at(-1)).toEqual({ channel, apdu })

        const response = bytes(length + 2, 7)
        let acc: unknown
        for (const report of frameHidResponse(channel, response)) acc = framing.reduceResponse(acc, Buffer.from(report))
        expect(new Uint8Array(framing.getReducedResult(acc)!)).toEqual(response)
      })
    }
  }

  it('refuses what a device refuses: a wrong tag, a sequence out of order, a short report', () => {
    const [first, second] = createHIDframing(0x0101, HID_REPORT_SIZE).makeBlocks(Buffer.from(bytes(100, 1)))
    expect(() => new HidApduReader().push(Uint8Array.from(first!, (b, i) => (i === 2 ? 0x02 : b)))).toThrow(HidFramingError)
    expect(() => new HidApduReader().push(second!)).toThrow(/starts at sequence 0/)
    const reader = new HidApduReader()
    reader.push(first!)
    expect(() => reader.push(first!)).toThrow(/sequence 0, expected 1/)
    expect(() => new HidApduReader().push(first!.subarray(0, 32))).toThrow(/64 bytes/)
  })
})
