import { build, type Plugin } from 'esbuild'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { LONG_MODULE, stripLongWasmProbe } from '../../../examples/web/longWasmProbe.js'

const here = import.meta.dirname

/**
 * Bundles a page-side script (test/browser/page/*.ts) into one classic script for
 * `page.addInitScript({ content })`. Bundled here rather than passed as a function, so no
 * transform helper of the test runner ends up in the page.
 */
export async function pageScript(name: 'virtualHid' | 'anvilWallet' | 'watch' | 'storeHarness'): Promise<string> {
  const result = await build({
    entryPoints: [join(here, '..', 'page', `${name}.ts`)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [longWithoutWasm],
  })
  return result.outputFiles[0]!.text
}

/** As the example's Vite build does: no WebAssembly probe from `long` for a strict CSP to report. */
const longWithoutWasm: Plugin = {
  name: 'long-without-wasm',
  setup(builder) {
    builder.onLoad({ filter: LONG_MODULE }, async ({ path }) => ({ contents: stripLongWasmProbe(await readFile(path, 'utf8'), path), loader: 'js' }))
  },
}
