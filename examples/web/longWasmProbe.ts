/**
 * `long` (the 64-bit integers protobufjs decodes into) probes WebAssembly when it loads, for faster
 * multiplication. Under a Content-Security-Policy without 'wasm-unsafe-eval' the browser refuses the
 * probe: `long` falls back to plain JavaScript and works, but the page reports a CSP violation. This
 * removes the probe from `long`'s two builds, so a strict policy sees nothing to refuse.
 */
export const LONG_MODULE = /[\\/]node_modules[\\/]long[\\/](umd[\\/])?index\.js$/

export function stripLongWasmProbe(code: string, id: string): string {
  const probe = /(wasm = )new WebAssembly\.Instance\([\s\S]*?\)\.exports;/
  if (!probe.test(code)) throw new Error(`${id}: long's WebAssembly probe was not found; check the new version of long`)
  return code.replace(probe, '$1null;')
}

/** The same, as a Vite plugin. */
export function longWithoutWasm() {
  return {
    name: 'long-without-wasm',
    enforce: 'pre' as const,
    transform(code: string, id: string) {
      return LONG_MODULE.test(id) ? { code: stripLongWasmProbe(code, id), map: null } : undefined
    },
  }
}
