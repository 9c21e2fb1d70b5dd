// The Trezor device emulator: the firmware's protobuf protocol behind a Trezor Bridge (trezord) HTTP server.
export {
  TrezorEmulator,
  DEFAULT_PIN,
  DeviceGoneError,
  DeviceBusyError,
  renderMessage,
  type TrezorScreen,
  type TrezorFault,
  type TrezorEmulatorOptions,
  type UsbEvent,
} from './emulator.js'
export { startTrezorBridge, OTHER_APP, type TrezorBridge, type TrezorBridgeOptions } from './bridge.js'
export { MODELS, type TrezorModel, type FirmwareVersion } from './models.js'
export { encodeFrame, decodeFrame, type TrezorMessage } from './messages.js'
export { TEST_MNEMONIC } from '../../../src/adapter/index.js'
export { describeScreen, type EmulatorScreen, type UserDecision } from '../../shared/emulatorScreens.js'
