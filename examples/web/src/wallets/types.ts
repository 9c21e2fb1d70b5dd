import type { DerivationScheme, Signer } from 'xmtp-signers'

/** A connected wallet, as the page shows it. */
export type ConnectedWallet = {
  signer: Signer
  /** "Ledger Nano S Plus", "MetaMask", … */
  label: string
  /** Where the person approves: on a device screen, or in a wallet window. */
  confirmsOn: 'device' | 'wallet'
  path?: string
  /** Ledger and Trezor: ask the device to show the address so the person can compare. */
  showAddress?: () => Promise<unknown>
}

export type AccountChoice = { scheme: DerivationScheme; index: number }

/** What the wallet wants the person to do now; `undefined` when nothing is pending. */
export type DevicePrompt = { title: string; instructions: string; text?: string } | undefined
