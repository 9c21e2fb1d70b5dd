import { curve } from './crypto/backend.js'
import { hashPersonalMessage, normalizeSignature, publicKeyToAddress, recoverPublicKey, sameAddress, type Address, type WalletSignature } from './signature.js'
import { AccountMismatchError, isXmtpSignersError, SignerTimeoutError, SignerUnavailableError, SmartAccountRejectedError, UnsupportedOperationError } from './errors.js'
import { emit, type EngineOptions } from './engineOptions.js'
import type { Signer } from './signer.js'
import { abortable, validTimeoutMs, withDeadline } from './timeout.js'
import { SIGNATURE_PURPOSES, type SignaturePurpose } from './texts.js'

const DEFAULT_SIGNATURE_TIMEOUT_MS = 5 * 60_000

/** A signature the engine has checked: recovered for an EOA, accepted on chain for a smart account. */
export type AccountSignature =
  | { readonly kind: 'eoa'; readonly bytes: Uint8Array; readonly signature: WalletSignature }
  | { readonly kind: 'smart-account'; readonly bytes: Uint8Array; readonly blockNumber: bigint }

/** Refuses, before any prompt, a text longer than the wallet declares it can sign. */
function assertWithinMessageLimit(signer: Signer, purpose: SignaturePurpose, text: string): void {
  const limit = signer.capabilities.maxMessageBytes
  const bytes = new TextEncoder().encode(text).length
  if (limit === undefined || bytes <= limit) return
  throw new UnsupportedOperationError(`The ${signer.capabilities.kind} wallet signs messages of at most ${limit} bytes; this "${purpose}" text is ${bytes}.`, {
    details: `${bytes} UTF-8 bytes, limit ${limit}; nothing was asked of the wallet`,
    nextStep:
      purpose === 'xmtp-v3'
        ? 'Ask the XMTP SDK for a shorter text: revoke fewer installations at once (each adds a line), then the rest in a second request.'
        : 'Sign with a wallet that takes longer messages.',
  })
}

async function askSigner(signer: Signer, purpose: SignaturePurpose, text: string, options: EngineOptions, attempt: number): Promise<Uint8Array> {
  assertWithinMessageLimit(signer, purpose, text)
  emit(options, { type: 'signature-request', purpose, text, explanation: SIGNATURE_PURPOSES[purpose], attempt, signer: signer.address })
  const timeoutMs = validTimeoutMs(options.signatureTimeoutMs, 'signatureTimeoutMs', DEFAULT_SIGNATURE_TIMEOUT_MS)
  try {
    // One signal reaches the adapter for both the caller's abort and our deadline, so the device prompt is cancelled too.
    return await withDeadline((signal) => signer.signPersonalMessage(text, { signal }), {
      timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      what: `${purpose} signature request`,
      onTimeout: () => new SignerTimeoutError(timeoutMs, purpose),
    })
  } catch (error) {
    if (isXmtpSignersError(error)) throw error
    throw new SignerUnavailableError(`The wallet failed to sign the ${purpose} request.`, {
      details: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      nextStep: 'Check the wallet is connected and unlocked, then retry. Nothing was stored.',
      cause: error,
    })
  }
}

/**
 * The public key each signer's account signed with, once a signature from it has recovered to its
 * address: later signatures from that signer are checked against it instead of recovered again.
 */
const accountKeys = new WeakMap<Signer, { readonly address: Address; readonly publicKey: Uint8Array }>()

function knownAccount(signer: Signer): { readonly address: Address; readonly publicKey: Uint8Array } | undefined {
  const known = accountKeys.get(signer)
  return known && sameAddress(known.address, signer.address) ? known : undefined
}

/** The account key an earlier checked signature of `signer` recovered to, if any (and if it is still the signer's address). */
export function knownAccountKey(signer: Signer): Uint8Array | undefined {
  return knownAccount(signer)?.publicKey
}

/**
 * Asks an EOA to sign `text` and checks, before anything uses it, that the signature is well formed
 * and recovers to the signer's account (against the key recovered once, when there is one).
 */
export async function requestWalletSignature(signer: Signer, purpose: SignaturePurpose, text: string, options: EngineOptions = {}, attempt = 1): Promise<WalletSignature> {
  const signature = normalizeSignature(await askSigner(signer, purpose, text, options, attempt))
  const digest = hashPersonalMessage(text)
  let known = knownAccount(signer)
  // Same guarantee as a recovery (the recovery bit is checked too), and no point decompression on the pure-JS path.
  if (known === undefined || !curve.verify(digest, signature.compact, signature.recovery, known.publicKey)) {
    const publicKey = recoverPublicKey(digest, signature)
    const recovered = publicKeyToAddress(publicKey)
    if (!sameAddress(recovered, signer.address)) {
      throw new AccountMismatchError({ expected: signer.address, actual: recovered, what: `The "${purpose}" signature` })
    }
    known = { address: recovered, publicKey }
    accountKeys.set(signer, known)
  }
  emit(options, { type: 'signature-verified', purpose, address: known.address })
  return signature
}

/** As `requestWalletSignature`, for any account: a smart account's signature must be accepted by its contract. */
export async function requestAccountSignature(signer: Signer, purpose: SignaturePurpose, text: string, options: EngineOptions = {}, attempt = 1): Promise<AccountSignature> {
  if (signer.capabilities.accountType === 'EOA') {
    const signature = await requestWalletSignature(signer, purpose, text, options, attempt)
    return { kind: 'eoa', bytes: signature.bytes, signature }
  }
  if (!signer.verifySignature) {
    throw new UnsupportedOperationError('This smart-account signer cannot check its own signatures.', {
      nextStep: 'Use a signer that implements verifySignature (SmartAccountSigner from xmtp-signers/smart-account does).',
    })
  }
  const bytes = await askSigner(signer, purpose, text, options, attempt)
  const { valid, blockNumber } = await abortable(signer.verifySignature(hashPersonalMessage(text), bytes), options.signal, `${purpose} signature check`)
  if (!valid) throw new SmartAccountRejectedError(`its "${purpose}" signature`, `${signer.address} on chain ${signer.capabilities.chainId ?? '?'} at block ${blockNumber}`)
  emit(options, { type: 'signature-verified', purpose, address: signer.address, blockNumber })
  return { kind: 'smart-account', bytes, blockNumber }
}
