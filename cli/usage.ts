/** A command line that cannot run as written: exit code 2, with the usage text. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export const USAGE = `xmtp-signers — create and unlock an XMTP identity with the wallet you already trust

Usage:
  xmtp-signers create  --signer <kind> [signer options] [--store <dir>] [--json]
  xmtp-signers unlock  --signer <kind> [signer options] [--store <dir> | --from <file | ->] [--json]
  xmtp-signers rotate-prekey --signer <kind> [signer options] [--store <dir>] [--json]
  xmtp-signers verify  <hex | file | -> [--address 0x…] [--format auto|contact|v1|v2] [--rpc URL] [--json]
                       (--rpc: check a smart account's attestation on its chain)
  xmtp-signers accounts --signer ledger|trezor [--transport …|--trezor-bridge …] [--scheme live|legacy|bip44] [--count N] [--start N] [--json]
  xmtp-signers demo    [--signer ledger|local] [--store <dir>] [--json]

Signers:
  --signer private-key            key from the environment variable XMTP_SIGNER_PRIVATE_KEY
  --signer mnemonic [--path P]    BIP-39 phrase from XMTP_SIGNER_MNEMONIC (optional passphrase:
                                  XMTP_SIGNER_MNEMONIC_PASSPHRASE); path defaults to m/44'/60'/0'/0/0
  --signer ledger [--transport hid|emulator|speculos://HOST:PORT]
                  [--path P | --scheme live|legacy|bip44 --index N]
                                  default: USB HID, Ledger Live account 0 (m/44'/60'/0'/0/0)
  --signer trezor [--trezor-bridge http://127.0.0.1:PORT|emulator]
                  [--path P | --scheme live|legacy|bip44 --index N]
                                  default: Trezor Bridge (Suite or trezord) or USB
  --confirm-address               show the account on the device and wait for the person to confirm it
  --signer injected --rpc URL [--account 0x…]
                                  an EIP-1193 wallet's JSON-RPC over HTTP (desktop wallets, dev nodes)
  --signer smart-account --rpc URL --account 0x… --scheme safe|coinbase|erc7739|erc1271
                  --owner ledger|trezor|private-key|mnemonic|injected [owner options]
                  [--factory 0x… --factory-data 0x…] [--owner-index-in-account N] [--chain-id N]
                                  owner options: --transport, --path or --owner-scheme/--index (hardware),
                                  --owner-rpc/--owner-account (injected)
  --storage-key signer|owner|passphrase
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
