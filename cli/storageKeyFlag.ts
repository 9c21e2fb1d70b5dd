import type { StorageKeyChoice } from '../src/index.js'
import type { OpenedSigner } from './signers/index.js'
import { UsageError } from './usageError.js'

/** The --storage-key values: where the storage key comes from (default the signer's own signature, as XMTP v2). */
export const STORAGE_KEY_SOURCES = ['signer', 'owner', 'passphrase'] as const satisfies readonly StorageKeyChoice['source'][]

export async function storageKeyChoice(
  flag: string | undefined,
  opened: OpenedSigner,
  env: NodeJS.ProcessEnv,
  prompt: (question: string) => Promise<string>,
): Promise<StorageKeyChoice | undefined> {
  if (flag === undefined || flag === 'signer') return undefined
  if (flag === 'owner') {
    if (!opened.owner) throw new UsageError('--storage-key owner applies to --signer smart-account (the owner signs the storage text).')
    return { source: 'owner', owner: opened.owner }
  }
  if (flag === 'passphrase') {
    const passphrase = env.XMTP_SIGNER_PASSPHRASE ?? (await prompt('Passphrase for the stored XMTP keys: '))
    const logNText = env.XMTP_SIGNER_SCRYPT_LOG_N?.trim()
    // Number('1O') is NaN, which would silently mean "the default": a typo is a usage error instead.
    if (logNText !== undefined && logNText !== '' && !/^\d{1,3}$/.test(logNText)) throw new UsageError(`XMTP_SIGNER_SCRYPT_LOG_N must be a whole number (the scrypt cost exponent), not "${logNText}".`)
    const logN = logNText ? Number(logNText) : undefined
    return { source: 'passphrase', passphrase, ...(logN !== undefined ? { logN } : {}) }
  }
  throw new UsageError(`--storage-key must be ${STORAGE_KEY_SOURCES.slice(0, -1).join(', ')} or ${STORAGE_KEY_SOURCES.at(-1)}.`)
}
