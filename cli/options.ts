import { parseArgs } from 'node:util'
import { COMMANDS } from './commands.js'
import { SIGNERS } from './signers/index.js'
import type { FlagSpec, Flags } from './signers/types.js'
import { closest } from './didYouMean.js'
import { UsageError } from './usageError.js'

/** Flags every command takes. */
const GLOBAL_FLAGS = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } } as const satisfies Flags

/** The parseArgs option set: the union of every command's and signer's flags; one flag name has one meaning. */
export const OPTIONS: Flags = [GLOBAL_FLAGS, ...Object.values(COMMANDS).map((c) => c.flags), ...SIGNERS.map((s) => s.flags)].reduce<Record<string, FlagSpec>>((all, flags) => {
  for (const [name, spec] of Object.entries(flags)) {
    const known = all[name]
    if (known && known.type !== spec.type) throw new Error(`--${name} is declared as both ${known.type} and ${spec.type}`)
    all[name] = known ?? spec
  }
  return all
}, {})

// Flags people reach for that would put a secret in shell history and `ps`.
const SECRET_FLAGS = ['--private-key', '--key', '--mnemonic', '--seed', '--passphrase', '--password']

/** The flags a signer kind reads; a smart account also reads its owner's (any owner's, until --owner is known). */
function signerFlagNames(kind: string | undefined, owner: string | undefined): Set<string> | undefined {
  const signer = SIGNERS.find((s) => s.kind === kind)
  if (!signer) return undefined
  const names = new Set(Object.keys(signer.flags))
  if ('owner' in signer.flags) {
    const owners = SIGNERS.filter((s) => s.canOwn && (owner === undefined || s.kind === owner))
    for (const o of owners) for (const name of Object.keys(o.flags)) names.add(name)
  }
  return names
}

/**
 * The flags `command` reads with these values: the global ones, its own, and its signer's. Undefined
 * when that is not known yet (no or unknown command or signer: that error comes first).
 */
function applicableFlags(command: string | undefined, values: Parsed['values']): Set<string> | undefined {
  const spec = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
  if (!spec) return undefined
  const names = new Set([...Object.keys(GLOBAL_FLAGS), ...Object.keys(spec.flags)])
  // demo picks its own wallet options (the emulator, a fresh store): only --signer is its to take.
  if (!('signer' in spec.flags) || command === 'demo') return names
  const kind = typeof values.signer === 'string' ? values.signer : undefined
  const signerNames = signerFlagNames(kind, typeof values.owner === 'string' ? values.owner : undefined)
  if (!signerNames) return undefined
  for (const name of signerNames) names.add(name)
  return names
}

/** The long flags a short one may have meant: the one whose name starts with its letter, when only one does. */
function longFlagFor(short: string, candidates: readonly string[]): string | undefined {
  const matches = candidates.filter((name) => name.startsWith(short.toLowerCase()))
  return matches.length === 1 ? matches[0] : undefined
}

export type Parsed = { command: string | undefined; positionals: string[]; values: { [flag: string]: string | boolean | undefined } }

export function parse(argv: string[]): Parsed {
  // Tolerant first pass: which command the line is for (its usage goes with any error) and which flags are unknown.
  const loose = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false, tokens: true })
  const command = loose.positionals[0]
  const fail = (message: string) => new UsageError(message, { command })
  const secret = argv.find((a) => SECRET_FLAGS.includes(a.split('=')[0]!))
  if (secret) {
    throw fail(`${secret.split('=')[0]} is not accepted: secrets are read only from the environment (XMTP_SIGNER_PRIVATE_KEY, XMTP_SIGNER_MNEMONIC).`)
  }
  const known = applicableFlags(command, loose.values) ?? new Set(Object.keys(OPTIONS))
  for (const token of loose.tokens) {
    if (token.kind !== 'option' || Object.hasOwn(OPTIONS, token.name)) continue
    const candidates = [...known]
    const guess = token.rawName.startsWith('--') ? closest(token.name, candidates) : longFlagFor(token.name, candidates)
    throw fail(`Unknown flag ${token.rawName}.${guess ? ` Did you mean --${guess}?` : ''}`)
  }
  let parsed: Parsed
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
    const [first, ...rest] = positionals
    parsed = { command: first, positionals: rest, values }
  } catch (error) {
    // parseArgs' own text speaks of its API ("place it at the end of the command after '--'"): say it in this CLI's terms.
    const name = /'(--?[\w-]+)/.exec((error as Error).message)?.[1]?.replace(/^-+/, '')
    const spec = name === undefined ? undefined : OPTIONS[name]
    if (spec?.type === 'string') throw fail(`--${name} needs a value (--${name} VALUE or --${name}=VALUE).`)
    if (spec?.type === 'boolean') throw fail(`--${name} takes no value.`)
    throw fail((error as Error).message)
  }
  // A flag another command or signer reads would be silently ignored here: say so instead.
  const applicable = applicableFlags(parsed.command, parsed.values)
  const stray = applicable && Object.keys(parsed.values).find((name) => !applicable.has(name))
  if (stray) {
    const kind = typeof parsed.values.signer === 'string' ? parsed.values.signer : undefined
    const forSigner = kind && parsed.command !== 'demo' && 'signer' in COMMANDS[parsed.command!]!.flags ? ` with --signer ${kind}` : ''
    throw fail(`--${stray} does not apply to ${parsed.command}${forSigner}.`)
  }
  return parsed
}
