import { build } from 'esbuild'
import { join } from 'node:path'

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
  })
  return result.outputFiles[0]!.text
}

