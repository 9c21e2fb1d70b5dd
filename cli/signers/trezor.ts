import { TEST_MNEMONIC } from '../../src/adapter/index.js'
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

async function openTrezor(flags: FlagValues, { env, out }: Pick<OpenContext, 'env' | 'out'>) {
  if (flags.transport) throw new UsageError('--transport applies to Ledger; a Trezor is reached through its Bridge (--trezor-bridge).')
  const { TrezorSigner } = await import('../../signers/trezor/index.js')
  const bridge = await bridgeFor(flags['trezor-bridge'], out, env)
  try {
    const signer = await TrezorSigner.open({
      ...(bridge.url ? { bridgeUrl: bridge.url } : {}),
      ...derivationChoice(flags),
      ...(out ? { onDeviceAction: narrateDevice(out, 'Trezor') } : {}),
    })
    const opened: OpenedSigner = {
      signer,
      description: `Trezor over ${bridge.url ? `the Bridge at ${bridge.url}` : 'Trezor Bridge or USB'}${bridge.stop ? ' (the built-in emulator, test mnemonic)' : ''}, path ${signer.path}`,
      close: async () => {
        await signer.close()
        await bridge.stop?.()
      },
    }
    return { signer, opened }
  } catch (error) {
    await bridge.stop?.()
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
    const { signer, opened } = await openTrezor({ 'trezor-bridge': flags['trezor-bridge'] }, { env: context.env, out: undefined })
    try {
      const { discoverTrezorAccounts } = await import('../../signers/trezor/index.js')
      return { accounts: await discoverTrezorAccounts(await signer.session(), request) }
    } finally {
      await opened.close?.()
    }
  },
}
