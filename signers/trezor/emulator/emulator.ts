import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { HDKey } from '@scure/bip32'
import { mnemonicToSeedSync, validateMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import {
  concatBytes,
  formatDerivationPath,
  hashPersonalMessage,
  InvalidInputError,
  parseDerivationPath,
  publicKeyToAddress,
  randomBytes,
  TEST_MNEMONIC,
  to0xHex,
  toHex,
  utf8,
  type Address,
} from '../../../src/adapter/index.js'
import type { EmulatorScreen, UserDecision } from '../../shared/emulatorScreens.js'
import { P2PKH_VERSION, p2pkhAddress } from './addresses.js'
import { TypedDataEnvelope, bytesField, type StructMember } from './eip712.js'
import { FirmwareError, WorkflowAborted, type FailureCode } from './failures.js'
import { UndecodableMessageError, decodePayload, encodeFrame, messageTypeId, messageTypeName, readFrame, type TrezorMessage } from './messages.js'
import { MODELS, isTrezorModel, type FirmwareVersion, type TrezorModel } from './models.js'
import { FaultQueue, type QueuedFault as SharedQueuedFault } from '../../shared/faultQueue.js'
import { TREZOR_MAX_MESSAGE_BYTES } from '../limits.js'

/** The PIN of an emulator told to ask for one (entered on the identity matrix: position n is digit n). */
export const DEFAULT_PIN = '1234'

/**
 * What the device shows the person, in order, in the screen vocabulary every emulator shares: an address
 * (EthereumGetAddress or GetAddress with show_display), a message (UTF-8 text when it decodes, else
 * `hex(…)` as the firmware shows it), typed data (`full` for EthereumSignTypedData, which computes the
 * hashes on the device and shows the domain's name and version; `hashed` for EthereumSignTypedHash, the
 * Model One's, with primaryType '' as the device never learns it).
 */
export type TrezorScreen = EmulatorScreen

/** Restricts a fault to the moment the host sends this message type (e.g. 'ButtonAck'). */
type Targeted = { on?: string }

export type TrezorFault =
  /** The person rejects (presses cancel on) the next confirmation on the device: Failure_ActionCancelled. */
  | { type: 'reject' }
  /** @deprecated The old name of `reject`. */
  | { type: 'cancel' }
  /** Unplugged when the next message (or `on`) arrives: it gets no answer and the device leaves /enumerate until reconnect(). */
  | ({ type: 'disconnect' } & Targeted)
  /** The bridge refuses the next call (or `on`) with "other call in progress": another client's call holds the device. */
  | ({ type: 'busy' } & Targeted)
  /** Another app acquires the device when the next message (or `on`) arrives: the session is stolen. */
  | ({ type: 'used-elsewhere' } & Targeted)
  /**
   * The device is locked: the next message needing the seed gets PinMatrixRequest (PIN `options.pin`,
   * default 1234, entered on the identity matrix). `onDevice`: ButtonRequest_PinEntry instead, as
   * touchscreen models ask, and the person types the right PIN on the device.
   */
  | { type: 'pin'; onDevice?: boolean }
  /** Passphrase protection: the next message needing the seed gets PassphraseRequest; the entered passphrase opens that wallet. */
  | { type: 'passphrase' }
  /** The next message (or `on`) is answered `ms` later. */
  | ({ type: 'delay'; ms: number } & Targeted)

export type TrezorEmulatorOptions = {
  mnemonic?: string
  /** The wallet the device opens without asking (a passphrase "attached" to the seed); default none. */
  passphrase?: string
  /** Default 'T2T1' (Model T). */
  model?: TrezorModel
  /** Default the release @trezor/connect 9.7.3 bundles for the model (2.9.1; 1.13.1 for T1B1). */
  firmware?: FirmwareVersion
  /**
   * Features.revision (git commit hex). Default: the bundled release's for the default firmware. Other
   * versions report none, and connect then looks the release up online on every call.
   */
  revision?: string
  /** Default 'My Trezor'. */
  label?: string
  /** The PIN the 'pin' fault asks for; default 1234. */
  pin?: string
  /** Features.device_id; default derived from the mnemonic (24 uppercase hex digits). */
  deviceId?: string
  /** The simulated person; default approve. */
  decide?: (screen: TrezorScreen) => UserDecision | Promise<UserDecision>
  /** Time the person takes per confirmation (default 0). */
  confirmDelayMs?: number
}

/** What the bridge sees of the device (over USB). */
export type UsbEvent = 'unplugged' | 'plugged' | 'stolen'

/** The device is not there (unplugged, or unplugged while the host waited for an answer). */
export class DeviceGoneError extends Error {
  override name = 'DeviceGoneError'
}
/** The 'busy' fault: another client's call holds the device. */
export class DeviceBusyError extends Error {
  override name = 'DeviceBusyError'
}

type QueuedFault = SharedQueuedFault<TrezorFault>
type Inbound = { frame: Uint8Array; delayMs: number }
type Deferred = { promise: Promise<void>; resolve: () => void }

/** A message that arrived while a workflow waited for something else: it ends the workflow and is served next. */
class Interrupted extends Error {
  constructor(readonly next: TrezorMessage) {
    super(`interrupted by ${next.type}`)
  }
}

const SEED_MESSAGES = new Set(['GetAddress', 'EthereumGetAddress', 'EthereumGetPublicKey', 'EthereumSignMessage', 'EthereumSignTypedData', 'EthereumSignTypedHash'])

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new WorkflowAborted('the device was unplugged'))
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new WorkflowAborted('the device was unplugged'))
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

const sleep = (ms: number, signal: AbortSignal) => abortable(new Promise<void>((resolve) => setTimeout(resolve, ms)), signal)

function addressN(value: unknown): number[] {
  if (!Array.isArray(value) || !value.every((i) => Number.isSafeInteger(i) && i >= 0 && i <= 0xffffffff)) {
    throw new FirmwareError('Failure_DataError', 'Invalid path')
  }
  return value as number[]
}

/** How core firmware shows a message: UTF-8 text when it decodes, else its hex. */
export function renderMessage(message: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(message)
  } catch {
    return `hex(${toHex(message)})`
  }
}

/**
 * A Trezor device in memory, speaking the firmware's protobuf messages: Initialize/GetFeatures, the
 * Ethereum address, message and EIP-712 flows (with ButtonRequest/ButtonAck), PIN and passphrase
 * requests, Cancel. Keys come from a BIP-39 mnemonic; signatures are RFC 6979. A simulated person
 * confirms each screen, and faults reproduce what real devices and bridges do. Reach it over HTTP
 * with `startTrezorBridge`, where the real @trezor/connect finds it as it finds a Trezor Bridge.
 */
export class TrezorEmulator {
  readonly screens: TrezorScreen[] = []
  onScreen?: (screen: TrezorScreen) => void
  /** The simulated person (from `options.decide`, default approve); replace it at any time. */
  decide: (screen: TrezorScreen) => UserDecision | Promise<UserDecision>
  /** Every message the device received ('in') or sent ('out'), by type. */
  readonly messages: { direction: 'in' | 'out'; type: string }[] = []
  readonly model: TrezorModel
  readonly firmware: FirmwareVersion

  readonly #mnemonicSeed: (passphrase: string) => Uint8Array
  readonly #masters = new Map<string, HDKey>()
  readonly #options: TrezorEmulatorOptions
  readonly #deviceId: string
  readonly #revision: string | undefined
  readonly #faults = new FaultQueue<QueuedFault>()

  // The USB link.
  #connected = true
  #plugCount = 1
  #life = new AbortController()
  readonly #inbound: Inbound[] = []
  #inboundSignal: Deferred | undefined
  readonly #outbound: Uint8Array[] = []
  readonly #readers: { resolve: (frame: Uint8Array) => void; reject: (error: Error) => void }[] = []
  readonly #listeners = new Set<(event: UsbEvent) => void>()

  // Firmware state.
  #locked = false
  #sessionId: Uint8Array = new Uint8Array()
  /** The passphrase entered in this session; undefined until the device asks. */
  #sessionPassphrase: string | undefined

  constructor(options: TrezorEmulatorOptions = {}) {
    const words = (options.mnemonic ?? TEST_MNEMONIC).trim().split(/\s+/).join(' ')
    if (!validateMnemonic(words, wordlist)) {
      throw new InvalidInputError('The emulator mnemonic is not a valid BIP-39 phrase.', { nextStep: 'Pass 12 to 24 English BIP-39 words, or omit it to use TEST_MNEMONIC.' })
    }
    const model = options.model ?? 'T2T1'
    if (!isTrezorModel(model)) throw new InvalidInputError('Unknown Trezor model.', { details: String(model), nextStep: 'Use T2T1, T3T1, T2B1 or T1B1.' })
    const firmware = options.firmware ?? MODELS[model].firmware
    if (!Array.isArray(firmware) || firmware.length !== 3 || !firmware.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)) {
      throw new InvalidInputError('The emulator firmware version is not valid.', { details: String(firmware), nextStep: 'Pass [major, minor, patch], e.g. [2, 9, 1].' })
    }
    if ((model === 'T1B1') !== (firmware[0] === 1)) {
      throw new InvalidInputError('The firmware major version does not match the model.', { details: `${model} ${firmware.join('.')}`, nextStep: 'Model One (T1B1) runs 1.x.x; the others run 2.x.x.' })
    }
    this.model = model
    this.firmware = [...firmware] as FirmwareVersion
    this.#options = options
    this.decide = options.decide ?? (() => 'approve')
    this.#mnemonicSeed = (passphrase) => mnemonicToSeedSync(words, passphrase)
    this.#deviceId = options.deviceId ?? toHex(sha256(utf8(`trezor emulator ${words}`)).subarray(0, 12)).toUpperCase()
    const isDefaultFirmware = firmware.join('.') === MODELS[model].firmware.join('.')
    this.#revision = options.revision ?? (isDefaultFirmware ? MODELS[model].revision : undefined)
    void this.#runFirmware()
  }

  /** Queues a fault; it applies once unless `persistent` (see TrezorFault for when each applies). */
  injectFault(fault: TrezorFault & { persistent?: boolean }): void {
    const { persistent = false, ...given } = fault
    const rest = given.type === 'cancel' ? { type: 'reject' as const } : given
    const queued: QueuedFault = { fault: rest as TrezorFault, persistent }
    if (rest.type === 'delay' && !(Number.isFinite(rest.ms) && rest.ms >= 0)) throw new InvalidInputError('A delay is a number of milliseconds.', { details: String(rest.ms) })
    if ('on' in rest && rest.on !== undefined && (typeof rest.on !== 'string' || messageTypeId(rest.on) === undefined)) {
      throw new InvalidInputError('`on` names a message type, e.g. "ButtonAck".', { details: String(rest.on) })
    }
    if (rest.type === 'disconnect') queued.persistent = false // an unplug happens once; reconnect() ends it
    if (rest.type === 'pin') this.#locked = true
    this.#faults.push(queued)
  }

  clearFaults(): void {
    this.#faults.clear()
    this.#locked = false
  }

  /** The EIP-55 address the device derives for `path` ("m/44'/60'/0'/0/0"), with the default wallet. */
  addressAt(path: string): Address {
    return this.#addressOf(this.#key(this.#master(this.#options.passphrase ?? ''), parseDerivationPath(path)))
  }

  // ——— The USB side (what trezord talks to). ———

  get connected(): boolean {
    return this.#connected
  }

  /** The bridge path of this plug-in ("1", then "2" after a reconnect, as trezord numbers devices). */
  get usbPath(): string {
    return String(this.#plugCount)
  }

  /** Unplugs now: a host waiting for an answer gets DeviceGoneError; the device leaves enumeration. */
  unplug(): void {
    if (!this.#connected) return
    this.#connected = false
    this.#endWorkflow('device disconnected during action')
    // Power is gone: the session, its passphrase and the unlocked state with it.
    this.#sessionId = new Uint8Array()
    this.#sessionPassphrase = undefined
    if (this.#faults.some((f) => f.fault.type === 'pin')) this.#locked = true
    this.#emit('unplugged')
  }

  /** Plugs the device back in (a new bridge path), idle. A stolen session is not ours to end: see the bridge. */
  reconnect(): void {
    if (this.#connected) return
    this.#connected = true
    this.#plugCount++
    this.#emit('plugged')
  }

  /** Called on unplug, plug and when another app steals the device; returns the unsubscribe function. */
  addUsbListener(listener: (event: UsbEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Host → device: one frame (`u16BE type || u32BE length || protobuf`). */
  write(frame: Uint8Array): void {
    if (!this.#connected) throw new DeviceGoneError('device disconnected during action')
    const { id } = readFrame(frame)
    const type = messageTypeName(id) ?? `unknown(${id})`
    const matches = (f: QueuedFault, kind: TrezorFault['type']) => f.fault.type === kind && (!('on' in f.fault) || f.fault.on === undefined || f.fault.on === type)
    if (this.#faults.take((f) => matches(f, 'busy'))) throw new DeviceBusyError('other call in progress')
    this.messages.push({ direction: 'in', type })
    if (this.#faults.take((f) => matches(f, 'disconnect'))) {
      this.unplug()
      return
    }
    if (this.#faults.take((f) => matches(f, 'used-elsewhere'))) {
      // The other app's Initialize ends whatever we were doing; our frame never reaches the firmware.
      this.#endWorkflow('session stolen')
      this.#emit('stolen')
      return
    }
    const delay = this.#faults.take((f) => matches(f, 'delay'))?.fault as { ms: number } | undefined
    this.#inbound.push({ frame: frame.slice(), delayMs: delay?.ms ?? 0 })
    const signal = this.#inboundSignal
    this.#inboundSignal = undefined
    signal?.resolve()
  }

  /** Device → host: the next frame; waits for it. Rejects with DeviceGoneError if unplugged meanwhile. */
  read(signal?: AbortSignal): Promise<Uint8Array> {
    if (!this.#connected) return Promise.reject(new DeviceGoneError('device disconnected during action'))
    const ready = this.#outbound.shift()
    if (ready) return Promise.resolve(ready)
    return new Promise<Uint8Array>((resolve, reject) => {
      const reader = {
        resolve: (frame: Uint8Array) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(frame)
        },
        reject: (error: Error) => {
          signal?.removeEventListener('abort', onAbort)
          reject(error)
        },
      }
      const onAbort = () => {
        const index = this.#readers.indexOf(reader)
        if (index >= 0) this.#readers.splice(index, 1)
        reject(signal!.reason instanceof Error ? signal!.reason : new Error('read aborted'))
      }
      if (signal?.aborted) return onAbort()
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#readers.push(reader)
    })
  }

  /** Drops answers nobody read: a new bridge session starts clean. A persistent 'pin' fault locks again. */
  flush(): void {
    this.#outbound.length = 0
    for (const reader of this.#readers.splice(0)) reader.reject(new DeviceGoneError('session ended'))
    if (this.#faults.some((f) => f.fault.type === 'pin' && f.persistent)) this.#locked = true
  }

  // ——— The firmware. ———

  /** Ends the running workflow and drops every frame in flight; hosts waiting to read get DeviceGoneError. */
  #endWorkflow(reason: string): void {
    this.#life.abort()
    this.#life = new AbortController()
    this.#inbound.length = 0
    this.#outbound.length = 0
    for (const reader of this.#readers.splice(0)) reader.reject(new DeviceGoneError(reason))
  }

  #emit(event: UsbEvent): void {
    for (const listener of [...this.#listeners]) listener(event)
  }

  #has(type: TrezorFault['type']): boolean {
    return this.#faults.some((f) => f.fault.type === type)
  }

  #send(type: string, message: Record<string, unknown> = {}): void {
    if (!this.#connected) return
    this.messages.push({ direction: 'out', type })
    const frame = encodeFrame(type, message)
    const reader = this.#readers.shift()
    if (reader) reader.resolve(frame)
    else this.#outbound.push(frame)
  }

  /** Resolves once a frame is waiting; rejects when the device is unplugged or stolen meanwhile. */
  #inboundReady(): Promise<void> {
    if (this.#inbound.length > 0) return Promise.resolve()
    if (!this.#inboundSignal) {
      let resolve = () => {}
      const promise = new Promise<void>((r) => (resolve = r))
      this.#inboundSignal = { promise, resolve }
    }
    return abortable(this.#inboundSignal.promise, this.#life.signal)
  }

  async #receive(): Promise<TrezorMessage> {
    await this.#inboundReady()
    const { frame, delayMs } = this.#inbound.shift()!
    if (delayMs > 0) await sleep(delayMs, this.#life.signal)
    const { id, payload } = readFrame(frame)
    try {
      return decodePayload(id, payload)
    } catch (error) {
      if (!(error instanceof UndecodableMessageError)) throw error
      throw error.reason === 'unknown-type' ? new FirmwareError('Failure_UnexpectedMessage', 'Unexpected message') : new FirmwareError('Failure_DataError', error.message)
    }
  }

  async #runFirmware(): Promise<never> {
    let next: TrezorMessage | undefined
    for (;;) {
      try {
        const message = next ?? (await this.#receive())
        next = undefined
        await this.#serve(message)
      } catch (error) {
        if (error instanceof Interrupted) next = error.next
        else if (error instanceof FirmwareError) this.#send('Failure', { code: error.code, message: error.message })
        else if (!(error instanceof WorkflowAborted)) {
          // An emulator bug: answer like a firmware fault rather than leave the host waiting.
          this.#send('Failure', { code: 'Failure_FirmwareError', message: `emulator: ${String((error as Error)?.message ?? error)}` })
        }
      }
    }
  }

  /** Sends `type` and waits for one of `expect`; Cancel ends the workflow, anything else replaces it. */
  async #exchange(type: string, message: Record<string, unknown>, expect: readonly string[], cancelled: FailureCode = 'Failure_ActionCancelled'): Promise<TrezorMessage> {
    this.#send(type, message)
    const answer = await this.#receive()
    if (expect.includes(answer.type)) return answer
    if (answer.type === 'Cancel') throw new FirmwareError(cancelled, cancelled === 'Failure_PinCancelled' ? 'PIN entry cancelled' : MODELS[this.model].cancelledText)
    throw new Interrupted(answer)
  }

  async #serve(request: TrezorMessage): Promise<void> {
    const { type, message } = request
    if (SEED_MESSAGES.has(type) && !(type === 'EthereumSignTypedData' && this.model === 'T1B1')) await this.#unlock()
    switch (type) {
      case 'Initialize':
        return this.#initialize(message)
      case 'GetFeatures':
        return this.#send('Features', this.#features())
      case 'Cancel':
        // Nothing to cancel: core answers as if the person had cancelled.
        throw new FirmwareError('Failure_ActionCancelled', MODELS[this.model].cancelledText)
      case 'Ping':
        return this.#send('Success', { message: typeof message.message === 'string' ? message.message : '' })
      case 'EndSession':
        this.#sessionId = new Uint8Array()
        this.#sessionPassphrase = undefined
        return this.#send('Success', {})
      case 'GetAddress':
        return this.#getAddress(message)
      case 'EthereumGetAddress':
        return this.#ethereumGetAddress(message)
      case 'EthereumGetPublicKey':
        return this.#ethereumGetPublicKey(message)
      case 'EthereumSignMessage':
        return this.#ethereumSignMessage(message)
      case 'EthereumSignTypedData':
        if (this.model === 'T1B1') break // Model One signs typed data only from its hashes
        return this.#ethereumSignTypedData(message)
      case 'EthereumSignTypedHash':
        return this.#ethereumSignTypedHash(message)
    }
    throw new FirmwareError('Failure_UnexpectedMessage', 'Unexpected message')
  }

  #initialize(message: Record<string, unknown>): void {
    const requested = bytesField(message.session_id)
    const resumes = requested.length === 32 && this.#sessionId.length === 32 && toHex(requested) === toHex(this.#sessionId)
    if (!resumes) {
      this.#sessionId = randomBytes(32)
      this.#sessionPassphrase = undefined
    }
    this.#send('Features', this.#features())
  }

  #features(): Record<string, unknown> {
    const info = MODELS[this.model]
    const [major, minor, patch] = this.firmware
    const features: Record<string, unknown> = {
      vendor: info.vendor,
      major_version: major,
      minor_version: minor,
      patch_version: patch,
      device_id: this.#deviceId,
      pin_protection: this.#has('pin'),
      passphrase_protection: this.#has('passphrase'),
      language: 'en-US',
      label: this.#options.label ?? 'My Trezor',
      initialized: true,
      revision: this.#revision,
      unlocked: !this.#locked,
      backup_availability: 'NotAvailable',
      flags: 0,
      model: info.model,
      unfinished_backup: false,
      no_backup: false,
      recovery_status: 'Nothing',
      capabilities: [...info.capabilities],
      backup_type: 'Bip39',
      wipe_code_protection: false,
      session_id: this.#sessionId.length ? toHex(this.#sessionId) : undefined,
      safety_checks: 'Strict',
      internal_model: this.model,
      language_version_matches: true,
    }
    if (this.model === 'T1B1') return features
    return {
      ...features,
      sd_card_present: info.sdCard ?? false,
      sd_protection: false,
      passphrase_always_on_device: false,
      auto_lock_delay_ms: 600_000,
      display_rotation: 'North',
      experimental_features: false,
      busy: false,
      homescreen_format: info.display?.format,
      hide_passphrase_from_host: false,
      unit_btconly: false,
      homescreen_width: info.display?.width,
      homescreen_height: info.display?.height,
    }
  }

  /** Before the seed is used: the PIN when locked, the passphrase when protection is on and none was entered. */
  async #unlock(): Promise<void> {
    if (this.#locked) {
      const fault = this.#faults.find((f) => f.fault.type === 'pin')?.fault as { onDevice?: boolean } | undefined
      if (fault?.onDevice) {
        await this.#exchange('ButtonRequest', { code: 'ButtonRequest_PinEntry', name: 'pin_device' }, ['ButtonAck'], 'Failure_PinCancelled')
      } else {
        const ack = await this.#exchange('PinMatrixRequest', { type: 'PinMatrixRequestType_Current' }, ['PinMatrixAck'], 'Failure_PinCancelled')
        if (ack.message.pin !== (this.#options.pin ?? DEFAULT_PIN)) throw new FirmwareError('Failure_PinInvalid', 'PIN invalid')
      }
      this.#locked = false
      this.#faults.take((f) => f.fault.type === 'pin')
    }
    if (this.#has('passphrase') && this.#sessionPassphrase === undefined) {
      this.#faults.take((f) => f.fault.type === 'passphrase')
      const ack = await this.#exchange('PassphraseRequest', {}, ['PassphraseAck'])
      // "Enter on device": the emulator types the wallet's own passphrase.
      this.#sessionPassphrase = ack.message.on_device === true ? (this.#options.passphrase ?? '') : String(ack.message.passphrase ?? '')
    }
  }

  /** The wallet open in this session. */
  #wallet(): HDKey {
    return this.#master(this.#sessionPassphrase ?? this.#options.passphrase ?? '')
  }

  #master(passphrase: string): HDKey {
    let master = this.#masters.get(passphrase)
    if (!master) {
      master = HDKey.fromMasterSeed(this.#mnemonicSeed(passphrase))
      this.#masters.set(passphrase, master)
    }
    return master
  }

  #key(master: HDKey, path: readonly number[]): HDKey {
    return path.reduce((key, index) => key.deriveChild(index), master)
  }

  #ethereumAddress(path: readonly number[]): Address {
    return this.#addressOf(this.#key(this.#wallet(), path))
  }

  #addressOf(key: HDKey): Address {
    return publicKeyToAddress(secp256k1.Point.fromBytes(key.publicKey!).toBytes(false))
  }

  /** A confirmation: ButtonRequest, ButtonAck, then the person decides (Cancel from the host ends it too). */
  async #confirm(screen: TrezorScreen | undefined, button: { code: string; name: string }): Promise<void> {
    await this.#exchange('ButtonRequest', { code: button.code, name: button.name }, ['ButtonAck'])
    if (!screen) return
    this.screens.push(screen)
    this.onScreen?.(screen)
    const decision = (async (): Promise<UserDecision> => {
      const delay = this.#options.confirmDelayMs ?? 0
      if (delay > 0) await sleep(delay, this.#life.signal)
      if (this.#faults.take((f) => f.fault.type === 'reject')) return 'reject'
      return await this.decide(screen)
    })()
    decision.catch(() => {}) // may lose the race to the host or an unplug
    const outcome = await Promise.race([abortable(decision, this.#life.signal), this.#inboundReady().then(() => 'host' as const)])
    if (outcome === 'host') {
      const next = await this.#receive()
      if (next.type === 'Cancel') throw new FirmwareError('Failure_ActionCancelled', MODELS[this.model].cancelledText)
      throw new Interrupted(next)
    }
    if (outcome !== 'approve') throw new FirmwareError('Failure_ActionCancelled', MODELS[this.model].cancelledText)
  }

  async #getAddress(message: Record<string, unknown>): Promise<void> {
    const path = addressN(message.address_n)
    const coin = String(message.coin_name ?? 'Bitcoin')
    const version = P2PKH_VERSION[coin]
    if (version === undefined) throw new FirmwareError('Failure_DataError', 'Invalid coin name')
    // An absent sub-message decodes as {}; a real multisig one carries pubkeys or nodes.
    const multisig = message.multisig as { pubkeys?: unknown[]; nodes?: unknown[] } | null
    if ((message.script_type ?? 'SPENDADDRESS') !== 'SPENDADDRESS' || multisig?.pubkeys?.length || multisig?.nodes?.length) throw new FirmwareError('Failure_DataError', 'The emulator derives legacy (SPENDADDRESS) addresses only')
    const address = p2pkhAddress(this.#key(this.#wallet(), path).publicKey!, version)
    if (message.show_display === true) await this.#confirm({ kind: 'address', path: formatDerivationPath(path), address }, { code: 'ButtonRequest_Address', name: 'show_address' })
    this.#send('Address', { address })
  }

  async #ethereumGetAddress(message: Record<string, unknown>): Promise<void> {
    const path = addressN(message.address_n)
    const address = this.#ethereumAddress(path)
    if (message.show_display === true) await this.#confirm({ kind: 'address', path: formatDerivationPath(path), address }, { code: 'ButtonRequest_Address', name: 'show_address' })
    this.#send('EthereumAddress', { address })
  }

  async #ethereumGetPublicKey(message: Record<string, unknown>): Promise<void> {
    const path = addressN(message.address_n)
    const key = this.#key(this.#wallet(), path)
    if (message.show_display === true) {
      await this.#confirm({ kind: 'address', path: formatDerivationPath(path), address: key.publicExtendedKey }, { code: 'ButtonRequest_PublicKey', name: 'show_xpub' })
    }
    this.#send('EthereumPublicKey', {
      node: { depth: key.depth, fingerprint: key.parentFingerprint, child_num: key.index, chain_code: toHex(key.chainCode!), public_key: toHex(key.publicKey!) },
      xpub: key.publicExtendedKey,
    })
  }

  async #ethereumSignMessage(message: Record<string, unknown>): Promise<void> {
    const path = addressN(message.address_n)
    const bytes = bytesField(message.message)
    // The field's protobuf max_size: the firmware refuses a longer message before showing anything.
    if (bytes.length > TREZOR_MAX_MESSAGE_BYTES) throw new FirmwareError('Failure_DataError', 'Message too long')
    const address = this.#ethereumAddress(path)
    await this.#confirm({ kind: 'sign-message', path: formatDerivationPath(path), text: renderMessage(bytes) }, { code: 'ButtonRequest_Other', name: 'sign_message' })
    this.#send('EthereumMessageSignature', { address, signature: toHex(this.#sign(path, hashPersonalMessage(bytes))) })
  }

  async #ethereumSignTypedData(message: Record<string, unknown>): Promise<void> {
    const path = addressN(message.address_n)
    const primaryType = String(message.primary_type ?? '')
    const envelope = new TypedDataEnvelope(primaryType, message.metamask_v4_compat !== false, {
      structRequest: async (name) => {
        const ack = await this.#exchange('EthereumTypedDataStructRequest', { name }, ['EthereumTypedDataStructAck'])
        return (ack.message.members ?? []) as StructMember[]
      },
      valueRequest: async (memberPath) => {
        const ack = await this.#exchange('EthereumTypedDataValueRequest', { member_path: memberPath }, ['EthereumTypedDataValueAck'])
        return bytesField(ack.message.value)
      },
    })
    await envelope.collectTypes()
    const { name, version } = await envelope.domainNameAndVersion()
    await this.#confirm(undefined, { code: 'ButtonRequest_Other', name: 'should_show_domain' })
    const domainHash = await envelope.hashStruct('EIP712Domain', [0])
    let messageHash: Uint8Array = new Uint8Array()
    if (primaryType !== 'EIP712Domain') {
      await this.#confirm(undefined, { code: 'ButtonRequest_Other', name: 'should_show_struct' })
      messageHash = await envelope.hashStruct(primaryType, [1])
    }
    const shownDomain = { ...(name !== undefined ? { name } : {}), ...(version !== undefined ? { version } : {}) }
    const screen: TrezorScreen = {
      kind: 'sign-typed-data',
      mode: 'full',
      path: formatDerivationPath(path),
      primaryType,
      domainHash: to0xHex(domainHash),
      ...(messageHash.length ? { messageHash: to0xHex(messageHash) } : {}),
      ...(Object.keys(shownDomain).length ? { domain: shownDomain } : {}),
    }
    await this.#confirm(screen, { code: 'ButtonRequest_Other', name: 'confirm_typed_data_final' })
    const digest = keccak_256(concatBytes(Uint8Array.of(0x19, 0x01), domainHash, messageHash))
    this.#send('EthereumTypedDataSignature', { address: this.#ethereumAddress(path), signature: toHex(this.#sign(path, digest)) })
  }

  async #ethereumSignTypedHash(message: Record<string, unknown>): Promise<void> {
    const path = addressN(message.address_n)
    const domainHash = bytesField(message.domain_separator_hash)
    const messageHash = bytesField(message.message_hash)
    if (domainHash.length !== 32 || (messageHash.length !== 0 && messageHash.length !== 32)) throw new FirmwareError('Failure_DataError', 'Invalid hash length')
    const screen: TrezorScreen = {
      kind: 'sign-typed-data',
      mode: 'hashed',
      path: formatDerivationPath(path),
      primaryType: '',
      domainHash: to0xHex(domainHash),
      ...(messageHash.length ? { messageHash: to0xHex(messageHash) } : {}),
    }
    await this.#confirm(screen, { code: 'ButtonRequest_Other', name: 'confirm_typed_data_final' })
    const digest = keccak_256(concatBytes(Uint8Array.of(0x19, 0x01), domainHash, messageHash))
    this.#send('EthereumTypedDataSignature', { address: this.#ethereumAddress(path), signature: toHex(this.#sign(path, digest)) })
  }

  /** `r || s || v`, v 27 or 28, RFC 6979, low s: what the firmware returns. */
  #sign(path: readonly number[], digest: Uint8Array): Uint8Array {
    const recovered = secp256k1.sign(digest, this.#key(this.#wallet(), path).privateKey!, { prehash: false, format: 'recovered', lowS: true })
    return concatBytes(recovered.subarray(1), Uint8Array.of(27 + recovered[0]!))
  }
}
