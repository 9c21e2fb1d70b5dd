import type { StdinSource } from './input.js'

export type CliIo = {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: NodeJS.ProcessEnv
  /** Asks the person for a secret (hidden input); absent when there is no terminal. */
  promptSecret?: (question: string) => Promise<string>
  /** Standard input, read when a bundle argument is `-`. */
  stdin?: StdinSource
  /** Aborts the running command (the CLI aborts it on Ctrl-C / SIGTERM): it ends with OperationAbortedError, nothing stored. */
  signal?: AbortSignal
}
