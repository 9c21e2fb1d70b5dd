import type { DerivationScheme, Signer } from '../src/index.js'
import { LocalSigner } from '../signers/local/index.js'
import type { Out } from './report.js'
import { UsageError } from './usage.js'

export type SignerOptions = {
  signer?: string
  path?: string
  scheme?: string
  index?: string
  transport?: string
}

/** A development wallet anyone can reproduce: Hardhat/Anvil's public test mnemonic. Never hold value on it. */
export const DEMO_MNEMONIC = 'test test test test test test test test test test test junk'

export type OpenedSigner = { signer: Signer; description: string; close?: () => Promise<void> }
type SignerFactory = (options: SignerOptions, env: NodeJS.ProcessEnv, out: Out | undefined) => Promise<OpenedSigner>

const SCHEMES = ['live', 'legacy', 'bip44']

/** The derivation a hardware signer uses: --path, or --scheme with --index (default Ledger Live, index 0). */
export function derivationChoice(options: SignerOptions): { path?: string; scheme?: DerivationScheme; index?: number } {
  if (options.path && (options.scheme || options.index)) throw new UsageError('Give either --path or --scheme/--index, not both.')
  if (options.path) return { path: options.path }
  if (options.scheme && !SCHEMES.includes(options.scheme)) throw new UsageError(`--scheme must be one of: ${SCHEMES.join(', ')}.`)
  const index = options.index === undefined ? 0 : Number(options.index)
  if (!Number.isSafeInteger(index) || index < 0) throw new UsageError('--index is a whole number, 0 or more.')
  return { scheme: (options.scheme ?? 'live') as DerivationScheme, index }
}

// One entry per wallet kind.
const FACTORIES: Record<string, SignerFactory> = {
  'private-key': async (options, env) => {
    if (options.transport || options.scheme || options.index) throw new UsageError('--transport, --scheme and --index apply to hardware signers.')
    const key = env.XMTP_SIGNER_PRIVATE_KEY
    if (!key) throw new UsageError('--signer private-key reads the key from XMTP_SIGNER_PRIVATE_KEY, which is not set.')
    if (options.path) throw new UsageError('--path does not apply to --signer private-key.')
    return { signer: LocalSigner.fromPrivateKey(key), description: 'private key from XMTP_SIGNER_PRIVATE_KEY' }
  },
  mnemonic: async (options, env) => {
    if (options.transport || options.scheme || options.index) throw new UsageError('--transport, --scheme and --index apply to hardware signers.')
    const mnemonic = env.XMTP_SIGNER_MNEMONIC
    if (!mnemonic) throw new UsageError('--signer mnemonic reads the phrase from XMTP_SIGNER_MNEMONIC, which is not set.')
    const signer = LocalSigner.fromMnemonic(mnemonic, {
      ...(options.path ? { path: options.path } : {}),
      ...(env.XMTP_SIGNER_MNEMONIC_PASSPHRASE ? { passphrase: env.XMTP_SIGNER_MNEMONIC_PASSPHRASE } : {}),
    })
    return { signer, description: `mnemonic from XMTP_SIGNER_MNEMONIC, path ${options.path ?? "m/44'/60'/0'/0/0"}` }
  },
  ledger: async (options, _env, out) => {
    const { LedgerSigner } = await import('../signers/ledger/index.js')
    const { transport, description, close } = await openLedger(options.transport ?? 'hid', out)
    const signer = await LedgerSigner.open({
      transport,
      ...derivationChoice(options),
      ...(out ? { onDeviceAction: narrateLedger(out) } : {}),
    }).catch(async (error: unknown) => {
      await close?.()
      throw error
    })
    return {
      signer,
      description: `Ledger over ${description}, Ethereum app ${signer.appVersion}, path ${signer.path}`,
      close: async () => {
        await signer.close()
        await close?.()
      },
    }
  },
}

/** A Ledger transport from --transport: hid, speculos://HOST:PORT, or the built-in emulator. */
export async function openLedger(
  spec: string,
  out: Out | undefined,
): Promise<{ transport: import('../signers/ledger/index.js').Transport; description: string; close: (() => Promise<void>) | undefined }> {
  if (spec === 'emulator') {
    const { LedgerEmulator, createEmulatorTransport, TEST_MNEMONIC } = await import('../signers/ledger/emulator/index.js')
    const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC })
    if (out) emulator.onScreen = (screen: { kind: string; [key: string]: unknown }) => out.log(`  [emulated Ledger screen] ${describeScreen(screen)} → approved`)
    return { transport: createEmulatorTransport(emulator), description: 'the built-in emulator (test mnemonic)', close: undefined }
  }
  if (spec !== 'hid' && !spec.startsWith('speculos://')) throw new UsageError('--transport must be hid, emulator, or speculos://HOST:PORT.')
  const { openLedgerTransport } = await import('../signers/ledger/index.js')
  return { transport: await openLedgerTransport(spec), description: spec === 'hid' ? 'USB HID' : spec, close: undefined }
}

function describeScreen(screen: { kind: string; [key: string]: unknown }): string {
  switch (screen.kind) {
    case 'address':
      return `Verify address ${String(screen.address)} (${String(screen.path)})`
    case 'personal-message':
      return `Sign message: "${String(screen.text)}"`
    case 'eip712-hashed':
      return `Sign typed data: domain hash ${String(screen.domainHash)}, message hash ${String(screen.messageHash)}`
    case 'eip712':
      return `Sign typed data: ${String(screen.primaryType)}`
    default:
      return screen.kind
  }
}

function narrateLedger(out: Out) {
  return (action: { kind: string; path?: string }) => {
    if (action.kind === 'sign-message') out.log('  ⏳ On your Ledger: read the message, then press both buttons on "Sign message" (or reject).')
    if (action.kind === 'sign-typed-data') out.log('  ⏳ On your Ledger: review the typed data, then approve (or reject).')
    if (action.kind === 'confirm-address') out.log('  ⏳ On your Ledger: check the address shown matches, then approve.')
  }
}

export const SIGNER_KINDS = Object.keys(FACTORIES)

export async function openSigner(options: SignerOptions, env: NodeJS.ProcessEnv, out?: Out): Promise<OpenedSigner> {
  if (!options.signer) throw new UsageError(`--signer is required (one of: ${SIGNER_KINDS.join(', ')}).`)
  const factory = FACTORIES[options.signer]
  if (!factory) throw new UsageError(`Unknown signer "${options.signer}" (one of: ${SIGNER_KINDS.join(', ')}).`)
  return factory(options, env, out)
}
