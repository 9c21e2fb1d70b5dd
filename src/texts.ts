import { toHex } from './bytes.js'

// The signature request texts, byte for byte as XMTP v2 (xmtp-js WalletSigner) builds them.
const FOOTER = '\n\nFor more info: https://xmtp.org/signatures/'

/** The attestation: the wallet vouches that this identity key speaks for the account. */
export function createIdentityText(identityKeyBytes: Uint8Array): string {
  return `XMTP : Create Identity\n${toHex(identityKeyBytes)}${FOOTER}`
}

/** The storage signature: the key that encrypts the private bundle is derived from it. */
export function enableIdentityText(walletPreKey: Uint8Array): string {
  return `XMTP : Enable Identity\n${toHex(walletPreKey)}${FOOTER}`
}

/** Why each request is made, in the words a person reads before approving it. */
export const SIGNATURE_PURPOSES = {
  'create-identity':
    'Create Identity: your wallet attests that a newly generated XMTP identity key speaks for this account. It authorizes nothing else.',
  'enable-identity':
    'Enable Identity: the signature is turned into the key that encrypts your XMTP private keys for storage. The same signature is asked again to unlock them.',
  'xmtp-v3':
    'XMTP v3: the XMTP SDK asks your wallet to authorize the inbox action listed in the text (create an inbox, add or revoke an installation).',
} as const

export type SignaturePurpose = keyof typeof SIGNATURE_PURPOSES
