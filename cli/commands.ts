import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FileKeyStore } from '../stores/fileKeyStore.js'
import {
  BundleVerificationError,
  checksumAddress,
  createIdentity,
  cryptoBackend,
  decryptIdentity,
  DERIVATION_SCHEMES,
  rotatePreKey,
  toHex,
  unlockIdentity,
  verifyEncodedBundle,
  XmtpSignersError,
  type BundleFormat,
  type EngineOptions,
  type Signer,
} from '../src/index.js'
import { abortable } from '../src/timeout.js'
import { defaultStoreDirectory } from './dataDirectory.js'
import { readBytesArgument } from './input.js'
import type { CliIo } from './io.js'
import { identityJson, printIdentity, printVerification, verificationJson, type Out } from './report.js'
import { schemeChoice } from './signers/shared.js'
import { openSigner, SIGNERS, signerOf, type FlagValues, type OpenedSigner } from './signers/index.js'
import type { Flags } from './signers/types.js'
import { storageKeyChoice } from './storageKeyFlag.js'
import { UsageError } from './usageError.js'

/** What a command gets: the parsed command line, the streams, and the engine options the CLI set. */
export type CommandContext = {
  command: string
  positionals: readonly string[]
  values: { readonly [flag: string]: string | boolean | undefined }
  io: CliIo
  json: boolean
  out: Out
  emitJson: (value: unknown) => void
  engine: EngineOptions
  /** Opens `--signer` with its flags; the CLI closes it when the command ends. */
  open: () => Promise<OpenedSigner>
}

export type Command = {
  /** Its lines under "Usage:". */
  readonly usage: string
  /** The flags it reads beyond the signers' and the global ones. */
  readonly flags: Flags
  readonly run: (context: CommandContext) => Promise<number>
}

const FORMATS: Readonly<Record<string, BundleFormat | 'auto'>> = {
  auto: 'auto',
  contact: 'ContactBundleV1',
  'contact-v1': 'ContactBundleV1',
  'contact-v2': 'ContactBundleV2',
  v1: 'PublicKeyBundle',
  v2: 'SignedPublicKeyBundle',
}

// The usage names the common spellings; --format accepts every key of FORMATS.
const FORMAT_USAGE = 'auto|contact|v1|v2'

const string = (context: CommandContext, flag: string): string | undefined => {
  const value = context.values[flag]
  return typeof value === 'string' ? value : undefined
}

/** The string flags, as the signer table reads them. */
export function stringFlags(values: CommandContext['values']): FlagValues {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
}

function requireNoPositionals(context: CommandContext): void {
  if (context.positionals.length > 0) throw new UsageError(`Unexpected argument: ${context.positionals[0]}`)
}

const inputOf = ({ io }: CommandContext) => ({ ...(io.stdin ? { stdin: io.stdin } : {}), ...(io.signal ? { signal: io.signal } : {}) })

const IDENTITY_ACTIONS = {
  create: { action: createIdentity, headline: 'Created and stored a new XMTP identity:' },
  unlock: { action: unlockIdentity, headline: 'Unlocked the XMTP identity:' },
  'rotate-prekey': { action: rotatePreKey, headline: 'Rotated the prekey:' },
} as const

/** create, unlock and rotate-prekey: open the wallet, choose the storage key, run the engine on the store. */
async function identityCommand(context: CommandContext): Promise<number> {
  const { io, json, out, engine } = context
  const command = context.command as keyof typeof IDENTITY_ACTIONS
  requireNoPositionals(context)
  const from = string(context, 'from')
  const network = networkChoice(string(context, 'network'))
  if (from && command !== 'unlock') throw new UsageError('--from applies to unlock only.')
  if ([from, string(context, 'store'), network].filter(Boolean).length > 1) throw new UsageError('Give one of --store, --network or --from.')
  const opened = await context.open()
  const signer = opened.signer
  if (!json) out.log(`Wallet: ${opened.description}\nAccount: ${signer.address}\n`)
  if (context.values['confirm-address']) {
    const device = signer as Signer & { showAddress?: () => Promise<string> }
    if (!device.showAddress) throw new UsageError('--confirm-address needs a hardware signer (it shows the address on the device).')
    await abortable(device.showAddress(), io.signal, 'address confirmation')
    if (!json) out.log(`  ✓ The device showed ${signer.address} and you confirmed it.\n`)
  }
  const storageKey = await storageKeyChoice(string(context, 'storage-key'), opened, io.env, async (question) => {
    if (!io.promptSecret) throw new UsageError('--storage-key passphrase needs XMTP_SIGNER_PASSPHRASE, or a terminal to ask for it.')
    return io.promptSecret(question)
  })
  if (storageKey) engine.storageKey = storageKey
  if (command === 'unlock' && from) {
    const encrypted = await readBytesArgument(from, 'encrypted private key bundle', inputOf(context))
    const { identity } = await decryptIdentity(encrypted, signer, engine)
    if (json) context.emitJson(identityJson(identity, { encryptedBundle: encrypted, signer: opened.description }))
    else printIdentity(out, { identity }, `Unlocked the XMTP identity from ${from}:`)
    return 0
  }
  const store = network
    ? new (await import('../stores/networkKeyStore.js')).NetworkKeyStore(network)
    : new FileKeyStore(string(context, 'store') ?? defaultStoreDirectory(io.env))
  if (!json) out.log(`Key store: ${store.location}\n`)
  const { action, headline } = IDENTITY_ACTIONS[command]
  const result = await action(signer, store, engine)
  if (json) context.emitJson(identityJson(result.identity, { ...result, store: store.location, signer: opened.description }))
  else printIdentity(out, result, headline)
  return 0
}

async function verifyCommand(context: CommandContext): Promise<number> {
  const { json, out } = context
  const network = networkChoice(string(context, 'network'))
  const address = string(context, 'address')
  // Checked before the bundle is read or an RPC is asked: a mistyped address is not a verdict on the bundle.
  if (address !== undefined) expectedAddressChoice(address)
  if (network) return lookupCommand(context, network, address)
  if (context.positionals.length !== 1) throw new UsageError('verify takes one bundle: hex, a file holding it (raw or hex), or - for standard input; or --address 0x… --network URL to look it up.')
  const format = FORMATS[string(context, 'format') ?? 'auto']
  if (!format) throw new UsageError(`--format must be one of: ${Object.keys(FORMATS).join(', ')}.`)
  const bytes = await readBytesArgument(context.positionals[0]!, 'bundle', inputOf(context))
  const rpc = string(context, 'rpc')
  const verifyOptions = { format, ...(address ? { expectedAddress: address } : {}) }
  const report = rpc
    ? await (await import('../signers/smart-account/index.js')).verifyBundleOnChain(bytes, { ...verifyOptions, rpcUrl: rpc })
    : verifyEncodedBundle(bytes, verifyOptions)
  if (json) context.emitJson(verificationJson(report))
  else {
    printVerification(out, report)
    if (report.smartAccount && !rpc) out.log(`A smart account attests this identity: verify it with --rpc URL of chain ${report.smartAccount.account.chainId}.`)
  }
  return report.valid ? 0 : 1
}

/** verify --address 0x… --network URL: the account's contact bundles on the node, each verified; the newest valid one decides. */
async function lookupCommand(context: CommandContext, network: string, address: string | undefined): Promise<number> {
  const { json, out, io } = context
  if (!address) throw new UsageError('verify --network looks up an account\'s contact bundle: give --address 0x….')
  if (context.positionals.length > 0) throw new UsageError('Give either a bundle or --network, not both.')
  if (string(context, 'format') !== undefined || string(context, 'rpc') !== undefined) throw new UsageError('--format and --rpc apply to a bundle you give, not to --network.')
  const { lookupContact } = await import('../stores/networkKeyStore.js')
  const found = await lookupContact(network, address, io.signal ? { signal: io.signal } : {})
  const best = found.best?.result
  const report = best?.decoded ? best.verification : undefined
  if (json) {
    context.emitJson({ address: found.address, contactTopic: found.contactTopic, found: found.entries.length, valid: report?.valid ?? false, verification: report ? verificationJson(report) : null })
  } else {
    out.log(`Contact topic ${found.contactTopic} on ${network}: ${found.entries.length} bundle${found.entries.length === 1 ? '' : 's'}.`)
    if (report) printVerification(out, report)
    else out.log(found.entries.length ? `None of them is a valid bundle of ${found.address}.` : `No contact bundle is published for ${found.address} there.`)
  }
  return report?.valid ? 0 : 1
}

/** --network as given, if it is an http(s) URL: checked before any wallet is opened. */
function networkChoice(url: string | undefined): string | undefined {
  if (url === undefined) return undefined
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw new UsageError(`--network ${url}: give the XMTP v2 node's HTTP API, e.g. http://127.0.0.1:5555.`)
  return url.replace(/\/+$/, '')
}

/** --address as given, if it is an Ethereum address (a wrong EIP-55 checksum is a typo too). */
function expectedAddressChoice(address: string): void {
  try {
    checksumAddress(address)
  } catch (error) {
    const why = error instanceof XmtpSignersError ? error.shortMessage.replace(/\.$/, '') : 'Not an Ethereum address'
    throw new UsageError(`--address ${address}: ${why.charAt(0).toLowerCase()}${why.slice(1)}; pass 0x and the account's 40 hex digits.`)
  }
}

/** The kinds `accounts` can list: those whose table entry discovers accounts. */
const DISCOVERABLE = SIGNERS.filter((s) => s.accounts).map((s) => s.kind)

async function accountsCommand(context: CommandContext): Promise<number> {
  const { json, out } = context
  requireNoPositionals(context)
  const kind = string(context, 'signer')
  const signer = DISCOVERABLE.includes(kind ?? '') ? signerOf(kind) : undefined
  if (!signer?.accounts) throw new UsageError(`accounts lists hardware wallet accounts: use ${DISCOVERABLE.map((k) => `--signer ${k}`).join(' or ')}.`)
  const scheme = schemeChoice(string(context, 'scheme'))
  const countText = string(context, 'count')
  const startText = string(context, 'start')
  const count = countText === undefined ? 5 : Number(countText)
  const start = startText === undefined ? 0 : Number(startText)
  if (!Number.isSafeInteger(count) || count < 1 || count > 100) throw new UsageError('--count is a number from 1 to 100.')
  if (!Number.isSafeInteger(start) || start < 0) throw new UsageError('--start is a whole number, 0 or more.')
  const { accounts, over } = await signer.accounts(stringFlags(context.values), { env: context.io.env, warn: (line) => context.io.stderr(`${line}\n`) }, { scheme, count, start })
  if (json) context.emitJson({ scheme, accounts })
  else {
    out.log(`${signer.wallet} accounts, ${DERIVATION_SCHEMES[scheme].describe}${over ? `, over ${over}` : ''}:`)
    for (const a of accounts) out.log(`  ${String(a.index).padStart(3)}  ${a.address}  ${a.path}`)
    out.log(`Use one with: --signer ${signer.kind} --scheme ${scheme} --index N  (or --path PATH)`)
  }
  return 0
}

/** create → unlock → verify on the Ledger emulator (or a development key), in a fresh store unless one is given. */
async function demoCommand(context: CommandContext): Promise<number> {
  const { json, out, engine } = context
  requireNoPositionals(context)
  const kind = string(context, 'signer') ?? 'ledger'
  if (kind !== 'ledger' && kind !== 'local') throw new UsageError('demo runs with --signer ledger (the emulator, default) or --signer local.')
  const say = (line: string) => json || out.log(line)
  // The same `--signer local` as every other command; the demo's Ledger is always the emulator.
  const opened: OpenedSigner = await openSigner(kind, kind === 'ledger' ? { transport: 'emulator' } : {}, { env: context.io.env, out: json ? undefined : out, warn: () => undefined })
  const signer = opened.signer
  // A store the demo made for itself is removed when it ends: nothing is left in the temporary folder.
  const scratch = string(context, 'store') === undefined ? mkdtempSync(join(tmpdir(), 'xmtp-signers-demo-')) : undefined
  try {
    const store = new FileKeyStore(string(context, 'store') ?? scratch!)
    say('xmtp-signers demo: create → unlock → verify an XMTP identity, with no hardware attached.')
    say(`Wallet: ${opened.description}${kind === 'ledger' ? '\n  (an emulated Ledger: it speaks the Ethereum app protocol and shows what a real one would; its keys come from the public test mnemonic — never use them for anything of value)' : ''}`)
    const crypto = cryptoBackend()
    say(`Account: ${signer.address}\nKey store: ${store.location}\nCrypto: ${crypto.name} (${crypto.secp256k1}; ${crypto.hashes})\n`)
    say('── 1. Create ──────────────────────────────────────────────')
    const created = await createIdentity(signer, store, engine)
    say('\n── 2. Unlock (as a later session would) ───────────────────')
    const unlocked = await unlockIdentity(signer, store, engine)
    const same = toHex(unlocked.identity.identityPublicKey) === toHex(created.identity.identityPublicKey)
    say(same ? '  ✓ The unlocked identity is the one created.' : '  ✗ The unlocked identity differs from the one created.')
    say('\n── 3. Verify the public bundles (what a peer checks) ──────')
    const reports = [1, 2].map((version) => verifyEncodedBundle(created.identity.encodeContactBundle(version as 1 | 2), { expectedAddress: signer.address }))
    for (const report of reports) if (!json) printVerification(out, report)
    const ok = same && reports.every((r) => r.valid)
    if (json) {
      context.emitJson({
        // A store the demo made for itself is gone when this prints: name it only when it stays.
        ...identityJson(created.identity, { encryptedBundle: created.encryptedBundle, ...(scratch ? {} : { store: store.location }), created: true, signer: opened.description }),
        temporaryStoreRemoved: scratch !== undefined,
        cryptoBackend: crypto.name,
        unlocked: same,
        verification: reports.map(verificationJson),
      })
    } else {
      printIdentity(out, created, 'Demo identity:')
      out.log(ok ? '\nDemo complete: created, unlocked and verified.' : '\nDemo FAILED: see the ✗ above.')
    }
    if (!ok) throw new BundleVerificationError('demo identity', ['the created identity did not unlock or verify'])
    return 0
  } finally {
    await (opened.close ?? (() => signer.close()))()
    if (scratch) rmSync(scratch, { recursive: true, force: true })
  }
}

const SIGNER_FLAG = { signer: { type: 'string' } } as const
const IDENTITY_FLAGS = { ...SIGNER_FLAG, store: { type: 'string' }, network: { type: 'string' }, 'confirm-address': { type: 'boolean' }, 'storage-key': { type: 'string' } } as const
const SIGNER_OPTIONS = '--signer <kind> [signer options]'

/** Every command: a new one is an entry here, and its usage line comes with it. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  create: { usage: `  xmtp-signers create  ${SIGNER_OPTIONS} [--store <dir> | --network URL] [--json]`, flags: IDENTITY_FLAGS, run: identityCommand },
  unlock: {
    usage: `  xmtp-signers unlock  ${SIGNER_OPTIONS} [--store <dir> | --network URL | --from <file | ->] [--json]`,
    flags: { ...IDENTITY_FLAGS, from: { type: 'string' } },
    run: identityCommand,
  },
  'rotate-prekey': { usage: `  xmtp-signers rotate-prekey ${SIGNER_OPTIONS} [--store <dir> | --network URL] [--json]`, flags: IDENTITY_FLAGS, run: identityCommand },
  verify: {
    get usage() {
      return [
        `  xmtp-signers verify  <hex | file | -> [--address 0x…] [--format ${FORMAT_USAGE}] [--rpc URL] [--json]`,
        '  xmtp-signers verify  --address 0x… --network URL [--json]',
        "                       (--rpc: check a smart account's attestation on its chain; --network: look the\n" +
          "                        account's contact bundle up on an XMTP v2 node)",
      ].join('\n')
    },
    flags: { address: { type: 'string' }, format: { type: 'string' }, rpc: { type: 'string' }, network: { type: 'string' } },
    run: verifyCommand,
  },
  accounts: {
    get usage() {
      return `  xmtp-signers accounts --signer ${DISCOVERABLE.join('|')} [--transport …|--trezor-bridge …] [--scheme ${Object.keys(DERIVATION_SCHEMES).join('|')}] [--count N] [--start N] [--json]`
    },
    flags: { ...SIGNER_FLAG, count: { type: 'string' }, start: { type: 'string' } },
    run: accountsCommand,
  },
  demo: { usage: '  xmtp-signers demo    [--signer ledger|local] [--store <dir>] [--json]', flags: { ...SIGNER_FLAG, store: { type: 'string' } }, run: demoCommand },
}
