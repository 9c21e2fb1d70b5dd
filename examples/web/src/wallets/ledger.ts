// The Ledger button's code: a lazy chunk, with Ledger's own packages in further lazy chunks.
import { LedgerSigner, openLedgerWebHid, renderPersonalMessage, type LedgerDeviceAction, type LedgerSignerOptions } from 'xmtp-signers/ledger'
import type { AccountChoice, ConnectedWallet, DevicePrompt } from './types.js'

function promptFor(action: LedgerDeviceAction): DevicePrompt {
  switch (action.kind) {
    case 'unlock-device':
      return { title: 'Unlock your Ledger', instructions: 'Enter your PIN on the device; the request goes on by itself once it is unlocked.' }
    case 'open-app':
      return { title: `Open the ${action.app} app`, instructions: `The device asks to open the ${action.app} app: approve it there (or open it yourself).` }
    case 'confirm-address':
      return {
        title: 'Check your Ledger',
        instructions: `It shows an address: check it is ${action.address}, then approve. (${action.path})`,
      }
    case 'sign-message':
      return {
        title: 'Confirm on your Ledger',
        instructions: 'It shows “Sign message”: scroll through it, check it matches the text below, then approve “Sign message”.',
        // As the Ethereum app shows it: printable ASCII as is, other bytes (line breaks) as \xNN.
        text: renderPersonalMessage(action.text),
      }
    case 'sign-typed-data':
      return { title: 'Confirm on your Ledger', instructions: `It shows typed data (${action.primaryType}): check it, then approve.` }
    case 'reject-on-device':
      return { title: 'Reject it on your Ledger', instructions: `This page stopped waiting for the ${action.what}, but the device still shows it: reject it there.` }
    case 'done':
      return undefined
  }
}

/**
 * How the signer reaches the device: Ledger's Device Management Kit over WebHID (the default), or
 * LedgerJS (hw-transport-webhid + hw-app-eth) with `?ledger=ledgerjs`, for apps that already hold a LedgerJS transport.
 */
function ledgerStack(): Pick<LedgerSignerOptions, 'dmk' | 'openTransport'> {
  // A factory, not a transport: after an unplug, the signer reopens the device by itself.
  if (new URLSearchParams(location.search).get('ledger') === 'ledgerjs') return { openTransport: openLedgerWebHid }
  return { dmk: 'web-hid' }
}

/** Must run inside a click: the first time, the browser asks which device this site may use. */
export async function connectLedger(account: AccountChoice, onPrompt: (prompt: DevicePrompt) => void): Promise<ConnectedWallet> {
  onPrompt({ title: 'Connect your Ledger', instructions: 'Plug it in, unlock it, open the Ethereum app, and choose it in the browser’s dialog.' })
  try {
    const signer = await LedgerSigner.open({
      ...ledgerStack(),
      scheme: account.scheme,
      index: account.index,
      onDeviceAction: (action) => onPrompt(promptFor(action)),
    })
    return {
      signer,
      label: `Ledger, Ethereum app ${signer.appVersion}`,
      confirmsOn: 'device',
      path: signer.path,
      showAddress: () => signer.showAddress(),
    }
  } finally {
    onPrompt(undefined)
  }
}
