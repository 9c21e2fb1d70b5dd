/**
 * The firmware's limit on EthereumSignMessage's `message` (1024 bytes, its protobuf `max_size`): the
 * adapter refuses longer texts before any prompt, and the emulator refuses them as the device does.
 */
export const TREZOR_MAX_MESSAGE_BYTES = 1024
