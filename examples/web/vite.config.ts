import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import { CONTENT_SECURITY_POLICY } from './csp.js'

// In your own app, delete `resolve.alias`: `npm install xmtp-signers` and the imports resolve.
// Here they point at this repository's sources, so the example always runs the code next to it.
const repo = fileURLToPath(new URL('../../', import.meta.url))
const here = fileURLToPath(new URL('./', import.meta.url))
const trezorAdapter = `${repo}signers/trezor/index.ts`

/**
 * Trezor Connect's own dependency @trezor/protobuf loads `long`, which probes WebAssembly when it loads:
 * under a CSP without 'wasm-unsafe-eval' the browser refuses the probe (long falls back to plain
 * JavaScript) and reports a violation. This strips the probe from the copy Trezor's code imports, and
 * only that one; xmtp-signers itself loads no `long` (test/proto.test.ts).
 */
function trezorLongWithoutWasm(): Plugin {
  const trezorLongs = new Set<string>()
  return {
    name: 'trezor-long-without-wasm',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (source !== 'long' || !importer || !/[\\/]node_modules[\\/]@trezor[\\/]/.test(importer)) return null
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
      if (resolved) trezorLongs.add(resolved.id)
      return resolved
    },
    transform(code, id) {
      if (!trezorLongs.has(id)) return null
      const probe = /(wasm = )new WebAssembly\.Instance\([\s\S]*?\)\.exports;/
      if (!probe.test(code)) throw new Error(`${id}: long's WebAssembly probe was not found; check the new version of long`)
      return { code: code.replace(probe, '$1null;'), map: null }
    },
  }
}

export default defineConfig({
  root: here,
  plugins: [trezorLongWithoutWasm()],
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
    // DMK, hw-app-eth and Trezor Connect are big; they are lazy chunks, loaded only on their button.
    chunkSizeWarningLimit: 1500,
  },
  preview: { headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
})
