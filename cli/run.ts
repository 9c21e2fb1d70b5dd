import { readFileSync } from 'node:fs'
import { isXmtpSignersError, type EngineOptions } from '../src/index.js'
import { abortable, abortReason } from '../src/timeout.js'
import { COMMANDS, stringFlags, type Command, type CommandContext } from './commands.js'
import { cliHint } from './hints.js'
import type { CliIo } from './io.js'
import { parse } from './options.js'
import { errorJson, narrate, type Out } from './report.js'
import { openSigner, type OpenedSigner } from './signers/index.js'
import { closest } from './didYouMean.js'
import { commandHelp, moreHelp, USAGE, usageLines, UsageError } from './usage.js'

export type { CliIo } from './io.js'

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let json = argv.includes('--json')
  const out: Out = { log: (line) => io.stdout(`${line}\n`) }
  const emitJson = (value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`)
  const opened: OpenedSigner[] = []
  let commandName: string | undefined
  try {
    return await boundedByAbort(
      (async (): Promise<number> => {
        const p = parse(argv)
        json = p.values.json === true
        if (p.values.version) {
          io.stdout(`${VERSION}\n`)
          return 0
        }
        // `help verify` and `verify --help` print verify's usage; `help` and `--help` alone, the whole text.
        const topic = p.command === 'help' ? p.positionals[0] : p.values.help ? p.command : undefined
        if (topic !== undefined) requireCommand(topic)
        if (p.command === 'help' || p.values.help) {
          io.stdout(`${topic === undefined ? USAGE : commandHelp(topic)}\n`)
          return 0
        }
        if (!p.command) throw new UsageError('No command given.')
        const command = requireCommand(p.command)
        commandName = p.command
        const engine: EngineOptions = { ...(json ? {} : { onProgress: narrate(out) }), ...(io.signal ? { signal: io.signal } : {}) }
        const context: CommandContext = {
          command: p.command,
          positionals: p.positionals,
          values: p.values,
          io,
          json,
          out,
          emitJson,
          engine,
          open: async () => {
            const flags = stringFlags(p.values)
            const opening = openSigner(flags.signer, flags, { env: io.env, out: json ? undefined : out, warn: (line) => io.stderr(`${line}\n`) })
            const signer = await untilAborted(opening, io.signal)
            opened.push(signer)
            return signer
          },
        }
        return await command.run(context)
      })(),
      io.signal,
    )
  } catch (error) {
    if (error instanceof UsageError) {
      const command = error.command ?? commandName
      if (json) emitJson(usageErrorJson(error.message, command))
      else io.stderr(`xmtp-signers: ${error.message}\n${usageLines(command)}\n${moreHelp(command)}\n`)
      return 2
    }
    const hint = cliHint(error)
    if (json) emitJson(errorJson(error, hint))
    else if (isXmtpSignersError(error)) {
      io.stderr(`\n✗ ${error.shortMessage}\n`)
      if (error.details) io.stderr(`  Details: ${error.details}\n`)
      if (error.nextStep) io.stderr(`  What to do: ${error.nextStep}\n`)
      if (hint) io.stderr(`  With this CLI: ${hint}\n`)
    } else {
      io.stderr(`\n✗ Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n  This is a bug in xmtp-signers; please report it.\n`)
    }
    return 1
  } finally {
    for (const signer of opened.reverse()) await (signer.close ?? (() => signer.signer.close()))()
  }
}

/** The command table's entry; a mistyped name is a usage error that names the closest command. */
function requireCommand(name: string): Command {
  if (Object.hasOwn(COMMANDS, name)) return COMMANDS[name]!
  const guess = closest(name, Object.keys(COMMANDS))
  throw new UsageError(`Unknown command "${name}".${guess ? ` Did you mean ${guess}?` : ''}`)
}

/** The `--json` usage error: the same shape as the other errors, with the usage lines it refers to. */
function usageErrorJson(message: string, command: string | undefined) {
  return { error: { name: 'UsageError', code: 'USAGE', message, usage: usageLines(command), details: null, nextStep: moreHelp(command), hint: null } }
}

/** How long an aborted command may take to end by itself (release its lock, cancel the device prompt). */
const ABORT_GRACE_MS = 500

/** Settles with the command; once `signal` aborts, at most ABORT_GRACE_MS later even where a wallet or device ignores the signal. */
function boundedByAbort<T>(command: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return command
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const onAbort = () => {
      timer = setTimeout(() => reject(abortReason(signal, 'command')), ABORT_GRACE_MS)
    }
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    command.then(resolve, reject).finally(() => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
    })
  })
}

/** Opening a wallet can wait on a person (plug in, unlock): an abort ends the wait, and a wallet that opens late is closed. */
function untilAborted(opening: Promise<OpenedSigner>, signal: AbortSignal | undefined): Promise<OpenedSigner> {
  return abortable(opening, signal, 'wallet connection', () => {
    opening.then((late) => (late.close ?? (() => late.signer.close()))()).catch(() => undefined)
  })
}

const VERSION = (() => {
  // From dist/cli/ or, under tsx, from cli/.
  for (const relative of ['../../package.json', '../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name: string; version: string }).version
    } catch {
      /* try the next */
    }
  }
  return 'unknown'
})()
