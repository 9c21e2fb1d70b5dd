import { closest } from '../didYouMean.js'
import { UsageError } from '../usageError.js'
import { injectedSigner } from './injected.js'
import { ledgerSigner } from './ledger.js'
import { developmentSigner, mnemonicSigner, privateKeySigner } from './local.js'
import { smartAccountSigner } from './smartAccount.js'
import { trezorSigner } from './trezor.js'
import type { CliSigner, FlagValues, OpenContext, OpenedSigner } from './types.js'

export type { CliSigner, FlagValues, OpenContext, OpenedSigner } from './types.js'
export { openLedger } from './ledger.js'

const ownerKinds = () => SIGNERS.filter((s) => s.canOwn).map((s) => s.kind)

/** Every wallet kind of the CLI, in the order the usage text lists them: a new kind is one entry here. */
export const SIGNERS: readonly CliSigner[] = [privateKeySigner, mnemonicSigner, developmentSigner, ledgerSigner, trezorSigner, injectedSigner, smartAccountSigner(ownerKinds)]

export const SIGNER_KINDS = SIGNERS.map((s) => s.kind)

export function signerOf(kind: string | undefined): CliSigner {
  if (!kind) throw new UsageError(`--signer is required (one of: ${SIGNER_KINDS.join(', ')}).`)
  const signer = SIGNERS.find((s) => s.kind === kind)
  if (!signer) {
    const guess = closest(kind, SIGNER_KINDS)
    throw new UsageError(`Unknown signer "${kind}" (one of: ${SIGNER_KINDS.join(', ')}).${guess ? ` Did you mean --signer ${guess}?` : ''}`)
  }
  return signer
}

/** Opens `--signer kind` with its flags; a smart account opens its owner through the same table. */
export function openSigner(kind: string | undefined, flags: FlagValues, context: Omit<OpenContext, 'openSigner'>): Promise<OpenedSigner> {
  const full: OpenContext = { ...context, openSigner: (ownerKind, ownerFlags) => openSigner(ownerKind, ownerFlags, context) }
  return signerOf(kind).open(flags, full)
}
