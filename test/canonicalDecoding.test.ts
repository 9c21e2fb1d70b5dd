/**
 * Canonical decoding (issue 10, part 4): bytes that two protobuf decoders read as different keys are
 * refused, proved against the REAL xmtp-js decoders (its CommonJS build, as test/interop.test.ts loads
 * it) on the very same bytes. See docs/canonical-decoding.md.
 */
import { createRequire } from 'node:module'
import { join } from 'node:path'
import fc from 'fast-check'
import protobuf from 'protobufjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { LocalSigner } from '../signers/local/index.js'
import { concatBytes } from '../src/bytes.js'
import {
  decodeContactBundle,
  encodePrivateKeyBundle,
  decodeEncryptedBundle,
  decodePrivateKeyBundle,
  decodePublicKeyBundle,
  decodeSignedPublicKeyBundle,
} from '../src/wire.js'
import { createIdentity, MemoryKeyStore, toHex, verifyEncodedBundle, type StoredIdentity } from '../src/index.js'
import { WIRE_SCHEMA } from '../src/proto.js'

type XmtpJs = typeof import('@xmtp/xmtp-js')
type XmtpProto = typeof import('@xmtp/proto')
const require = createRequire(import.meta.url)
const xmtp = require('@xmtp/xmtp-js') as XmtpJs
const proto = require('@xmtp/proto') as XmtpProto
const protoDir = join(import.meta.dirname, '..', 'proto')
/** proto/*.proto loaded by protobufjs 8 (reflection; the library's decoder until it got its own): the third reader to compare. */
function loadProto(keepCase: boolean): protobuf.Root {
  const root = new protobuf.Root()
  root.resolvePath = (_origin, target) => join(protoDir, target)
  return root.loadSync(['message_contents.proto', 'xmtp_signers_extensions.proto'], { keepCase })
}
const protobufjsContactBundle = loadProto(false).lookupType('xmtp.message_contents.ContactBundle')
type ProtobufjsContact = {
  version?: string
  v1?: { keyBundle?: { identityKey?: { secp256k1Uncompressed?: { bytes: Uint8Array } }; preKey?: { secp256k1Uncompressed?: { bytes: Uint8Array } } } }
  v2?: { keyBundle?: { identityKey?: { keyBytes: Uint8Array } } }
}

// ---- wire helpers: build exactly the bytes an attacker would -------------------------------------

function varint(value: number): Uint8Array {
  const out: number[] = []
  while (value > 0x7f) {
    out.push((value & 0x7f) | 0x80)
    value = Math.floor(value / 128)
  }
  out.push(value)
  return Uint8Array.from(out)
}
/** One length-delimited field. */
const field = (number: number, value: Uint8Array) => concatBytes(varint(number * 8 + 2), varint(value.length), value)
/** The value of the first length-delimited field `number` at the top of `bytes`. */
function firstField(bytes: Uint8Array, number: number): Uint8Array {
  const reader = protobuf.Reader.create(bytes)
  while (reader.pos < reader.len) {
    const tag = reader.uint32()
    if (tag >>> 3 === number && (tag & 7) === 2) return reader.bytes()
    reader.skipType(tag & 7)
  }
  throw new Error(`no field ${number}`)
}

const ALICE_KEY = 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80' // Anvil account 0
const BOB_KEY = '59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d' // Anvil account 1

/** xmtp-js's own reading of a contact bundle: the identity key hex it would encrypt to. */
function xmtpJsIdentityKey(bytes: Uint8Array): string {
  const bundle = xmtp.decodeContactBundle(bytes) as { identityKey: { secp256k1Uncompressed?: { bytes: Uint8Array }; getPublicKey?: () => unknown } }
  const key = bundle.identityKey as unknown as { secp256k1Uncompressed: { bytes: Uint8Array } }
  return toHex(key.secp256k1Uncompressed.bytes)
}

describe('canonical decoding against xmtp-js@13 (its ts-proto decoders from @xmtp/proto 3.96)', () => {
  let alice: StoredIdentity
  let bob: StoredIdentity
  beforeAll(async () => {
    alice = await createIdentity(LocalSigner.fromPrivateKey(ALICE_KEY), new MemoryKeyStore())
    bob = await createIdentity(LocalSigner.fromPrivateKey(BOB_KEY), new MemoryKeyStore())
  })
  const aliceKey = () => toHex(alice.identity.identityPublicKey)
  const bobKey = () => toHex(bob.identity.identityPublicKey)

  it('contact bundles xmtp-js writes, and ours, read the same keys in both (control)', () => {
    for (const identity of [alice, bob]) {
      for (const version of [1, 2] as const) {
        const ours = identity.identity.encodeContactBundle(version)
        expect(xmtpJsIdentityKey(ours)).toBe(toHex(identity.identity.identityPublicKey))
        const contact = decodeContactBundle(ours)
        expect(toHex(contact.keyBundle.identityKey.publicKey)).toBe(toHex(identity.identity.identityPublicKey))
        // Re-encoded by xmtp-js's own encoder: the same bytes, still read by us.
        const theirs = xmtp.decodeContactBundle(ours)
        const reencoded = proto.contact.ContactBundle.encode(version === 1 ? { v1: { keyBundle: theirs as never }, v2: undefined } : { v1: undefined, v2: { keyBundle: theirs as never } }).finish()
        expect(toHex(decodeContactBundle(reencoded).keyBundle.identityKey.publicKey)).toBe(toHex(identity.identity.identityPublicKey))
      }
    }
  })

  it('v1 of Alice ‖ v2 of Bob: xmtp-js reads Alice, protobufjs alone reads Bob as the version — we refuse it (MALFORMED_BUNDLE) in every format', () => {
    const mixed = concatBytes(alice.identity.encodeContactBundle(1), bob.identity.encodeContactBundle(2))
    expect(xmtpJsIdentityKey(mixed)).toBe(aliceKey())
    const raw = protobufjsContactBundle.decode(mixed) as unknown as ProtobufjsContact
    expect(raw.version).toBe('v2') // what a reader of the oneof case alone would take: Bob
    expect(toHex(raw.v2!.keyBundle!.identityKey!.keyBytes!)).toContain(bobKey())
    expect(() => decodeContactBundle(mixed)).toThrow(expect.objectContaining({ code: 'MALFORMED_BUNDLE', details: expect.stringContaining('both set') }))
    for (const format of ['auto', 'ContactBundleV1', 'ContactBundleV2', 'PublicKeyBundle', 'SignedPublicKeyBundle'] as const) {
      expect(() => verifyEncodedBundle(mixed, { format }), format).toThrow(expect.objectContaining({ code: 'MALFORMED_BUNDLE' }))
    }
  })

  it('a contact v1 given twice: protobufjs 8 merges the two, xmtp-js keeps the last — we refuse it', () => {
    const aliceContact = alice.identity.encodeContactBundle(1)
    const aliceBundle = firstField(firstField(aliceContact, 1), 1) // ContactBundle.v1 → ContactBundleV1.key_bundle
    const bobBundle = firstField(firstField(bob.identity.encodeContactBundle(1), 1), 1)
    // Second v1 carries only Bob's prekey: merged, it is Alice's identity key with Bob's prekey.
    const bobPreKeyOnly = field(1, field(1, field(2, firstField(bobBundle, 2))))
    const twice = concatBytes(aliceContact, bobPreKeyOnly)
    const merged = protobufjsContactBundle.decode(twice) as unknown as ProtobufjsContact
    expect(toHex(merged.v1!.keyBundle!.identityKey!.secp256k1Uncompressed!.bytes!)).toBe(aliceKey())
    expect(toHex(merged.v1!.keyBundle!.preKey!.secp256k1Uncompressed!.bytes!)).toBe(toHex(bob.identity.preKeyPublicKey))
    const theirs = proto.contact.ContactBundle.decode(twice)
    expect(theirs.v1!.keyBundle!.identityKey).toBeUndefined() // replaced: no identity key at all
    expect(() => decodeContactBundle(twice)).toThrow(expect.objectContaining({ code: 'MALFORMED_BUNDLE', details: expect.stringContaining('appears twice') }))
    // Whole bundles twice (Alice's, then Bob's): xmtp-js reads Bob; we refuse rather than pick.
    const whole = concatBytes(aliceContact, field(1, field(1, bobBundle)))
    expect(xmtpJsIdentityKey(whole)).toBe(bobKey())
    expect(() => decodeContactBundle(whole)).toThrow(expect.objectContaining({ code: 'MALFORMED_BUNDLE' }))
    expect(() => verifyEncodedBundle(whole)).toThrow(expect.objectContaining({ code: 'MALFORMED_BUNDLE' }))
  })

  it('a repeated identity key inside a PublicKeyBundle / SignedPublicKeyBundle is refused', () => {
    const v1 = alice.identity.encodePublicKeyBundle()
    const v1Twice = concatBytes(v1, field(1, firstField(bob.identity.encodePublicKeyBundle(), 1)))
    expect(toHex(proto.publicKey.PublicKeyBundle.decode(v1Twice).identityKey!.secp256k1Uncompressed!.bytes)).toBe(bobKey())
    expect(() => decodePublicKeyBundle(v1Twice)).toThrow(expect.objectContaining({ code: 'MALFORMED_BUNDLE' }))
    const v2 = alice.identity.encodeSignedPublicKeyBundle()
    const v2Twice = concatBytes(v2, field(1, firstField(bob.identity.encodeSignedPublicKeyBundle(), 1)))
    expect(() => decodeSignedPublicKeyBundle(v2Twice)).toThrow(expect.objectContaining({ code: 'MALFORMED_BUNDLE' }))
  })

  it('a signature with two members of its oneof (ecdsa and wallet ecdsa) is refused; xmtp-js would take the first it checks', () => {
    const v2 = alice.identity.encodeSignedPublicKeyBundle()
    const identityKey = firstField(v2, 1)
    const keyBytes = firstField(identityKey, 1)
    const signature = firstField(identityKey, 2) // Signature{wallet_ecdsa_compact = 2}
    const walletEcdsa = firstField(signature, 2)
    const bothSignature = concatBytes(field(1, walletEcdsa), field(2, walletEcdsa))
    const tampered = concatBytes(field(1, concatBytes(field(1, keyBytes), field(2, bothSignature))), field(2, firstField(v2, 2)))
    const theirs = proto.publicKey.SignedPublicKeyBundle.decode(tampered)
    expect(theirs.identityKey!.signature!.ecdsaCompact).toBeDefined()
    expect(theirs.identityKey!.signature!.walletEcdsaCompact).toBeDefined()
    expect(() => decodeSignedPublicKeyBundle(tampered)).toThrow(expect.objectContaining({ code: 'MALFORMED_BUNDLE', details: expect.stringContaining('oneof') }))
  })

  it('a known field with another wire type, field number 0 and groups are refused (decoders skip, stop or throw there)', () => {
    const v1 = alice.identity.encodePublicKeyBundle()
    // identity_key (field 1) as a varint: both decoders skip it, so it would read as "no identity key" — refuse the odd encoding.
    expect(() => decodePublicKeyBundle(concatBytes(Uint8Array.of(0x08, 0x01), v1))).toThrow(expect.objectContaining({ details: expect.stringContaining('wire type') }))
    // Tag 0: ts-proto stops reading there (ignoring the prekey after it), protobufjs throws.
    const zero = concatBytes(field(1, firstField(v1, 1)), Uint8Array.of(0x00), field(2, firstField(v1, 2)))
    expect(() => decodePublicKeyBundle(zero)).toThrow(expect.objectContaining({ code: 'MALFORMED_BUNDLE', details: expect.stringContaining('field number 0') }))
    expect(() => decodePublicKeyBundle(concatBytes(v1, Uint8Array.of(0x1b, 0x1c)))).toThrow(expect.objectContaining({ details: expect.stringContaining('wire type 3') }))
  })

  it('a private bundle with both v1 and v2, and an encrypted bundle with v1 twice, are refused', () => {
    const wrapped = concatBytes(field(1, firstField(encodePrivateKeyBundle(alice.identity.exportPrivateKeyBundle()), 1)), field(2, Uint8Array.of()))
    expect(decodePrivateKeyBundle(encodePrivateKeyBundle(alice.identity.exportPrivateKeyBundle()))).toBeDefined() // control
    expect(() => decodePrivateKeyBundle(wrapped)).toThrow(expect.objectContaining({ code: 'MALFORMED_BUNDLE' }))
    const encrypted = alice.encryptedBundle
    const twice = concatBytes(encrypted, field(1, firstField(bob.encryptedBundle, 1)))
    expect(proto.privateKey.EncryptedPrivateKeyBundle.decode(twice).v1!.walletPreKey).toEqual(proto.privateKey.EncryptedPrivateKeyBundle.decode(bob.encryptedBundle).v1!.walletPreKey)
    expect(() => decodeEncryptedBundle(twice)).toThrow(expect.objectContaining({ code: 'MALFORMED_BUNDLE', details: expect.stringContaining('appears twice') }))
    expect(decodeEncryptedBundle(encrypted)).toBeDefined() // control
  })

  it('property: whatever sequence of contact-bundle fields, we either refuse it or read the identity key xmtp-js reads', () => {
    const segments = [
      alice.identity.encodeContactBundle(1),
      alice.identity.encodeContactBundle(2),
      bob.identity.encodeContactBundle(1),
      bob.identity.encodeContactBundle(2),
      Uint8Array.of(0x18, 0x05), // an unknown varint field 3: skipped by both
      field(7, Uint8Array.of(1, 2, 3)), // an unknown length-delimited field: skipped by both
    ]
    let accepted = 0
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: segments.length - 1 }), { minLength: 1, maxLength: 5 }), (picks) => {
        const bytes = concatBytes(...picks.map((i) => segments[i]!))
        let ours: string | undefined
        try {
          ours = toHex(decodeContactBundle(bytes).keyBundle.identityKey.publicKey)
        } catch (error) {
          expect((error as { code?: string }).code).toBe('MALFORMED_BUNDLE')
          return
        }
        accepted++
        expect(ours).toBe(xmtpJsIdentityKey(bytes))
      }),
      { numRuns: 300, seed: 10 },
    )
    expect(accepted).toBeGreaterThan(0)
  })

  it('WIRE_SCHEMA is exactly the fields of proto/*.proto (one source of truth, checked)', () => {
    const root = loadProto(true)
    const ns = root.lookup('xmtp.message_contents') as protobuf.Namespace
    const prefix = '.xmtp.message_contents.'
    const table: Record<string, Record<number, string>> = {}
    const walk = (node: protobuf.NamespaceBase) => {
      for (const child of node.nestedArray) {
        if (child instanceof protobuf.Type) {
          child.resolveAll()
          table[child.fullName.slice(prefix.length)] = Object.fromEntries(
            child.fieldsArray.map((f) => {
              const type = f.resolvedType ? f.resolvedType.fullName.slice(prefix.length) : f.type
              const oneof = f.partOf && !f.partOf.name.startsWith('_') ? ` oneof ${f.partOf.name}` : ''
              return [f.id, `${f.repeated ? 'repeated ' : ''}${type} ${f.name}${oneof}`]
            }),
          )
        }
        if (child instanceof protobuf.Namespace) walk(child)
      }
    }
    walk(ns)
    expect(WIRE_SCHEMA).toEqual(table)
  })
})

