import { MissingPackageError } from '../errors.js'

/** What names the packages to install, and what needs them (e.g. "The smart-account signer"). */
export type OptionalPackage = { readonly packages: readonly string[]; readonly feature: string }

/** Whether `error` says a module could not be found (Node's ESM and CJS loaders, Vite's, browsers' dynamic import). */
export function isModuleNotFound(error: unknown): boolean {
  const { code, message = '' } = (error ?? {}) as { code?: unknown; message?: string }
  return (
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    /Cannot find (module|package)|Could not resolve "|Failed to resolve module specifier|Failed to fetch dynamically imported module/.test(String(message))
  )
}

/**
 * Loads an optional package with `load` (a dynamic import or a `require`), once; a missing package
 * is `MissingPackageError` naming the install command, any other load failure is passed on as it is.
 */
export function optionalPackage<T>(spec: OptionalPackage, load: () => T | Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined
  return () =>
    (loaded ??= Promise.resolve()
      .then(load)
      .catch((cause: unknown) => {
        loaded = undefined
        throw isModuleNotFound(cause) ? new MissingPackageError({ ...spec, details: cause instanceof Error ? cause.message.split('\n')[0] : String(cause), cause }) : cause
      }))
}
