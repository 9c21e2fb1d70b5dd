import './style.css'
import {
  createIdentity,
  describeDerivationPath,
  DERIVATION_SCHEMES,
  isXmtpSignersError,
  storageTopic,
  toHex,
  unlockIdentity,
  verifyEncodedBundle,
  type DerivationScheme,
  type ProgressEvent,
  type XmtpIdentity,
} from 'xmtp-signers'
import { IndexedDbKeyStore } from 'xmtp-signers/indexeddb-store'
import { connectInjected, discoverInjectedWallets, type InjectedWallet } from './wallets/injected.js'
import type { AccountChoice, ConnectedWallet, DevicePrompt } from './wallets/types.js'

// Encrypted key bundles live in this browser's IndexedDB; the Web Locks API keeps two tabs from
// creating two identities for one account.
const store = new IndexedDbKeyStore({ databaseName: 'xmtp-signers-example' })

let wallet: ConnectedWallet | undefined
let identity: XmtpIdentity | undefined
let busy = false
/** Why the pending signature is asked, from the engine's progress events. */
let why = ''

const element = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const found = document.getElementById(id)
  if (!found) throw new Error(`#${id} is missing from index.html`)
  return found as T
}
const button = (id: string) => element<HTMLButtonElement>(id)
const short = (bytes: Uint8Array) => `${toHex(bytes).slice(0, 18)}…${toHex(bytes).slice(-8)}`

// ---- what the person sees --------------------------------------------------------------------

function log(text: string, kind: 'info' | 'ok' | 'ask' = 'info'): void {
  const item = document.createElement('li')
  item.className = kind
  item.textContent = text
  element('log').append(item)
}

function showPrompt(prompt: DevicePrompt): void {
  element('prompt').hidden = !prompt
  if (!prompt) return
  element('prompt-title').textContent = prompt.title
  element('prompt-instructions').textContent = prompt.instructions
  element('prompt-why').textContent = prompt.text ? why : ''
  element('prompt-text').textContent = prompt.text ?? ''
  element('prompt-text').hidden = !prompt.text
}

function showError(error: unknown): void {
  element('error').hidden = false
  if (isXmtpSignersError(error)) {
    element('error-title').textContent = error.shortMessage
    element('error-next').textContent = error.nextStep ?? ''
    element('error-details').textContent = [error.code, error.details].filter(Boolean).join(' · ')
  } else {
    element('error-title').textContent = 'Something went wrong.'
    element('error-next').textContent = 'Reload the page and try again.'
    element('error-details').textContent = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  }
  log(`✗ ${element('error-title').textContent}`, 'info')
}

function setBusy(value: boolean): void {
  busy = value
  document.body.classList.toggle('busy', value)
  for (const b of document.querySelectorAll<HTMLButtonElement>('button')) b.disabled = value || b.dataset.unavailable === 'true'
}

/** Runs one user action: one at a time, its error shown with what to do next. */
async function action(task: () => Promise<void>): Promise<void> {
  if (busy) return
  setBusy(true)
  element('error').hidden = true
  try {
    await task()
  } catch (error) {
    showError(error)
  } finally {
    showPrompt(undefined)
    setBusy(false)
  }
}

/** The engine's progress, told as what the wallet is asked and what was checked. */
function onProgress(event: ProgressEvent): void {
  switch (event.type) {
    case 'identity-key-generated':
      return log(`Generated an identity key in this page: ${short(event.identityPublicKey)}`)
    case 'signature-request': {
      why = event.explanation
      const title = event.text.split('\n')[0]
      log(
        event.attempt > 1
          ? `Asked ${wallet?.label} to sign “${title}” once more: a browser wallet does not say whether it signs a text the same way twice, so the two signatures are compared.`
          : `Asked ${wallet?.label} to sign “${title}”. ${event.explanation}`,
        'ask',
      )
      // Ledger and Trezor say what their screen shows (onDeviceAction); a browser wallet shows the text itself.
      if (wallet?.confirmsOn === 'wallet') {
        showPrompt({ title: `Approve in ${wallet.label}`, instructions: 'It shows a signature request: check it is this text, then approve.', text: event.text })
      }
      return
    }
    case 'signature-verified':
      showPrompt(undefined)
      return log(`✓ The signature recovers to ${event.address}: it comes from your account.`, 'ok')
    case 'prekey-generated':
      return log(`Generated a prekey ${short(event.preKeyPublicKey)} and signed it with the identity key.`)
    case 'bundle-encrypted':
      return log('Encrypted the private keys (AES-256-GCM) with a key derived from the “Enable Identity” signature.')
    case 'bundle-stored':
      return log(`Stored the encrypted keys in ${event.location}.`)
    case 'bundle-loaded':
      return log(`Read the encrypted keys from ${event.location}.`)
    case 'bundle-decrypted':
      return log('Decrypted them with the key derived from your “Enable Identity” signature.')
    case 'bundle-verified':
      return log(`✓ Checked the keys: the identity key is attested by ${event.address}, the prekey is signed by the identity key, each private key matches its public key.`, 'ok')
    case 'storage-key-derived':
      return log('Derived the storage key from the passphrase.')
  }
}

// ---- account ----------------------------------------------------------------------------------

function accountChoice(): AccountChoice {
  const scheme = element<HTMLSelectElement>('scheme').value as DerivationScheme
  const index = Math.max(0, Math.floor(Number(element<HTMLInputElement>('account-index').value) || 0))
  return { scheme, index }
}

function describePath(path: string): string {
  const names = describeDerivationPath(path).map(({ scheme, index }) => `${DERIVATION_SCHEMES[scheme].describe.split(' (')[0]} account ${index}`)
  return names.length ? `${path} — ${names.join(' = ')}` : path
}

async function refreshStored(): Promise<boolean> {
  if (!wallet) return false
  const stored = (await store.get(storageTopic(wallet.signer.address))) !== undefined
  element('account-stored').textContent = stored ? 'Yes, in this browser: unlock it.' : 'None in this browser yet: create one.'
  button('create').dataset.unavailable = String(stored)
  button('unlock').dataset.unavailable = String(!stored)
  button('verify').dataset.unavailable = String(!identity)
  return stored
}

/** Lets go of the connected wallet (a Ledger stays open until then, and a second open would fail). */
async function release(): Promise<void> {
  const previous = wallet
  wallet = undefined
  identity = undefined
  element('account').hidden = true
  element('identity').hidden = true
  await previous?.signer.close()
}

async function connected(next: ConnectedWallet): Promise<void> {
  wallet = next
  identity = undefined
  element('identity-facts').hidden = true
  element('checks').hidden = true
  element('account-wallet').textContent = next.label
  element('account-address').textContent = next.signer.address
  element('account-path').textContent = next.path ? describePath(next.path) : ''
  element('account-path').hidden = element('account-path-label').hidden = !next.path
  button('show-address').hidden = !next.showAddress
  element('account').hidden = false
  element('identity').hidden = false
  log(`✓ Connected ${next.label}: ${next.signer.address}${next.path ? ` at ${next.path}` : ''}.`, 'ok')
  await refreshStored()
}

function showIdentity(id: XmtpIdentity, created: boolean): void {
  identity = id
  element('identity-key').textContent = toHex(id.identityPublicKey)
  element('prekey').textContent = toHex(id.preKeyPublicKey)
  element('stored-in').textContent = `${store.location} (${id.storageTopic})`
  element('identity-facts').hidden = false
  log(created ? '✓ Your XMTP identity is created and stored, encrypted, in this browser.' : '✓ Your XMTP identity is unlocked.', 'ok')
}

// ---- wallets ----------------------------------------------------------------------------------

function renderInjectedWallets(wallets: readonly InjectedWallet[]): void {
  const holder = element('injected-wallets')
  holder.replaceChildren()
  for (const found of wallets) {
    const b = document.createElement('button')
    b.type = 'button'
    b.className = 'wallet'
    b.dataset.rdns = found.info.rdns
    // EIP-6963 icons are data: URIs; anything else is not loaded.
    if (found.info.icon.startsWith('data:image/')) {
      const icon = document.createElement('img')
      icon.src = found.info.icon
      icon.alt = ''
      b.append(icon)
    }
    b.append(found.info.name)
    b.addEventListener('click', () =>
      action(async () => {
        await release()
        await connected(await connectInjected(found))
      }),
    )
    holder.append(b)
  }
  element('injected-note').hidden = wallets.length > 0
}

button('connect-ledger').addEventListener('click', () =>
  action(async () => {
    await release()
    const { connectLedger } = await import('./wallets/ledger.js')
    await connected(await connectLedger(accountChoice(), showPrompt))
  }),
)
// Fetch the Ledger chunk when the pointer comes near, so the click's permission to open the device
// dialog (a few seconds) is not spent downloading code.
button('connect-ledger').addEventListener('pointerenter', () => void import('./wallets/ledger.js').catch(() => undefined), { once: true })

button('connect-trezor').addEventListener('click', () =>
  action(async () => {
    await release()
    const { connectTrezor } = await import('./wallets/trezor.js')
    await connected(await connectTrezor(accountChoice(), showPrompt))
  }),
)

button('show-address').addEventListener('click', () =>
  action(async () => {
    await wallet?.showAddress?.()
    log('✓ You confirmed on the device that it holds this address.', 'ok')
  }),
)

button('disconnect').addEventListener('click', () =>
  action(async () => {
    await release()
    log('Disconnected.')
  }),
)

button('create').addEventListener('click', () =>
  action(async () => {
    if (!wallet) return
    const result = await createIdentity(wallet.signer, store, { onProgress })
    showIdentity(result.identity, true)
    // Ask the browser not to evict this site's storage under pressure (it may say no).
    const persisted = await navigator.storage?.persist?.().catch(() => false)
    log(persisted ? 'The browser keeps this site’s storage until you clear it.' : 'The browser may clear this site’s storage when space runs low; keep a backup.')
    await refreshStored()
  }),
)

button('unlock').addEventListener('click', () =>
  action(async () => {
    if (!wallet) return
    const result = await unlockIdentity(wallet.signer, store, { onProgress })
    showIdentity(result.identity, false)
    await refreshStored()
  }),
)

button('verify').addEventListener('click', () =>
  action(async () => {
    if (!wallet || !identity) return
    // What a contact receives and checks: the public contact bundle, nothing secret.
    const report = verifyEncodedBundle(identity.encodeContactBundle(2), { expectedAddress: wallet.signer.address })
    const list = element('checks')
    list.replaceChildren(
      ...report.checks.map((check) => {
        const item = document.createElement('li')
        item.className = check.ok ? 'ok' : 'failed'
        item.textContent = `${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}`
        return item
      }),
    )
    list.hidden = false
    log(
      report.valid
        ? `✓ The public bundle a contact receives (${report.format}) is valid: attested by ${report.walletAddress}.`
        : '✗ The public bundle failed verification: see the checks below.',
      report.valid ? 'ok' : 'info',
    )
  }),
)

element('webhid-note').hidden = Boolean((navigator as { hid?: unknown }).hid)
setBusy(false)
renderInjectedWallets(await discoverInjectedWallets())
document.body.dataset.ready = 'true'
