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
  rpc?: string
  account?: string
  owner?: string
  ownerScheme?: string
  ownerRpc?: string
  ownerAccount?: string
  ownerIndexInAccount?: string
  factory?: string
  factoryData?: string
  chainId?: string
  trezorBridge?: string
}

/** A development wallet anyone can reproduce: Hardhat/Anvil's public test mnemonic. Never hold value on it. */
export const DEMO_MNEMONIC = 'test test test test test test test test test test test junk'

export type OpenedSigner = {
  signer: Signer
  description: string
  close?: () => Promise<void>
  /** A smart account's owner: a possible source of the storage key (--storage-key owner). */
  owner?: Signer
}
type SignerFactory = (options: SignerOptions, env: NodeJS.ProcessEnv, out: Out | undefined) => Promise<OpenedSigner>

const SCHEMES = ['live', 'legacy', 'bip44']

/** The derivation a hardware signer uses: --path, or --scheme with --index (default Ledger Live, index 0). */
export function derivationChoice(options: SignerOptions): { path?: string; scheme?: DerivationScheme; index?: number } {
  if (options.path && (options.scheme || options.index)) throw new UsageError('Give either --path or --scheme/--index, not both.')
  if (options.path) return { path: options.path }
  if (options.scheme && !SCHEMES.includes(options.scheme)) throw new UsageError(`--scheme must be one of: ${SCHEMES.join(', ')}.`)
  const index = options.index === undefined ? 0 : Number(options.index)
  if ((options.index !== undefined && !isWholeNumber(options.index, 0)) || !Number.isSafeInteger(index) || index < 0) throw new UsageError('--index is a whole number, 0 or more.')
  return { scheme: (options.scheme ?? 'live') as DerivationScheme, index }
}

/** Digits only, as a safe integer ≥ min: `Number()` alone turns typos into NaN and "1e3" into 1000. */
function isWholeNumber(text: string, min: number): boolean {
  return /^\d{1,16}$/.test(text) && Number.isSafeInteger(Number(text)) && Number(text) >= min
}

const HARDWARE_ONLY = (options: SignerOptions) => options.transport || options.scheme || options.index

// One entry per wallet kind.
const FACTORIES: Record<string, SignerFactory> = {
  'private-key': async (options, env) => {
    if (HARDWARE_ONLY(options)) throw new UsageError('--transport, --scheme and --index apply to hardware signers.')
    const key = env.XMTP_SIGNER_PRIVATE_KEY
    if (!key) throw new UsageError('--signer private-key reads the key from XMTP_SIGNER_PRIVATE_KEY, which is not set.')
    if (options.path) throw new UsageError('--path does not apply to --signer private-key.')
    return { signer: LocalSigner.fromPrivateKey(key), description: 'private key from XMTP_SIGNER_PRIVATE_KEY' }
  },
  mnemonic: async (options, env) => {
    if (HARDWARE_ONLY(options)) throw new UsageError('--transport, --scheme and --index apply to hardware signers.')
    const mnemonic = env.XMTP_SIGNER_MNEMONIC
    if (!mnemonic) throw new UsageError('--signer mnemonic reads the phrase from XMTP_SIGNER_MNEMONIC, which is not set.')
    const signer = LocalSigner.fromMnemonic(mnemonic, {
      ...(options.path ? { path: options.path } : {}),
      ...(env.XMTP_SIGNER_MNEMONIC_PASSPHRASE ? { passphrase: env.XMTP_SIGNER_MNEMONIC_PASSPHRASE } : {}),
    })
    return { signer, description: `mnemonic from XMTP_SIGNER_MNEMONIC, path ${options.path ?? "m/44'/60'/0'/0/0"}` }
  },
  ledger: async (options, env, out) => {
    const { LedgerSigner } = await import('../signers/ledger/index.js')
    const { transport, description, close } = await openLedger(options.transport ?? 'hid', out, env)
    const signer = await LedgerSigner.open({
      transport,
      ...derivationChoice(options),
      ...(out ? { onDeviceAction: narrateDevice(out, 'Ledger') } : {}),
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
  trezor: async (options, env, out) => {
    if (options.transport) throw new UsageError('--transport applies to Ledger; a Trezor is reached through its Bridge (--trezor-bridge).')
    const { TrezorSigner } = await import('../signers/trezor/index.js')
    let bridgeUrl = options.trezorBridge
    let stopEmulator: (() => Promise<void>) | undefined
    if (bridgeUrl === 'emulator') {
      const { TrezorEmulator, startTrezorBridge, TEST_MNEMONIC } = await import('../signers/trezor/emulator/index.js')
      const emulator = new TrezorEmulator({ mnemonic: TEST_MNEMONIC, confirmDelayMs: emulatorConfirmMs(env) })
      if (out) emulator.onScreen = (screen: { kind: string; [key: string]: unknown }) => out.log(`  [emulated Trezor screen] ${describeScreen(screen)} → approved`)
      const bridge = await startTrezorBridge(emulator)
      bridgeUrl = bridge.url
      stopEmulator = () => bridge.close()
    }
    try {
      const signer = await TrezorSigner.open({
        ...(bridgeUrl ? { bridgeUrl } : {}),
        ...derivationChoice(options),
        ...(out ? { onDeviceAction: narrateDevice(out, 'Trezor') } : {}),
      })
      return {
        signer,
        description: `Trezor over ${bridgeUrl ? `the Bridge at ${bridgeUrl}` : 'Trezor Bridge or USB'}${stopEmulator ? ' (the built-in emulator, test mnemonic)' : ''}, path ${signer.path}`,
        close: async () => {
          await signer.close()
          await stopEmulator?.()
        },
      }
    } catch (error) {
      await stopEmulator?.()
      throw error
    }
  },
  injected: async (options) => {
    if (!options.rpc) throw new UsageError('--signer injected needs --rpc URL: a wallet’s (or a dev node’s) JSON-RPC over HTTP.')
    const { InjectedSigner, httpProvider } = await import('../signers/injected/index.js')
    const signer = await InjectedSigner.connect({
      provider: httpProvider(options.rpc),
      requestAccounts: false,
      ...(options.account ? { account: options.account } : {}),
    })
    return { signer, description: `wallet JSON-RPC at ${options.rpc} (chain ${signer.chainId})` }
  },
  'smart-account': async (options, env, out) => {
    const { rpc, account, scheme, owner: ownerKind } = options
    if (!rpc || !account || !scheme || !ownerKind) {
      throw new UsageError('--signer smart-account needs --rpc URL, --account 0x…, --scheme safe|coinbase|erc7739|erc1271 and --owner <kind>.')
    }
    if (!['safe', 'coinbase', 'erc7739', 'erc1271'].includes(scheme)) throw new UsageError('--scheme must be safe, coinbase, erc7739 or erc1271 for a smart account.')
    if (ownerKind === 'smart-account' || !FACTORIES[ownerKind]) throw new UsageError(`--owner must be one of: ledger, trezor, private-key, mnemonic, injected.`)
    if (options.chainId !== undefined && !isWholeNumber(options.chainId, 1)) throw new UsageError('--chain-id is a whole number, 1 or more (the EIP-155 chain id).')
    if (options.ownerIndexInAccount !== undefined && !isWholeNumber(options.ownerIndexInAccount, 0)) throw new UsageError('--owner-index-in-account is a whole number, 0 or more.')
    if ((options.factory === undefined) !== (options.factoryData === undefined)) throw new UsageError('--factory and --factory-data go together (an account not deployed yet).')
    const owner = await openSigner(
      {
        signer: ownerKind,
        path: options.path,
        scheme: options.ownerScheme,
        index: options.index,
        transport: options.transport,
        trezorBridge: options.trezorBridge,
        rpc: options.ownerRpc ?? (ownerKind === 'injected' ? rpc : undefined),
        account: options.ownerAccount,
      },
      env,
      out,
    )
    try {
      const { SmartAccountSigner } = await import('../signers/smart-account/index.js')
      const signer = await SmartAccountSigner.open({
        rpcUrl: rpc,
        account,
        scheme: scheme as 'safe',
        owner: owner.signer,
        ...(options.chainId ? { chainId: Number(options.chainId) } : {}),
        ...(options.ownerIndexInAccount ? { ownerIndex: Number(options.ownerIndexInAccount) } : {}),
        ...(options.factory ? { counterfactual: { factory: options.factory, factoryCalldata: options.factoryData as `0x${string}` } } : {}),
      })
      return {
        signer,
        owner: owner.signer,
        description: `${scheme} smart account on chain ${signer.capabilities.chainId} (${rpc}), owner: ${owner.description}`,
        close: async () => {
          await signer.close()
          await owner.close?.()
        },
      }
    } catch (error) {
      await (owner.close ?? (() => owner.signer.close()))()
      throw error
    }
  },
}

/** How long the emulated person takes to confirm (XMTP_SIGNERS_EMULATOR_CONFIRM_MS): a demo can be paced, or interrupted mid-prompt. */
function emulatorConfirmMs(env: NodeJS.ProcessEnv): number {
  const text = env.XMTP_SIGNERS_EMULATOR_CONFIRM_MS
  if (text === undefined || text === '') return 0
  if (!/^\d{1,7}$/.test(text)) throw new UsageError(`XMTP_SIGNERS_EMULATOR_CONFIRM_MS must be a whole number of milliseconds, not "${text}".`)
  return Number(text)
}

/** A Ledger transport from --transport: hid, speculos://HOST:PORT, or the built-in emulator. */
export async function openLedger(
  spec: string,
  out: Out | undefined,
  env: NodeJS.ProcessEnv = {},
): Promise<{ transport: import('../signers/ledger/index.js').Transport; description: string; close: (() => Promise<void>) | undefined }> {
  if (spec === 'emulator') {
    const { LedgerEmulator, createEmulatorTransport, TEST_MNEMONIC } = await import('../signers/ledger/emulator/index.js')
    const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC, confirmDelayMs: emulatorConfirmMs(env) })
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
    case 'sign-message':
      return `Sign message: "${String(screen.text)}"`
    case 'sign-typed-data':
      return `Sign typed data: ${String(screen.primaryType)}`
    case 'eip712-hashed':
      return `Sign typed data: domain hash ${String(screen.domainHash)}, message hash ${String(screen.messageHash)}`
    case 'eip712':
      return `Sign typed data: ${String(screen.primaryType)}`
    default:
      return screen.kind
  }
}

function narrateDevice(out: Out, wallet: 'Ledger' | 'Trezor') {
  return (action: { kind: string; path?: string }) => {
    if (action.kind === 'sign-message') out.log(`  ⏳ On your ${wallet}: read the message, then confirm "Sign message" (or reject).`)
    if (action.kind === 'sign-typed-data') out.log(`  ⏳ On your ${wallet}: review the typed data, then approve (or reject).`)
    if (action.kind === 'confirm-address') out.log(`  ⏳ On your ${wallet}: check the address shown matches, then approve.`)
    if (action.kind === 'reject-on-device') out.log(`  ⚠ The ${wallet} still shows the cancelled request: reject it there.`)
  }
}

export const SIGNER_KINDS = Object.keys(FACTORIES)

/** --storage-key: where the storage key comes from (default the signer's own signature, as XMTP v2). */
export async function storageKeyChoice(
  flag: string | undefined,
  opened: OpenedSigner,
  env: NodeJS.ProcessEnv,
  prompt: (question: string) => Promise<string>,
): Promise<import('../src/index.js').StorageKeyChoice | undefined> {
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
  throw new UsageError('--storage-key must be signer, owner or passphrase.')
}

export async function openSigner(options: SignerOptions, env: NodeJS.ProcessEnv, out?: Out): Promise<OpenedSigner> {
  if (!options.signer) throw new UsageError(`--signer is required (one of: ${SIGNER_KINDS.join(', ')}).`)
  const factory = FACTORIES[options.signer]
  if (!factory) throw new UsageError(`Unknown signer "${options.signer}" (one of: ${SIGNER_KINDS.join(', ')}).`)
  return factory(options, env, out)
}
