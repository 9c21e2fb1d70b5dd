import { IdentityExistsError, KeyStoreLockedError } from './errors.js'
import { checksumAddress } from './signature.js'
import { abortReason, throwIfAborted, validTimeoutMs } from './timeout.js'

/** Where XMTP v2 keeps an account's encrypted private key bundle. */
export function storageTopic(address: string): string {
  return `/xmtp/0/privatestore-${checksumAddress(address)}/key_bundle/proto`
}

/** Where XMTP v2 publishes an account's contact bundle. */
export function contactTopic(address: string): string {
  return `/xmtp/0/contact-${checksumAddress(address)}/proto`
}

export type PutOptions = {
  /** Replace a stored value. Without it, `put` never overwrites and throws `IdentityExistsError`. */
  overwrite?: boolean
}

export type LockOptions = {
  /** Gives up waiting for the lock (with `OperationAbortedError`, or the signal's own typed reason) when it aborts. */
  readonly signal?: AbortSignal
}

/**
 * Holds encrypted private key bundles, addressed by storage topic. `get` answers `undefined` only
 * when nothing is stored; any other failure throws, so callers never mistake an error for "empty".
 */
export interface KeyStore {
  /** Where the values live, for messages (a path, "memory", a URL). */
  readonly location: string
  get(topic: string): Promise<Uint8Array | undefined>
  put(topic: string, value: Uint8Array, options?: PutOptions): Promise<void>
  /** Runs `task` while no other holder of this store's lock for `topic` runs. */
  withLock<T>(topic: string, task: () => Promise<T>, options?: LockOptions): Promise<T>
}
