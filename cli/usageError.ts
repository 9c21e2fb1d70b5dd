/** A command line that cannot run as written: exit code 2, with the usage of the command it names. */
export class UsageError extends Error {
  override name = 'UsageError'
  /** The command the line was for, when known: its usage is printed with the message. */
  readonly command: string | undefined

  constructor(message: string, options: { command?: string | undefined } = {}) {
    super(message)
    this.command = options.command
  }
}
