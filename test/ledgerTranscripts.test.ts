import { createRequire } from 'node:module'
import type * as EthModule from '@ledgerhq/hw-app-eth'
import type * as MockerModule from '@ledgerhq/hw-transport-mocker'
import { afterAll, describe, expect, it } from 'vitest'
import { LedgerEmulator, createEmulatorTransport, type Transport } from '../signers/ledger/emulator/index.js'
import { checksumAddress, normalizeSignature, recoverPersonalSignAddress } from '../src/signature.js'

const require = createRequire(import.meta.url)
const Eth: typeof EthModule.default.default = require('@ledgerhq/hw-app-eth').default
const { RecordStore, openTransportReplayer, createTransportRecorder }: typeof MockerModule.default = require('@ledgerhq/hw-transport-mocker')

// Known-answer APDU transcripts from the public hw-app-eth unit tests (docs/hardware-wallets.md).
// They come from two different keys: each pins the encoding, not one account.
const PATH = "44'/60'/0'/0'/0"
const GET_ADDRESS_COMMAND = 'e002000015058000002c8000003c800000008000000000000000'
const GET_ADDRESS_RESPONSE =
  '4104df00ad3869baad7ce54f4d560ba7f268d542df8f2679a5898d78a690c3db8f9833d2973671cb14b088e91bdf7c0ab00029a576473c0e12f84d252e630bb3809b28436241393833363265313939633431453138363444303932334146393634366433413634383435319000'
const SIGN_TEST_COMMAND = 'e00800001d058000002c8000003c8000000080000000000000000000000474657374'
const SIGN_TEST_RESPONSE =
  '1b8beafdd56521af1213d6d668a2aed262cc840e7174b642215aec013a1c88b2bd3a407b9125f1bfc015df6983ae8b87a34d54be367b4275834c3039622a73ee009000'

const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex')
const signatureHex = ({ v, r, s }: { v: number; r: string; s: string }) => r + s + v.toString(16).padStart(2, '0')

describe('documented transcripts replayed through the real hw-app-eth', () => {
  it('getAddress("44\'/60\'/0\'/0\'/0") sends the documented bytes and reads the documented address', async () => {
    const store = RecordStore.fromString(`=> ${GET_ADDRESS_COMMAND}\n<= ${GET_ADDRESS_RESPONSE}\n`)
    const eth = new Eth(await openTransportReplayer(store))
    const result = await eth.getAddress(PATH)
    expect(result.address).toBe('0xCbA98362e199c41E1864D0923AF9646d3A648451')
    expect(result.publicKey).toBe(GET_ADDRESS_RESPONSE.slice(2, 2 + 130))
    store.ensureQueueEmpty()
  })

  it('signPersonalMessage(hex "test") gives v 27 and a signature that recovers to the documented address', async () => {
    const store = RecordStore.fromString(`=> ${SIGN_TEST_COMMAND}\n<= ${SIGN_TEST_RESPONSE}\n`)
    const eth = new Eth(await openTransportReplayer(store))
    const result = await eth.signPersonalMessage(PATH, hex('test'))
    expect(result.v).toBe(27)
    expect(recoverPersonalSignAddress('test', normalizeSignature(signatureHex(result)))).toBe('0x4EB83f1742C954aAD5f8D7330eC22f69bd5941c1')
    store.ensureQueueEmpty()
  })

  it('a replay fails on any APDU that differs from the transcript', async () => {
    const store = RecordStore.fromString(`=> ${GET_ADDRESS_COMMAND}\n<= ${GET_ADDRESS_RESPONSE}\n`)
    const eth = new Eth(await openTransportReplayer(store))
    await expect(eth.getAddress("44'/60'/0'/0/0")).rejects.toThrow()
  })
})

describe('the emulator speaks the documented encodings', () => {
  const emulator = new LedgerEmulator()
  const transports: Transport[] = []
  afterAll(async () => {
    await Promise.all(transports.map((t) => t.close()))
  })

  function recordingEth(store: InstanceType<typeof RecordStore>) {
    const transport = createEmulatorTransport(emulator)
    const Recorder = createTransportRecorder(transport, store)
    const recorder = new Recorder(transport)
    transports.push(transport, recorder)
    return new Eth(recorder)
  }

  it('records the same command bytes as the transcripts and answers in the documented structure', async () => {
    const store = new RecordStore()
    const eth = recordingEth(store)
    const address = await eth.getAddress(PATH)
    const signature = await eth.signPersonalMessage(PATH, hex('test'))
    const lines = store.toString().trim().split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toBe(`=> ${GET_ADDRESS_COMMAND}`)
    expect(lines[2]).toBe(`=> ${SIGN_TEST_COMMAND}`)

    // len 65, 04 || X || Y, len 40, ASCII EIP-55 address, 9000: the documented layout.
    const addressResponse = lines[1]!.slice(3)
    expect(addressResponse).toMatch(/^4104[0-9a-f]{128}28[0-9a-f]{80}9000$/)
    expect(addressResponse).toHaveLength(GET_ADDRESS_RESPONSE.length)
    const ascii = Buffer.from(addressResponse.slice(134, 214), 'hex').toString('ascii')
    expect(`0x${ascii}`).toBe(checksumAddress(`0x${ascii}`)) // mixed case as the device sends it
    expect(`0x${ascii}`).toBe(emulator.addressAt(PATH))
    expect(address.address).toBe(emulator.addressAt(PATH))

    // v (1b or 1c), r, s, 9000.
    const signResponse = lines[3]!.slice(3)
    expect(signResponse).toMatch(/^(1b|1c)[0-9a-f]{128}9000$/)
    expect(signResponse).toHaveLength(SIGN_TEST_RESPONSE.length)
    expect(recoverPersonalSignAddress('test', normalizeSignature(signatureHex(signature)))).toBe(emulator.addressAt(PATH))
  })

  it("the emulator's own transcript replays through hw-transport-mocker to the same results", async () => {
    const before = emulator.transcript.length
    const live = recordingEth(new RecordStore())
    const address = await live.getAddress(PATH, false, true)
    const signature = await live.signPersonalMessage(PATH, hex('x'.repeat(400)))
    const config = await live.getAppConfiguration()

    const session = emulator.transcript.slice(before)
    const text = session.map((t) => `=> ${t.command}\n<= ${t.response}\n`).join('')
    expect(emulator.transcriptText().endsWith(text)).toBe(true)
    const store = RecordStore.fromString(text)
    const replayed = new Eth(await openTransportReplayer(store))
    expect(await replayed.getAddress(PATH, false, true)).toEqual(address)
    expect(await replayed.signPersonalMessage(PATH, hex('x'.repeat(400)))).toEqual(signature)
    expect(await replayed.getAppConfiguration()).toEqual(config)
    store.ensureQueueEmpty()
  })
})
