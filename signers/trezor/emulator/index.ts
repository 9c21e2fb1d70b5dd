// The Trezor device emulator: the firmware's protobuf protocol behind a Trezor Bridge (trezord) HTTP server.
export {
  TrezorEmulator,
  TEST_MNEMONIC,
  DEFAULT_PIN,
  DeviceGoneError,
  DeviceBusyError,
  renderMessage,
  type TrezorScreen,
  type TrezorFault,
  type TrezorEmulatorOptions,
  type UserDecision,
  type UsbEvent,
} from './emulator.js'
export { startTrezorBridge, OTHER_APP, type TrezorBridge, type TrezorBridgeOptions } from './bridge.js'
export { MODELS, type TrezorModel, type FirmwareVersion } from './models.js'
export { encodeFrame, decodeFrame, type TrezorMessage } from './messages.js'
