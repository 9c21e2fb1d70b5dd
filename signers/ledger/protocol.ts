/**
 * The Ledger Ethereum app's protocol facts, by name: the APDU bytes, the status words, its limits and
 * how it shows a message. The one table the adapter, its error mapping, the emulator and the bench use.
 */

/** Status words of the Ethereum app and of the OS. */
export const STATUS_WORDS = {
  OK: 0x9000,
  /** The person pressed reject on the device. */
  USER_REJECTED: 0x6985,
  /** Rejection, as the older spec text has it. */
  USER_REJECTED_LEGACY: 0x6982,
  /** The person refused at the OS level. */
  USER_REFUSED_OS: 0x5501,
  /** The device is locked (PIN screen). */
  DEVICE_LOCKED: 0x5515,
  DEVICE_LOCKED_LEGACY: 0x6b0c,
  /** The dashboard is in front: no app handles CLA 0xE0. */
  APP_NOT_OPEN: 0x6e01,
  /** Another app is open (or the CLA is not the Ethereum app's). */
  CLA_NOT_SUPPORTED: 0x6e00,
  INS_NOT_SUPPORTED: 0x6d00,
  APP_NOT_OPEN_OS_6511: 0x6511,
  APP_NOT_OPEN_OS_650F: 0x650f,
  WRONG_APP_6A15: 0x6a15,
  WRONG_APP_6A83: 0x6a83,
  /** The OS UI (e.g. the control center) is in front. */
  OS_MENU_OPEN: 0x6901,
  INVALID_DATA: 0x6a80,
  NOT_ENOUGH_SPACE: 0x6a84,
  WRONG_LENGTH: 0x6700,
  INVALID_P1_P2: 0x6b00,
  /** OPEN APP: no app of that name is installed. */
  APP_NOT_INSTALLED: 0x6807,
  /** OPEN APP: the command carried no app name. */
  NO_APP_NAME: 0x670a,
} as const

export type StatusWord = (typeof STATUS_WORDS)[keyof typeof STATUS_WORDS]

/** The class bytes: the Ethereum app's, and the OS's (answered by whatever is in front, the dashboard included). */
export const CLA = { ETHEREUM: 0xe0, OS: 0xb0 } as const

/**
 * The commands used, with their P1/P2 values (app-ethereum's `doc/ethapp.adoc`; the OS's GET APP AND
 * VERSION). hw-app-eth builds them for the adapter; the emulator answers them; the bench sends a few raw.
 */
export const APDU = {
  /** Answered `[format 1][name length][name][version length][version][flags length][flags]`. */
  GET_APP_AND_VERSION: { cla: CLA.OS, ins: 0x01, p1: { NONE: 0x00 }, p2: { NONE: 0x00 }, format: 0x01 },
  GET_ADDRESS: { cla: CLA.ETHEREUM, ins: 0x02, p1: { SILENT: 0x00, DISPLAY: 0x01 }, p2: { NO_CHAIN_CODE: 0x00, CHAIN_CODE: 0x01 } },
  /** Answered `[flags][major][minor][patch]`. */
  GET_APP_CONFIGURATION: {
    cla: CLA.ETHEREUM,
    ins: 0x06,
    p1: { NONE: 0x00 },
    p2: { NONE: 0x00 },
    // app-ethereum's APP_FLAG_*: DMK reads TX_CHECKS_* to decide whether to ask the web3-checks opt-in (INS 32).
    flags: { BLIND_SIGNING: 0x01, EXTERNAL_TOKEN_NEEDED: 0x02, TX_CHECKS_ENABLED: 0x10, TX_CHECKS_OPT_IN: 0x20 },
  },
  SIGN_PERSONAL_MESSAGE: { cla: CLA.ETHEREUM, ins: 0x08, p1: { FIRST: 0x00, MORE: 0x80 }, p2: { NONE: 0x00 } },
  /** Signs EIP-712: by the two hashes, or (full) the message sent before with the three below. */
  SIGN_EIP712: { cla: CLA.ETHEREUM, ins: 0x0c, p1: { NONE: 0x00 }, p2: { HASHED: 0x00, FULL: 0x01 } },
  EIP712_STRUCT_DEFINITION: { cla: CLA.ETHEREUM, ins: 0x1a, p1: { NONE: 0x00 }, p2: { NAME: 0x00, FIELD: 0xff } },
  EIP712_STRUCT_IMPLEMENTATION: { cla: CLA.ETHEREUM, ins: 0x1c, p1: { COMPLETE: 0x00, PARTIAL: 0x01 }, p2: { ROOT: 0x00, ARRAY: 0x0f, FIELD: 0xff } },
  /** Answered `[challenge u32 big-endian]`: a trusted name (INS 22) signed by Ledger must carry it. */
  GET_CHALLENGE: { cla: CLA.ETHEREUM, ins: 0x20, p1: { NONE: 0x00 }, p2: { NONE: 0x00 } },
  /** Context a host provides before signing; each payload is signed by Ledger's keys (CAL, trusted names, …). */
  PROVIDE_ERC20_TOKEN_INFORMATION: { cla: CLA.ETHEREUM, ins: 0x0a },
  PROVIDE_NFT_INFORMATION: { cla: CLA.ETHEREUM, ins: 0x14 },
  PROVIDE_TRUSTED_NAME: { cla: CLA.ETHEREUM, ins: 0x22 },
  PROVIDE_ENUM_VALUE: { cla: CLA.ETHEREUM, ins: 0x24 },
  PROVIDE_TRANSACTION_INFO: { cla: CLA.ETHEREUM, ins: 0x26 },
  PROVIDE_TRANSACTION_FIELD: { cla: CLA.ETHEREUM, ins: 0x28 },
  PROVIDE_PROXY_INFO: { cla: CLA.ETHEREUM, ins: 0x2a },
  PROVIDE_NETWORK_CONFIGURATION: { cla: CLA.ETHEREUM, ins: 0x30 },
  /** P1 00: a transaction-check payload; P1 01: ask the person to opt in to web3 checks (answered `[enabled]`). */
  WEB3_CHECKS: { cla: CLA.ETHEREUM, ins: 0x32, p1: { PAYLOAD: 0x00, OPT_IN: 0x01 } },
  PROVIDE_SAFE_ACCOUNT: { cla: CLA.ETHEREUM, ins: 0x36 },
  PROVIDE_GATING: { cla: CLA.ETHEREUM, ins: 0x38 },
  /** The dashboard's (OS) commands, CLA E0 like the app's: only the dashboard answers them. */
  GET_OS_VERSION: { cla: CLA.ETHEREUM, ins: 0x01, p1: { NONE: 0x00 }, p2: { NONE: 0x00 } },
  /** Data: the app name in ASCII. The OS may ask the person to confirm; 9000 once the app is open. */
  OPEN_APP: { cla: CLA.ETHEREUM, ins: 0xd8, p1: { NONE: 0x00 }, p2: { NONE: 0x00 } },
  /** Answered by any app (the SDK handles it): the app quits to the dashboard. */
  CLOSE_APP: { cla: CLA.OS, ins: 0xa7, p1: { NONE: 0x00 }, p2: { NONE: 0x00 } },
  EIP712_FILTERING: {
    cla: CLA.ETHEREUM,
    ins: 0x1e,
    p1: { STANDARD: 0x00, DISCARDED: 0x01 },
    p2: { ACTIVATE: 0x00, DISCARDED_PATH: 0x01, MESSAGE_INFO: 0x0f, DATETIME: 0xfc, AMOUNT_JOIN_TOKEN: 0xfd, AMOUNT_JOIN_VALUE: 0xfe, RAW: 0xff },
  },
} as const

export type ApduCommand = keyof typeof APDU

/** An EIP-712 field definition's type descriptor byte (INS 1A, P2 FF): flags, then the type key in the low nibble. */
export const EIP712_FIELD_TYPE = {
  ARRAY: 0x80,
  SIZED: 0x40,
  RESERVED: 0x30,
  KEY: 0x0f,
  keys: { STRUCT: 0, INT: 1, UINT: 2, ADDRESS: 3, BOOL: 4, STRING: 5, FIXED_BYTES: 6, BYTES: 7 },
  /** Each array level: dynamic (`[]`) or fixed (`[n]`, its size follows). */
  arrayLevel: { DYNAMIC: 0, FIXED: 1 },
} as const

/** The name the Ethereum app goes by: in GET APP AND VERSION's answer and in OPEN APP's request. */
export const ETHEREUM_APP_NAME = 'Ethereum'

/** What GET APP AND VERSION names when the dashboard (the OS) is in front rather than an app. */
export const DASHBOARD_APP_NAME = 'BOLOS'

/** Data bytes one APDU carries: Lc is one byte. */
export const MAX_APDU_DATA = 255
/** Derivation levels the Ethereum app accepts in a path. */
export const MAX_PATH_LEVELS = 10

/** USB: every Ledger's vendor id, and the HID framing both sides use (64-byte reports tagged 0x05; node-hid's channel). */
export const USB = { VENDOR_ID: 0x2c97, HID_REPORT_SIZE: 64, HID_TAG_APDU: 0x05, NODE_HID_CHANNEL: 0x0101 } as const

/** The APDU's first two bytes in hex (`e008`), as transcripts start. */
export function apduPrefix(command: { readonly cla: number; readonly ins: number }): string {
  return [command.cla, command.ins].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** A path as the app reads it: `[level count][u32 big-endian index]…`. */
export function encodePath(indexes: readonly number[]): Uint8Array {
  const out = new Uint8Array(1 + 4 * indexes.length)
  const view = new DataView(out.buffer)
  out[0] = indexes.length
  indexes.forEach((index, i) => view.setUint32(1 + 4 * i, index))
  return out
}

/** A personal message as the Ethereum app shows it: printable ASCII as-is, every other byte as `\xNN`. */
export function renderPersonalMessage(message: Uint8Array | string): string {
  const bytes = typeof message === 'string' ? new TextEncoder().encode(message) : message
  let out = ''
  for (const b of bytes) out += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`
  return out
}
