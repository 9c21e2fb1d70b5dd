/**
 * Type-level tests: toXmtpSigner's result is assignable to the `Signer` of today's XMTP SDKs.
 * Checked by `npm run typecheck` (this file is in test/tsconfig.json); it never runs — @xmtp/node-sdk's
 * native binding needs Node 22 and glibc 2.38, which these machines do not have.
 */
import type { IdentifierKind, Signer as NodeSdkSigner } from '@xmtp/node-sdk'
import type { Signer as BrowserSdkSigner } from '@xmtp/browser-sdk'
import { toXmtpSigner, type Signer } from '../../src/index.js'

declare const ledger: Signer
declare const safe: Signer

// Both SDKs: IdentifierKind.Ethereum = 0, the default.
export const forNodeSdk: NodeSdkSigner = toXmtpSigner(ledger)
export const forNodeSdkScw: NodeSdkSigner = toXmtpSigner(safe)
export const forBrowserSdk: BrowserSdkSigner = toXmtpSigner(ledger)
export const forBrowserSdkScw: BrowserSdkSigner = toXmtpSigner(safe)
// Or the SDK's own enum member, explicitly.
export const explicit: NodeSdkSigner = toXmtpSigner(ledger, { identifierKind: 0 as IdentifierKind.Ethereum })

// A kind of another type is refused: older SDKs' string kinds are not today's enum.
// @ts-expect-error — 'Ethereum' is not the SDKs' IdentifierKind
export const wrongKind: NodeSdkSigner = toXmtpSigner(ledger, { identifierKind: 'Ethereum' })

// signMessage resolves to bytes, as both SDKs require.
export const bytes: Promise<Uint8Array> | Uint8Array = forBrowserSdk.signMessage('XMTP : Authenticate to inbox')
