import { DEFAULT_DERIVATION_PATH } from '../../signers/local/defaultPath.js'
import { TEST_MNEMONIC } from '../../src/adapter/testMnemonic.js'
import { UsageError } from '../usageError.js'
import { refuseHardwareFlags } from './shared.js'
import type { CliSigner } from './types.js'

// The local signer (and BIP-32/39 with it) loads only when a command opens one: `verify` never does.
const localSigner = async () => (await import('../../signers/local/index.js')).LocalSigner

export const privateKeySigner: CliSigner = {
  kind: 'private-key',
  wallet: 'private key',
  flags: {},
  usage: '  --signer private-key            key from the environment variable XMTP_SIGNER_PRIVATE_KEY',
  canOwn: true,
  open: async (flags, { env }) => {
    refuseHardwareFlags(flags)
    const key = env.XMTP_SIGNER_PRIVATE_KEY
    if (!key) throw new UsageError('--signer private-key reads the key from XMTP_SIGNER_PRIVATE_KEY, which is not set.')
    if (flags.path) throw new UsageError('--path does not apply to --signer private-key.')
    return { signer: (await localSigner()).fromPrivateKey(key), description: 'private key from XMTP_SIGNER_PRIVATE_KEY' }
  },
}

export const mnemonicSigner: CliSigner = {
  kind: 'mnemonic',
  wallet: 'mnemonic',
  flags: { path: { type: 'string' } },
  usage: [
    '  --signer mnemonic [--path P]    BIP-39 phrase from XMTP_SIGNER_MNEMONIC (optional passphrase:',
    `                                  XMTP_SIGNER_MNEMONIC_PASSPHRASE); path defaults to ${DEFAULT_DERIVATION_PATH}`,
  ].join('\n'),
  canOwn: true,
  open: async (flags, { env }) => {
    refuseHardwareFlags(flags)
    const mnemonic = env.XMTP_SIGNER_MNEMONIC
    if (!mnemonic) throw new UsageError('--signer mnemonic reads the phrase from XMTP_SIGNER_MNEMONIC, which is not set.')
    const signer = (await localSigner()).fromMnemonic(mnemonic, {
      ...(flags.path ? { path: flags.path } : {}),
      ...(env.XMTP_SIGNER_MNEMONIC_PASSPHRASE ? { passphrase: env.XMTP_SIGNER_MNEMONIC_PASSPHRASE } : {}),
    })
    return { signer, description: `mnemonic from XMTP_SIGNER_MNEMONIC, path ${flags.path ?? DEFAULT_DERIVATION_PATH}` }
  },
}

/** The development key `demo --signer local` uses: the same name opens it in every command. */
export const developmentSigner: CliSigner = {
  kind: 'local',
  wallet: 'development key',
  flags: {},
  usage: '  --signer local                  a development key from the public test mnemonic (never for anything of value)',
  canOwn: true,
  open: async (flags) => {
    refuseHardwareFlags(flags)
    if (flags.path) throw new UsageError('--path does not apply to --signer local; use --signer mnemonic with XMTP_SIGNER_MNEMONIC.')
    return { signer: (await localSigner()).fromMnemonic(TEST_MNEMONIC), description: 'a development key from the public test mnemonic' }
  },
}
