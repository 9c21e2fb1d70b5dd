import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { CONTENT_SECURITY_POLICY } from './csp.js'
import { longWithoutWasm } from './longWasmProbe.js'

// In your own app, delete `resolve.alias`: `npm install xmtp-signers` and the imports resolve.
// Here they point at this repository's sources, so the example always runs the code next to it.
const repo = fileURLToPath(new URL('../../', import.meta.url))
const here = fileURLToPath(new URL('./', import.meta.url))
const trezorAdapter = `${repo}signers/trezor/index.ts`

export default defineConfig({
  root: here,
  // Keeps a strict CSP free of reports: see longWasmProbe.ts.
  plugins: [longWithoutWasm()],
  resolve: {
    alias: [
      { find: /^xmtp-signers$/, replacement: `${repo}src/index.ts` },
      { find: /^xmtp-signers\/indexeddb-store$/, replacement: `${repo}stores/indexedDbKeyStore.ts` },
      { find: /^xmtp-signers\/(ledger|injected)$/, replacement: `${repo}signers/$1/index.ts` },
      // The Trezor adapter ships in xmtp-signers/trezor; a checkout without it gets a stub that says so.
      {
        find: /^xmtp-signers\/trezor$/,
        replacement: existsSync(trezorAdapter) ? trezorAdapter : `${here}src/wallets/trezorUnavailable.ts`,
      },
    ],
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    // hw-app-eth and Trezor Connect are big; they are lazy chunks, loaded only on their button.
    chunkSizeWarningLimit: 1500,
  },
  preview: { headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
})
