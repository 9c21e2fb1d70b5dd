// Our two ABI shapes against viem's encoder and decoder, on random inputs, and strict decoding of bad bytes.
import fc from 'fast-check'
import { decodeAbiParameters, encodeAbiParameters, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { InvalidInputError } from '../src/index.js'
import { SCHEMES, unwrapErc6492, wrapErc6492, ERC6492_MAGIC_SUFFIX } from '../signers/smart-account/schemes/index.js'
import { decodeAddressBytesBytes, encodeAbi } from '../signers/smart-account/schemes/abi.js'

const hex = (bytes: Uint8Array): Hex => `0x${Buffer.from(bytes).toString('hex')}`
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map(hex)
const bytes = (min = 0) => fc.uint8Array({ minLength: min, maxLength: 200 }).map(hex)
const WRAPPER = [{ type: 'address' }, { type: 'bytes' }, { type: 'bytes' }] as const

describe('smart-account ABI codec', () => {
  it('(address, bytes, bytes) encodes as viem does and reads viem’s bytes back', () => {
    fc.assert(
      fc.property(address, bytes(1), bytes(), (factory, calldata, signature) => {
        const viem = encodeAbiParameters(WRAPPER, [factory, calldata, signature])
        const ours = wrapErc6492({ factory, factoryCalldata: calldata, signature: signature === '0x' ? '0x00' : signature })
        if (signature !== '0x') expect(ours).toBe(`${viem}${ERC6492_MAGIC_SUFFIX.slice(2)}`)
        const [f, c, s] = decodeAddressBytesBytes(Buffer.from(viem.slice(2), 'hex'))
        expect([f.toLowerCase(), c, s]).toEqual([factory.toLowerCase(), calldata, signature])
        expect(decodeAbiParameters(WRAPPER, hex(encodeAbi([{ kind: 'word', value: BigInt(factory) }, { kind: 'bytes', value: Buffer.from(calldata.slice(2), 'hex') }, { kind: 'bytes', value: Buffer.from(signature.slice(2), 'hex') }])))).toEqual([
          expect.stringMatching(new RegExp(`^${factory}$`, 'i')),
          calldata,
          signature,
        ])
      }),
    )
  })

  it('Coinbase’s tuple(uint8 ownerIndex, bytes signatureData) encodes as viem does', () => {
    const tuple = [{ type: 'tuple', components: [{ name: 'ownerIndex', type: 'uint8' }, { name: 'signatureData', type: 'bytes' }] }] as const
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), bytes(), (ownerIndex, signatureData) => {
        const ours = hex(encodeAbi([{ kind: 'dynamic-tuple', values: [{ kind: 'word', value: BigInt(ownerIndex) }, { kind: 'bytes', value: Buffer.from(signatureData.slice(2), 'hex') }] }]))
        expect(ours).toBe(encodeAbiParameters(tuple, [{ ownerIndex, signatureData }]))
      }),
    )
    expect(SCHEMES.coinbase.name).toBe('coinbase')
  })

  it('refuses truncated, out-of-bounds and badly padded ERC-6492 bytes with a typed error', () => {
    const good = encodeAbiParameters(WRAPPER, ['0x1111111111111111111111111111111111111111', '0xabcd', '0x1234'])
    const raw = Buffer.from(good.slice(2), 'hex')
    const cases: Uint8Array[] = [raw.subarray(0, 64), raw.subarray(0, raw.length - 32)]
    const badOffset = Buffer.from(raw)
    badOffset[63] = 0xff
    const badPadding = Buffer.from(raw)
    badPadding[badPadding.length - 1] = 1
    const highAddress = Buffer.from(raw)
    highAddress[0] = 1
    cases.push(badOffset, badPadding, highAddress)
    for (const bad of cases) {
      expect(() => unwrapErc6492(`${hex(bad)}${ERC6492_MAGIC_SUFFIX.slice(2)}`)).toThrow(InvalidInputError)
    }
  })
})
