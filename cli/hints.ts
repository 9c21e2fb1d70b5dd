import { isXmtpSignersError, type ErrorCode, type ErrorOf } from '../src/index.js'

// The engine's nextStep names API options; this is the same next step in this CLI's flags and commands.
type Hint<Code extends ErrorCode> = string | ((error: ErrorOf<Code>) => string | undefined)

const STORAGE_KEY_FLAG = {
  signer: 'Run it without --storage-key: this identity’s key comes from the signer’s own signature.',
  owner: 'Run it with --signer smart-account, --storage-key owner and that owner (--owner …).',
  passphrase: 'Run it with --storage-key passphrase (from XMTP_SIGNER_PASSPHRASE, or asked at the terminal).',
  'owner-or-passphrase': 'Run it with --storage-key owner (a smart account’s owner signs) or --storage-key passphrase.',
} as const

export const CLI_HINTS: { readonly [Code in ErrorCode]?: Hint<Code> } = {
  IDENTITY_EXISTS: 'Run `xmtp-signers unlock` with the same --signer options and --store instead of create.',
  NO_STORED_IDENTITY: 'Run `xmtp-signers create` first, or point --store at the directory (or --from at the file) that holds it.',
  BUNDLE_DECRYPTION_FAILED: 'Run it with the --signer (and --path or --scheme/--index) that created the identity.',
  FOREIGN_BUNDLE: 'Run it with the --signer (and --path or --scheme/--index) of the account that made it.',
  ACCOUNT_MISMATCH: 'Check --path or --scheme/--index (hardware) or --account (injected) select the intended account.',
  MALFORMED_BUNDLE: 'Pass the whole bundle: hex, a file holding it (raw or hex), or - for standard input; --format says which kind.',
  KEY_STORE_LOCKED: 'Wait for the other xmtp-signers command on this --store to finish, then run this one again.',
  USER_REJECTED: 'Run the command again and approve the request on the wallet.',
  SIGNER_TIMEOUT: 'Run the command again and answer the wallet’s request in time.',
  ABORTED: 'Run the command again when ready.',
  STORAGE_KEY_SOURCE: (error) => (error.needed ? STORAGE_KEY_FLAG[error.needed] : undefined),
  WRONG_CHAIN: (error) => `Pass --rpc (or --owner-rpc) URL of an RPC that serves chain ${error.expectedChainId}.`,
  RPC_UNAVAILABLE: 'Check the --rpc (or --owner-rpc) URL.',
  NETWORK_READ_ONLY: 'With this CLI: run `xmtp-signers unlock --network URL` for an identity already there, or create into --store <dir>.',
  SMART_ACCOUNT_REJECTED: 'Check --owner is a current owner of --account, --account-scheme matches the account, and --rpc serves its chain.',
  DEVICE_NOT_FOUND: 'Close Ledger Live or Trezor Suite if open; to try without a device: --transport emulator (Ledger) or --trezor-bridge emulator (Trezor).',
  UNSUPPORTED_APP_VERSION: 'For --signer ledger update the Ethereum app with Ledger Live; for --signer trezor, the firmware with Trezor Suite.',
  TRANSPORT_UNAVAILABLE: 'Pick another transport: --transport hid|emulator|http://HOST:PORT|speculos://HOST:PORT (Ledger) or --trezor-bridge URL (Trezor).',
  // The Ledger's LedgerJS path on today's Ethereum app: DMK signs EIP-712 in full.
  UNSUPPORTED_OPERATION: (error) =>
    /hashed EIP-712/.test(error.message) ? 'Run it without --ledger-stack ledgerjs and with --transport hid, emulator or http://HOST:PORT: the DMK path signs EIP-712 in full.' : undefined,
}

/** The CLI's own next step for an error, when it has one. */
export function cliHint(error: unknown): string | undefined {
  if (!isXmtpSignersError(error)) return undefined
  const hint = CLI_HINTS[error.code] as Hint<ErrorCode> | undefined
  return typeof hint === 'function' ? hint(error as ErrorOf<ErrorCode>) : hint
}
