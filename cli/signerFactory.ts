import { LocalSigner } from '../signers/local/index.js'
import type { Signer } from '../src/index.js'
import { UsageError } from './usage.js'

export type SignerOptions = { signer?: string; path?: string }

/** A development wallet anyone can reproduce: Hardhat/Anvil's public test mnemonic. Never hold value on it. */
export const DEMO_MNEMONIC = 'test test test test test test test test test test test junk'

type SignerFactory = (options: SignerOptions, env: NodeJS.ProcessEnv) => Promise<{ signer: Signer; description: string }>

// One entry per wallet kind; hardware kinds are added beside these.
const FACTORIES: Record<string, SignerFactory> = {
  'private-key': async (_options, env) => {
    const key = env.XMTP_SIGNER_PRIVATE_KEY
    if (!key) throw new UsageError('--signer private-key reads the key from XMTP_SIGNER_PRIVATE_KEY, which is not set.')
    return { signer: LocalSigner.fromPrivateKey(key), description: 'private key from XMTP_SIGNER_PRIVATE_KEY' }
  },
  mnemonic: async (options, env) => {
    const mnemonic = env.XMTP_SIGNER_MNEMONIC
    if (!mnemonic) throw new UsageError('--signer mnemonic reads the phrase from XMTP_SIGNER_MNEMONIC, which is not set.')
    const signer = LocalSigner.fromMnemonic(mnemonic, {
      ...(options.path ? { path: options.path } : {}),
      ...(env.XMTP_SIGNER_MNEMONIC_PASSPHRASE ? { passphrase: env.XMTP_SIGNER_MNEMONIC_PASSPHRASE } : {}),
    })
    return { signer, description: `mnemonic from XMTP_SIGNER_MNEMONIC, path ${options.path ?? "m/44'/60'/0'/0/0"}` }
  },
}

export const SIGNER_KINDS = Object.keys(FACTORIES)

export async function openSigner(options: SignerOptions, env: NodeJS.ProcessEnv): Promise<{ signer: Signer; description: string }> {
  if (!options.signer) throw new UsageError(`--signer is required (one of: ${SIGNER_KINDS.join(', ')}).`)
  const factory = FACTORIES[options.signer]
  if (!factory) throw new UsageError(`Unknown signer "${options.signer}" (one of: ${SIGNER_KINDS.join(', ')}).`)
  if (options.path && options.signer !== 'mnemonic') throw new UsageError(`--path does not apply to --signer ${options.signer}.`)
  return factory(options, env)
}
