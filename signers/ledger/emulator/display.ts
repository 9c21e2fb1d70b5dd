/** A personal message as the Ethereum app shows it: printable ASCII as-is, every other byte as `\xNN`. */
export function renderPersonalMessage(message: Uint8Array): string {
  let out = ''
  for (const b of message) out += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`
  return out
}
