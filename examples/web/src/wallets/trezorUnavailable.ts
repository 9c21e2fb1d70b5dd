// Stands in for `xmtp-signers/trezor` in a checkout without the Trezor adapter (see vite.config.ts).
import { TransportUnavailableError, type Address, type Signer } from 'xmtp-signers'

export type TrezorDeviceAction = { kind: 'done' }

export const toTrezorError = (error: unknown): unknown => error

export const TrezorSigner = {
  async open(_options: unknown): Promise<Signer & { readonly path: string; showAddress(): Promise<Address> }> {
    throw new TransportUnavailableError('Trezor support not available in this build.', {
      wallet: 'Trezor',
      nextStep: 'Use a version of xmtp-signers that includes xmtp-signers/trezor, or sign in with a Ledger or a browser wallet.',
    })
  },
}
