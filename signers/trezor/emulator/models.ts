/** The Trezor models the emulator can be, by their internal names. */
export type TrezorModel = 'T2T1' | 'T3T1' | 'T2B1' | 'T1B1'

export type FirmwareVersion = [number, number, number]

type ModelInfo = {
  /** Features.model, as each firmware reports it. */
  readonly model: string
  readonly vendor: string
  /** The latest release @trezor/connect 9.7.3 bundles: connect checks its revision offline. */
  readonly firmware: FirmwareVersion
  /** Git commit of that release (`firmware_revision` in connect's bundled release file). */
  readonly revision: string
  /** The USB identity trezord reports in /enumerate, and its device type (0 HID … 3 T2). */
  readonly usb: { vendor: number; product: number; type: number }
  readonly capabilities: readonly string[]
  readonly display?: { format: 'Jpeg' | 'ToiG' | 'Toif'; width: number; height: number }
  readonly sdCard?: boolean
  /** The text of Failure_ActionCancelled: core firmware says "Cancelled", the legacy one more. */
  readonly cancelledText: string
}

const CORE_CAPABILITIES = [
  'Capability_Bitcoin',
  'Capability_Bitcoin_like',
  'Capability_Binance',
  'Capability_Cardano',
  'Capability_Crypto',
  'Capability_EOS',
  'Capability_Ethereum',
  'Capability_Monero',
  'Capability_NEM',
  'Capability_Ripple',
  'Capability_Stellar',
  'Capability_Tezos',
  'Capability_U2F',
  'Capability_Shamir',
  'Capability_ShamirGroups',
  'Capability_PassphraseEntry',
  'Capability_Solana',
  'Capability_Translations',
]

// Git revisions of firmware 2.9.1 / 1.13.1, from @trezor/connect-common's bundled release files.
const CORE_REVISION_2_9_1 = 'acd56d0113a547e9b5983510b0ce9de079e30e05'

export const MODELS: Readonly<Record<TrezorModel, ModelInfo>> = {
  T2T1: {
    model: 'T',
    vendor: 'trezor.io',
    firmware: [2, 9, 1],
    revision: CORE_REVISION_2_9_1,
    usb: { vendor: 0x1209, product: 0x53c1, type: 3 },
    capabilities: CORE_CAPABILITIES,
    display: { format: 'Jpeg', width: 240, height: 240 },
    sdCard: true,
    cancelledText: 'Cancelled',
  },
  T3T1: {
    model: 'Safe 5',
    vendor: 'trezor.io',
    firmware: [2, 9, 1],
    revision: CORE_REVISION_2_9_1,
    usb: { vendor: 0x1209, product: 0x53c1, type: 3 },
    capabilities: [...CORE_CAPABILITIES, 'Capability_Brightness', 'Capability_Haptic'],
    display: { format: 'Jpeg', width: 240, height: 240 },
    cancelledText: 'Cancelled',
  },
  T2B1: {
    model: 'Safe 3',
    vendor: 'trezor.io',
    firmware: [2, 9, 1],
    revision: CORE_REVISION_2_9_1,
    usb: { vendor: 0x1209, product: 0x53c1, type: 3 },
    capabilities: [...CORE_CAPABILITIES, 'Capability_Brightness'],
    display: { format: 'ToiG', width: 128, height: 64 },
    cancelledText: 'Cancelled',
  },
  T1B1: {
    model: '1',
    vendor: 'trezor.io',
    firmware: [1, 13, 1],
    revision: '2a65d18200580005dc419b9569ed97fae440806a',
    usb: { vendor: 0x1209, product: 0x53c1, type: 1 },
    capabilities: [
      'Capability_Bitcoin',
      'Capability_Bitcoin_like',
      'Capability_Crypto',
      'Capability_Ethereum',
      'Capability_NEM',
      'Capability_Stellar',
      'Capability_U2F',
    ],
    cancelledText: 'Action cancelled by user',
  },
}

export function isTrezorModel(value: unknown): value is TrezorModel {
  return typeof value === 'string' && Object.hasOwn(MODELS, value)
}
