import { concatBytes, hexToBytes } from './bytes.js'
import { AccountMismatchError, InvalidInputError, UnsupportedOperationError } from './errors.js'
import type { XmtpIdentity } from './identity.js'
import { encodeSignedPublicKey, encodeUnsignedPublicKeyV1, signedPublicKeyFromV1 } from './keyBundle.js'
import { signDigestWithIdentityKey } from './keys.js'
import { hashPersonalMessage, normalizeSignature, recoverPersonalSignAddress, sameAddress, signatureFromCompact, type Address } from './signature.js'
import type { EngineOptions } from './engineOptions.js'
import type { Signer } from './signer.js'
import { assertSigner } from './signerGuard.js'
import { requestAccountSignature } from './walletSignature.js'
import { createIdentityText } from './texts.js'

/**
 * XMTP v3 (`@xmtp/node-sdk`, `@xmtp/browser-sdk`): the SDKs take a `Signer` of this shape and call
 * `signMessage` with their own texts ("XMTP : Authenticate to inbox …"). The identifier kind is the
 * SDK's own enum — `IdentifierKind.Ethereum` = 0 in node-sdk 6 and browser-sdk 7 (older browser SDKs
 * used the string 'Ethereum') — so it is a type parameter, 0 by default.
 */
export type XmtpV3Identifier<Kind> = { identifier: string; identifierKind: Kind }

export type XmtpV3EoaSigner<Kind> = {
  type: 'EOA'
  getIdentifier: () => XmtpV3Identifier<Kind>
  signMessage: (message: string) => Promise<Uint8Array>
}

export type XmtpV3ScwSigner<Kind> = {
  type: 'SCW'
  getIdentifier: () => XmtpV3Identifier<Kind>
  signMessage: (message: string) => Promise<Uint8Array>
  getChainId: () => bigint
  /** The block the last signature was checked at: the SDK records it, verifiers check there. */
  getBlockNumber?: () => bigint
}

export type XmtpV3Signer<Kind> = XmtpV3EoaSigner<Kind> | XmtpV3ScwSigner<Kind>

/** `IdentifierKind.Ethereum` in @xmtp/node-sdk 6 and @xmtp/browser-sdk 7. */
export const IDENTIFIER_KIND_ETHEREUM = 0 as const

export const XMTP_V3_TEXT_HEADER = 'XMTP : Authenticate to inbox'
export const XMTP_V3_TEXT_FOOTER = 'For more info: https://xmtp.org/signatures'

/**
 * Any of our signers — Ledger, Trezor, injected, smart account, local — as an XMTP v3 SDK `Signer`.
 * EOAs sign the SDK's text with personal_sign (the signature must recover to the account); a smart
 * account's signature must be accepted by its contract, and the block it was checked at is recorded.
 */
/**
 * How `toXmtpSigner` asks for signatures: through the engine's signature path, so the engine's
 * timeout, abort and error typing apply to the SDK's requests too.
 */
export type XmtpV3SignerOptions = Pick<EngineOptions, 'signatureTimeoutMs' | 'signal' | 'onProgress'>

export function toXmtpSigner(signer: Signer, options?: XmtpV3SignerOptions): XmtpV3Signer<typeof IDENTIFIER_KIND_ETHEREUM>
export function toXmtpSigner<Kind>(signer: Signer, options: XmtpV3SignerOptions & { identifierKind: Kind }): XmtpV3Signer<Kind>
export function toXmtpSigner<Kind>(signer: Signer, options: XmtpV3SignerOptions & { identifierKind?: Kind } = {}): XmtpV3Signer<Kind | typeof IDENTIFIER_KIND_ETHEREUM> {
  assertSigner(signer)
  // An overload, not an inferred default: the kind must never be guessed from the caller's type.
  const identifierKind = 'identifierKind' in options ? (options.identifierKind as Kind) : IDENTIFIER_KIND_ETHEREUM
  const identifier = { identifier: signer.address.toLowerCase(), identifierKind }
  const getIdentifier = () => ({ ...identifier })
  const { identifierKind: _kind, ...engineOptions } = options
  if (signer.capabilities.accountType === 'EOA') {
    return {
      type: 'EOA',
      getIdentifier,
      async signMessage(message) {
        return (await requestAccountSignature(signer, 'xmtp-v3', message, engineOptions)).bytes
      },
    }
  }
  const chainId = signer.capabilities.chainId
  if (chainId === undefined || !signer.verifySignature) {
    throw new UnsupportedOperationError('This smart-account signer does not say its chain or cannot check its signatures.', {
      nextStep: 'Use the smart-account signer of xmtp-signers (SmartAccountSigner).',
    })
  }
  let lastBlock: bigint | undefined
  return {
    type: 'SCW',
    getIdentifier,
    getChainId: () => BigInt(chainId),
    getBlockNumber: () => {
      if (lastBlock === undefined) throw new InvalidInputError('No signature has been made yet, so there is no block number to report.')
      return lastBlock
    },
    async signMessage(message) {
      const signature = await requestAccountSignature(signer, 'xmtp-v3', message, engineOptions)
      if (signature.kind === 'smart-account') lastBlock = signature.blockNumber
      return signature.bytes
    },
  }
}

/** The fields of an XMTP v3 signature text this library reads. */
export type XmtpV3Text = { inboxId: string; currentTime: string; actions: string[] }

/** Parses "XMTP : Authenticate to inbox …"; throws on anything else, so a verifier never vouches for another text. */
export function parseXmtpV3Text(text: string): XmtpV3Text {
  const lines = text.split('\n')
  const fail = (why: string): never => {
    throw new InvalidInputError('Not an XMTP v3 signature text.', { details: why, nextStep: `Pass the exact text the SDK asked to sign, starting "${XMTP_V3_TEXT_HEADER}".` })
  }
  if (lines[0] !== XMTP_V3_TEXT_HEADER) fail(`the first line is not "${XMTP_V3_TEXT_HEADER}"`)
  if (lines.at(-1) !== XMTP_V3_TEXT_FOOTER) fail(`the last line is not "${XMTP_V3_TEXT_FOOTER}"`)
  const inboxId = /^Inbox ID: ([0-9a-f]{64})$/.exec(lines[2] ?? '')?.[1] ?? fail('no "Inbox ID: <64 hex>" line')
  const currentTime = /^Current time: (.+)$/.exec(lines[3] ?? '')?.[1] ?? fail('no "Current time:" line')
  const actions = lines.slice(5, -2).filter((line) => line.startsWith('- '))
  if (actions.length === 0) fail('it lists no action')
  return { inboxId, currentTime, actions }
}

export type XmtpV3Verification = { valid: boolean; text: XmtpV3Text; signer: Address | undefined; detail: string }

/**
 * Verifies an EOA's signature of an XMTP v3 text: the text is a v3 text, and the EIP-191 signature
 * recovers to `address`. (Smart accounts: `verifyXmtpV3SmartAccountSignature` in xmtp-signers/smart-account.)
 */
export function verifyXmtpV3Signature(params: { text: string; signature: Uint8Array | string; address: string }): XmtpV3Verification {
  const text = parseXmtpV3Text(params.text)
  const signature = normalizeSignature(typeof params.signature === 'string' ? hexToBytes(params.signature, 'signature') : params.signature)
  const recovered = recoverPersonalSignAddress(params.text, signature)
  const valid = sameAddress(recovered, params.address)
  return { valid, text, signer: recovered, detail: valid ? `signed by ${recovered}` : `signed by ${recovered}, not ${params.address}` }
}

/** What XMTP v3 takes to bring a v2 identity along as a legacy-delegated identity key. */
export type LegacyIdentityForV3 = {
  account: Address
  /** The v2 identity key as a V2 `SignedPublicKey` (key bytes + the wallet's signature, `wallet_ecdsa_compact`). */
  signedPublicKey: Uint8Array
  /** The "XMTP : Create Identity" text the wallet signed. */
  createIdentityText: string
  /** The wallet's 65-byte signature of that text (`r || s || v`, v 27/28). */
  walletSignature: Uint8Array
}

/**
 * A v2 identity (unlocked with this engine) in the form XMTP v3 accepts for a legacy-delegated
 * identity key. The wallet signature is checked to recover to the account first.
 */
export function exportLegacyIdentityForV3(identity: XmtpIdentity): LegacyIdentityForV3 {
  const publicKey = identity.exportPrivateKeyBundle().identityKey.publicKey
  const signature = publicKey.signature
  if (!signature || signature.kind === 'smartAccount') {
    throw new UnsupportedOperationError('Only an identity attested by an EOA can be brought to XMTP v3 as a legacy identity.', {
      nextStep: 'Smart accounts sign in to XMTP v3 directly: use toXmtpSigner.',
    })
  }
  const text = createIdentityText(encodeUnsignedPublicKeyV1(publicKey))
  const walletSignature = signatureFromCompact(signature.compact, signature.recovery)
  const signer = recoverPersonalSignAddress(text, walletSignature)
  if (!sameAddress(signer, identity.address)) throw new AccountMismatchError({ expected: identity.address, actual: signer, what: 'The identity’s attestation' })
  return {
    account: identity.address,
    signedPublicKey: encodeSignedPublicKey(signedPublicKeyFromV1(publicKey, true)),
    createIdentityText: text,
    walletSignature: walletSignature.bytes,
  }
}

/**
 * The legacy identity key's own signature of an XMTP v3 text (EIP-191 digest, recoverable, 65 bytes):
 * with `signedPublicKey`, what a legacy-delegated v3 signature carries.
 */
export function signWithLegacyIdentityKey(identity: XmtpIdentity, text: string): Uint8Array {
  parseXmtpV3Text(text)
  const { compact, recovery } = signDigestWithIdentityKey(identity.exportPrivateKeyBundle().identityKey.secretKey, hashPersonalMessage(text))
  return concatBytes(compact, Uint8Array.of(27 + recovery))
}
