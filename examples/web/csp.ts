/**
 * The Content-Security-Policy this app is built for, served by `vite preview` and by the e2e test:
 * only this origin's scripts, no eval, no inline script or style. `img-src data:` is for the wallet
 * icons EIP-6963 announces (data: URIs by that standard).
 * With the Trezor button in production, add `frame-src https://connect.trezor.io` (Trezor Connect's iframe).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "img-src 'self' data:",
].join('; ')
