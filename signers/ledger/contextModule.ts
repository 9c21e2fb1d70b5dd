/**
 * DMK's context module, offline. The default one asks Ledger's backend for clear-signing metadata
 * (token names, EIP-712 filters, trusted names): with no network that would stall or fail a signature.
 * This one answers "no context" at once, so the Ethereum app shows the typed data field by field, as
 * it does for any contract Ledger has no metadata for, and never touches the network.
 */
const NO_CONTEXT = 'no clear-signing metadata offline'

export type OfflineContextModule = {
  getContexts(input: unknown, expectedTypes?: unknown[]): Promise<never[]>
  getFieldContext(field: unknown, expectedType: unknown): Promise<{ type: 'error'; error: Error }>
  getTypedDataFilters(typedData: unknown): Promise<{ type: 'error'; error: Error }>
  report(params: unknown): Promise<void>
}

export function offlineContextModule(): OfflineContextModule {
  return {
    getContexts: async () => [],
    // 'error' is ClearSignContextType.ERROR: DMK then sends the field without extra context.
    getFieldContext: async () => ({ type: 'error', error: new Error(NO_CONTEXT) }),
    getTypedDataFilters: async () => ({ type: 'error', error: new Error(NO_CONTEXT) }),
    report: async () => {},
  }
}
