import type { EntropySource } from './keys.js'
import type { Address } from './signature.js'
import type { Signer } from './signer.js'
import type { StorageKeyChoice } from './storageKey.js'
import type { SignaturePurpose } from './texts.js'

/** What the engine is doing, so a UI or the CLI can tell the person what they are approving and why. */
export type ProgressEvent =
  | { type: 'identity-key-generated'; identityPublicKey: Uint8Array }
  | { type: 'signature-request'; purpose: SignaturePurpose; text: string; explanation: string; attempt: number; signer: Address }
  | { type: 'signature-verified'; purpose: SignaturePurpose; address: Address; blockNumber?: bigint }
  | { type: 'prekey-generated'; preKeyPublicKey: Uint8Array }
  | { type: 'storage-key-derived'; source: 'passphrase' }
  | { type: 'bundle-encrypted' }
  | { type: 'bundle-stored'; storageTopic: string; location: string }
  | { type: 'bundle-loaded'; storageTopic: string; location: string }
  | { type: 'bundle-decrypted' }
  | { type: 'bundle-verified'; address: Address }

export type EngineOptions = EntropySource & {
  onProgress?: (event: ProgressEvent) => void
  /** How long to wait for the wallet to answer one signature request (default 5 minutes). */
  signatureTimeoutMs?: number
  /**
   * Aborts the operation: a pending wallet request is cancelled (on the device where it allows) and the
   * call rejects with `OperationAbortedError` (code `ABORTED`) within a second; nothing is stored.
   */
  signal?: AbortSignal
  /** Default: the signer's own signature, as XMTP v2. */
  storageKey?: StorageKeyChoice
}

export function emit(options: EngineOptions, event: ProgressEvent): void {
  options.onProgress?.(event)
}
