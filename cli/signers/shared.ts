import { DERIVATION_SCHEMES, type DerivationScheme } from '../../src/index.js'
import { describeScreen, type EmulatorScreen } from '../../signers/shared/emulatorScreens.js'
import type { Out } from '../report.js'
import { UsageError } from '../usageError.js'
import type { FlagValues } from './types.js'

/** The derivation schemes, as the usage text and its errors list them. */
export const DERIVATION_SCHEME_NAMES = Object.keys(DERIVATION_SCHEMES) as DerivationScheme[]

/** --path, or --scheme with --index: the flags that choose an account on a seed. */
export const DERIVATION_FLAGS = { path: { type: 'string' }, scheme: { type: 'string' }, index: { type: 'string' } } as const

export function schemeChoice(text: string | undefined): DerivationScheme {
  const scheme = text ?? 'live'
  if (!(DERIVATION_SCHEME_NAMES as string[]).includes(scheme)) throw new UsageError(`--scheme must be one of: ${DERIVATION_SCHEME_NAMES.join(', ')}.`)
  return scheme as DerivationScheme
}

/** The derivation a hardware signer uses: --path, or --scheme with --index (default Ledger Live, index 0). */
export function derivationChoice(flags: FlagValues): { path?: string; scheme?: DerivationScheme; index?: number } {
  if (flags.path && (flags.scheme || flags.index)) throw new UsageError('Give either --path or --scheme/--index, not both.')
  if (flags.path) return { path: flags.path }
  const scheme = schemeChoice(flags.scheme)
  const index = flags.index === undefined ? 0 : Number(flags.index)
  if ((flags.index !== undefined && !isWholeNumber(flags.index, 0)) || !Number.isSafeInteger(index) || index < 0) throw new UsageError('--index is a whole number, 0 or more.')
  return { scheme, index }
}

/** Digits only, as a safe integer ≥ min: `Number()` alone turns typos into NaN and "1e3" into 1000. */
export function isWholeNumber(text: string, min: number): boolean {
  return /^\d{1,16}$/.test(text) && Number.isSafeInteger(Number(text)) && Number(text) >= min
}

/** A software key takes no device flags. */
export function refuseHardwareFlags(flags: FlagValues): void {
  if (flags.transport || flags.scheme || flags.index) throw new UsageError('--transport, --scheme and --index apply to hardware signers.')
}

/** How long the emulated person takes to confirm (XMTP_SIGNERS_EMULATOR_CONFIRM_MS): a demo can be paced, or interrupted mid-prompt. */
export function emulatorConfirmMs(env: NodeJS.ProcessEnv): number {
  const text = env.XMTP_SIGNERS_EMULATOR_CONFIRM_MS
  if (text === undefined || text === '') return 0
  if (!/^\d{1,7}$/.test(text)) throw new UsageError(`XMTP_SIGNERS_EMULATOR_CONFIRM_MS must be a whole number of milliseconds, not "${text}".`)
  return Number(text)
}

/** Prints what an emulated device shows, as if the person approved it. */
export function narrateScreen(out: Out, wallet: string): (screen: EmulatorScreen) => void {
  return (screen) => out.log(`  [emulated ${wallet} screen] ${describeScreen(screen)} → approved`)
}

/** Tells the person what the device waits for (the adapter kit's DeviceAction). */
export function narrateDevice(out: Out, wallet: string) {
  return (action: { kind: string; app?: string }) => {
    if (action.kind === 'unlock-device') out.log(`  ⏳ On your ${wallet}: enter your PIN to unlock it.`)
    if (action.kind === 'open-app') out.log(`  ⏳ On your ${wallet}: allow opening the ${action.app ?? 'Ethereum'} app.`)
    if (action.kind === 'sign-message') out.log(`  ⏳ On your ${wallet}: read the message, then confirm "Sign message" (or reject).`)
    if (action.kind === 'sign-typed-data') out.log(`  ⏳ On your ${wallet}: review the typed data, then approve (or reject).`)
    if (action.kind === 'confirm-address') out.log(`  ⏳ On your ${wallet}: check the address shown matches, then approve.`)
    if (action.kind === 'reject-on-device') out.log(`  ⚠ The ${wallet} still shows the cancelled request: reject it there.`)
  }
}
