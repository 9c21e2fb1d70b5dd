// The tests' one way to bundle our sources for the browser, as an app's bundler would (esbuild, platform browser).
import { build } from 'esbuild'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', '..')

/** Bundles `contents` (imports relative to the repository root); returns the code and every input file it pulled in. */
export async function bundleForBrowser(contents: string, options: { format?: 'esm' | 'iife'; globalName?: string } = {}): Promise<{ code: string; inputs: string[] }> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'browser',
    format: options.format ?? 'esm',
    ...(options.globalName ? { globalName: options.globalName } : {}),
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) }
}
