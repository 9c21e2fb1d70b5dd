import type { DerivationScheme, Signer } from '../../src/index.js'
import type { Out } from '../report.js'

/** A flag as node:util parseArgs takes it. */
export type FlagSpec = { readonly type: 'string' } | { readonly type: 'boolean'; readonly short?: string }
export type Flags = Readonly<Record<string, FlagSpec>>

/** The string flags a signer reads, by flag name (`path`, `trezor-bridge`, …). */
export type FlagValues = { readonly [flag: string]: string | undefined }

export type OpenedSigner = {
  signer: Signer
  description: string
  close?: () => Promise<void>
  /** A smart account's owner: a possible source of the storage key (--storage-key owner). */
  owner?: Signer
}

export type OpenContext = {
  env: NodeJS.ProcessEnv
  /** The narration; absent under --json. */
  out: Out | undefined
  /** One line on standard error (a deprecated spelling). */
  warn: (line: string) => void
  /** Opens another kind from the table: a smart account's owner. */
  openSigner: (kind: string, flags: FlagValues) => Promise<OpenedSigner>
}

export type DiscoveredAccount = { address: string; path: string; scheme: DerivationScheme; index: number }

/** One wallet kind of the CLI: the flags it reads, its usage lines, and how it opens. */
export type CliSigner = {
  /** The `--signer` value. */
  readonly kind: string
  /** What the person calls it ("Ledger"), in the CLI's sentences. */
  readonly wallet: string
  /** The flags it reads besides --signer; the CLI's option set is the union of every signer's and command's. */
  readonly flags: Flags
  /** Its lines under "Signers:" in the usage text. */
  readonly usage: string
  /** Whether a smart account can have it as its owner (`--owner`). */
  readonly canOwn: boolean
  readonly open: (flags: FlagValues, context: OpenContext) => Promise<OpenedSigner>
  /** `accounts`: the device's accounts of one scheme, and what it was reached over (hardware wallets only). */
  readonly accounts?: (
    flags: FlagValues,
    context: { env: NodeJS.ProcessEnv; warn?: (line: string) => void },
    request: { scheme: DerivationScheme; count: number; start: number },
  ) => Promise<{ accounts: readonly DiscoveredAccount[]; over?: string }>
}
