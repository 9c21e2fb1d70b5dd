// Types only from viem at load: viem is the app's (a peer dependency), loaded when a wallet client signs.
import type { Account, Chain, Client, Hex, JsonRpcAccount, LocalAccount, SignableMessage, Transport, TypedDataDefinition } from 'viem'
import {
  abortable,
  optionalPackage,
  checksumAddress,
  expectSignedBy,
  hashPersonalMessage,
  hashTypedData,
  hexToBytes,
  isHex,
  SignerClosedError,
  throwIfAborted,
  to0xHex,
  UnsupportedOperationError,
  type Address,
  type Reproducibility,
  type Signer,
  type SignerCapabilities,
  type SignOptions,
  type TypedData,
} from '../../src/adapter/index.js'
import { notUsable, toViemError } from './errors.js'

/** Any viem wallet client (or client with wallet actions): what `fromViemWalletClient` signs through. */
export type ViemWalletClient = Client<Transport, Chain | undefined, Account | undefined>

export type FromViemWalletClientOptions = {
  /** The account to sign with: an address the wallet or node holds, or a viem Account; default the client's own `account`. */
  account?: Account | string
}

const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/

const loadViemActions = optionalPackage({ packages: ['viem'], feature: 'fromViemWalletClient' }, () => import('viem/actions'))
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

/** Whether `value` looks like a viem `Account` (local, JSON-RPC or smart): an address and viem's `type`. */
export function isViemAccount(value: unknown): value is Account {
  return isObject(value) && typeof value.address === 'string' && ADDRESS_RE.test(value.address) && (value.type === 'local' || value.type === 'json-rpc' || value.type === 'smart')
}

/** Whether `value` looks like a viem client: viem's `request`, `transport` and `uid`. */
export function isViemClient(value: unknown): value is ViemWalletClient {
  return isObject(value) && typeof value.request === 'function' && isObject(value.transport) && typeof value.uid === 'string'
}

/** The Signer behind each account toViemAccount made, so a round trip keeps what that Signer declares. */
const WRAPPED = new WeakMap<object, Signer>()

// viem's own keys sign with noble's RFC 6979 secp256k1; a custom `toAccount` may wrap anything, so it is asked twice.
function reproducibility(account: Account): Reproducibility {
  const inner = WRAPPED.get(account)
  if (inner) return inner.capabilities.reproducibleSignatures
  return account.type === 'local' && (account.source === 'privateKey' || account.source === 'hd') ? 'yes' : 'unknown'
}

function refuseSmartAccount(account: Account): void {
  if (account.type !== 'smart') return
  throw notUsable(
    'A viem smart account signs with its contract, not with a key this adapter can check.',
    "Use SmartAccountSigner from 'xmtp-signers/smart-account' with the account's address and its owner signer.",
    account.address,
  )
}

/** Our TypedData as viem takes it: bytes as 0x hex (viem hashes `bytes` from hex), everything else as is. */
function toViemTypedData(typedData: TypedData): TypedDataDefinition {
  const hexBytes = (value: unknown): unknown =>
    value instanceof Uint8Array ? to0xHex(value) : Array.isArray(value) ? value.map(hexBytes) : isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hexBytes(v)])) : value
  return {
    domain: hexBytes(typedData.domain),
    types: typedData.types,
    primaryType: typedData.primaryType,
    message: hexBytes(typedData.message),
  } as unknown as TypedDataDefinition
}

type Backend = {
  readonly account: Account
  readonly typedData: boolean
  signMessage(text: string): Promise<Hex>
  signTypedData(typedData: TypedData): Promise<Hex>
}

/** One Signer over a viem account or wallet client: abort, close and the signed-by check in one place. */
class ViemSigner implements Signer {
  readonly address: Address
  readonly capabilities: SignerCapabilities
  readonly #backend: Backend
  readonly #reopen: string
  #closed = false

  constructor(backend: Backend, reopen: string) {
    this.#backend = backend
    this.#reopen = reopen
    this.address = checksumAddress(backend.account.address)
    this.capabilities = { kind: 'viem', accountType: 'EOA', reproducibleSignatures: reproducibility(backend.account), typedData: backend.typedData }
  }

  async #sign(what: string, options: SignOptions, digest: Uint8Array, request: () => Promise<Hex>): Promise<Uint8Array> {
    throwIfAborted(options.signal, what)
    if (this.#closed) throw new SignerClosedError({ wallet: 'viem', nextStep: `Call ${this.#reopen} again.` })
    // viem's signing calls take no signal: the wait ends on abort, a wallet prompt still open is the person's to dismiss.
    const pending = Promise.resolve()
      .then(request)
      .catch((error: unknown) => Promise.reject(toViemError(error)))
    const signature = await abortable(pending, options.signal, what)
    if (typeof signature !== 'string' || !isHex(signature)) {
      throw notUsable('The viem account answered a signature request with something that is not hex.', 'Check the account’s signMessage / signTypedData implementation.', typeof signature)
    }
    return expectSignedBy({ account: this.address, digest, signature, what: `The viem account’s ${what}` })
  }

  async signPersonalMessage(text: string, options: SignOptions = {}): Promise<Uint8Array> {
    return this.#sign('message signature', options, hashPersonalMessage(text), () => this.#backend.signMessage(text))
  }

  async signTypedData(typedData: TypedData, options: SignOptions = {}): Promise<Uint8Array> {
    if (!this.#backend.typedData) {
      throw new UnsupportedOperationError('This viem account has no signTypedData.', { nextStep: 'Use an account that signs EIP-712 typed data (privateKeyToAccount, mnemonicToAccount, a wallet client).' })
    }
    // Hashed first: typed data this library would refuse never reaches the wallet.
    const digest = hashTypedData(typedData)
    return this.#sign('typed-data signature', options, digest, () => this.#backend.signTypedData(typedData))
  }

  async close(): Promise<void> {
    this.#closed = true
  }
}

/**
 * A viem `Account` that signs by itself (`privateKeyToAccount`, `mnemonicToAccount`, `hdKeyToAccount`, a custom
 * `toAccount`) as a Signer. A JSON-RPC account signs through its wallet client: use `fromViemWalletClient`.
 */
export function fromViemAccount(account: Account): Signer {
  if (isViemClient(account)) {
    throw notUsable('fromViemAccount takes a viem Account, and this is a viem client.', 'Pass the client to fromViemWalletClient(client), or its account to fromViemAccount(client.account).')
  }
  if (!isViemAccount(account)) {
    throw notUsable(
      'fromViemAccount takes a viem Account: an object with an address and viem’s type.',
      'Make one with privateKeyToAccount, mnemonicToAccount or toAccount from viem/accounts; for a wallet client use fromViemWalletClient.',
    )
  }
  refuseSmartAccount(account)
  if (WRAPPED.get(account)?.capabilities.accountType === 'SCW') {
    throw notUsable('This viem account wraps a smart-account Signer, whose signatures do not recover to its address.', 'Pass the Signer you gave toViemAccount to the engine itself.', account.address)
  }
  if (account.type === 'json-rpc' || typeof account.signMessage !== 'function') {
    throw notUsable(
      'This viem account is a JSON-RPC account: its wallet or node signs for it, so it cannot sign by itself.',
      'Pass the wallet client that holds it: fromViemWalletClient(walletClient, { account }).',
      account.address,
    )
  }
  const local = account as LocalAccount
  return new ViemSigner(
    {
      account: local,
      typedData: typeof local.signTypedData === 'function',
      signMessage: (text) => local.signMessage({ message: text }),
      signTypedData: (typedData) => local.signTypedData(toViemTypedData(typedData)),
    },
    'fromViemAccount(account)',
  )
}

/**
 * A viem wallet client as a Signer, with the client's own `account` unless `options.account` names another.
 * Never the node's first account by accident: a client with no account and no option is refused.
 */
export function fromViemWalletClient(client: ViemWalletClient, options: FromViemWalletClientOptions = {}): Signer {
  if (!isViemClient(client)) {
    throw notUsable(
      'fromViemWalletClient takes a viem client, such as createWalletClient({ account, transport }).',
      isViemAccount(client) ? 'This is a viem Account: pass it to fromViemAccount(account).' : 'Make one with createWalletClient from viem.',
    )
  }
  const given = options.account
  let account: Account
  if (given === undefined) {
    if (!client.account) {
      throw notUsable(
        'This viem wallet client has no account, and none was given.',
        'Pass the account to sign with: fromViemWalletClient(client, { account: "0x…" }), or create the client with createWalletClient({ account, transport }).',
      )
    }
    account = client.account
  } else if (typeof given === 'string') {
    if (!ADDRESS_RE.test(given)) throw notUsable('The account option is not an Ethereum address.', 'Pass { account } as 0x followed by 40 hex digits, or as a viem Account.', given)
    // What viem's toAccount(address) makes: an account the wallet or node signs for.
    account = { address: checksumAddress(given), type: 'json-rpc' } satisfies JsonRpcAccount
  } else if (isViemAccount(given)) {
    account = given
  } else {
    throw notUsable('The account option is neither an address nor a viem Account.', 'Pass { account } as 0x followed by 40 hex digits, or as a viem Account.')
  }
  refuseSmartAccount(account)
  return new ViemSigner(
    {
      account,
      // A local account without signTypedData cannot; a remote wallet is asked (eth_signTypedData_v4).
      typedData: account.type !== 'local' || typeof account.signTypedData === 'function',
      signMessage: async (text) => (await loadViemActions()).signMessage(client, { account, message: text }),
      signTypedData: async (typedData) => (await loadViemActions()).signTypedData(client, { account, ...toViemTypedData(typedData) }),
    },
    'fromViemWalletClient(client)',
  )
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** The text our Signer signs for viem's message: a string as is, `{ raw }` only when it is UTF-8 text. */
function messageText(message: SignableMessage): string {
  if (typeof message === 'string') return message
  const raw = isObject(message) ? message.raw : undefined
  const bytes = typeof raw === 'string' ? hexToBytes(raw, 'raw message') : raw instanceof Uint8Array ? raw : undefined
  if (!bytes) throw notUsable('The message to sign is neither a string nor { raw: hex or bytes }.', 'Pass signMessage({ message: "text" }) or signMessage({ message: { raw } }).')
  try {
    return UTF8.decode(bytes)
  } catch (cause) {
    throw new UnsupportedOperationError('This signer signs UTF-8 text, and the raw message is not UTF-8.', {
      details: `${bytes.length} bytes`,
      cause,
      nextStep: 'Sign a text message, or sign raw bytes with a key-holding viem account (privateKeyToAccount) instead.',
    })
  }
}

/** viem's typed data as ours: the domain, the types without EIP712Domain (derived from the domain), the message. */
function fromViemTypedData(parameters: TypedDataDefinition): TypedData {
  const { EIP712Domain: _domainType, ...types } = (parameters.types ?? {}) as Record<string, TypedData['types'][string]>
  return {
    domain: (parameters.domain ?? {}) as TypedData['domain'],
    types,
    primaryType: parameters.primaryType as string,
    message: ((parameters as { message?: Record<string, unknown> }).message ?? {}) as TypedData['message'],
  }
}

/**
 * One of our Signers (Ledger, Trezor, smart account, local key…) as a viem account, for an app's other
 * signing: `signMessage` and `signTypedData`. Transactions are not signed (UnsupportedOperationError).
 */
export function toViemAccount(signer: Signer): LocalAccount {
  if (isViemAccount(signer)) {
    throw notUsable('toViemAccount takes one of this library’s Signers, and this is already a viem Account.', 'Use the account as it is, or make a Signer of it with fromViemAccount(account).')
  }
  if (!isObject(signer) || typeof signer.address !== 'string' || typeof signer.signPersonalMessage !== 'function') {
    throw notUsable('toViemAccount takes a Signer (LedgerSigner, TrezorSigner, LocalSigner, …).', 'Open one with its adapter, e.g. await LedgerSigner.open(), and pass it.')
  }
  const address = checksumAddress(signer.address)
  // The object viem's toAccount({ … }) builds, made here so this entry point loads no viem code.
  // viem's LocalAccount type lists a publicKey, which toAccount leaves out too.
  const account = {
    address,
    source: 'custom' as const,
    type: 'local',
    async signMessage({ message }) {
      return to0xHex(await signer.signPersonalMessage(messageText(message)))
    },
    async signTypedData(parameters) {
      if (typeof signer.signTypedData !== 'function') {
        throw new UnsupportedOperationError(`This ${signer.capabilities.kind} signer does not sign typed data.`, { nextStep: 'Use signMessage with this account, or a signer whose capabilities.typedData is true.' })
      }
      return to0xHex(await signer.signTypedData(fromViemTypedData(parameters as TypedDataDefinition)))
    },
    async signTransaction() {
      throw new UnsupportedOperationError('This account signs messages and typed data, not transactions.', {
        details: `${signer.capabilities.kind} ${address}`,
        nextStep: 'Send transactions with the wallet’s own app (or a viem account of its own); use this account for signMessage and signTypedData.',
      })
    },
  } satisfies Omit<LocalAccount, 'publicKey'> as unknown as LocalAccount
  WRAPPED.set(account, signer)
  return account
}
