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
  TEST_MNEMONIC,
  to0xHex,
  toHex,
  type Address,
} from '../../../src/adapter/index.js'
import type { EmulatorScreen, UserDecision } from '../../shared/emulatorScreens.js'
import { APDU, CLA, DASHBOARD_APP_NAME, MAX_PATH_LEVELS, renderPersonalMessage } from '../protocol.js'
import { Eip712Session } from './eip712.js'
import { readPath } from './paths.js'
import { DeviceStatus, STATUS_WORDS, refuse, type StatusWord } from './statusWords.js'
import { FaultQueue, type QueuedFault as SharedQueuedFault } from '../../shared/faultQueue.js'

/** The public Hardhat/Anvil test phrase (the kit's one copy): never hold value with it. */
export { TEST_MNEMONIC }
export type { UserDecision }
export const DEFAULT_APP_VERSION = '1.13.0'
export { DASHBOARD_APP_NAME }
/** The OS version GET APP AND VERSION reports when the dashboard is in front. */
export const DASHBOARD_OS_VERSION = '2.2.3'

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
  /** Dashboard in front: SW 6e01 for CLA E0; GET APP AND VERSION names "BOLOS". */
  | { type: 'app-closed' }
  /** Another app open (default "Bitcoin"): SW 6e00 for CLA E0; GET APP AND VERSION names it. */
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
  /** Default '1.13.0'; GET APP CONFIGURATION and GET APP AND VERSION report it. */
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
}

type QueuedFault = SharedQueuedFault<LedgerFault> & { atApdu?: number }
type StateFault = Extract<LedgerFault, { type: 'locked' | 'app-closed' | 'wrong-app' | 'os-menu' }>

const STATE_FAULTS = new Set<LedgerFault['type']>(['locked', 'app-closed', 'wrong-app', 'os-menu'])
const OTHER_APP_VERSION = '2.1.0'
const ETHEREUM_APP_NAME = 'Ethereum'
const ascii = new TextEncoder()
/** The commands of a full EIP-712 exchange: another command in between ends it. */
const EIP712_INS = new Set<number>([APDU.EIP712_STRUCT_DEFINITION.ins, APDU.EIP712_STRUCT_IMPLEMENTATION.ins, APDU.EIP712_FILTERING.ins, APDU.SIGN_EIP712.ins])
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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * A Ledger device running the Ethereum app, in memory: it answers the app's APDUs (GET ADDRESS,
 * GET APP CONFIGURATION, SIGN PERSONAL MESSAGE, EIP-712 hashed and full) with keys derived from a
 * mnemonic, asks a simulated person to confirm, and can be told to fail the ways real devices do.
 * Reach it through `createEmulatorTransport` (in process) or `startSpeculosServer` (TCP).
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
  readonly #faults = new FaultQueue<QueuedFault>()
  #unplugged = false
  #generation = 0
  #busy = false
  readonly #unplugWaiters = new Set<() => void>()
  readonly #disconnectListeners = new Set<() => void>()
  #personal: { indexes: number[]; total: number; chunks: Uint8Array[]; received: number } | undefined
  #eip712: Eip712Session | undefined

  constructor(options: LedgerEmulatorOptions = {}) {
    const words = (options.mnemonic ?? TEST_MNEMONIC).trim().split(/\s+/).join(' ')
    if (!validateMnemonic(words, wordlist)) {
      throw new InvalidInputError('The emulator mnemonic is not a valid BIP-39 phrase.', { nextStep: 'Pass 12 to 24 English BIP-39 words, or omit it to use TEST_MNEMONIC.' })
    }
    this.#master = HDKey.fromMasterSeed(mnemonicToSeedSync(words, options.passphrase))
    this.#appVersion = options.appVersion ?? DEFAULT_APP_VERSION
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:-[0-9A-Za-z.-]+)?$/.exec(this.#appVersion)
    const parts = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : []
    if (!match || parts.some((p) => p > 255)) {
      throw new InvalidInputError('The emulator app version is not valid.', { details: this.#appVersion, nextStep: 'Pass a version like 1.13.0 (each part at most 255).' })
    }
    this.#version = parts as [number, number, number]
    this.#decide = options.decide ?? (() => 'approve')
    this.#confirmDelayMs = options.confirmDelayMs ?? 0
    this.#blindSigning = options.blindSigning ?? false
    this.#eip712Full = options.eip712Full ?? true
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

  clearFaults(): void {
    this.#faults.clear()
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
    const state = this.#faults.take((f) => STATE_FAULTS.has(f.fault.type))?.fault as StateFault | undefined
    if (state?.type === 'locked') return reply(new Uint8Array(), STATUS_WORDS.DEVICE_LOCKED)
    if (state?.type === 'os-menu') return reply(new Uint8Array(), STATUS_WORDS.OS_MENU_OPEN)
    const [cla, ins, p1, p2] = apdu
    if (cla === undefined || ins === undefined || p1 === undefined || p2 === undefined) return reply(new Uint8Array(), STATUS_WORDS.WRONG_LENGTH)
    if (apdu.length > 4 && apdu[4] !== apdu.length - 5) return reply(new Uint8Array(), STATUS_WORDS.WRONG_LENGTH)
    const data = apdu.subarray(5)
    // GET APP AND VERSION is answered by whatever is in front, the OS included.
    const getAppAndVersion = cla === APDU.GET_APP_AND_VERSION.cla && ins === APDU.GET_APP_AND_VERSION.ins
    if (state?.type === 'app-closed') {
      return getAppAndVersion ? appAndVersion(DASHBOARD_APP_NAME, DASHBOARD_OS_VERSION, 0) : reply(new Uint8Array(), STATUS_WORDS.APP_NOT_OPEN)
    }
    if (state?.type === 'wrong-app') {
      return getAppAndVersion ? appAndVersion(state.appName ?? 'Bitcoin', OTHER_APP_VERSION, 0) : reply(new Uint8Array(), STATUS_WORDS.CLA_NOT_SUPPORTED)
    }
    if (getAppAndVersion) return appAndVersion(ETHEREUM_APP_NAME, this.#appVersion, 0)
    if (cla !== CLA.ETHEREUM) return reply(new Uint8Array(), STATUS_WORDS.CLA_NOT_SUPPORTED)
    // A multi-APDU command ends when another command arrives.
    if (ins !== APDU.SIGN_PERSONAL_MESSAGE.ins) this.#personal = undefined
    if (!EIP712_INS.has(ins)) this.#eip712 = undefined
    const fullEip712 = ins === APDU.SIGN_EIP712.ins ? p2 === APDU.SIGN_EIP712.p2.FULL : EIP712_INS.has(ins)
    if (fullEip712 && !this.#eip712Full) return reply(new Uint8Array(), STATUS_WORDS.INS_NOT_SUPPORTED)
    try {
      switch (ins) {
        case APDU.GET_ADDRESS.ins:
          return await this.#getAddress(p1, p2, data)
        case APDU.GET_APP_CONFIGURATION.ins:
          if (p1 !== APDU.GET_APP_CONFIGURATION.p1.NONE || p2 !== APDU.GET_APP_CONFIGURATION.p2.NONE) refuse(STATUS_WORDS.INVALID_P1_P2, 'GET APP CONFIGURATION takes P1 P2 00 00')
          return reply(Uint8Array.of(this.#blindSigning ? APDU.GET_APP_CONFIGURATION.flags.BLIND_SIGNING : 0, ...this.#version))
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
          return reply(new Uint8Array(), STATUS_WORDS.INS_NOT_SUPPORTED)
      }
    } catch (error) {
      if (!(error instanceof DeviceStatus)) throw error
      if (ins === APDU.SIGN_PERSONAL_MESSAGE.ins) this.#personal = undefined
      else this.#eip712 = undefined
      return reply(new Uint8Array(), error.statusWord)
    }
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
