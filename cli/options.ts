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
  for (const token of loose.tokens) {
    if (token.kind !== 'option' || Object.hasOwn(OPTIONS, token.name)) continue
    const guess = token.rawName.startsWith('--') ? closest(token.name, Object.keys(OPTIONS)) : undefined
    throw fail(`Unknown flag ${token.rawName}.${guess ? ` Did you mean --${guess}?` : ''}`)
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
    const [first, ...rest] = positionals
    return { command: first, positionals: rest, values }
  } catch (error) {
    // parseArgs' own text speaks of its API ("place it at the end of the command after '--'"): say it in this CLI's terms.
    const name = /'(--?[\w-]+)/.exec((error as Error).message)?.[1]?.replace(/^-+/, '')
    const spec = name === undefined ? undefined : OPTIONS[name]
    if (spec?.type === 'string') throw fail(`--${name} needs a value (--${name} VALUE or --${name}=VALUE).`)
    if (spec?.type === 'boolean') throw fail(`--${name} takes no value.`)
    throw fail((error as Error).message)
  }
}
