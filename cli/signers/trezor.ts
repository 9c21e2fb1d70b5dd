import { TEST_MNEMONIC } from '../../src/adapter/testMnemonic.js'
import type { Out } from '../report.js'
import { UsageError } from '../usageError.js'
import { DERIVATION_FLAGS, DERIVATION_SCHEME_NAMES, derivationChoice, emulatorConfirmMs, narrateDevice, narrateScreen } from './shared.js'
import type { CliSigner, FlagValues, OpenContext, OpenedSigner } from './types.js'

/** The Bridge URL from --trezor-bridge; `emulator` starts the built-in emulator behind a loopback Bridge. */
async function bridgeFor(spec: string | undefined, out: Out | undefined, env: NodeJS.ProcessEnv): Promise<{ url: string | undefined; stop: (() => Promise<void>) | undefined }> {
  if (spec !== 'emulator') return { url: spec, stop: undefined }
  const { TrezorEmulator, startTrezorBridge } = await import('../../signers/trezor/emulator/index.js')
  const emulator = new TrezorEmulator({ mnemonic: TEST_MNEMONIC, confirmDelayMs: emulatorConfirmMs(env) })
  if (out) emulator.onScreen = narrateScreen(out, 'Trezor')
  const bridge = await startTrezorBridge(emulator)
  return { url: bridge.url, stop: () => bridge.close() }
}

/** How long the CLI waits for a Trezor to appear (the session's default, said in the waiting line). */
const TREZOR_WAIT_MS = 15_000

// @trezor/connect console.warns every failed fetch of data.trezor.io (definitions, firmware list) on every run;
// the CLI writes through its own streams, never console, so console is muted while a Trezor session is open.
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const
let muters = 0
let saved: Pick<Console, (typeof CONSOLE_METHODS)[number]> | undefined
function muteLibraryConsole(): () => void {
  if (muters++ === 0) {
    saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug }
    for (const method of CONSOLE_METHODS) console[method] = () => undefined
  }
  let restored = false
  return () => {
    if (restored) return
    restored = true
    if (--muters === 0 && saved) Object.assign(console, saved)
  }
}

/** Says on stderr what is awaited while no Trezor has answered yet, and how long is left. */
function waitingLine(warn: ((line: string) => void) | undefined, where: string): () => void {
  if (!warn) return () => undefined
  const started = Date.now()
  warn(`⏳ Waiting for a Trezor over ${where} (up to ${TREZOR_WAIT_MS / 1000} s): connect and unlock it; Ctrl-C stops.`)
  const timer = setInterval(() => warn(`   … still waiting for the Trezor (${Math.max(0, Math.round((TREZOR_WAIT_MS - (Date.now() - started)) / 1000))} s left)`), 5000)
  timer.unref()
  return () => clearInterval(timer)
}

async function openTrezor(flags: FlagValues, { env, out, warn }: Pick<OpenContext, 'env' | 'out'> & { warn?: ((line: string) => void) | undefined }) {
  if (flags.transport) throw new UsageError('--transport applies to Ledger; a Trezor is reached through its Bridge (--trezor-bridge).')
  const derivation = derivationChoice(flags)
  const { TrezorSigner } = await import('../../signers/trezor/index.js')
  const bridge = await bridgeFor(flags['trezor-bridge'], out, env)
  const unmute = muteLibraryConsole()
  // The built-in emulator answers at once; a real device may need plugging in and unlocking.
  const stopWaiting = bridge.stop ? () => undefined : waitingLine(warn, bridge.url ? `the Bridge at ${bridge.url}` : 'Trezor Bridge or USB')
  try {
    const signer = await TrezorSigner.open({
      ...(bridge.url ? { bridgeUrl: bridge.url } : {}),
      ...derivation,
      deviceTimeoutMs: TREZOR_WAIT_MS,
      ...(out ? { onDeviceAction: narrateDevice(out, 'Trezor') } : {}),
    }).finally(stopWaiting)
    const opened: OpenedSigner = {
      signer,
      description: `Trezor over ${bridge.url ? `the Bridge at ${bridge.url}` : 'Trezor Bridge or USB'}${bridge.stop ? ' (the built-in emulator, test mnemonic)' : ''}, path ${signer.path}`,
      close: async () => {
        try {
          await signer.close()
          await bridge.stop?.()
        } finally {
          unmute()
        }
      },
    }
    return { signer, opened }
  } catch (error) {
    await bridge.stop?.()
    unmute()
    throw error
  }
}

export const trezorSigner: CliSigner = {
  kind: 'trezor',
  wallet: 'Trezor',
  flags: { 'trezor-bridge': { type: 'string' }, ...DERIVATION_FLAGS },
  usage: [
    '  --signer trezor [--trezor-bridge http://127.0.0.1:PORT|emulator]',
    `                  [--path P | --scheme ${DERIVATION_SCHEME_NAMES.join('|')} --index N]`,
    '                                  default: Trezor Bridge (Suite or trezord) or USB',
  ].join('\n'),
  canOwn: true,
  open: async (flags, context) => (await openTrezor(flags, context)).opened,
  accounts: async (flags, context, request) => {
    // Only the Bridge matters here: the account list does not depend on --path/--scheme/--index.
    const { signer, opened } = await openTrezor({ 'trezor-bridge': flags['trezor-bridge'] }, { env: context.env, out: undefined, warn: context.warn })
    try {
      const { discoverTrezorAccounts } = await import('../../signers/trezor/index.js')
      return { accounts: await discoverTrezorAccounts(await signer.session(), request) }
    } finally {
      await opened.close?.()
    }
  },
}
