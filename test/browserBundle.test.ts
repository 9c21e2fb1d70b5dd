import { createContext, runInContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { TEST_MNEMONIC } from '../src/adapter/index.js'
import { bundleForBrowser } from './support/browserBundle.js'


// The engine and the local signer, bundled for the browser as an app's bundler would.
async function bundle(): Promise<string> {
  const { code } = await bundleForBrowser(
    `
        export * from './src/index.ts'
        export { LocalSigner } from './signers/local/index.ts'
        export { IndexedDbKeyStore } from './stores/indexedDbKeyStore.ts'
      `,
    { format: 'iife', globalName: 'xmtpSigners' },
  )
  return code
}

describe('the engine in a browser-like sandbox', () => {
  it('bundles for the browser with no Node built-ins', async () => {
    const code = await bundle()
    expect(code).not.toMatch(/require\(["']node:/)
  })

  it('runs create → unlock → verify without Node globals and with code generation from strings disabled', async () => {
    const code = await bundle()
    // Only what a browser has: WebCrypto, TextEncoder/Decoder, timers, AbortController. No process, no Buffer, no require.
    const sandbox = {
      crypto: globalThis.crypto,
      AbortController,
      AbortSignal,
      TextEncoder,
      TextDecoder,
      setTimeout,
      clearTimeout,
      console,
      Uint8Array,
      ArrayBuffer,
      DataView,
    }
    const context = createContext(sandbox, { codeGeneration: { strings: false, wasm: false } })
    runInContext(`${code}; globalThis.xmtpSigners = xmtpSigners`, context)
    const flow = runInContext(
      `(async () => {
        if (typeof process !== 'undefined' || typeof Buffer !== 'undefined') throw new Error('Node globals leaked into the sandbox')
        try { eval('1'); throw new Error('eval is allowed') } catch (e) { if (!(e instanceof EvalError)) throw e }
        const { LocalSigner, MemoryKeyStore, IndexedDbKeyStore, createIdentity, unlockIdentity, verifyEncodedBundle, toHex } = xmtpSigners
        // Constructing the browser store touches no global it lacks here (no indexedDB, no navigator).
        if (new IndexedDbKeyStore().location !== 'indexeddb:xmtp-signers') throw new Error('IndexedDbKeyStore did not construct')
        const signer = LocalSigner.fromMnemonic(${JSON.stringify(TEST_MNEMONIC)})
        const store = new MemoryKeyStore()
        const created = await createIdentity(signer, store)
        const unlocked = await unlockIdentity(signer, store)
        const report = verifyEncodedBundle(created.identity.encodeContactBundle(2), { expectedAddress: signer.address })
        return {
          same: toHex(unlocked.identity.identityPublicKey) === toHex(created.identity.identityPublicKey),
          valid: report.valid,
          address: report.walletAddress,
        }
      })()`,
      context,
    ) as Promise<{ same: boolean; valid: boolean; address: string }>
    expect(await flow).toEqual({ same: true, valid: true, address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266' })
  })
})
