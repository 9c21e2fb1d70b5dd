#!/usr/bin/env node
import { OperationAbortedError } from '../src/errors.js'
import { runCli } from './run.js'

// Ctrl-C or SIGTERM aborts the running command through the engine's signal: the device prompt is
// cancelled where the device allows, nothing is stored, and the typed ABORTED error is printed.
const controller = new AbortController()
const EXIT_CODE_OF_SIGNAL = { SIGINT: 130, SIGTERM: 143 } as const
let interruptedBy: keyof typeof EXIT_CODE_OF_SIGNAL | undefined
for (const name of ['SIGINT', 'SIGTERM'] as const) {
  process.on(name, () => {
    // A second signal while the first abort winds down: leave at once.
    if (interruptedBy) process.exit(EXIT_CODE_OF_SIGNAL[name])
    interruptedBy = name
    controller.abort(
      new OperationAbortedError(`command (interrupted by ${name === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'})`, {
        nextStep: 'Nothing was stored. If the wallet still shows a request, reject it there; then run the command again when ready.',
      }),
    )
  })
}

// A reader that stops early (`| head`, `| true`) closes the pipe: stop writing to it and end quietly, as Unix tools do.
const closed = { stdout: false, stderr: false }
for (const name of ['stdout', 'stderr'] as const) {
  process[name].on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    closed[name] = true
  })
}
const write = (name: 'stdout' | 'stderr', text: string) => {
  if (!closed[name]) process[name].write(text)
}

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => write('stdout', text),
  stderr: (text) => write('stderr', text),
  env: process.env,
  stdin: { fd: 0, stream: () => process.stdin },
  signal: controller.signal,
  ...(process.stdin.isTTY ? { promptSecret } : {}),
})
if (interruptedBy) {
  // A device SDK may still hold a timer or socket after the abort: do not wait for it.
  process.exit(EXIT_CODE_OF_SIGNAL[interruptedBy])
}
// The work is done and every wallet closed; a device SDK's leftover timer (connect's 5 s firmware-list fetch) must
// not keep the process alive: flush both streams, then exit.
await Promise.all((['stdout', 'stderr'] as const).map((name) => new Promise<void>((resolve) => (closed[name] ? resolve() : process[name].write('', () => resolve())))))
process.exit(code)

/** Reads a line from the terminal without echoing it; Ctrl-C here aborts like a SIGINT would. */
function promptSecret(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin
    process.stderr.write(question)
    stdin.setRawMode(true)
    stdin.resume()
    let answer = ''
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done()
        if (char === '\u0003') {
          interruptedBy = 'SIGINT'
          const error = new OperationAbortedError('passphrase entry (interrupted by Ctrl-C)')
          controller.abort(error)
          return done(error)
        }
        if (char === '\u007f') answer = answer.slice(0, -1)
        else answer += char
      }
    }
    const done = (error?: Error) => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stderr.write('\n')
      if (error) reject(error)
      else resolve(answer)
    }
    stdin.on('data', onData)
  })
}
