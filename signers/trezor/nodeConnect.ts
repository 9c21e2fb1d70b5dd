// The Node build of @trezor/connect, loaded only when no connect instance is passed in (browsers pass
// @trezor/connect-web). Its default export is `module.exports.default` under Node's ESM loader.
import { createRequire } from 'node:module'
import { isModuleNotFound, MissingPackageError, TransportUnavailableError } from '../../src/adapter/index.js'
import type { TrezorConnectApi } from './connectApi.js'

export type NodeConnect = { connect: TrezorConnectApi; bridgeTransport: (port: number) => unknown }

export function loadNodeConnect(): NodeConnect {
  const require = createRequire(import.meta.url)
  try {
    const connect = (require('@trezor/connect') as { default: TrezorConnectApi }).default
    const { BridgeTransport } = require('@trezor/transport') as { BridgeTransport: new (options: { port: number; messages: unknown }) => unknown }
    const messages = require('@trezor/protobuf/messages.json') as unknown
    return { connect, bridgeTransport: (port) => new BridgeTransport({ port, messages }) }
  } catch (cause) {
    if (isModuleNotFound(cause)) {
      throw new MissingPackageError({
        packages: ['@trezor/connect', '@trezor/transport', '@trezor/protobuf'],
        feature: 'xmtp-signers/trezor in Node',
        details: cause instanceof Error ? cause.message.split('\n')[0] : String(cause),
        cause,
      })
    }
    throw new TransportUnavailableError('Trezor support failed to load.', {
      wallet: 'Trezor',
      details: cause instanceof Error ? cause.message : String(cause),
      nextStep: 'Reinstall it: npm install @trezor/connect @trezor/transport @trezor/protobuf (optional peers of xmtp-signers; about 180 MB).',
      cause,
    })
  }
}
