/** A command line that cannot run as written: exit code 2, with the usage text. */
export class UsageError extends Error {
  override name = 'UsageError'
}
