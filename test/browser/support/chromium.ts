import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

// Debian's Chromium, driven by playwright-core (no browser downloads), with a fresh profile.
export const CHROMIUM_PATH = '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export type Chromium = { readonly context: BrowserContext; close(): Promise<void> }

export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: run scripts/install-system-packages.sh (it installs Debian's chromium).`)
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'xmtp-signers-chromium-'))
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 })
  } catch (error) {
    killByProfile(userDataDir)
    await rm(userDataDir, { recursive: true, force: true })
    throw error
  }
  let closing: Promise<void> | undefined
  return {
    context,
    close: () =>
      (closing ??= (async () => {
        let timer: ReturnType<typeof setTimeout> | undefined
        await Promise.race([context.close().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))])
        clearTimeout(timer)
        // If Chromium did not exit, stop the processes of this profile (and only those) by PID.
        killByProfile(userDataDir)
        await rm(userDataDir, { recursive: true, force: true })
      })()),
  }
}

/** The PIDs of processes started with this profile directory (unique per launch). */
function killByProfile(userDataDir: string): void {
  const flag = `--user-data-dir=${userDataDir}`
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let cmdline: string
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
    } catch {
      continue
    }
    if (!cmdline.split('\0').includes(flag)) continue
    try {
      process.kill(Number(entry), 'SIGKILL')
    } catch {
      // already gone
    }
  }
}
