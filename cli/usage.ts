import { COMMANDS } from './commands.js'
import { SIGNERS } from './signers/index.js'
import { STORAGE_KEY_SOURCES } from './storageKeyFlag.js'

export { UsageError } from './usageError.js'

/** The usage text, assembled from the command and signer tables. */
export const USAGE = `xmtp-signers — create and unlock an XMTP identity with the wallet you already trust

Usage:
${Object.values(COMMANDS)
  .map((c) => c.usage)
  .join('\n')}

Signers:
${SIGNERS.map((s) => s.usage).join('\n')}
  --confirm-address               show the account on the device and wait for the person to confirm it
  --storage-key ${STORAGE_KEY_SOURCES.join('|')}
                                  where the storage key comes from: the signer's own signature (default,
                                  as XMTP v2), a smart account owner's, or a passphrase (scrypt) read from
                                  XMTP_SIGNER_PASSPHRASE or asked at the terminal (scrypt cost:
                                  XMTP_SIGNER_SCRYPT_LOG_N, default 17)
  Secrets are never read from the command line, where other users and shell history can see them.

Options:
  --store <dir>   key store directory (default: the per-user data directory, printed in the output;
                  override with XMTP_SIGNERS_HOME)
  --from <file>   an EncryptedPrivateKeyBundle exactly as xmtp-js stored it, raw bytes or hex
  -               read the bundle from standard input (a pipe or file); bundle inputs are regular
                  files of at most 1 MiB — never a directory, FIFO, socket or device
  --address 0x…   (verify) the account you expect; without it, verify says which account signed
                  the attestation but compares it with nothing
  --json          print one JSON object instead of the step-by-step narration

demo runs create → unlock → verify on the built-in Ledger emulator (no hardware), printing what a
person would confirm on a real device; --signer local uses a development key instead.

Ctrl-C (or SIGTERM) aborts the running command: the wallet request is cancelled where the device
allows, nothing is stored.

Exit codes: 0 success, 1 a failure (the message says what to do), 2 usage, 130 Ctrl-C, 143 SIGTERM.`
