// Compiled by test/readme.test.ts as an app that installed xmtp-signers would compile it: every entry
// point resolves through package.json "exports", and no exported type that matters here is `any`.
import { createIdentity, IdentityExistsError, isXmtpSignersError, MemoryKeyStore, type Signer } from 'xmtp-signers'
import { expectSignedBy, type DeviceAction } from 'xmtp-signers/adapter'
import { checkSignerConformance } from 'xmtp-signers/adapter/conformance'
import { FileKeyStore } from 'xmtp-signers/file-store'
import { IndexedDbKeyStore } from 'xmtp-signers/indexeddb-store'
import { InjectedSigner } from 'xmtp-signers/injected'
import { LedgerSigner } from 'xmtp-signers/ledger'
import { createEmulatorTransport, LedgerEmulator, TEST_MNEMONIC } from 'xmtp-signers/ledger/emulator'
import { LocalSigner } from 'xmtp-signers/local'
import { SmartAccountSigner } from 'xmtp-signers/smart-account'
import { TrezorSigner } from 'xmtp-signers/trezor'
import { TrezorEmulator } from 'xmtp-signers/trezor/emulator'
import { decodeContactBundle } from 'xmtp-signers/wire'
import { fromEthersSigner, toEthersSigner } from 'xmtp-signers/ethers'
import { fromViemAccount, toViemAccount } from 'xmtp-signers/viem'

// Each error class narrows its code.
const exists: 'IDENTITY_EXISTS' = new IdentityExistsError('topic').code
declare const caught: unknown
if (isXmtpSignersError(caught, 'KEY_STORE_LOCKED')) {
  const locked: 'KEY_STORE_LOCKED' = caught.code
  void locked
}

// Types that must not have degraded to `any` (a property that does not exist must be an error).
const transport = createEmulatorTransport(new LedgerEmulator({ mnemonic: TEST_MNEMONIC }))
// @ts-expect-error the emulator's Transport is hw-transport's class, not any
transport.notAMethod()
const signer: Signer = LocalSigner.fromMnemonic(TEST_MNEMONIC)
// @ts-expect-error Signer is an interface, not any
signer.notAMethod()
declare const action: DeviceAction
// @ts-expect-error DeviceAction is a closed union
action.kind === 'no-such-action'
// @ts-expect-error the Ledger signer is typed
void (await LedgerSigner.open({ transport })).notAMethod
// @ts-expect-error the Trezor emulator is typed
new TrezorEmulator({ mnemonic: TEST_MNEMONIC }).notAMethod()

// @ts-expect-error the viem adapter is typed
fromViemAccount(42)

void [fromEthersSigner, toEthersSigner, toViemAccount, exists, createIdentity, MemoryKeyStore, FileKeyStore, IndexedDbKeyStore, InjectedSigner, SmartAccountSigner, TrezorSigner, expectSignedBy, checkSignerConformance, decodeContactBundle]
