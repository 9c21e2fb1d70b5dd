import { InvalidInputError } from './errors.js'
import type { Signer } from './signer.js'

// What people pass where a Signer goes (or where an adapter wants a wallet object), and what to use instead.
const LOOKALIKES: readonly { is: (value: Record<string, unknown>) => boolean; what: string; use: string }[] = [
  {
    is: (v) => typeof v.signPersonalMessage === 'function' && typeof v.address === 'string' && typeof v.close === 'function',
    what: 'already an xmtp-signers Signer',
    use: 'pass it to createIdentity / unlockIdentity directly',
  },
  {
    is: (v) => typeof v.request === 'function' && typeof v.signMessage === 'function' && 'transport' in v,
    what: 'a viem WalletClient',
    use: "fromViemWalletClient(client) from 'xmtp-signers/viem'",
  },
  {
    is: (v) => typeof v.address === 'string' && v.type === 'smart',
    what: 'a viem smart account',
    use: "SmartAccountSigner.open({ account, owner, … }) from 'xmtp-signers/smart-account'",
  },
  {
    is: (v) => typeof v.address === 'string' && v.type === 'json-rpc',
    what: "a viem JSON-RPC account (only its wallet can sign)",
    use: "fromViemWalletClient(walletClient, { account }) from 'xmtp-signers/viem'",
  },
  {
    is: (v) => typeof v.signMessage === 'function' && typeof v.address === 'string' && v.type === 'local',
    what: 'a viem Account',
    use: "fromViemAccount(account) from 'xmtp-signers/viem'",
  },
  {
    is: (v) => typeof v.getAddress === 'function' && typeof v.signMessage === 'function',
    what: 'an ethers Signer',
    use: "await fromEthersSigner(signer) from 'xmtp-signers/ethers'",
  },
  {
    is: (v) => typeof v.getSigner === 'function',
    what: 'an ethers provider',
    use: 'pass await provider.getSigner() instead',
  },
  {
    is: (v) => typeof v.request === 'function',
    what: 'an EIP-1193 provider',
    use: "await InjectedSigner.open({ provider }) from 'xmtp-signers/injected'",
  },
]

/** What wallet object `value` looks like, and what to use instead; undefined when it looks like none. */
export function identifyWalletObject(value: unknown): { what: string; use: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const found = LOOKALIKES.find((l) => l.is(value as Record<string, unknown>))
  return found && { what: found.what, use: found.use }
}

/** Refuses, before anything is asked, a value that is not a `Signer` — naming the adapter that makes one of it. */
export function assertSigner(value: unknown, name = 'signer'): asserts value is Signer {
  const candidate = value as Partial<Signer> | null | undefined
  const isSigner =
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.address === 'string' &&
    typeof candidate.capabilities === 'object' &&
    candidate.capabilities !== null &&
    typeof candidate.signPersonalMessage === 'function' &&
    typeof candidate.close === 'function'
  if (isSigner) return
  const lookalike = identifyWalletObject(value)
  throw new InvalidInputError(`The ${name} is ${lookalike ? lookalike.what : 'not a Signer'}, not a Signer of this library.`, {
    details: lookalike ? undefined : `got ${value === null ? 'null' : typeof value}`,
    nextStep: lookalike
      ? `Wrap it first: ${lookalike.use}.`
      : "Pass a Signer: LedgerSigner.open, TrezorSigner.open, InjectedSigner.open, SmartAccountSigner.open or LocalSigner (one entry point each).",
  })
}
