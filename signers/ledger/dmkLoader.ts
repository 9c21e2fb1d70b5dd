import { isModuleNotFound, MissingPackageError, TransportUnavailableError, type XmtpSignersError } from '../../src/adapter/index.js'
import { WALLET } from './errors.js'

/** What we use of Ledger's Device Management Kit, structurally: the build never needs its types. */
export type DmkObservable<T> = { subscribe(observer: { next?: (value: T) => void; error?: (error: unknown) => void; complete?: () => void }): { unsubscribe(): void } }
export type DmkActionState = { status: string; intermediateValue?: { requiredUserInteraction?: string; step?: string }; output?: unknown; error?: unknown }
export type DmkAction = { observable: DmkObservable<DmkActionState>; cancel(): void }
export type DmkDiscoveredDevice = { id: string; deviceModel?: { model?: string; name?: string } }
export type DmkSessionState = { deviceStatus?: string; currentApp?: { name: string; version: string } }

export type DeviceManagementKit = {
  startDiscovering(args: Record<string, unknown>): DmkObservable<DmkDiscoveredDevice>
  listenToAvailableDevices(args: Record<string, unknown>): DmkObservable<DmkDiscoveredDevice[]>
  stopDiscovering(): Promise<void>
  connect(args: { device: DmkDiscoveredDevice; sessionRefresherOptions?: Record<string, unknown> }): Promise<string>
  disconnect(args: { sessionId: string }): Promise<void>
  sendCommand(args: { sessionId: string; command: unknown; abortTimeout?: number }): Promise<{ status: string; data?: unknown; error?: unknown }>
  executeDeviceAction(args: { sessionId: string; deviceAction: unknown }): DmkAction
  getDeviceSessionState(args: { sessionId: string }): DmkObservable<DmkSessionState>
  close(): void
}

export type DmkTransportFactory = (args: never) => unknown

export type DmkCoreModule = {
  DeviceManagementKitBuilder: new () => { addTransport(factory: DmkTransportFactory): { build(): DeviceManagementKit } }
  OpenAppDeviceAction: new (args: { input: { appName: string; unlockTimeout?: number } }) => unknown
  /** DMK's table of device models: a model's USB product ids (to find its HIDDevice). */
  StaticDeviceModelDataSource?: new () => { getDeviceModel(args: { id: string }): { usbProductId: number; bootloaderUsbProductId: number } }
  GetAppAndVersionCommand: new () => unknown
}

export type DmkSignerEth = {
  getAddress(path: string, options: { checkOnDevice?: boolean; returnChainCode?: boolean }): DmkAction
  signMessage(path: string, message: Uint8Array): DmkAction
  signTypedData(path: string, typedData: unknown): DmkAction
}

export type DmkEthModule = {
  SignerEthBuilder: new (args: { dmk: DeviceManagementKit; sessionId: string; originToken?: string }) => {
    withContextModule(contextModule: unknown): { build(): DmkSignerEth }
  }
}

/** The transports DMK reaches a Ledger with: USB from Node, WebHID in a browser, Speculos' REST API. */
export type DmkTransportKind = 'node-hid' | 'web-hid' | 'speculos'

export type DmkModules = { core: DmkCoreModule; eth: DmkEthModule; transportFactory: (speculosUrl?: string) => DmkTransportFactory }

const PACKAGES = {
  core: '@ledgerhq/device-management-kit',
  eth: '@ledgerhq/device-signer-kit-ethereum',
  /** A peer of the signer kit (its context module), as rxjs is of every DMK package. */
  context: '@ledgerhq/context-module',
  'node-hid': '@ledgerhq/device-transport-kit-node-hid',
  'web-hid': '@ledgerhq/device-transport-kit-web-hid',
  speculos: '@ledgerhq/device-transport-kit-speculos',
} as const

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string'
}

/**
 * Node: the CommonJS builds, through `createRequire` (their ESM builds use directory imports Node's
 * loader refuses). The `node:module` specifier sits in a variable so browser bundles never see it.
 */
async function requireInNode(): Promise<(name: string) => unknown> {
  const nodeModule: string = 'node:module'
  const { createRequire } = (await import(/* @vite-ignore */ nodeModule)) as typeof import('node:module')
  return createRequire(import.meta.url)
}

/**
 * Browsers: literal dynamic imports a bundler resolves and splits out, so the engine and the other
 * adapters never carry DMK. The speculos kit is optional there too.
 */
async function importInBrowser(transport: DmkTransportKind | undefined): Promise<[unknown, unknown, unknown]> {
  return Promise.all([
    import('@ledgerhq/device-management-kit'),
    import('@ledgerhq/device-signer-kit-ethereum'),
    transport === 'speculos' ? import('@ledgerhq/device-transport-kit-speculos') : transport === 'web-hid' ? import('@ledgerhq/device-transport-kit-web-hid') : {},
  ])
}

/** A missing package names the whole install line; any other load failure (a native binding) is the transport's. */
function loadFailure(transport: DmkTransportKind | undefined, cause: unknown): XmtpSignersError {
  const packages = [PACKAGES.core, PACKAGES.eth, PACKAGES.context, ...(transport ? [PACKAGES[transport]] : []), 'rxjs']
  const details = cause instanceof Error ? cause.message.split('\n')[0] : String(cause)
  if (isModuleNotFound(cause)) return new MissingPackageError({ packages, feature: "xmtp-signers/ledger on Ledger's Device Management Kit", details, cause })
  return new TransportUnavailableError("Ledger's Device Management Kit failed to load.", {
    wallet: WALLET,
    details,
    nextStep:
      transport === 'node-hid'
        ? `USB needs node-hid's native build: on Debian/Ubuntu apt-get install libusb-1.0-0-dev libudev-dev, then reinstall: npm install ${packages.join(' ')}.`
        : `Reinstall it: npm install ${packages.join(' ')}.`,
    cause,
  })
}

/** Loads DMK, the Ethereum signer kit and one transport kit, lazily: only the Ledger adapter calls this. */
export async function loadDmk(transport: DmkTransportKind | undefined): Promise<DmkModules> {
  let modules: [unknown, unknown, unknown]
  try {
    if (isNode()) {
      if (transport === 'web-hid') {
        throw new TransportUnavailableError('WebHID exists only in browsers.', { wallet: WALLET, nextStep: "In Node use LedgerSigner.open({ dmk: 'node-hid' }) (USB) or a Speculos URL." })
      }
      const require = await requireInNode()
      modules = [require(PACKAGES.core), require(PACKAGES.eth), transport ? require(PACKAGES[transport]) : {}]
    } else {
      if (transport === 'node-hid') {
        throw new TransportUnavailableError('USB through node-hid exists only in Node.', { wallet: WALLET, nextStep: "In a browser use LedgerSigner.open({ dmk: 'web-hid' })." })
      }
      modules = await importInBrowser(transport)
    }
  } catch (cause) {
    if (cause instanceof TransportUnavailableError) throw cause
    throw loadFailure(transport, cause)
  }
  const [core, eth, kit] = modules as [DmkCoreModule, DmkEthModule, Record<string, (url?: string) => DmkTransportFactory>]
  const factory = transport && { 'node-hid': kit.nodeHidTransportFactory, 'web-hid': kit.webHidTransportFactory, speculos: kit.speculosTransportFactory }[transport]
  if (typeof core?.DeviceManagementKitBuilder !== 'function' || typeof eth?.SignerEthBuilder !== 'function' || (transport && typeof factory !== 'function')) {
    throw loadFailure(transport, new Error('an installed DMK package lacks what this library uses; install the versions named in the README'))
  }
  // The node-hid and web-hid factories take no argument; the speculos one takes the URL.
  const transportFactory = (url?: string): DmkTransportFactory => {
    if (!factory) throw loadFailure(transport, new Error('no DMK transport was loaded'))
    return transport === 'speculos' ? factory(url) : (factory as unknown as DmkTransportFactory)
  }
  return { core, eth, transportFactory }
}
