import { hashes } from './crypto/backend.js'
import { equalBytes, toHex, utf8 } from './bytes.js'
import { emit, type EngineOptions } from './engineOptions.js'
import { InvalidInputError, StorageKeySourceError, UnsupportedOperationError } from './errors.js'
import { sameAddress, type Address } from './signature.js'
import type { Signer } from './signer.js'
import { enableIdentityText } from './texts.js'
import { assertSigner } from './signerGuard.js'
import { abortable } from './timeout.js'
import { requestAccountSignature } from './walletSignature.js'

// The storage key, in one place: where its secret comes from (the caller's choice, and what a stored
// bundle records), the scrypt limits encoder and decoder share, and the secret itself, never shown.

/**
 * Where the secret the storage key is derived from comes from. XMTP v2: the signer's own "Enable
 * Identity" signature. For accounts whose signatures cannot be made again byte for byte (multisig,
 * passkeys, ERC-6492): the owner EOA's signature, or a passphrase (scrypt).
 */
export type StorageKeyChoice =
  | { source: 'signer' }
  | { source: 'owner'; owner: Signer }
  | { source: 'passphrase'; passphrase: string; /** scrypt cost, N = 2^logN (default 17) */ logN?: number }

/** What a stored bundle records of its storage key's source (XMTP v2's own scheme records nothing). */
export type StorageKeySource =
  | { readonly source: 'signer' }
  | { readonly source: 'owner'; readonly owner: Address }
  | { readonly source: 'passphrase'; readonly logN: number; readonly r: number; readonly p: number }

/**
 * The scrypt costs a stored bundle may carry, shared by the encoder (checked before any prompt) and
 * the decoder: the bounds keep a crafted bundle from asking for gigabytes of scrypt memory.
 */
export const SCRYPT_LIMITS = { logN: { min: 10, max: 22 }, r: { min: 1, max: 32 }, p: { min: 1, max: 16 } } as const

/** Why scrypt parameters are outside `SCRYPT_LIMITS`, or undefined when they are inside. */
export function scryptParamsProblem(params: { logN: unknown; r: unknown; p: unknown }): string | undefined {
  for (const name of ['logN', 'r', 'p'] as const) {
    const value = params[name]
    const { min, max } = SCRYPT_LIMITS[name]
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) return `${name} is ${String(value)}; it must be an integer from ${min} to ${max}`
  }
  return undefined
}

const SECRETS = new WeakMap<StorageSecret, Uint8Array>()

/**
 * The secret a storage key is derived from, the wallet prekey it is bound to, and where it came from.
 * The secret bytes are held outside the object, so `console.log`, `util.inspect` and `JSON.stringify`
 * never show them; only the engine reads them (`revealStorageSecret`, not exported from the package).
 */
export class StorageSecret {
  readonly walletPreKey: Uint8Array
  readonly source: StorageKeySource
  constructor(walletPreKey: Uint8Array, secret: Uint8Array, source: StorageKeySource) {
    this.walletPreKey = walletPreKey
    this.source = source
    SECRETS.set(this, secret)
  }
  toJSON(): Record<string, unknown> {
    return { walletPreKey: toHex(this.walletPreKey), source: this.source, secret: '[redacted]' }
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `StorageSecret { source: ${this.source.source}, secret: [redacted] }`
  }
}

/** The engine's own access to the bytes HKDF turns into the AES key. */
export function revealStorageSecret(storageSecret: StorageSecret): Uint8Array {
  const secret = SECRETS.get(storageSecret)
  if (!secret) throw new InvalidInputError('Not a storage secret made by this library.', { nextStep: 'Pass the storageSecret that requestStorageSecret or decryptIdentity returned.' })
  return secret
}

/** OWASP's interactive scrypt cost: N = 2^17, r = 8, p = 1 (128 MiB). */
const DEFAULT_SCRYPT = { logN: 17, r: 8, p: 1 }
const MIN_PASSPHRASE_LENGTH = 8

/**
 * Refuses, before any prompt, a storage key that could never be derived again: the signer's own
 * signature when it is not reproducible (multisig, passkeys, ERC-6492), and owners that are not EOAs.
 */
export function assertCanDeriveStorageKey(signer: Signer, choice: StorageKeyChoice = { source: 'signer' }): void {
  if (choice.source === 'signer' && signer.capabilities.reproducibleSignatures === 'no') {
    throw new StorageKeySourceError('This signer’s signatures differ from one time to the next, so a storage key derived from one could never be derived again.', {
      needed: 'owner-or-passphrase',
      details: `${signer.capabilities.kind} ${signer.address}`,
      nextStep:
        "Nothing was signed or stored. Choose another source for the storage key: the owner’s own signature (storageKey: { source: 'owner', owner }) or a passphrase (storageKey: { source: 'passphrase', passphrase }).",
    })
  }
  if (choice.source === 'owner') {
    assertSigner(choice.owner, 'storageKey.owner')
    if (choice.owner.capabilities.accountType !== 'EOA' || choice.owner.capabilities.reproducibleSignatures === 'no') {
      throw new StorageKeySourceError('The storage key can come only from an owner whose signatures are reproducible (an EOA or hardware wallet).', {
        needed: 'passphrase',
        nextStep: "Use a passphrase instead (storageKey: { source: 'passphrase', passphrase }).",
      })
    }
  }
  if (choice.source === 'passphrase') {
    // The decoder's own bounds: a cost the decoder would refuse must never be written.
    const logN = choice.logN ?? DEFAULT_SCRYPT.logN
    const problem = scryptParamsProblem({ logN, r: DEFAULT_SCRYPT.r, p: DEFAULT_SCRYPT.p })
    if (problem) {
      throw new InvalidInputError('The scrypt cost for the passphrase is out of range.', {
        details: problem,
        nextStep: `Pass storageKey.logN as an integer from ${SCRYPT_LIMITS.logN.min} to ${SCRYPT_LIMITS.logN.max}, or leave it out (default ${DEFAULT_SCRYPT.logN}).`,
      })
    }
  }
  if (choice.source === 'passphrase' && choice.passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new InvalidInputError(`The passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters.`, {
      nextStep: 'Choose a longer passphrase; it alone protects the stored keys.',
    })
  }
}

/**
 * Gets the storage secret from the chosen source. A signer that may not reproduce its signatures
 * signs twice and must give identical bytes, before anything is stored.
 */
export async function requestStorageSecret(
  signer: Signer,
  walletPreKey: Uint8Array,
  options: EngineOptions = {},
  source: StorageKeySource = sourceOf(options.storageKey),
): Promise<StorageSecret> {
  const choice = choiceFor(source, options.storageKey)
  assertCanDeriveStorageKey(signer, choice)
  if (choice.source === 'passphrase') {
    const params = source.source === 'passphrase' ? source : { source: 'passphrase' as const, ...DEFAULT_SCRYPT, logN: choice.logN ?? DEFAULT_SCRYPT.logN }
    const derivation = hashes.scrypt(utf8(choice.passphrase.normalize('NFKC')), walletPreKey, { N: 2 ** params.logN, r: params.r, p: params.p, dkLen: 32 })
    const secret = await abortable(derivation, options.signal, 'passphrase key derivation')
    emit(options, { type: 'storage-key-derived', source: 'passphrase' })
    return new StorageSecret(walletPreKey, secret, params)
  }
  const keySigner = choice.source === 'owner' ? choice.owner : signer
  const text = enableIdentityText(walletPreKey)
  const first = await requestAccountSignature(keySigner, 'enable-identity', text, options)
  if (keySigner.capabilities.reproducibleSignatures !== 'yes') {
    const again = await requestAccountSignature(keySigner, 'enable-identity', text, options, 2)
    if (!equalBytes(again.bytes, first.bytes)) {
      throw new UnsupportedOperationError('The wallet gave two different signatures for the same text, so it cannot protect stored keys.', {
        details: 'the storage key is derived from this signature and must be derivable again to unlock',
        nextStep: 'Nothing was stored. Use a passphrase or an owner whose signatures are deterministic (RFC 6979), such as a hardware wallet or an EOA.',
      })
    }
  }
  return new StorageSecret(walletPreKey, first.bytes, choice.source === 'owner' ? { source: 'owner', owner: choice.owner.address } : { source: 'signer' })
}

function sourceOf(choice: StorageKeyChoice | undefined): StorageKeySource {
  if (!choice || choice.source === 'signer') return { source: 'signer' }
  if (choice.source === 'owner') return { source: 'owner', owner: choice.owner.address }
  return { source: 'passphrase', ...DEFAULT_SCRYPT, logN: choice.logN ?? DEFAULT_SCRYPT.logN }
}

/** What a stored bundle needs to open, checked against what the caller offers. */
function choiceFor(source: StorageKeySource, offered: StorageKeyChoice | undefined): StorageKeyChoice {
  if (source.source === 'signer') {
    if (offered && offered.source !== 'signer') {
      throw new StorageKeySourceError('This identity’s storage key comes from the wallet’s own signature, not from the source given.', {
        needed: 'signer',
        nextStep: 'Unlock it without the storageKey option (the default: the signer’s own signature).',
      })
    }
    return { source: 'signer' }
  }
  if (source.source === 'owner') {
    if (offered?.source !== 'owner' || !sameAddress(offered.owner.address, source.owner)) {
      throw new StorageKeySourceError(`This identity’s storage key comes from the owner ${source.owner}’s signature.`, {
        needed: 'owner',
        details: offered?.source === 'owner' ? `the owner given is ${offered.owner.address}` : undefined,
        nextStep: `Unlock with storageKey: { source: 'owner', owner } and that owner’s wallet (${source.owner}).`,
      })
    }
    return offered
  }
  if (offered?.source !== 'passphrase') {
    throw new StorageKeySourceError('This identity’s storage key comes from a passphrase.', {
      needed: 'passphrase',
      nextStep: "Unlock with storageKey: { source: 'passphrase', passphrase } and the passphrase it was stored with.",
    })
  }
  return offered
}
