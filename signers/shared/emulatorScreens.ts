// What every device emulator shows the simulated person, in one vocabulary (Ledger and Trezor alike).

/** One screen the person is asked to confirm, in order. */
export type EmulatorScreen =
  /** The address on the device, to compare with the computer's. */
  | { readonly kind: 'address'; readonly path: string; readonly address: string }
  /** personal_sign: the message as the device renders it (its text, or escapes / hex for other bytes). */
  | { readonly kind: 'sign-message'; readonly path: string; readonly text: string }
  /**
   * EIP-712: `full` when the device was given the types and values (it shows the fields), `hashed` when it
   * was given only the two hashes (or computes them itself and shows only those and the domain's name).
   */
  | {
      readonly kind: 'sign-typed-data'
      readonly path: string
      readonly mode: 'full' | 'hashed'
      readonly primaryType: string
      readonly domainHash?: string
      readonly messageHash?: string
      readonly domain?: Readonly<Record<string, unknown>>
      readonly message?: Readonly<Record<string, unknown>>
    }
  /** The OS asks whether to open an app (a host sent OPEN APP from the dashboard). */
  | { readonly kind: 'open-app'; readonly appName: string }

/** What the simulated person does with a screen. */
export type UserDecision = 'approve' | 'reject'

/** The screen in one line, as a log or the CLI prints it. */
export function describeScreen(screen: EmulatorScreen): string {
  switch (screen.kind) {
    case 'address':
      return `Verify address ${screen.address} (${screen.path})`
    case 'sign-message':
      return `Sign message: "${screen.text}"`
    case 'sign-typed-data':
      return screen.mode === 'hashed' && !screen.primaryType
        ? `Sign typed data: domain hash ${screen.domainHash ?? '?'}, message hash ${screen.messageHash ?? '?'}`
        : `Sign typed data: ${screen.primaryType}`
    case 'open-app':
      return `Open the ${screen.appName} app`
  }
}
