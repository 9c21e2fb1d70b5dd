import { homedir, platform } from 'node:os'
import { join } from 'node:path'

/** The per-user store: $XMTP_SIGNERS_HOME, else the platform's user data directory. */
export function defaultStoreDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XMTP_SIGNERS_HOME) return env.XMTP_SIGNERS_HOME
  const home = homedir()
  switch (platform()) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'xmtp-signers')
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'xmtp-signers')
    default:
      return join(env.XMTP_DATA_HOME ?? env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'xmtp-signers')
  }
}
