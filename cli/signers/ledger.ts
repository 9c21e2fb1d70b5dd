import { TEST_MNEMONIC } from '../../src/adapter/index.js'
import type { Transport } from '../../signers/ledger/index.js'
import type { Out } from '../report.js'
import { UsageError } from '../usageError.js'
import { DERIVATION_FLAGS, DERIVATION_SCHEME_NAMES, derivationChoice, emulatorConfirmMs, narrateDevice, narrateScreen } from './shared.js'
import type { CliSigner } from './types.js'

/** A Ledger transport from --transport: hid, speculos://HOST:PORT, or the built-in emulator. */
export async function openLedger(spec: string, out: Out | undefined, env: NodeJS.ProcessEnv = {}): Promise<{ transport: Transport; description: string }> {
  if (spec === 'emulator') {
    const { LedgerEmulator, createEmulatorTransport } = await import('../../signers/ledger/emulator/index.js')
    const emulator = new LedgerEmulator({ mnemonic: TEST_MNEMONIC, confirmDelayMs: emulatorConfirmMs(env) })
    if (out) emulator.onScreen = narrateScreen(out, 'Ledger')
    return { transport: createEmulatorTransport(emulator), description: 'the built-in emulator (test mnemonic)' }
  }
  if (spec !== 'hid' && !spec.startsWith('speculos://')) throw new UsageError('--transport must be hid, emulator, or speculos://HOST:PORT.')
  const { openLedgerTransport } = await import('../../signers/ledger/index.js')
  return { transport: await openLedgerTransport(spec), description: spec === 'hid' ? 'USB HID' : spec }
}

export const ledgerSigner: CliSigner = {
  kind: 'ledger',
  wallet: 'Ledger',
  flags: { transport: { type: 'string' }, ...DERIVATION_FLAGS },
  usage: [
    '  --signer ledger [--transport hid|emulator|speculos://HOST:PORT]',
    `                  [--path P | --scheme ${DERIVATION_SCHEME_NAMES.join('|')} --index N]`,
    "                                  default: USB HID, Ledger Live account 0 (m/44'/60'/0'/0/0)",
  ].join('\n'),
  canOwn: true,
  open: async (flags, { env, out }) => {
    // The flags are checked before the device is touched.
    const derivation = derivationChoice(flags)
    const { LedgerSigner } = await import('../../signers/ledger/index.js')
    const { transport, description } = await openLedger(flags.transport ?? 'hid', out, env)
    const signer = await LedgerSigner.open({
      transport,
      ...derivation,
      ...(out ? { onDeviceAction: narrateDevice(out, 'Ledger') } : {}),
    })
    return {
      signer,
      description: `Ledger over ${description}, Ethereum app ${signer.appVersion}, path ${signer.path}`,
      close: () => signer.close(),
    }
  },
  accounts: async (flags, { env }, request) => {
    const { discoverLedgerAccounts } = await import('../../signers/ledger/index.js')
    const device = await openLedger(flags.transport ?? 'hid', undefined, env)
    try {
      return { accounts: await discoverLedgerAccounts(device.transport, request), over: device.description }
    } finally {
      await device.transport.close().catch(() => undefined)
    }
  },
}
