// The Ledger button's code: a lazy chunk, with Ledger's own packages in further lazy chunks.
import { LedgerSigner, openLedgerWebHid, renderPersonalMessage, type LedgerDeviceAction } from 'xmtp-signers/ledger'
import type { AccountChoice, ConnectedWallet, DevicePrompt } from './types.js'

function promptFor(action: LedgerDeviceAction): DevicePrompt {
  switch (action.kind) {
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
    case 'done':
      return undefined
  }
}

/** Must run inside a click: the first time, the browser asks which device this site may use. */
export async function connectLedger(account: AccountChoice, onPrompt: (prompt: DevicePrompt) => void): Promise<ConnectedWallet> {
  onPrompt({ title: 'Connect your Ledger', instructions: 'Plug it in, unlock it, open the Ethereum app, and choose it in the browser’s dialog.' })
  try {
    const signer = await LedgerSigner.open({
      // A factory, not a transport: after an unplug, the signer reopens the device by itself.
      openTransport: openLedgerWebHid,
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
