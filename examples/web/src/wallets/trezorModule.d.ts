// Types for `xmtp-signers/trezor`, used only while the adapter's own sources are absent from a checkout.
declare module 'xmtp-signers/trezor' {
  import type { Address, DerivationScheme, Signer } from 'xmtp-signers'
  export type TrezorDeviceAction =
    | { kind: 'confirm-address'; path: string; address: string }
    | { kind: 'sign-message'; path: string; text: string }
    | { kind: 'sign-typed-data'; path: string; primaryType: string; mode?: 'full' | 'hashed' }
    | { kind: 'reject-on-device'; path: string; what: string }
    | { kind: 'done' }
  export function toTrezorError(error: unknown): Error
  export const TrezorSigner: {
    open(options: {
      connect: unknown
      initialized?: boolean
      manifest: { appName: string; email: string; appUrl: string }
      scheme?: DerivationScheme
      index?: number
      path?: string
      onDeviceAction?: (action: TrezorDeviceAction) => void
    }): Promise<Signer & { readonly path: string; showAddress(): Promise<Address> }>
  }
}
