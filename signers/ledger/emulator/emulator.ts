import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { HDKey } from '@scure/bip32'
import { mnemonicToSeedSync, validateMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import {
  concatBytes,
  formatDerivationPath,
  hashPersonalMessage,
  hashTypedData,
  InvalidInputError,
  parseDerivationPath,
  publicKeyToAddress,
  randomBytes,
  TEST_MNEMONIC,
  to0xHex,
  toHex,
  type Address,
} from '../../../src/adapter/index.js'
import type { EmulatorScreen, UserDecision } from '../../shared/emulatorScreens.js'
import { APDU, CLA, DASHBOARD_APP_NAME, ETHEREUM_APP_NAME, MAX_PATH_LEVELS, renderPersonalMessage } from '../protocol.js'
import { Eip712Session } from './eip712.js'
import { readPath } from './paths.js'
import { DeviceStatus, STATUS_WORDS, refuse, type StatusWord } from './statusWords.js'
import { FaultQueue, type QueuedFault as SharedQueuedFault } from '../../shared/faultQueue.js'

/** The public Hardhat/Anvil test phrase (the kit's one copy): never hold value with it. */
export { TEST_MNEMONIC }
export type { UserDecision }
/**
 * Today's Ethereum app. app-ethereum's newest stored source (develop, 2026-04-17) is 1.22.0 released and
 * 1.23.0-dev, and still signs hashed EIP-712; Ledger removed it in September 2026, so the emulator takes
 * the release after 1.22.0 as the first without it.
 */
export const DEFAULT_APP_VERSION = '1.23.0'
/** The first Ethereum app version that no longer signs hashed EIP-712 (INS 0C P2 00 answers 6b00). */
export const HASHED_EIP712_REMOVED_IN = '1.23.0'
export { DASHBOARD_APP_NAME }
/** The OS version GET APP AND VERSION and GET OS VERSION report when the dashboard is in front. */
export const DASHBOARD_OS_VERSION = '2.2.3'
export { ETHEREUM_APP_NAME }

/**
 * What the device shows the person, in order: the shared emulator vocabulary. GET ADDRESS with P1 01
 * shows `address`; a personal message is `sign-message` (printable ASCII as-is, other bytes `\\xNN`);
 * EIP-712 is `sign-typed-data`, `hashed` with the two hashes (no primary type: the device never sees it)
 * or `full` with the domain and message the device rebuilt.
 */
export type DeviceScreen = EmulatorScreen

export type LedgerFault =
  /** The person presses reject on the next confirmation: SW 6985. */
  | { type: 'reject' }
  /** Device locked: SW 5515 on the next APDU. */
  | { type: 'locked' }
  /**
   * The dashboard comes to the front: app commands answer 6e01, GET APP AND VERSION names "BOLOS", and the
   * OS answers GET OS VERSION and OPEN APP (the person confirms; then the Ethereum app is open). Once: it
   * lasts until OPEN APP or the first refused app command (then the person opens the app by hand).
   * Persistent: the Ethereum app cannot be opened (OPEN APP answers 6807) until `clearFaults()`.
   */
  | { type: 'app-closed' }
  /**
   * Another app (default "Bitcoin") comes to the front: CLA E0 answers 6e00, GET APP AND VERSION names it,
   * CLOSE APP (B0 A7) quits it to the dashboard. Once: it lasts until CLOSE APP or the first refused
   * command. Persistent: after CLOSE APP the Ethereum app cannot be opened (6807) until `clearFaults()`.
   */
  | { type: 'wrong-app'; appName?: string }
  /** The OS UI (control center) in front: SW 6901. */
  | { type: 'os-menu' }
  /** Another client is mid-exchange: the exchange rejects with an Error named 'TransportRaceCondition'. */
  | { type: 'busy' }
  /**
   * Unplugged at the Nth APDU from now (default the next): that APDU gets no answer, the exchange
   * rejects with an Error named 'DisconnectedDeviceDuringOperation', and every later one with
   * 'DisconnectedDevice' until `reconnect()`.
   */
  | { type: 'disconnect'; atApdu?: number }
  /** The next APDU is answered after `ms`. */
  | { type: 'delay'; ms: number }

export type LedgerEmulatorOptions = {
  mnemonic?: string
  passphrase?: string
  /** Default DEFAULT_APP_VERSION (today's app); GET APP CONFIGURATION and GET APP AND VERSION report it. */
  appVersion?: string
  /** The simulated person; default approve. */
  decide?: (screen: DeviceScreen) => UserDecision | Promise<UserDecision>
  /** Time the person takes per confirmation (default 0). */
  confirmDelayMs?: number
  /** The "Blind signing" setting, reported in GET APP CONFIGURATION flags bit 0 (default false). */
  blindSigning?: boolean
  /**
   * Whether the app signs full EIP-712 messages (default true). Nano S and Ethereum apps before
   * 1.9.19 do not: INS 1A/1C/1E and 0C P2 01 answer 6d00, only the hashed mode works.
   */
  eip712Full?: boolean
  /**
   * Whether the app still signs hashed EIP-712 (INS 0C P2 00): default true only for `appVersion` older
   * than HASHED_EIP712_REMOVED_IN. Today's app answers 6b00 (its P2 switch has no legacy case left).
   */
  eip712Hashed?: boolean
}

type QueuedFault = SharedQueuedFault<LedgerFault> & { atApdu?: number }
type ScreenFault = Extract<LedgerFault, { type: 'locked' | 'os-menu' }>
type FrontFault = Extract<LedgerFault, { type: 'app-closed' | 'wrong-app' }>
/** What is in front on the device: the Ethereum app, the dashboard, or another app. */
type Front = { kind: 'ethereum' } | { kind: 'dashboard' } | { kind: 'other-app'; name: string }

/** Faults answered per APDU (the screen covers whatever is in front). */
const SCREEN_FAULTS = new Set<LedgerFault['type']>(['locked', 'os-menu'])
/** Faults that change what is in front, once each (a persistent one also keeps the Ethereum app from opening). */
const FRONT_FAULTS = new Set<LedgerFault['type']>(['app-closed', 'wrong-app'])
const OTHER_APP_VERSION = '2.1.0'
/** GET OS VERSION's fixed facts: a Nano X target id, the MCU and bootloader versions it reports. */
const OS_TARGET_ID = 0x33000004
const OS_MCU_VERSION = '2.61'
const OS_BOOTLOADER_VERSION = '1.16'
/** The Ethereum app's web3-checks era starts at 1.15.0: from then on GET APP CONFIGURATION reports today's flags. */
const WEB3_CHECKS_SINCE: readonly [number, number, number] = [1, 15, 0]
const ascii = new TextEncoder()
/** The commands of a full EIP-712 exchange: another command in between ends it. */
const EIP712_INS = new Set<number>([APDU.EIP712_STRUCT_DEFINITION.ins, APDU.EIP712_STRUCT_IMPLEMENTATION.ins, APDU.EIP712_FILTERING.ins, APDU.SIGN_EIP712.ins])
/**
 * Context a host may send while a message is being built (DMK sends trusted names amid EIP-712 values):
 * these do not end a multi-APDU command. Each carries a Ledger signature the emulator cannot check, so
 * the app's answer to a bad signature, 6a80, is what it gets.
 */
const CONTEXT_INS = new Set<number>([
  APDU.PROVIDE_ERC20_TOKEN_INFORMATION.ins,
  APDU.PROVIDE_NFT_INFORMATION.ins,
  APDU.PROVIDE_TRUSTED_NAME.ins,
  APDU.PROVIDE_ENUM_VALUE.ins,
  APDU.PROVIDE_TRANSACTION_INFO.ins,
  APDU.PROVIDE_TRANSACTION_FIELD.ins,
  APDU.PROVIDE_PROXY_INFO.ins,
  APDU.PROVIDE_NETWORK_CONFIGURATION.ins,
  APDU.PROVIDE_SAFE_ACCOUNT.ins,
  APDU.PROVIDE_GATING.ins,
])
const NO_DATA = new Uint8Array()
/** EIP-712's digest prefix: keccak256(0x19 0x01 ‖ domain hash ‖ message hash). */
const EIP712_PREFIX = Uint8Array.of(0x19, 0x01)

/** An Error named like the one hw-transport raises, so callers match on `name` as with a real transport. */
function transportError(name: 'TransportRaceCondition' | 'DisconnectedDeviceDuringOperation' | 'DisconnectedDevice', message: string): Error {
  const error = new Error(message)
  error.name = name
  return error
}

function reply(data: Uint8Array, statusWord: StatusWord = STATUS_WORDS.OK): Uint8Array {
  return concatBytes(data, Uint8Array.of(statusWord >> 8, statusWord & 0xff))
}

const lv = (bytes: Uint8Array): Uint8Array => concatBytes(Uint8Array.of(bytes.length), bytes)

/** `[major, minor, patch]` a at least b. */
function versionAtLeast(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < 3; i++) if (a[i]! !== b[i]!) return a[i]! > b[i]!
  return true
}

function appAndVersion(name: string, version: string, flags: number): Uint8Array {
  const n = ascii.encode(name)
  const v = ascii.encode(version)
  return reply(concatBytes(Uint8Array.of(APDU.GET_APP_AND_VERSION.format, n.length), n, Uint8Array.of(v.length), v, Uint8Array.of(1, flags)))
}

/** A path the Ethereum app takes, by the kit's one parser. */
function devicePath(path: string): number[] {
  try {
    return parseDerivationPath(path)
  } catch (cause) {
    throw new InvalidInputError(`Not a derivation path the Ethereum app takes (at most ${MAX_PATH_LEVELS} levels): "${path}"`, { cause })
  }
}

function parseVersion(version: string): [number, number, number] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:-[0-9A-Za-z.-]+)?$/.exec(version)
  const parts = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : []
  return match && parts.every((p) => p <= 255) ? (parts as [number, number, number]) : undefined
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * A Ledger device running today's Ethereum app, in memory: it answers the app's APDUs (GET ADDRESS,
 * GET APP CONFIGURATION, SIGN PERSONAL MESSAGE, full EIP-712; hashed EIP-712 only as an older app) with
 * keys derived from a mnemonic, and the dashboard's (GET OS VERSION, OPEN APP, CLOSE APP) when the app is
 * not in front; asks a simulated person to confirm, and can be told to fail the ways real devices do.
 * Reach it through `createEmulatorTransport` (in process), `startSpeculosServer` (TCP) or
 * `startSpeculosHttpServer` (Speculos' REST API, which DMK's speculos transport speaks).
 */
export class LedgerEmulator {
  readonly screens: DeviceScreen[] = []
  onScreen?: (screen: DeviceScreen) => void
  /** Every answered APDU, hex: replay it with hw-transport-mocker (`transcriptText()`). */
  readonly transcript: { command: string; response: string }[] = []
  /** APDUs received, including those a fault swallowed. */
  apduCount = 0

  readonly #master: HDKey
  readonly #keys = new Map<string, HDKey>()
  readonly #version: [number, number, number]
  readonly #appVersion: string
  readonly #decide: (screen: DeviceScreen) => UserDecision | Promise<UserDecision>
  readonly #confirmDelayMs: number
  readonly #blindSigning: boolean
  readonly #eip712Full: boolean
  readonly #eip712Hashed: boolean
  readonly #seedWordCount: number
  #front: Front = { kind: 'ethereum' }
  /** A persistent app-closed / wrong-app: the Ethereum app does not open until clearFaults(). */
  #ethereumUnopenable = false
  /** Persistent front faults already applied (they change the front once, not at every APDU). */
  #appliedFrontFaults = new WeakSet<QueuedFault>()
  readonly #faults = new FaultQueue<QueuedFault>()
  #unplugged = false
  #generation = 0
  #busy = false
  readonly #unplugWaiters = new Set<() => void>()
  readonly #disconnectListeners = new Set<() => void>()
  readonly #screenListeners = new Set<(screen: DeviceScreen) => void>()
  #personal: { indexes: number[]; total: number; chunks: Uint8Array[]; received: number } | undefined
  #eip712: Eip712Session | undefined

  constructor(options: LedgerEmulatorOptions = {}) {
    const words = (options.mnemonic ?? TEST_MNEMONIC).trim().split(/\s+/).join(' ')
    if (!validateMnemonic(words, wordlist)) {
      throw new InvalidInputError('The emulator mnemonic is not a valid BIP-39 phrase.', { nextStep: 'Pass 12 to 24 English BIP-39 words, or omit it to use TEST_MNEMONIC.' })
    }
    this.#master = HDKey.fromMasterSeed(mnemonicToSeedSync(words, options.passphrase))
    this.#appVersion = options.appVersion ?? DEFAULT_APP_VERSION
    const version = parseVersion(this.#appVersion)
    if (!version) {
      throw new InvalidInputError('The emulator app version is not valid.', { details: this.#appVersion, nextStep: `Pass a version like ${DEFAULT_APP_VERSION} (each part at most 255).` })
    }
    this.#version = version
    this.#decide = options.decide ?? (() => 'approve')
    this.#confirmDelayMs = options.confirmDelayMs ?? 0
    this.#blindSigning = options.blindSigning ?? false
    this.#eip712Full = options.eip712Full ?? true
    this.#eip712Hashed = options.eip712Hashed ?? !versionAtLeast(this.#version, parseVersion(HASHED_EIP712_REMOVED_IN)!)
    this.#seedWordCount = words.split(' ').length
  }

  /** Queues a fault; it applies once (to the next matching APDU or confirmation) unless `persistent`. */
  injectFault(fault: LedgerFault & { persistent?: boolean }): void {
    const { persistent = false, ...rest } = fault
    const queued: QueuedFault = { fault: rest as LedgerFault, persistent }
    if (rest.type === 'disconnect') {
      const n = rest.atApdu ?? 1
      if (!Number.isSafeInteger(n) || n < 1) throw new InvalidInputError('atApdu counts APDUs from now: 1 is the next one.', { details: String(rest.atApdu) })
      // An unplug happens once; reconnect() ends it.
      queued.persistent = false
      queued.atApdu = this.apduCount + n
    }
    if (rest.type === 'delay' && !(Number.isFinite(rest.ms) && rest.ms >= 0)) throw new InvalidInputError('A delay is a number of milliseconds.', { details: String(rest.ms) })
    this.#faults.push(queued)
  }

  /** Drops every queued fault; the person also brings the Ethereum app back to the front. */
  clearFaults(): void {
    this.#faults.clear()
    this.#appliedFrontFaults = new WeakSet()
    this.#ethereumUnopenable = false
    this.#front = { kind: 'ethereum' }
  }

  /** The name GET APP AND VERSION reports now: "Ethereum", "BOLOS" (the dashboard) or another app's. */
  get appInFront(): string {
    return this.#front.kind === 'ethereum' ? ETHEREUM_APP_NAME : this.#front.kind === 'dashboard' ? DASHBOARD_APP_NAME : this.#front.name
  }

  /** Unplugs the device now: an exchange in progress (even one waiting for the person) rejects. */
  unplug(): void {
    if (this.#unplugged) return
    this.#unplugged = true
    this.#generation++
    this.#personal = undefined
    this.#eip712 = undefined
    for (const wake of [...this.#unplugWaiters]) wake()
    for (const listener of [...this.#disconnectListeners]) listener()
  }

  /** Plugs the device back in, Ethereum app open, no command in progress. Open a new transport to use it. */
  reconnect(): void {
    this.#unplugged = false
    this.#personal = undefined
    this.#eip712 = undefined
    this.#front = { kind: 'ethereum' }
    this.#appliedFrontFaults = new WeakSet()
  }

  get connected(): boolean {
    return !this.#unplugged
  }

  /** An APDU is being answered: the device may be showing a prompt the person has not answered yet. */
  get busy(): boolean {
    return this.#busy
  }

  /** Called whenever the device is unplugged; returns the unsubscribe function. */
  addDisconnectListener(listener: () => void): () => void {
    this.#disconnectListeners.add(listener)
    return () => this.#disconnectListeners.delete(listener)
  }

  /** Called with every screen the device shows (beside `onScreen`); returns the unsubscribe function. */
  addScreenListener(listener: (screen: DeviceScreen) => void): () => void {
    this.#screenListeners.add(listener)
    return () => this.#screenListeners.delete(listener)
  }

  /** The EIP-55 address the device derives for `path` ("m/44'/60'/0'/0/0" or "44'/60'/0'/0/0"). */
  addressAt(path: string): Address {
    return publicKeyToAddress(this.#publicKey(devicePath(path)))
  }

  /** The transcript as hw-transport-mocker's `RecordStore.fromString` reads it. */
  transcriptText(): string {
    return this.transcript.map(({ command, response }) => `=> ${command}\n<= ${response}\n`).join('')
  }

  /** One APDU in, `data || SW` out, as a device answers over HID or Speculos. */
  async exchange(apdu: Uint8Array): Promise<Uint8Array> {
    const number = ++this.apduCount
    if (this.#unplugged) throw transportError('DisconnectedDevice', 'The Ledger device is unplugged.')
    if (this.#faults.take((f) => f.fault.type === 'disconnect' && f.atApdu === number)) {
      this.unplug()
      throw transportError('DisconnectedDeviceDuringOperation', 'The Ledger device was unplugged during the exchange.')
    }
    if (this.#busy || this.#faults.take((f) => f.fault.type === 'busy')) {
      throw transportError('TransportRaceCondition', 'An action was already pending on the Ledger device.')
    }
    this.#busy = true
    const generation = this.#generation
    let wake = () => {}
    const unplugged = new Promise<'unplugged'>((resolve) => {
      wake = () => resolve('unplugged')
      this.#unplugWaiters.add(wake)
    })
    try {
      const delay = this.#faults.take((f) => f.fault.type === 'delay')?.fault as { ms: number } | undefined
      const answer = (async () => {
        if (delay) await sleep(delay.ms)
        return this.#answer(apdu)
      })()
      answer.catch(() => {}) // may lose the race to an unplug
      const response = await Promise.race([answer, unplugged])
      if (response === 'unplugged' || generation !== this.#generation) {
        throw transportError('DisconnectedDeviceDuringOperation', 'The Ledger device was unplugged during the exchange.')
      }
      this.transcript.push({ command: toHex(apdu), response: toHex(response) })
      return response
    } finally {
      this.#unplugWaiters.delete(wake)
      this.#busy = false
    }
  }

  async #answer(apdu: Uint8Array): Promise<Uint8Array> {
    this.#applyFrontFault()
    const screen = this.#faults.take((f) => SCREEN_FAULTS.has(f.fault.type))?.fault as ScreenFault | undefined
    if (screen?.type === 'locked') return reply(NO_DATA, STATUS_WORDS.DEVICE_LOCKED)
    if (screen?.type === 'os-menu') return reply(NO_DATA, STATUS_WORDS.OS_MENU_OPEN)
    const [cla, ins, p1, p2] = apdu
    if (cla === undefined || ins === undefined || p1 === undefined || p2 === undefined) return reply(NO_DATA, STATUS_WORDS.WRONG_LENGTH)
    if (apdu.length > 4 && apdu[4] !== apdu.length - 5) return reply(NO_DATA, STATUS_WORDS.WRONG_LENGTH)
    const data = apdu.subarray(5)
    // GET APP AND VERSION and CLOSE APP are answered by whatever is in front (the SDK handles them in every app).
    const getAppAndVersion = cla === APDU.GET_APP_AND_VERSION.cla && ins === APDU.GET_APP_AND_VERSION.ins
    const closeApp = cla === APDU.CLOSE_APP.cla && ins === APDU.CLOSE_APP.ins
    const front = this.#front
    if (front.kind === 'dashboard') return this.#dashboard(cla, ins, data)
    if (closeApp) {
      this.#leaveApp()
      return reply(NO_DATA)
    }
    if (front.kind === 'other-app') {
      if (getAppAndVersion) return appAndVersion(front.name, OTHER_APP_VERSION, 0)
      this.#refusedByFront()
      return reply(NO_DATA, STATUS_WORDS.CLA_NOT_SUPPORTED)
    }
    if (getAppAndVersion) return appAndVersion(ETHEREUM_APP_NAME, this.#appVersion, 0)
    if (cla !== CLA.ETHEREUM) return reply(NO_DATA, STATUS_WORDS.CLA_NOT_SUPPORTED)
    return this.#ethereumApp(ins, p1, p2, data)
  }

  /** A queued app-closed / wrong-app brings the dashboard or that app to the front (a persistent one once). */
  #applyFrontFault(): void {
    const queued = this.#faults.take((f) => FRONT_FAULTS.has(f.fault.type) && !this.#appliedFrontFaults.has(f))
    if (!queued) return
    this.#appliedFrontFaults.add(queued)
    const fault = queued.fault as FrontFault
    this.#leaveApp()
    if (fault.type === 'wrong-app') this.#front = { kind: 'other-app', name: fault.appName ?? 'Bitcoin' }
    if (queued.persistent) this.#ethereumUnopenable = true
  }

  /** The app in front quits to the dashboard: a command in progress ends. */
  #leaveApp(): void {
    this.#front = { kind: 'dashboard' }
    this.#personal = undefined
    this.#eip712 = undefined
  }

  /** A one-shot fault ends at the first command the front refuses: the person then opens the Ethereum app by hand. */
  #refusedByFront(): void {
    if (!this.#ethereumUnopenable) this.#front = { kind: 'ethereum' }
  }

  /** The dashboard (BOLOS) answers its own commands; app commands meet 6e01. */
  async #dashboard(cla: number, ins: number, data: Uint8Array): Promise<Uint8Array> {
    if (cla === APDU.GET_APP_AND_VERSION.cla && ins === APDU.GET_APP_AND_VERSION.ins) return appAndVersion(DASHBOARD_APP_NAME, DASHBOARD_OS_VERSION, 0)
    if (cla === APDU.CLOSE_APP.cla && ins === APDU.CLOSE_APP.ins) return reply(NO_DATA) // nothing open: nothing to close
    if (cla === APDU.GET_OS_VERSION.cla && ins === APDU.GET_OS_VERSION.ins) return reply(this.#osVersion())
    if (cla === APDU.OPEN_APP.cla && ins === APDU.OPEN_APP.ins) {
      const name = new TextDecoder().decode(data)
      if (name.length === 0) return reply(NO_DATA, STATUS_WORDS.NO_APP_NAME)
      if (name !== ETHEREUM_APP_NAME || this.#ethereumUnopenable) return reply(NO_DATA, STATUS_WORDS.APP_NOT_INSTALLED)
      if (!(await this.#confirm({ kind: 'open-app', appName: name }))) return reply(NO_DATA, STATUS_WORDS.USER_REFUSED_OS)
      this.#front = { kind: 'ethereum' }
      return reply(NO_DATA)
    }
    if (cla !== CLA.ETHEREUM) return reply(NO_DATA, STATUS_WORDS.CLA_NOT_SUPPORTED)
    this.#refusedByFront()
    return reply(NO_DATA, STATUS_WORDS.APP_NOT_OPEN)
  }

  /**
   * GET OS VERSION as a Nano X dashboard answers it: `[target id u32][LV OS version][LV SE flags]
   * [LV MCU version][LV bootloader version][LV hardware version][LV language id]`; the flags say PIN
   * validated, onboarded, and the seed's word count.
   */
  #osVersion(): Uint8Array {
    const target = new Uint8Array(4)
    new DataView(target.buffer).setUint32(0, OS_TARGET_ID)
    const words = this.#seedWordCount === 12 ? 2 : this.#seedWordCount === 18 ? 1 : 0
    const seFlags = Uint8Array.of(0x80 | 0x04, 0x00, words << 5, 0x00)
    return concatBytes(target, lv(ascii.encode(DASHBOARD_OS_VERSION)), lv(seFlags), lv(ascii.encode(OS_MCU_VERSION)), lv(ascii.encode(OS_BOOTLOADER_VERSION)), lv(Uint8Array.of(0)), lv(Uint8Array.of(0)))
  }

  /** The Ethereum app's commands (CLA E0). */
  async #ethereumApp(ins: number, p1: number, p2: number, data: Uint8Array): Promise<Uint8Array> {
    // A multi-APDU command ends when another command arrives.
    if (ins !== APDU.SIGN_PERSONAL_MESSAGE.ins && !CONTEXT_INS.has(ins)) this.#personal = undefined
    if (!EIP712_INS.has(ins) && !CONTEXT_INS.has(ins)) this.#eip712 = undefined
    const fullEip712 = ins === APDU.SIGN_EIP712.ins ? p2 === APDU.SIGN_EIP712.p2.FULL : EIP712_INS.has(ins)
    if (fullEip712 && !this.#eip712Full) return reply(new Uint8Array(), STATUS_WORDS.INS_NOT_SUPPORTED)
    try {
      switch (ins) {
        case APDU.GET_ADDRESS.ins:
          return await this.#getAddress(p1, p2, data)
        case APDU.GET_APP_CONFIGURATION.ins:
          if (p1 !== APDU.GET_APP_CONFIGURATION.p1.NONE || p2 !== APDU.GET_APP_CONFIGURATION.p2.NONE) refuse(STATUS_WORDS.INVALID_P1_P2, 'GET APP CONFIGURATION takes P1 P2 00 00')
          return reply(Uint8Array.of(this.#configurationFlags(), ...this.#version))
        case APDU.GET_CHALLENGE.ins:
          return reply(randomBytes(4))
        case APDU.WEB3_CHECKS.ins:
          // The person already answered the opt-in (GET APP CONFIGURATION says so) and left the checks off.
          if (p1 === APDU.WEB3_CHECKS.p1.OPT_IN) return reply(Uint8Array.of(0))
          return reply(NO_DATA, STATUS_WORDS.INS_NOT_SUPPORTED)
        case APDU.SIGN_PERSONAL_MESSAGE.ins:
          return await this.#signPersonalMessage(p1, p2, data)
        case APDU.SIGN_EIP712.ins:
          return await this.#signEip712(p1, p2, data)
        case APDU.EIP712_STRUCT_DEFINITION.ins:
          if (p1 !== APDU.EIP712_STRUCT_DEFINITION.p1.NONE) refuse(STATUS_WORDS.INVALID_P1_P2, `struct definition P1 ${p1}`)
          if (!this.#eip712 || this.#eip712.implementing) this.#eip712 = new Eip712Session()
          this.#eip712.define(p2, data)
          return reply(new Uint8Array())
        case APDU.EIP712_STRUCT_IMPLEMENTATION.ins:
          if (!this.#eip712) refuse(STATUS_WORDS.INVALID_DATA, 'struct implementation before any definition')
          this.#eip712.implement(p1, p2, data)
          return reply(new Uint8Array())
        case APDU.EIP712_FILTERING.ins:
          if (!this.#eip712) refuse(STATUS_WORDS.INVALID_DATA, 'filtering before any definition')
          this.#eip712.filter(p1, p2, data)
          return reply(new Uint8Array())
        default:
          if (CONTEXT_INS.has(ins)) refuse(STATUS_WORDS.INVALID_DATA, 'a Ledger-signed context payload the emulator cannot verify')
          return reply(NO_DATA, STATUS_WORDS.INS_NOT_SUPPORTED)
      }
    } catch (error) {
      if (!(error instanceof DeviceStatus)) throw error
      if (ins === APDU.SIGN_PERSONAL_MESSAGE.ins) this.#personal = undefined
      else if (!CONTEXT_INS.has(ins)) this.#eip712 = undefined
      return reply(new Uint8Array(), error.statusWord)
    }
  }

  /** GET APP CONFIGURATION's flags: from the web3-checks era on, today's (external token info, opt-in answered). */
  #configurationFlags(): number {
    const { flags } = APDU.GET_APP_CONFIGURATION
    const blind = this.#blindSigning ? flags.BLIND_SIGNING : 0
    return versionAtLeast(this.#version, WEB3_CHECKS_SINCE) ? blind | flags.EXTERNAL_TOKEN_NEEDED | flags.TX_CHECKS_OPT_IN : blind
  }

  async #getAddress(p1: number, p2: number, data: Uint8Array): Promise<Uint8Array> {
    const { p1: P1, p2: P2 } = APDU.GET_ADDRESS
    if ((p1 !== P1.SILENT && p1 !== P1.DISPLAY) || (p2 !== P2.NO_CHAIN_CODE && p2 !== P2.CHAIN_CODE)) refuse(STATUS_WORDS.INVALID_P1_P2, `GET ADDRESS P1 ${p1} P2 ${p2}`)
    const { indexes, rest } = readPath(data)
    // An optional 8-byte chain id (for the address screen on newer devices) may follow.
    if (rest.length !== 0 && rest.length !== 8) refuse(STATUS_WORDS.INVALID_DATA, `${rest.length} bytes after the path`)
    const publicKey = this.#publicKey(indexes)
    const address = publicKeyToAddress(publicKey)
    if (p1 === P1.DISPLAY && !(await this.#confirm({ kind: 'address', path: formatDerivationPath(indexes), address }))) {
      refuse(STATUS_WORDS.USER_REJECTED, 'address rejected')
    }
    const text = ascii.encode(address.slice(2))
    const chainCode = p2 === P2.CHAIN_CODE ? this.#key(indexes).chainCode! : new Uint8Array()
    return reply(concatBytes(Uint8Array.of(publicKey.length), publicKey, Uint8Array.of(text.length), text, chainCode))
  }

  async #signPersonalMessage(p1: number, p2: number, data: Uint8Array): Promise<Uint8Array> {
    const { p1: P1, p2: P2 } = APDU.SIGN_PERSONAL_MESSAGE
    if (p2 !== P2.NONE) refuse(STATUS_WORDS.INVALID_P1_P2, `SIGN PERSONAL MESSAGE P2 ${p2}`)
    let chunk: Uint8Array
    if (p1 === P1.FIRST) {
      const { indexes, rest } = readPath(data)
      if (rest.length < 4) refuse(STATUS_WORDS.INVALID_DATA, 'message length missing')
      const total = new DataView(rest.buffer, rest.byteOffset, 4).getUint32(0)
      this.#personal = { indexes, total, chunks: [], received: 0 }
      chunk = rest.subarray(4)
    } else if (p1 === P1.MORE) {
      if (!this.#personal) refuse(STATUS_WORDS.INVALID_DATA, 'a later chunk without a first one')
      chunk = data
    } else refuse(STATUS_WORDS.INVALID_P1_P2, `SIGN PERSONAL MESSAGE P1 ${p1}`)
    const session = this.#personal
    session.chunks.push(chunk.slice())
    session.received += chunk.length
    if (session.received > session.total) refuse(STATUS_WORDS.INVALID_DATA, `more than the announced ${session.total} bytes`)
    if (session.received < session.total) return reply(new Uint8Array())
    this.#personal = undefined
    const message = concatBytes(...session.chunks)
    const screen: DeviceScreen = { kind: 'sign-message', path: formatDerivationPath(session.indexes), text: renderPersonalMessage(message) }
    if (!(await this.#confirm(screen))) refuse(STATUS_WORDS.USER_REJECTED, 'message rejected')
    return reply(this.#sign(session.indexes, hashPersonalMessage(message)))
  }

  async #signEip712(p1: number, p2: number, data: Uint8Array): Promise<Uint8Array> {
    const { p1: P1, p2: P2 } = APDU.SIGN_EIP712
    if (p1 !== P1.NONE) refuse(STATUS_WORDS.INVALID_P1_P2, `SIGN EIP-712 P1 ${p1}`)
    const session = this.#eip712
    this.#eip712 = undefined
    const { indexes, rest } = readPath(data)
    const path = formatDerivationPath(indexes)
    if (p2 === P2.HASHED) {
      // Today's app: INS 0C's P2 switch has no legacy case left, so P2 00 meets its default, SWO_WRONG_P1_P2.
      if (!this.#eip712Hashed) refuse(STATUS_WORDS.INVALID_P1_P2, 'hashed EIP-712 is no longer signed by the Ethereum app')
      if (rest.length !== 64) refuse(STATUS_WORDS.INVALID_DATA, `hashed EIP-712 takes 64 bytes after the path, got ${rest.length}`)
      const domainHash = rest.subarray(0, 32)
      const messageHash = rest.subarray(32)
      const screen: DeviceScreen = { kind: 'sign-typed-data', mode: 'hashed', path, primaryType: '', domainHash: to0xHex(domainHash), messageHash: to0xHex(messageHash) }
      if (!(await this.#confirm(screen))) refuse(STATUS_WORDS.USER_REJECTED, 'typed data rejected')
      return reply(this.#sign(indexes, keccak_256(concatBytes(EIP712_PREFIX, domainHash, messageHash))))
    }
    if (p2 !== P2.FULL) refuse(STATUS_WORDS.INVALID_P1_P2, `SIGN EIP-712 P2 ${p2}`)
    if (rest.length !== 0) refuse(STATUS_WORDS.INVALID_DATA, 'full EIP-712 takes only the path')
    if (!session) refuse(STATUS_WORDS.INVALID_DATA, 'no EIP-712 message was sent')
    const typedData = session.typedData()
    let digest: Uint8Array
    try {
      digest = hashTypedData(typedData)
    } catch (error) {
      refuse(STATUS_WORDS.INVALID_DATA, `typed data does not hash: ${(error as Error).message}`)
    }
    const screen: DeviceScreen = {
      kind: 'sign-typed-data',
      mode: 'full',
      path,
      primaryType: typedData.primaryType,
      domain: typedData.domain as Record<string, unknown>,
      message: typedData.message as Record<string, unknown>,
    }
    if (!(await this.#confirm(screen))) refuse(STATUS_WORDS.USER_REJECTED, 'typed data rejected')
    return reply(this.#sign(indexes, digest))
  }

  async #confirm(screen: DeviceScreen): Promise<boolean> {
    this.screens.push(screen)
    this.onScreen?.(screen)
    for (const listener of [...this.#screenListeners]) listener(screen)
    if (this.#confirmDelayMs > 0) await sleep(this.#confirmDelayMs)
    if (this.#faults.take((f) => f.fault.type === 'reject')) return false
    return (await this.#decide(screen)) === 'approve'
  }

  /** `v || r || s`, v 27 or 28, RFC 6979, low s: what the Ethereum app returns. */
  #sign(indexes: number[], digest: Uint8Array): Uint8Array {
    const recovered = secp256k1.sign(digest, this.#key(indexes).privateKey!, { prehash: false, format: 'recovered', lowS: true })
    return concatBytes(Uint8Array.of(27 + recovered[0]!), recovered.subarray(1))
  }

  #key(indexes: number[]): HDKey {
    const id = indexes.join('/')
    let key = this.#keys.get(id)
    if (!key) {
      key = indexes.reduce((k, index) => k.deriveChild(index), this.#master)
      this.#keys.set(id, key)
    }
    return key
  }

  #publicKey(indexes: number[]): Uint8Array {
    return secp256k1.getPublicKey(this.#key(indexes).privateKey!, false)
  }
}
