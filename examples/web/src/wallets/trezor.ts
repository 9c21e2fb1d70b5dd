// The Trezor button's code: a lazy chunk (Trezor Connect talks to the device through its own popup).
import TrezorConnect from '@trezor/connect-web'
import { toTrezorError, TrezorSigner, type TrezorDeviceAction } from 'xmtp-signers/trezor'
import type { AccountChoice, ConnectedWallet, DevicePrompt } from './types.js'

function promptFor(action: TrezorDeviceAction): DevicePrompt {
  switch (action.kind) {
    case 'confirm-address':
      return { title: 'Check your Trezor', instructions: `It shows an address: check it is ${action.address}, then confirm. (${action.path})` }
    case 'sign-message':
      return { title: 'Confirm on your Trezor', instructions: 'It shows “Sign message”: check it matches the text below, then confirm.', text: action.text }
    case 'sign-typed-data':
      return { title: 'Confirm on your Trezor', instructions: `It shows typed data (${action.primaryType}): check it, then confirm.` }
    case 'reject-on-device':
      return { title: 'Reject on your Trezor', instructions: `The ${action.what} was cancelled here: if the Trezor still shows it, reject it there.` }
    case 'done':
      return undefined
  }
}

const manifest = { appName: 'XMTP sign-in example', email: 'developer@example.com', appUrl: location.origin }
// Once per page: Trezor Connect's iframe is loaded on its first call (lazyLoad).
let initialized: Promise<unknown> | undefined

export async function connectTrezor(account: AccountChoice, onPrompt: (prompt: DevicePrompt) => void): Promise<ConnectedWallet> {
  onPrompt({ title: 'Connect your Trezor', instructions: 'Trezor Connect opens a window: allow pop-ups for this page, unlock the Trezor and follow the window.' })
  try {
    initialized ??= TrezorConnect.init({ manifest, lazyLoad: true }).catch((error: unknown) => {
      initialized = undefined
      throw toTrezorError(error)
    })
    await initialized
    const signer = await TrezorSigner.open({
      connect: TrezorConnect,
      initialized: true,
      manifest,
      scheme: account.scheme,
      index: account.index,
      onDeviceAction: (action) => onPrompt(promptFor(action)),
    })
    return { signer, label: 'Trezor', confirmsOn: 'device', path: signer.path, showAddress: () => signer.showAddress() }
  } finally {
    onPrompt(undefined)
  }
}
