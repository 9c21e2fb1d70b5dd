import {
  abortable,
  DeviceBusyError,
  DeviceDisconnectedError,
  DeviceLockedError,
  DeviceNotFoundError,
  InvalidInputError,
  isXmtpSignersError,
  OperationAbortedError,
  SignerClosedError,
  SignerTimeoutError,
  typedDataToJson,
  UnknownDeviceError,
  validTimeoutMs,
  WrongAppError,
  withDeadline,
  type DeviceAction,
  type TypedData,
  type XmtpSignersError,
} from '../../src/adapter/index.js'
import { offlineContextModule } from './contextModule.js'
import { loadDmk, type DeviceManagementKit, type DmkAction, type DmkDiscoveredDevice, type DmkModules, type DmkSignerEth, type DmkTransportKind } from './dmkLoader.js'
import { dmkErrorToLedgerError, WALLET, webHidAlreadyOpenError, webHidUnavailableError } from './errors.js'
import type { EthAddress, EthSignature, LedgerEthLink, LinkRequest, ReopenCheck } from './ethLink.js'
import { ledgerPath } from './ledgerConnection.js'
import { ETHEREUM_APP_NAME, USB } from './protocol.js'


/**
 * Which DMK transport reaches the Ledger: USB from Node (`node-hid`), WebHID in a browser (`web-hid`),
 * a Speculos REST API (`http://HOST:PORT`), or a session an app already holds (`{ dmk, sessionId }`).
 */
export type DmkChoice = 'node-hid' | 'web-hid' | `http://${string}` | `https://${string}` | { dmk: DeviceManagementKit; sessionId: string }

export type DmkLinkOptions = {
  dmk: DmkChoice
  /** Ledger's origin token for its backend; unused offline, passed through to DMK. */
  originToken?: string
  /** Bound on finding and connecting the device (default 15 s). */
  discoveryTimeoutMs?: number
  signal?: AbortSignal
  /** A request while another waits on the device: fail at once with `DeviceBusyError` (default) or wait its turn. */
  whenBusy?: 'fail' | 'wait'
}

export const DEFAULT_DISCOVERY_TIMEOUT_MS = 15_000
const GENERIC_NOT_FOUND_NEXT_STEP = new DeviceNotFoundError().nextStep
const NOT_FOUND_NEXT_STEP = 'Connect and unlock the Ledger, and quit Ledger Live. On Linux, install Ledger’s udev rules so your user may open it (see the README).'

/** How long to wait for an already-allowed device before asking (the WebHID chooser) or scanning. */
const KNOWN_DEVICE_WAIT_MS = 300

/** How long a device this page just closed may still report `opened` (HIDDevice.close() settles later). */
const CLOSING_DEVICE_WAIT_MS = 1_000

/** How often a request retries while the device still holds a prompt this link abandoned. */
const BUSY_RETRY_MS = 250

/** Waits `ms`, or rejects typed as soon as `signal` aborts; no timer is left either way. */
function sleep(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  return abortable(new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), signal, what, () => clearTimeout(timer))
}

/** Each DMK interaction the person must do, as the kit's DeviceAction (undefined: nothing to do). */
function interactionAction(interaction: string | undefined, prompt: DeviceAction | undefined): DeviceAction | undefined {
  switch (interaction) {
    case 'unlock-device':
      return { kind: 'unlock-device' }
    case 'confirm-open-app':
      return { kind: 'open-app', app: ETHEREUM_APP_NAME }
    case 'sign-personal-message':
    case 'sign-typed-data':
    case 'verify-address':
      return prompt
    default:
      return undefined
  }
}

function isConfirmation(action: DeviceAction | undefined): action is Extract<DeviceAction, { path: string }> {
  return action?.kind === 'sign-message' || action?.kind === 'sign-typed-data' || action?.kind === 'confirm-address'
}

/** What we read of WebHID (structural: no DOM typings needed). */
type WebHid = { getDevices(): Promise<{ vendorId: number; productId: number; opened: boolean }[]> }

function webHid(): WebHid | undefined {
  return (globalThis.navigator as { hid?: WebHid } | undefined)?.hid
}

/**
 * Whether the Ledger DMK found is already open in this page (another transport or signer holds it):
 * DMK's web-hid transport would take it over silently (it treats "already open" as success).
 */
async function openInThisPage(device: DmkDiscoveredDevice, core: DmkModules['core'], signal: AbortSignal | undefined): Promise<boolean> {
  const hid = webHid()
  const modelId = device.deviceModel?.model
  if (!hid || !modelId || !core.StaticDeviceModelDataSource) return false
  let model: { usbProductId: number; bootloaderUsbProductId: number }
  try {
    model = new core.StaticDeviceModelDataSource().getDeviceModel({ id: modelId })
  } catch {
    return false
  }
  // As DMK's web-hid transport matches them: the product id's high byte names the model.
  const matching = async () => (await hid.getDevices().catch(() => [])).filter((d) => d.vendorId === USB.VENDOR_ID && (d.productId >> 8 === model.usbProductId || d.productId === model.bootloaderUsbProductId))
  const giveUpAt = Date.now() + CLOSING_DEVICE_WAIT_MS
  for (;;) {
    const devices = await matching()
    if (devices.length === 0 || devices.some((d) => !d.opened)) return false
    if (Date.now() >= giveUpAt) return true
    await sleep(50, signal, 'Ledger connection')
  }
}

function transportKind(choice: Exclude<DmkChoice, object>): DmkTransportKind {
  if (choice === 'node-hid' || choice === 'web-hid') return choice
  if (/^https?:\/\/[^/\s]+\/?$/.test(choice)) return 'speculos'
  throw new InvalidInputError(`Unknown DMK transport "${String(choice)}".`, { nextStep: "Use 'node-hid', 'web-hid', or a Speculos REST URL like http://127.0.0.1:5000." })
}

/** `0x`-less, 64 hex digits: how the signer reads r and s. */
function hex32(value: unknown): string {
  return String(value).replace(/^0x/i, '').padStart(64, '0')
}

/**
 * The DMK link: Ledger's Device Management Kit and its Ethereum signer kit, with an offline context
 * module. Each request is a DMK device action whose states become DeviceAction events; an abort or a
 * deadline calls its `cancel()`. A lost session is reconnected on the next request (when the link made it).
 */
export class DmkLink implements LedgerEthLink {
  readonly stack = 'dmk' as const
  onReopen: ReopenCheck | undefined
  readonly #modules: DmkModules
  readonly #dmk: DeviceManagementKit
  /** Made here (so closed here), or the app's own. */
  readonly #owned: boolean
  readonly #originToken: string | undefined
  readonly #discoveryTimeoutMs: number
  readonly #whenBusy: 'fail' | 'wait'
  /** The transport this link built DMK with (undefined: the app's own session). */
  readonly #kind: DmkTransportKind | undefined
  /** Transports DMK built from our factory: the speculos one polls on a timer DMK's disconnect leaves running. */
  readonly #transports: unknown[]
  #sessionId: string | undefined
  #signer: DmkSignerEth | undefined
  #closed = false
  /** A confirmation this link gave up on may still be on the device's screen. */
  #abandonedPrompt = false
  #waiting = 0
  #tail: Promise<void> = Promise.resolve()

  private constructor(modules: DmkModules, dmk: DeviceManagementKit, owned: boolean, transports: unknown[], options: DmkLinkOptions, discoveryTimeoutMs: number, kind?: DmkTransportKind) {
    this.#kind = kind
    this.#modules = modules
    this.#dmk = dmk
    this.#owned = owned
    this.#transports = transports
    this.#originToken = options.originToken
    this.#discoveryTimeoutMs = discoveryTimeoutMs
    this.#whenBusy = options.whenBusy ?? 'fail'
  }

  /** Loads DMK lazily, builds it with the chosen transport, finds the device and opens a session (bounded). */
  static async open(options: DmkLinkOptions): Promise<DmkLink> {
    const discoveryTimeoutMs = validTimeoutMs(options.discoveryTimeoutMs, 'discoveryTimeoutMs', DEFAULT_DISCOVERY_TIMEOUT_MS)
    const choice = options.dmk
    if (typeof choice === 'object' && choice !== null) {
      if (typeof choice.sessionId !== 'string' || typeof choice.dmk?.executeDeviceAction !== 'function') {
        throw new InvalidInputError('`dmk` must be a transport name, a Speculos URL, or { dmk, sessionId } of a connected DMK session.')
      }
      const modules = await loadDmk(undefined)
      const link = new DmkLink(modules, choice.dmk, false, [], options, discoveryTimeoutMs)
      link.#useSession(choice.sessionId)
      return link
    }
    const kind = transportKind(choice)
    // Said before DMK loads: its web-hid transport would only fail later, inside discovery.
    if (kind === 'web-hid' && !webHid() && (globalThis as { window?: unknown }).window !== undefined) throw webHidUnavailableError()
    const modules = await loadDmk(kind)
    const transports: unknown[] = []
    const factory = modules.transportFactory(kind === 'speculos' ? String(choice).replace(/\/$/, '') : undefined)
    const recording = ((args: never) => {
      const transport = (factory as (a: never) => unknown)(args)
      transports.push(transport)
      return transport
    }) as typeof factory
    const dmk = new modules.core.DeviceManagementKitBuilder().addTransport(recording).build()
    const link = new DmkLink(modules, dmk, true, transports, options, discoveryTimeoutMs, kind)
    try {
      await link.#connect(options.signal, { firstOpen: true })
    } catch (error) {
      await link.close()
      throw error
    }
    return link
  }

  #useSession(sessionId: string): void {
    this.#sessionId = sessionId
    const builder = new this.#modules.eth.SignerEthBuilder({ dmk: this.#dmk, sessionId, ...(this.#originToken ? { originToken: this.#originToken } : {}) })
    this.#signer = builder.withContextModule(offlineContextModule()).build()
  }

  /** Finds the first Ledger the transport offers and opens a session on it, within the discovery bound. */
  async #connect(signal: AbortSignal | undefined, { firstOpen = false } = {}): Promise<void> {
    try {
      await this.#discoverAndConnect(signal, firstOpen)
    } catch (error) {
      // Only the kit's generic advice is replaced: a WebHID error (nothing chosen in the dialog) keeps its own.
      if (!isXmtpSignersError(error, 'DEVICE_NOT_FOUND') || error.nextStep !== GENERIC_NOT_FOUND_NEXT_STEP) throw error
      throw new DeviceNotFoundError({ wallet: WALLET, details: error.details, nextStep: NOT_FOUND_NEXT_STEP, cause: error.cause ?? error })
    }
  }

  /**
   * A Ledger the transport already may use (WebHID: one this site was allowed before), without a prompt;
   * undefined when none shows up within a moment.
   */
  #knownDevice(deadline: AbortSignal): Promise<DmkDiscoveredDevice | undefined> {
    return new Promise((resolve) => {
      let done = false
      let subscription: { unsubscribe(): void } | undefined
      const finish = (device: DmkDiscoveredDevice | undefined) => {
        if (done) return
        done = true
        clearTimeout(timer)
        deadline.removeEventListener('abort', stop)
        subscription?.unsubscribe()
        resolve(device)
      }
      const stop = () => finish(undefined)
      const timer = setTimeout(stop, KNOWN_DEVICE_WAIT_MS)
      deadline.addEventListener('abort', stop, { once: true })
      subscription = this.#dmk.listenToAvailableDevices({}).subscribe({ next: (devices) => devices[0] && finish(devices[0]), error: stop })
      if (done) subscription.unsubscribe()
    })
  }

  async #discoverAndConnect(signal: AbortSignal | undefined, firstOpen: boolean): Promise<void> {
    const what = 'Ledger discovery'
    const device = await withDeadline(
      async (deadline) =>
        (await this.#knownDevice(deadline)) ??
        new Promise<DmkDiscoveredDevice>((resolve, reject) => {
          let found = false
          let subscription: { unsubscribe(): void } | undefined
          deadline.addEventListener('abort', () => subscription?.unsubscribe(), { once: true })
          subscription = this.#dmk.startDiscovering({}).subscribe({
            next: (device) => {
              if (found) return
              found = true
              resolve(device)
              subscription?.unsubscribe()
            },
            error: (error) => reject(dmkErrorToLedgerError(error, { transport: this.#kind })),
          })
          // Discovery may emit synchronously, before `subscription` was assigned.
          if (found || deadline.aborted) subscription.unsubscribe()
        }),
      {
        timeoutMs: this.#discoveryTimeoutMs,
        signal,
        what,
        onTimeout: () =>
          new DeviceNotFoundError({
            wallet: WALLET,
            details: `no Ledger answered within ${Math.round(this.#discoveryTimeoutMs / 1000)} s`,
            nextStep: NOT_FOUND_NEXT_STEP,
          }),
      },
    )
    await this.#dmk.stopDiscovering().catch(() => undefined)
    // On a reconnect the device may be open by this link's own transport, which DMK reuses: checked on the first open only.
    if (firstOpen && this.#kind === 'web-hid') {
      const held = await withDeadline((deadline) => openInThisPage(device, this.#modules.core, deadline), {
        timeoutMs: this.#discoveryTimeoutMs,
        signal,
        what: 'Ledger connection',
        onTimeout: () => new SignerTimeoutError(this.#discoveryTimeoutMs, 'connection', WALLET),
      })
      if (held) throw webHidAlreadyOpenError('its HIDDevice was opened before this signer asked for it')
    }
    let sessionId: string
    const connecting = this.#dmk.connect({ device })
    try {
      sessionId = await withDeadline(() => connecting, {
        timeoutMs: this.#discoveryTimeoutMs,
        signal,
        what: 'Ledger connection',
        onTimeout: () => new SignerTimeoutError(this.#discoveryTimeoutMs, 'connection', WALLET),
      })
    } catch (error) {
      // A connection that lands after we gave up is closed, not leaked.
      connecting.then((late) => this.#disconnect(late), () => undefined)
      throw dmkErrorToLedgerError(error, { transport: this.#kind })
    }
    this.#useSession(sessionId)
  }

  /** The session to use: reconnected (and the account checked) after a loss, when this link made it. */
  async #session(signal: AbortSignal | undefined): Promise<DmkSignerEth> {
    if (this.#closed) throw new SignerClosedError({ wallet: WALLET, nextStep: 'Open a new LedgerSigner.' })
    if (this.#signer) return this.#signer
    if (!this.#owned) throw new DeviceDisconnectedError({ wallet: WALLET, nextStep: 'Reconnect the Ledger, open a new DMK session and a new LedgerSigner with it.' })
    await this.#connect(signal)
    const signer = this.#signer!
    if (this.onReopen) {
      const check = this.onReopen
      try {
        await check(async (path) => ((await this.#runAction(() => signer.getAddress(ledgerPath(path), {}), { timeoutMs: this.#discoveryTimeoutMs, what: 'GET ADDRESS', signal })) as EthAddress).address)
      } catch (error) {
        await this.#dropSession()
        throw error
      }
    }
    return signer
  }

  async #dropSession(): Promise<void> {
    const sessionId = this.#sessionId
    this.#sessionId = undefined
    this.#signer = undefined
    if (sessionId && this.#owned) await this.#disconnect(sessionId)
  }

  async #disconnect(sessionId: string): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined
    // An unplugged device may never answer the disconnect: bounded.
    await Promise.race([this.#dmk.disconnect({ sessionId }).catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 2_000)))])
    clearTimeout(timer)
  }

  /** One request at a time, as on the LedgerJS link: a second one fails (or waits its turn). */
  async #exclusive<T>(what: string, task: () => Promise<T>): Promise<T> {
    if (this.#whenBusy === 'fail' && this.#waiting > 0) {
      throw new DeviceBusyError({ wallet: WALLET, details: `a request from this app is still waiting on the device; ${what} was not sent` })
    }
    this.#waiting++
    const previous = this.#tail
    let release!: () => void
    this.#tail = new Promise<void>((resolve) => (release = resolve))
    try {
      await previous
      return await task()
    } finally {
      this.#waiting--
      release()
    }
  }

  /** Runs a device request on the session: its states become DeviceAction events, its failure a typed error. */
  async #request<T>(start: (signer: DmkSignerEth) => DmkAction, request: LinkRequest): Promise<T> {
    return this.#exclusive(request.what, async () => {
      const giveUpAt = Date.now() + request.timeoutMs
      for (;;) {
        try {
          const signer = await this.#session(request.signal)
          const output = (await this.#runAction(() => start(signer), request)) as T
          this.#abandonedPrompt = false
          return output
        } catch (error) {
          const typed = await this.#failed(error)
          // DMK cannot take a prompt off the screen: after an abandoned one, wait (within this request's bound) for the person to answer it.
          if (typed.code !== 'SIGNER_BUSY' || !this.#abandonedPrompt) throw typed
          if (Date.now() + BUSY_RETRY_MS >= giveUpAt) {
            throw new DeviceBusyError({
              wallet: WALLET,
              details: `the Ledger still shows an earlier request this app gave up on; ${request.what} was not sent`,
              nextStep: 'Reject the earlier request on the Ledger (or unplug it), then retry.',
              cause: typed,
            })
          }
          await sleep(BUSY_RETRY_MS, request.signal, request.what)
        }
      }
    })
  }

  /** The typed error for a failed request; a session DMK dropped (unplugged, transport failure) is let go of here too. */
  async #failed(error: unknown): Promise<XmtpSignersError> {
    const typed = dmkErrorToLedgerError(error, { openApp: this.#openAppName(), transport: this.#kind })
    if (typed.code === 'SIGNER_DISCONNECTED' || !this.#sessionAlive()) await this.#dropSession()
    return typed
  }

  #sessionAlive(): boolean {
    const sessionId = this.#sessionId
    if (!sessionId) return false
    try {
      this.#dmk.getDeviceSessionState({ sessionId }).subscribe({ error: () => undefined }).unsubscribe()
      return true
    } catch {
      return false
    }
  }

  /** The app in front as the session last saw it, for an error that names it. */
  #openAppName(): string | undefined {
    const sessionId = this.#sessionId
    if (!sessionId) return undefined
    let name: string | undefined
    try {
      // The session state replays its last value synchronously; a session DMK already dropped throws.
      this.#dmk
        .getDeviceSessionState({ sessionId })
        .subscribe({ next: (state) => (name ??= state.currentApp?.name), error: () => undefined })
        .unsubscribe()
    } catch {
      return undefined
    }
    return name
  }

  /** Subscribes to one DMK device action, bounded by the request's timeout and signal; `cancel()` on either. */
  #runAction(start: () => DmkAction, request: LinkRequest): Promise<unknown> {
    const { what, onAction, prompt } = request
    let shown: DeviceAction | undefined
    const say = (action: DeviceAction) => {
      shown = action
      onAction?.(action)
    }
    let outcome: 'completed' | 'failed' | 'abandoned' = 'failed'
    return withDeadline(
      (deadline) =>
        new Promise<unknown>((resolve, reject) => {
          const action = start()
          let subscription: { unsubscribe(): void } | undefined
          let finished = false
          const finish = () => {
            finished = true
            deadline.removeEventListener('abort', onDeadline)
            subscription?.unsubscribe()
          }
          const onDeadline = () => {
            if (finished) return
            outcome = 'abandoned'
            finish()
            action.cancel()
          }
          deadline.addEventListener('abort', onDeadline, { once: true })
          subscription = action.observable.subscribe({
            next: (state) => {
              if (finished) return
              if (state.status === 'pending') {
                const next = interactionAction(state.intermediateValue?.requiredUserInteraction, prompt)
                if (next && next.kind !== shown?.kind) say(next)
              } else if (state.status === 'completed') {
                outcome = 'completed'
                finish()
                resolve(state.output)
              } else if (state.status === 'error') {
                finish()
                reject(state.error)
              } else if (state.status === 'stopped') {
                finish()
                reject(new OperationAbortedError(what))
              }
            },
            error: (error) => {
              if (finished) return
              finish()
              reject(error)
            },
            complete: () => {
              if (finished) return
              finish()
              reject(new UnknownDeviceError({ wallet: WALLET, details: `DMK ended the ${what} without an answer` }))
            },
          })
          if (finished) subscription.unsubscribe()
        }),
      {
        timeoutMs: request.timeoutMs,
        signal: request.signal,
        what,
        // Still waiting for the PIN when time ran out: the device is locked, not slow.
        onTimeout: () =>
          shown?.kind === 'unlock-device'
            ? new DeviceLockedError({ wallet: WALLET, details: `still locked after ${Math.round(request.timeoutMs / 1000)} s; the ${what} was not sent` })
            : new SignerTimeoutError(request.timeoutMs, what, WALLET),
      },
    ).finally(() => {
      if (!shown) return
      // DMK cancels its action, but a confirmation already on screen stays until the person answers it.
      if (outcome === 'abandoned' && isConfirmation(shown)) {
        this.#abandonedPrompt = true
        onAction?.({ kind: 'reject-on-device', path: shown.path, what })
      }
      onAction?.({ kind: 'done' })
    })
  }

  async appVersion(request: LinkRequest): Promise<string> {
    const { OpenAppDeviceAction, GetAppAndVersionCommand } = this.#modules.core
    return this.#exclusive(request.what, async () => {
      try {
        await this.#session(request.signal)
        const sessionId = this.#sessionId!
        // Opens the Ethereum app when the dashboard (or another app) is in front, as every signer-kit call does.
        await this.#runAction(
          () => this.#dmk.executeDeviceAction({ sessionId, deviceAction: new OpenAppDeviceAction({ input: { appName: ETHEREUM_APP_NAME, unlockTimeout: request.timeoutMs } }) }),
          request,
        )
        const result = await withDeadline(() => this.#dmk.sendCommand({ sessionId, command: new GetAppAndVersionCommand() }), {
          timeoutMs: request.timeoutMs,
          signal: request.signal,
          what: request.what,
          onTimeout: () => new SignerTimeoutError(request.timeoutMs, request.what, WALLET),
        })
        if (result.status !== 'SUCCESS') throw result.error
        const { name, version } = result.data as { name: string; version: string }
        if (name !== ETHEREUM_APP_NAME) throw new WrongAppError({ wallet: WALLET, openApp: name })
        return version
      } catch (error) {
        throw await this.#failed(error)
      }
    })
  }

  async getAddress(path: string, options: { display?: boolean; chainCode?: boolean }, request: LinkRequest): Promise<EthAddress> {
    const output = await this.#request<{ address: string; publicKey: string; chainCode?: string }>(
      (signer) => signer.getAddress(ledgerPath(path), { checkOnDevice: options.display ?? false, returnChainCode: options.chainCode ?? false }),
      request,
    )
    return { address: output.address, publicKey: output.publicKey.replace(/^0x/i, ''), ...(output.chainCode ? { chainCode: output.chainCode.replace(/^0x/i, '') } : {}) }
  }

  async signPersonalMessage(path: string, message: Uint8Array, request: LinkRequest): Promise<EthSignature> {
    // Bytes, never a string: DMK's length prefix for a string counts UTF-16 units, wrong for non-ASCII text.
    const { r, s, v } = await this.#request<{ r: string; s: string; v: number }>((signer) => signer.signMessage(ledgerPath(path), message), request)
    return { r: hex32(r), s: hex32(s), v }
  }

  async signTypedData(path: string, typedData: TypedData, _mode: 'full' | 'hashed', request: LinkRequest): Promise<EthSignature> {
    const json = typedDataToJson(typedData) as { domain: Record<string, unknown> }
    // DMK's domain takes chainId as a number.
    const chainId = json.domain.chainId
    if (typeof chainId === 'string' && /^\d+$/.test(chainId) && Number.isSafeInteger(Number(chainId))) json.domain = { ...json.domain, chainId: Number(chainId) }
    const { r, s, v } = await this.#request<{ r: string; s: string; v: number }>((signer) => signer.signTypedData(ledgerPath(path), json), request)
    return { r: hex32(r), s: hex32(s), v }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#owned) {
      await this.#dropSession()
      this.#dmk.close()
      // What DMK's close leaves running would keep the process alive: the speculos transport's server
      // poll, and the node-hid transport's USB hotplug listeners (libusb's thread).
      for (const transport of this.#transports) {
        const kit = transport as { disconnectInterval?: ReturnType<typeof setInterval> | null; stopListeningToConnectionEvents?: () => void }
        if (kit.disconnectInterval) clearInterval(kit.disconnectInterval)
        if ('disconnectInterval' in kit) kit.disconnectInterval = null
        try {
          kit.stopListeningToConnectionEvents?.()
        } catch {
          // Already stopped.
        }
      }
    } else {
      this.#sessionId = undefined
      this.#signer = undefined
    }
  }
}
