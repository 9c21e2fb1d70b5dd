import { COMMANDS } from './commands.js'
import { SIGNERS } from './signers/index.js'
import { STORAGE_KEY_SOURCES } from './storageKeyFlag.js'

export { UsageError } from './usageError.js'

const SIGNERS_SECTION = `Signers:
${SIGNERS.map((s) => s.usage).join('\n')}
  --confirm-address               show the account on the device and wait for the person to confirm it
  --storage-key ${STORAGE_KEY_SOURCES.join('|')}
                                  where the storage key comes from: the signer's own signature (default,
                                  as XMTP v2), a smart account owner's, or a passphrase (scrypt) read from
                                  XMTP_SIGNER_PASSPHRASE or asked at the terminal (scrypt cost:
                                  XMTP_SIGNER_SCRYPT_LOG_N, default 17)
  Secrets are never read from the command line, where other users and shell history can see them.`

/** The "Options:" lines, each with the commands it applies to (per-command help lists only those). */
const OPTION_LINES: readonly { readonly commands: readonly string[] | 'all'; readonly text: string }[] = [
  {
    commands: ['create', 'unlock', 'rotate-prekey', 'demo'],
    text: `  --store <dir>   key store directory (default: the per-user data directory, printed in the output;
                  override with XMTP_SIGNERS_HOME)`,
  },
  { commands: ['unlock'], text: '  --from <file>   an EncryptedPrivateKeyBundle exactly as xmtp-js stored it, raw bytes or hex' },
  {
    commands: ['unlock', 'verify'],
    text: `  -               read the bundle from standard input (a pipe or file); bundle inputs are regular
                  files of at most 1 MiB — never a directory, FIFO, socket or device`,
  },
  {
    commands: ['verify'],
    text: `  --address 0x…   (verify) the account you expect; without it, verify says which account signed
                  the attestation but compares it with nothing`,
  },
  { commands: 'all', text: '  --json          print one JSON object instead of the step-by-step narration' },
  { commands: 'all', text: '  -h, --help      print this help (xmtp-signers <command> --help: that command’s)' },
]

const DEMO_NOTE = `demo runs create → unlock → verify on the built-in Ledger emulator (no hardware), printing what a
person would confirm on a real device; --signer local uses a development key instead.`

const FOOTER = `Ctrl-C (or SIGTERM) aborts the running command: the wallet request is cancelled where the device
allows, nothing is stored.

Exit codes: 0 success, 1 a failure (the message says what to do), 2 usage, 130 Ctrl-C, 143 SIGTERM.`

/** The commands that open a wallet with the signer options (demo and accounts name their own). */
const takesSignerOptions = (name: string) => Object.hasOwn(COMMANDS[name]?.flags ?? {}, 'storage-key')

/** The usage text, assembled from the command and signer tables. */
export const USAGE = `xmtp-signers — create and unlock an XMTP identity with the wallet you already trust

Usage:
${Object.values(COMMANDS)
  .map((c) => c.usage)
  .join('\n')}

${SIGNERS_SECTION}

Options:
${OPTION_LINES.map((o) => o.text).join('\n')}

${DEMO_NOTE}

${FOOTER}`

/** The "Usage:" lines of one command, or of all when the command is not known. */
export function usageLines(command: string | undefined): string {
  const known = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
  return `Usage:\n${known ? known.usage : Object.values(COMMANDS).map((c) => c.usage).join('\n')}`
}

/** `xmtp-signers <command> --help`: that command's usage, and only the signers and options it reads. */
export function commandHelp(command: string): string {
  const options = OPTION_LINES.filter((o) => o.commands === 'all' || o.commands.includes(command)).map((o) => o.text)
  return [
    usageLines(command),
    ...(takesSignerOptions(command) ? [SIGNERS_SECTION] : []),
    `Options:\n${options.join('\n')}`,
    ...(command === 'demo' ? [DEMO_NOTE] : []),
    FOOTER,
  ].join('\n\n')
}

/** The line after a usage error: where the whole story is. */
export function moreHelp(command: string | undefined): string {
  const known = command !== undefined && Object.hasOwn(COMMANDS, command)
  return `Run \`xmtp-signers ${known ? `${command} ` : ''}--help\` for ${known ? 'its options' : 'every command and option'}.`
}
