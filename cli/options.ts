import { parseArgs } from 'node:util'
import { COMMANDS } from './commands.js'
import { SIGNERS } from './signers/index.js'
import type { FlagSpec, Flags } from './signers/types.js'
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
  const secret = argv.find((a) => SECRET_FLAGS.includes(a.split('=')[0]!))
  if (secret) {
    throw new UsageError(`${secret.split('=')[0]} is not accepted: secrets are read only from the environment (XMTP_SIGNER_PRIVATE_KEY, XMTP_SIGNER_MNEMONIC).`)
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
    const [command, ...rest] = positionals
    return { command, positionals: rest, values }
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}
