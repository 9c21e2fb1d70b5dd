import { TEST_MNEMONIC } from '../../src/adapter/testMnemonic.js'
import type { LedgerSigner, LedgerSignerOptions, Transport } from '../../signers/ledger/index.js'
import type { Out } from '../report.js'
import { UsageError } from '../usageError.js'
import { DERIVATION_FLAGS, DERIVATION_SCHEME_NAMES, derivationChoice, emulatorConfirmMs, narrateDevice, narrateScreen } from './shared.js'
import type { CliSigner, FlagValues } from './types.js'

type Stack = 'dmk' | 'ledgerjs'

/** A Ledger transport from --transport on the LedgerJS stack: hid, speculos://HOST:PORT, or the built-in emulator. */
export async function openLedger(spec: string, out: Out | undefined, env: NodeJS.ProcessEnv = {}): Promise<{ transport: Transport; description: string }> {
  if (spec === 'emulator') {
    const { createEmulatorTransport } = await import('../../signers/ledger/emulator/index.js')
    return { transport: createEmulatorTransport(await emulator(out, env)), description: 'the built-in emulator (test mnemonic), LedgerJS' }
  }
  if (spec !== 'hid' && !spec.startsWith('speculos://')) throw new UsageError('--transport must be hid, emulator, http://HOST:PORT or speculos://HOST:PORT.')
  const { openLedgerTransport } = await import('../../signers/ledger/index.js')
  return { transport: await openLedgerTransport(spec), description: spec === 'hid' ? 'USB HID, LedgerJS' : spec }
}

async function emulator(out: Out | undefined, env: NodeJS.ProcessEnv) {
  const { LedgerEmulator } = await import('../../signers/ledger/emulator/index.js')
  const device = new LedgerEmulator({ mnemonic: TEST_MNEMONIC, confirmDelayMs: emulatorConfirmMs(env) })
  if (out) device.onScreen = narrateScreen(out, 'Ledger')
  return device
}

/** --ledger-stack, checked against --transport: speculos:// is raw APDU TCP (LedgerJS only), http:// the Speculos REST API (DMK only). */
function stackFor(flags: FlagValues): { stack: Stack; spec: string } {
  const spec = flags.transport ?? 'hid'
  const named = flags['ledger-stack']
  if (named !== undefined && named !== 'dmk' && named !== 'ledgerjs') throw new UsageError('--ledger-stack must be dmk or ledgerjs.')
  if (spec !== 'hid' && spec !== 'emulator' && !spec.startsWith('speculos://') && !/^https?:\/\/[^/\s]+\/?$/.test(spec)) {
    throw new UsageError('--transport must be hid, emulator, http://HOST:PORT (Speculos REST API) or speculos://HOST:PORT (raw APDU TCP).')
  }
  if (spec.startsWith('speculos://')) {
    if (named === 'dmk') throw new UsageError('speculos://HOST:PORT is the raw APDU port, LedgerJS only: with --ledger-stack dmk use the REST API, --transport http://HOST:PORT.')
    return { stack: 'ledgerjs', spec }
  }
  if (/^https?:\/\//.test(spec)) {
    if (named === 'ledgerjs') throw new UsageError('http://HOST:PORT is the Speculos REST API, DMK only: with --ledger-stack ledgerjs use --transport speculos://HOST:PORT.')
    return { stack: 'dmk', spec }
  }
  return { stack: named ?? 'dmk', spec }
}

type OpenedLedger = { signer: LedgerSigner; description: string; close: () => Promise<void> }

async function openLedgerSigner(flags: FlagValues, out: Out | undefined, env: NodeJS.ProcessEnv, extra: Partial<LedgerSignerOptions> = {}): Promise<OpenedLedger> {
  // The flags are checked before the device is touched.
  const derivation = derivationChoice(flags)
  const { stack, spec } = stackFor(flags)
  const { LedgerSigner } = await import('../../signers/ledger/index.js')
  const options = { ...derivation, ...extra, ...(out ? { onDeviceAction: narrateDevice(out, 'Ledger') } : {}) }
  if (stack === 'ledgerjs') {
    const { transport, description } = await openLedger(spec, out, env)
    const signer = await LedgerSigner.open({ transport, ...options })
    return { signer, description: `Ledger over ${description}`, close: () => signer.close() }
  }
  if (spec === 'emulator') {
    // The emulator behind a loopback Speculos REST API, reached through the real DMK speculos transport.
    const { startSpeculosHttpServer } = await import('../../signers/ledger/emulator/index.js')
    const server = await startSpeculosHttpServer(await emulator(out, env))
    try {
      const signer = await LedgerSigner.open({ dmk: server.url as `http://${string}`, ...options })
      return {
        signer,
        description: 'Ledger over the built-in emulator (test mnemonic), DMK',
        close: async () => {
          await signer.close()
          await server.close()
        },
      }
    } catch (error) {
      await server.close()
      throw error
    }
  }
  const dmk = spec === 'hid' ? 'node-hid' : (spec as `http://${string}`)
  const signer = await LedgerSigner.open({ dmk, ...options })
  return { signer, description: `Ledger over ${spec === 'hid' ? 'USB HID' : spec}, DMK`, close: () => signer.close() }
}

export const ledgerSigner: CliSigner = {
  kind: 'ledger',
  wallet: 'Ledger',
  flags: { transport: { type: 'string' }, 'ledger-stack': { type: 'string' }, ...DERIVATION_FLAGS },
  usage: [
    '  --signer ledger [--transport hid|emulator|http://HOST:PORT|speculos://HOST:PORT] [--ledger-stack dmk|ledgerjs]',
    `                  [--path P | --scheme ${DERIVATION_SCHEME_NAMES.join('|')} --index N]`,
    "                                  default: USB HID through Ledger's DMK, Ledger Live account 0 (m/44'/60'/0'/0/0);",
    '                                  speculos:// (raw APDU TCP) and --ledger-stack ledgerjs use LedgerJS (hw-app-eth)',
  ].join('\n'),
  canOwn: true,
  open: async (flags, { env, out }) => {
    const { signer, description, close } = await openLedgerSigner(flags, out, env)
    return { signer, description: `${description}, Ethereum app ${signer.appVersion}, path ${signer.path}`, close }
  },
  accounts: async (flags, { env }, request) => {
    const { discoverLedgerAccounts } = await import('../../signers/ledger/index.js')
    const { signer, description, close } = await openLedgerSigner(flags, undefined, env)
    try {
      return { accounts: await discoverLedgerAccounts(signer, request), over: description.replace(/^Ledger over /, '') }
    } finally {
      await close().catch(() => undefined)
    }
  },
}
