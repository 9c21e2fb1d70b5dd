/**
 * The page of xmtpBrowserSdk.test.ts: our LocalSigner, as `toXmtpSigner` makes it, handed to the real
 * @xmtp/browser-sdk (its WASM loaded here and in its worker) against a loopback-only API URL. Every
 * call the SDK makes to the signer is recorded; the outcome goes to `window.__sdkResult`.
 */
import { Client, createBackend, generateInboxId, type Signer as SdkSigner } from '@xmtp/browser-sdk'
import { toHex, toXmtpSigner, verifyXmtpV3Signature } from '../../../src/index.js'
import { LocalSigner } from '../../../signers/local/index.js'

type SignCall = { flow: string; text: string; signature?: string; verified?: { valid: boolean; signer?: string; detail: string; actions: string[]; inboxId: string } | { error: string } }
type Outcome = { completed: boolean; error?: string }

const params = new URL(location.href).searchParams
const apiUrl = params.get('api')!
const KEY = '0x' + '11'.repeat(32)
const OTHER_KEY = '0x' + '22'.repeat(32)
const INSTALLATION = Uint8Array.from({ length: 32 }, (_, i) => i + 1)

const calls: SignCall[] = []
const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error))

/** Our signer for the SDK, each `signMessage` recorded and its result checked with our own verifier. */
function recorded(flow: string, signWith = KEY): SdkSigner {
  const ours = LocalSigner.fromPrivateKey(KEY)
  const signing = toXmtpSigner(LocalSigner.fromPrivateKey(signWith))
  const inner = toXmtpSigner(ours)
  return {
    type: 'EOA',
    getIdentifier: inner.getIdentifier,
    async signMessage(text: string) {
      const call: SignCall = { flow, text }
      calls.push(call)
      const signature = await signing.signMessage(text)
      call.signature = toHex(signature)
      try {
        const v = verifyXmtpV3Signature({ text, signature, address: ours.address })
        call.verified = { valid: v.valid, signer: v.signer, detail: v.detail, actions: v.text.actions, inboxId: v.text.inboxId }
      } catch (error) {
        call.verified = { error: errorText(error) }
      }
      return signature
    },
  }
}

/** A request the test finds in the server's log, to tell which flow the API calls after it belong to. */
const mark = (flow: string) => fetch(`/mark/${flow}`).then(() => undefined, () => undefined)

async function bounded<T>(what: Promise<T>, ms: number): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    await Promise.race([what, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms`)), ms)))])
    return { completed: true }
  } catch (error) {
    return { completed: false, error: errorText(error) }
  } finally {
    clearTimeout(timer)
  }
}

async function run() {
  const address = LocalSigner.fromPrivateKey(KEY).address
  const identifier = toXmtpSigner(LocalSigner.fromPrivateKey(KEY)).getIdentifier()
  // WASM, no network: the inbox ID of the account at nonce 0.
  const inboxId = await generateInboxId(identifier)
  const backend = await createBackend({ env: 'local', apiUrl })

  // 1. The SDK's static revoke flow (main thread): builds the request in WASM, asks our signer to
  //    sign its text, adds the signature to the request (checked there), then publishes it (network).
  await mark('revoke')
  const revoke = await bounded(Client.revokeInstallations(recorded('revoke'), inboxId, [INSTALLATION], backend), 12_000)
  // 1b. The same with a signature by another key: the request must refuse it before any publishing.
  await mark('revoke-wrong-key')
  const revokeWrongKey = await bounded(Client.revokeInstallations(recorded('revoke-wrong-key', OTHER_KEY), inboxId, [INSTALLATION], backend), 12_000)

  // 2. Client.create (worker): the client's initialisation looks the account up on the network first.
  // Network options, not a Backend (it cannot cross to the worker); a variable, as the SDK's
  // Omit<ClientOptions> type drops the network fields from its union.
  const createOptions = { env: 'local' as const, apiUrl, dbPath: null, disableDeviceSync: true }
  await mark('create')
  const create = await bounded(
    Client.create(recorded('create'), createOptions).then((client) => client.close()),
    12_000,
  )
  await mark('end')
  return { address, identifier, inboxId, revoke, revokeWrongKey, create, calls }
}

run().then(
  (result) => ((window as any).__sdkResult = result),
  (error) => ((window as any).__sdkResult = { fatal: errorText(error), calls }),
)
