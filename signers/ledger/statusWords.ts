/**
 * The Ethereum app's and the OS's status words, by name: the one list both the emulator (which
 * answers them) and the error mapping in errors.ts (which explains them) use.
 */
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
} as const

export type StatusWord = (typeof STATUS_WORDS)[keyof typeof STATUS_WORDS]
