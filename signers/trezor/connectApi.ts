// What this adapter uses of TrezorConnect, in a file of its own so the Node loader and the session both import it and not each other.

/** A connect call's answer: its payload, or connect's `{ error, code }`. */
export type ConnectResult<T> = { success: true; payload: T } | { success: false; payload: { error: string; code?: string } }

/** What we use of TrezorConnect: the Node build (@trezor/connect) or the web one (@trezor/connect-web). */
export type TrezorConnectApi = {
  init(settings: Record<string, unknown>): Promise<unknown>
  on(event: string, listener: (event: { type: string; payload?: unknown }) => void): void
  off?(event: string, listener: (event: { type: string; payload?: unknown }) => void): void
  dispose(): void | Promise<void>
  cancel(reason?: string): void
  uiResponse(response: { type: string; payload: unknown }): void
  ethereumGetAddress(params: Record<string, unknown>): Promise<ConnectResult<{ address: string }>>
  ethereumGetPublicKey(params: Record<string, unknown>): Promise<ConnectResult<{ publicKey: string; chainCode: string }>>
  ethereumSignMessage(params: Record<string, unknown>): Promise<ConnectResult<{ address: string; signature: string }>>
  ethereumSignTypedData(params: Record<string, unknown>): Promise<ConnectResult<{ address: string; signature: string }>>
}
