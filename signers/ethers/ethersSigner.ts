// Types only at the top: this entry never loads ethers until an app hands it an ethers object or asks for one.
import type {
  AbstractSigner,
  Provider,
  Signer as EthersSignerLike,
  TransactionRequest,
  TypedDataDomain as EthersTypedDataDomain,
  TypedDataField as EthersTypedDataField,
} from 'ethers'
import {
  abortable,
  checksumAddress,
  expectSignedBy,
  hashPersonalMessage,
  hashTypedData,
  InvalidInputError,
  SignerClosedError,
  throwIfAborted,
  to0xHex,
  toHex,
  UnsupportedOperationError,
  type Address,
  type SignOptions,
  type Signer,
  type SignerCapabilities,
  type TypedData,
  type TypedDataDomain,
  type TypedDataField,
  identifyWalletObject,
  optionalPackage,
} from '../../src/adapter/index.js'
import { SignerUnavailableError } from '../../src/index.js'
import { toEthersError } from './errors.js'

const WALLET = 'ethers'

/** What an argument that is not an ethers signer most likely is, and what to call instead. */
function whatToUseInstead(value: unknown): string {
  const lookalike = identifyWalletObject(value)
  if (lookalike) return `It is ${lookalike.what}: ${lookalike.use}.`
  return 'Pass an ethers v6 Signer: new Wallet(privateKey), HDNodeWallet.fromPhrase(mnemonic), or await provider.getSigner().'
}

function isEthersSigner(value: unknown): value is EthersSignerLike {
  const v = value as Partial<Record<'getAddress' | 'signMessage', unknown>> | null
  return typeof value === 'object' && value !== null && typeof v!.getAddress === 'function' && typeof v!.signMessage === 'function'
}

// A Wallet or HDNodeWallet holds its key in memory and signs RFC 6979 deterministically; a remote signer may not.
function holdsLocalKey(signer: EthersSignerLike): boolean {
  const s = signer as unknown as { signingKey?: unknown; privateKey?: unknown }
  return typeof s.signingKey === 'object' && s.signingKey !== null && typeof s.privateKey === 'string'
}

/** The types a type reaches (array suffixes stripped), so ethers finds exactly `primaryType` as the root. */
function reachableTypes(typedData: TypedData): Record<string, TypedDataField[]> {
  const out: Record<string, TypedDataField[]> = {}
  const visit = (name: string) => {
    if (name === 'EIP712Domain' || Object.hasOwn(out, name) || !Object.hasOwn(typedData.types, name)) return
    const fields = typedData.types[name]!
    out[name] = fields.map((f) => ({ name: f.name, type: f.type }))
    for (const f of fields) visit(f.type.replace(/(\[\d*\])+$/, ''))
  }
  visit(typedData.primaryType)
  return out
}

/**
 * An ethers v6 signer (Wallet, HDNodeWallet, JsonRpcSigner, …) as an xmtp-signers `Signer`: every
 * signature it returns is checked to recover to the address it gave at creation.
 */
export class EthersAccountSigner implements Signer {
  readonly address: Address
  readonly capabilities: SignerCapabilities
  #signer: EthersSignerLike | undefined

  private constructor(signer: EthersSignerLike, address: Address) {
    this.#signer = signer
    this.address = address
    this.capabilities = {
      kind: 'ethers',
      accountType: 'EOA',
      reproducibleSignatures: holdsLocalKey(signer) ? 'yes' : 'unknown',
      typedData: typeof signer.signTypedData === 'function',
    }
  }

  /** Reads the signer's address once; a non-ethers argument is `InvalidInputError` naming what to use. */
  static async open(signer: EthersSignerLike): Promise<EthersAccountSigner> {
    if (!isEthersSigner(signer)) {
      throw new InvalidInputError('fromEthersSigner takes an ethers v6 Signer (with getAddress and signMessage).', { nextStep: whatToUseInstead(signer) })
    }
    let reported: unknown
    try {
      reported = await signer.getAddress()
    } catch (error) {
      throw toEthersError(error, 'address request')
    }
    if (typeof reported !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(reported)) {
      throw new SignerUnavailableError('The ethers signer did not give an Ethereum address.', {
        details: String(reported),
        nextStep: 'Check the account behind the ethers signer (an unlocked wallet, a node that has the account), then retry.',
      })
    }
    return new EthersAccountSigner(signer, checksumAddress(reported))
  }

  #open(): EthersSignerLike {
    if (!this.#signer) throw new SignerClosedError({ wallet: WALLET, nextStep: 'Call fromEthersSigner(signer) again.' })
    return this.#signer
  }

  // ethers takes no AbortSignal: the wait ends on abort; a prompt still open in a remote wallet is the person's to dismiss.
  async #ask(request: (signer: EthersSignerLike) => Promise<string>, signal: AbortSignal | undefined, what: string): Promise<string> {
    throwIfAborted(signal, what)
    const signer = this.#open()
    const pending = request(signer).catch((error: unknown) => Promise.reject(toEthersError(error, what)))
    return abortable(pending, signal, what)
  }

  async signPersonalMessage(text: string, options: SignOptions = {}): Promise<Uint8Array> {
    const what = 'message signature'
    const signature = await this.#ask((s) => s.signMessage(text), options.signal, what)
    return expectSignedBy({ account: this.address, digest: hashPersonalMessage(text), signature, what: 'The ethers signer’s message signature' })
  }

  async signTypedData(typedData: TypedData, options: SignOptions = {}): Promise<Uint8Array> {
    const what = 'typed-data signature'
    throwIfAborted(options.signal, what)
    const digest = hashTypedData(typedData) // validates the data before any wallet sees it
    const domain = { ...typedData.domain } as EthersTypedDataDomain
    const message = typedData.message as Record<string, unknown>
    const signature = await this.#ask(
      (s) => {
        if (typeof s.signTypedData !== 'function') return Promise.reject(new UnsupportedOperationError('This ethers signer cannot sign typed data.', { nextStep: 'Use an ethers v6 signer (Wallet, JsonRpcSigner).' }))
        return s.signTypedData(domain, reachableTypes(typedData), message)
      },
      options.signal,
      what,
    )
    return expectSignedBy({ account: this.address, digest, signature, what: 'The ethers signer’s typed-data signature' })
  }

  /** Forgets the ethers signer; its provider stays the app's to destroy. */
  async close(): Promise<void> {
    this.#signer = undefined
  }
}

/** An ethers v6 signer as an xmtp-signers `Signer` (reads its address once, so it is async). */
export function fromEthersSigner(signer: EthersSignerLike): Promise<EthersAccountSigner> {
  return EthersAccountSigner.open(signer)
}

// ---- the other way: our Signer as an ethers AbstractSigner -------------------------------------------

/** Our `Signer` as an ethers v6 signer; `signer` is the one it wraps. */
export interface XmtpEthersSigner extends AbstractSigner<Provider | null> {
  readonly signer: Signer
  connect(provider: Provider | null): XmtpEthersSigner
}

type XmtpEthersSignerClass = new (signer: Signer, provider: Provider | null) => XmtpEthersSigner
let signerClass: Promise<XmtpEthersSignerClass> | undefined

// ethers is the app's (an optional peer): loaded when toEthersSigner first builds a signer class.
const loadEthers = optionalPackage({ packages: ['ethers@^6.17'], feature: 'toEthersSigner' }, () => import('ethers'))

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

function messageText(message: string | Uint8Array): string {
  if (typeof message === 'string') return message
  try {
    return strictUtf8.decode(message)
  } catch {
    throw new UnsupportedOperationError('This signer signs UTF-8 text only; the message bytes are not UTF-8.', {
      details: `${message.length} bytes, starting 0x${toHex(message.subarray(0, 8))}`,
      nextStep: 'Pass the message as a string, or as the UTF-8 bytes of one.',
    })
  }
}

// Built on first use, so importing xmtp-signers/ethers never needs ethers installed.
function buildClass(ethers: typeof import('ethers')): XmtpEthersSignerClass {
  const { AbstractSigner, TypedDataEncoder, getBigInt, hexlify } = ethers
  const toDomain = (domain: EthersTypedDataDomain): TypedDataDomain => {
    const out: { -readonly [K in keyof TypedDataDomain]: TypedDataDomain[K] } = {}
    if (domain.name != null) out.name = domain.name
    if (domain.version != null) out.version = domain.version
    if (domain.chainId != null) {
      const id = getBigInt(domain.chainId, 'domain.chainId')
      out.chainId = id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : id
    }
    if (domain.verifyingContract != null) out.verifyingContract = domain.verifyingContract
    if (domain.salt != null) out.salt = hexlify(domain.salt)
    return out
  }

  class Adapted extends AbstractSigner<Provider | null> implements XmtpEthersSigner {
    readonly signer: Signer

    constructor(signer: Signer, provider: Provider | null) {
      super(provider)
      this.signer = signer
    }

    override async getAddress(): Promise<string> {
      return this.signer.address
    }

    override connect(provider: Provider | null): XmtpEthersSigner {
      return new Adapted(this.signer, provider)
    }

    override async signMessage(message: string | Uint8Array): Promise<string> {
      return to0xHex(await this.signer.signPersonalMessage(messageText(message)))
    }

    override async signTypedData(domain: EthersTypedDataDomain, types: Record<string, EthersTypedDataField[]>, value: Record<string, unknown>): Promise<string> {
      if (!this.signer.capabilities.typedData || !this.signer.signTypedData) {
        throw new UnsupportedOperationError(`This ${this.signer.capabilities.kind} signer cannot sign typed data.`, { nextStep: 'Sign a text message instead, or use a wallet that supports EIP-712.' })
      }
      const { EIP712Domain: _ignored, ...rest } = types
      let primaryType: string
      try {
        primaryType = TypedDataEncoder.getPrimaryType(rest)
      } catch (cause) {
        throw new InvalidInputError('The typed data has no single primary type.', { cause, details: (cause as Error).message, nextStep: 'Pass only the types the message uses, with exactly one root type.' })
      }
      return to0xHex(await this.signer.signTypedData({ domain: toDomain(domain), types: rest, primaryType, message: value }))
    }

    override async signTransaction(_tx: TransactionRequest): Promise<string> {
      throw new UnsupportedOperationError(`This ${this.signer.capabilities.kind} signer signs messages and typed data only, not transactions.`, {
        nextStep: 'Send transactions with the wallet’s own ethers signer or viem client; use this one for message and typed-data signatures.',
      })
    }
  }
  return Adapted
}

/**
 * Our `Signer` (Ledger, Trezor, smart account, local key, …) as an ethers v6 `AbstractSigner`, so an app
 * can use it for its other message and typed-data signing. Async because ethers is loaded on first use.
 */
export async function toEthersSigner(signer: Signer, provider?: Provider | null): Promise<XmtpEthersSigner> {
  if (typeof signer !== 'object' || signer === null || typeof (signer as Partial<Signer>).signPersonalMessage !== 'function' || typeof (signer as Partial<Signer>).address !== 'string') {
    throw new InvalidInputError('toEthersSigner takes an xmtp-signers Signer.', {
      nextStep: isEthersSigner(signer) ? 'It is already an ethers signer: use it as it is, or wrap it for XMTP with fromEthersSigner.' : 'Open one first, e.g. LocalSigner.fromPrivateKey(key) or await LedgerSigner.open(…).',
    })
  }
  const Adapted = await (signerClass ??= loadEthers().then(buildClass, (error: unknown) => {
    signerClass = undefined // a later install can still succeed
    throw error
  }))
  return new Adapted(signer, provider ?? null)
}
