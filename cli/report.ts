import { isXmtpSignersError, toHex, type BundleVerification, type ProgressEvent, type StoredIdentity, type XmtpIdentity } from '../src/index.js'

export type Out = { log: (line: string) => void }

const indent = (text: string, prefix = '    │ ') =>
  text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n')

/** Step-by-step narration for a person: what the wallet will be asked to sign, and why. */
export function narrate(out: Out): (event: ProgressEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'identity-key-generated':
        out.log(`• Generated a new XMTP identity key (public key ${short(event.identityPublicKey)}). Its private half never leaves this process unencrypted.`)
        break
      case 'signature-request':
        out.log(`• Your wallet is asked to sign this text (personal_sign)${event.attempt > 1 ? ', again, to check it signs the same way twice' : ''}:`)
        out.log(indent(event.text))
        out.log(`  Why: ${event.explanation}`)
        break
      case 'signature-verified':
        out.log(
          event.blockNumber === undefined
            ? `  ✓ The signature is well formed and recovers to ${event.address}.`
            : `  ✓ The account contract ${event.address} accepts the signature (checked on chain at block ${event.blockNumber}).`,
        )
        break
      case 'storage-key-derived':
        out.log('• Derived the storage key from your passphrase (scrypt).')
        break
      case 'prekey-generated':
        out.log(`• Generated a prekey (${short(event.preKeyPublicKey)}) and signed it with the identity key.`)
        break
      case 'bundle-encrypted':
        out.log('• Encrypted the private keys (HKDF-SHA256 → AES-256-GCM) with a key derived from the "Enable Identity" signature.')
        break
      case 'bundle-stored':
        out.log(`• Stored the encrypted bundle under ${event.storageTopic}\n  in ${event.location}`)
        break
      case 'bundle-loaded':
        out.log(`• Found an encrypted bundle under ${event.storageTopic}\n  in ${event.location}`)
        break
      case 'bundle-decrypted':
        out.log('  ✓ Decrypted the private key bundle.')
        break
      case 'bundle-verified':
        out.log(`  ✓ Verified: the identity key is attested by ${event.address}, every prekey is signed by it, and the public keys match the private ones.`)
        break
    }
  }
}

function short(bytes: Uint8Array): string {
  const hex = toHex(bytes)
  return `${hex.slice(0, 10)}…${hex.slice(-8)}`
}

/** The `--json` object for `create` / `unlock`. Public material only. */
export function identityJson(identity: XmtpIdentity, extra: { encryptedBundle: Uint8Array; store?: string; created?: boolean; signer: string }) {
  return {
    address: identity.address,
    identityPublicKey: toHex(identity.identityPublicKey),
    preKeyPublicKey: toHex(identity.preKeyPublicKey),
    preKeyPublicKeys: identity.preKeyPublicKeys.map(toHex),
    publicKeyBundle: toHex(identity.encodeSignedPublicKeyBundle()),
    publicKeyBundleV1: toHex(identity.encodePublicKeyBundle()),
    contactBundle: toHex(identity.encodeContactBundle(1)),
    contactBundleV2: toHex(identity.encodeContactBundle(2)),
    encryptedPrivateKeyBundle: toHex(extra.encryptedBundle),
    storageTopic: identity.storageTopic,
    ...(extra.store !== undefined ? { store: extra.store } : {}),
    ...(extra.created !== undefined ? { created: extra.created } : {}),
    signer: extra.signer,
  }
}

export function printIdentity(out: Out, result: Pick<StoredIdentity, 'identity'>, headline: string): void {
  const { identity } = result
  out.log('')
  out.log(headline)
  out.log(`  account              ${identity.address}`)
  out.log(`  identity public key  ${toHex(identity.identityPublicKey)}`)
  out.log(`  current prekey       ${toHex(identity.preKeyPublicKey)}`)
  if (identity.preKeyPublicKeys.length > 1) out.log(`  earlier prekeys      ${identity.preKeyPublicKeys.length - 1} (kept for old messages)`)
  out.log(`  storage topic        ${identity.storageTopic}`)
  out.log(`  contact bundle (v1)  ${toHex(identity.encodeContactBundle(1))}`)
  out.log('  (--json prints every public bundle in hex; private keys are never printed)')
}

/** What a verdict without --address means: who signed, not that it is the account the person expects. */
export const NO_ADDRESS_NOTE =
  'No --address was given to compare with: this shows which account signed the attestation, not that it is the account you expect (any well-formed signature recovers to some address). Pass --address 0x… to check it.'

export function verificationJson(report: BundleVerification) {
  return {
    valid: report.valid,
    ...(report.smartAccount
      ? { smartAccount: { account: `eip155:${report.smartAccount.account.chainId}:${report.smartAccount.account.address}`, blockNumber: report.smartAccount.blockNumber.toString() } }
      : {}),
    format: report.format,
    walletAddress: report.walletAddress ?? null,
    attestedBy: report.attestedBy ?? null,
    expectedAddress: report.expectedAddress ?? null,
    accountChecked: report.expectedAddress !== undefined,
    ...(report.expectedAddress === undefined ? { note: NO_ADDRESS_NOTE } : {}),
    identityPublicKey: toHex(report.identityPublicKey),
    preKeyPublicKey: toHex(report.preKeyPublicKey),
    checks: report.checks,
  }
}

export function printVerification(out: Out, report: BundleVerification): void {
  const verdict = report.valid ? '✓ Valid' : '✗ NOT valid'
  if (report.expectedAddress !== undefined) out.log(`${verdict} ${report.format}${report.walletAddress ? ` for ${report.walletAddress}` : ''}`)
  else out.log(`${verdict} ${report.format}: the attestation is by ${report.attestedBy ?? 'no account'}; no address was given to compare with`)
  out.log(`  identity key ${toHex(report.identityPublicKey)}`)
  for (const check of report.checks) out.log(`  ${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}`)
  if (report.expectedAddress === undefined && report.attestedBy !== undefined) out.log(`  ! ${NO_ADDRESS_NOTE}`)
}

/** The `--json` error; `hint` is the CLI's own next step (its flags and commands), null when it has none. */
export function errorJson(error: unknown, hint?: string) {
  if (isXmtpSignersError(error)) {
    return { error: { name: error.name, code: error.code, message: error.shortMessage, details: error.details ?? null, nextStep: error.nextStep ?? null, hint: hint ?? null } }
  }
  return { error: { name: 'Error', code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), details: null, nextStep: 'This is a bug in xmtp-signers; please report it with the command you ran.', hint: null } }
}
