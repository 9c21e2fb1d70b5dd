/**
 * The public "test … junk" mnemonic (Hardhat's and Anvil's): every emulator, example and test derives
 * its keys from it. It guards nothing; never hold value on its accounts.
 */
export const TEST_MNEMONIC = 'test test test test test test test test test test test junk'
