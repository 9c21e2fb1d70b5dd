import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { LocalSigner } from '../signers/local/index.js'
import { FileKeyStore } from '../src/fileKeyStore.js'
import {
  BundleVerificationError,
  createIdentity,
  decryptIdentity,
  isXmtpSignersError,
  rotatePreKey,
  toHex,
  unlockIdentity,
  verifyEncodedBundle,
  type BundleFormat,
  type DerivationScheme,
  type EngineOptions,
  type Signer,
} from '../src/index.js'
import { abortable, abortReason } from '../src/timeout.js'
import { defaultStoreDirectory } from './dataDirectory.js'
import { readBytesArgument, type StdinSource } from './input.js'
import { errorJson, identityJson, narrate, printIdentity, printVerification, verificationJson, type Out } from './report.js'
import { DEMO_MNEMONIC, openLedger, openSigner, storageKeyChoice, type OpenedSigner, type SignerOptions } from './signerFactory.js'
import { USAGE, UsageError } from './usage.js'

export type CliIo = {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: NodeJS.ProcessEnv
  /** Asks the person for a secret (hidden input); absent when there is no terminal. */
  promptSecret?: (question: string) => Promise<string>
  /** Standard input, read when a bundle argument is `-`. */
  stdin?: StdinSource
  /** Aborts the running command (the CLI aborts it on Ctrl-C / SIGTERM): it ends with OperationAbortedError, nothing stored. */
  signal?: AbortSignal
}

const OPTIONS = {
  signer: { type: 'string' },
  path: { type: 'string' },
  scheme: { type: 'string' },
  index: { type: 'string' },
  transport: { type: 'string' },
  count: { type: 'string' },
  start: { type: 'string' },
  rpc: { type: 'string' },
  account: { type: 'string' },
  owner: { type: 'string' },
  'owner-scheme': { type: 'string' },
  'owner-rpc': { type: 'string' },
  'owner-account': { type: 'string' },
  'owner-index-in-account': { type: 'string' },
  factory: { type: 'string' },
  'factory-data': { type: 'string' },
  'chain-id': { type: 'string' },
  'storage-key': { type: 'string' },
  'trezor-bridge': { type: 'string' },
  store: { type: 'string' },
  from: { type: 'string' },
  address: { type: 'string' },
  format: { type: 'string' },
  json: { type: 'boolean' },
  'confirm-address': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const

// Flags people reach for that would put a secret in shell history and `ps`.
const SECRET_FLAGS = ['--private-key', '--key', '--mnemonic', '--seed', '--passphrase', '--password']

type Parsed = { command: string | undefined; positionals: string[]; values: { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string } }

function parse(argv: string[]): Parsed {
  const secret = argv.find((a) => SECRET_FLAGS.includes(a.split('=')[0]!))
  if (secret) {
    throw new UsageError(`${secret.split('=')[0]} is not accepted: secrets are read only from the environment (XMTP_SIGNER_PRIVATE_KEY, XMTP_SIGNER_MNEMONIC).`)
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
    const [command, ...rest] = positionals
    return { command, positionals: rest, values }
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

const FORMATS: Record<string, BundleFormat | 'auto'> = {
  auto: 'auto',
  contact: 'ContactBundleV1',
  'contact-v1': 'ContactBundleV1',
  'contact-v2': 'ContactBundleV2',
  v1: 'PublicKeyBundle',
  v2: 'SignedPublicKeyBundle',
}

function requireNoPositionals(p: Parsed): void {
  if (p.positionals.length > 0) throw new UsageError(`Unexpected argument: ${p.positionals[0]}`)
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let json = argv.includes('--json')
  const out: Out = { log: (line) => io.stdout(`${line}\n`) }
  const emitJson = (value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`)
  let opened: OpenedSigner | undefined
  try {
    return await boundedByAbort(
      (async (): Promise<number> => {
        const p = parse(argv)
        json = p.values.json === true
        if (p.values.version) {
          io.stdout(`${VERSION}\n`)
          return 0
        }
        if (p.values.help || !p.command || p.command === 'help') {
          io.stdout(`${USAGE}\n`)
          return p.command || p.values.help ? 0 : 2
        }
        const engine: EngineOptions = { ...(json ? {} : { onProgress: narrate(out) }), ...(io.signal ? { signal: io.signal } : {}) }
        const input = { ...(io.stdin ? { stdin: io.stdin } : {}), ...(io.signal ? { signal: io.signal } : {}) }
        const storeDirectory = p.values.store ?? defaultStoreDirectory(io.env)

        switch (p.command) {
          case 'create':
          case 'unlock':
          case 'rotate-prekey': {
            requireNoPositionals(p)
            if (p.values.from && p.command !== 'unlock') throw new UsageError('--from applies to unlock only.')
            if (p.values.from && p.values.store) throw new UsageError('Give either --store or --from, not both.')
            opened = await untilAborted(openSigner(signerOptions(p), io.env, json ? undefined : out), io.signal)
            const signer = opened.signer
            if (!json) out.log(`Wallet: ${opened.description}\nAccount: ${signer.address}\n`)
            if (p.values['confirm-address']) {
              const device = signer as Signer & { showAddress?: () => Promise<string> }
              if (!device.showAddress) throw new UsageError('--confirm-address needs a hardware signer (it shows the address on the device).')
              await abortable(device.showAddress(), io.signal, 'address confirmation')
              if (!json) out.log(`  ✓ The device showed ${signer.address} and you confirmed it.\n`)
            }
            const storageKey = await storageKeyChoice(p.values['storage-key'], opened, io.env, async (question) => {
              if (!io.promptSecret) throw new UsageError('--storage-key passphrase needs XMTP_SIGNER_PASSPHRASE, or a terminal to ask for it.')
              return io.promptSecret(question)
            })
            if (storageKey) engine.storageKey = storageKey
            if (p.command === 'unlock' && p.values.from) {
              const encrypted = await readBytesArgument(p.values.from, 'encrypted private key bundle', input)
              const { identity } = await decryptIdentity(encrypted, signer, engine)
              if (json) emitJson(identityJson(identity, { encryptedBundle: encrypted, signer: opened.description }))
              else printIdentity(out, { identity }, `Unlocked the XMTP identity from ${p.values.from}:`)
              return 0
            }
            const store = new FileKeyStore(storeDirectory)
            if (!json) out.log(`Key store: ${store.location}\n`)
            const action = { create: createIdentity, unlock: unlockIdentity, 'rotate-prekey': rotatePreKey }[p.command]
            const result = await action(signer, store, engine)
            if (json) emitJson(identityJson(result.identity, { ...result, store: store.location, signer: opened.description }))
            else {
              const headline = { create: 'Created and stored a new XMTP identity:', unlock: 'Unlocked the XMTP identity:', 'rotate-prekey': 'Rotated the prekey:' }[p.command]
              printIdentity(out, result, headline)
            }
            return 0
          }
          case 'verify': {
            if (p.positionals.length !== 1) throw new UsageError('verify takes one bundle: hex, a file holding it (raw or hex), or - for standard input.')
            const format = FORMATS[p.values.format ?? 'auto']
            if (!format) throw new UsageError(`--format must be one of: ${Object.keys(FORMATS).join(', ')}.`)
            const bytes = await readBytesArgument(p.positionals[0]!, 'bundle', input)
            const verifyOptions = { format, ...(p.values.address ? { expectedAddress: p.values.address } : {}) }
            const report = p.values.rpc
              ? await (await import('../signers/smart-account/index.js')).verifyBundleOnChain(bytes, { ...verifyOptions, rpcUrl: p.values.rpc })
              : verifyEncodedBundle(bytes, verifyOptions)
            if (json) emitJson(verificationJson(report))
            else {
              printVerification(out, report)
              if (report.smartAccount && !p.values.rpc) {
                out.log(`A smart account attests this identity: verify it with --rpc URL of chain ${report.smartAccount.account.chainId}.`)
              }
            }
            return report.valid ? 0 : 1
          }
          case 'accounts': {
            requireNoPositionals(p)
            if (p.values.signer !== 'ledger' && p.values.signer !== 'trezor') throw new UsageError('accounts lists hardware wallet accounts: use --signer ledger or --signer trezor.')
            const { discoverLedgerAccounts, DERIVATION_SCHEMES } = await import('../signers/ledger/index.js')
            const scheme = (p.values.scheme ?? 'live') as DerivationScheme
            if (!(scheme in DERIVATION_SCHEMES)) throw new UsageError('--scheme must be one of: live, legacy, bip44.')
            const count = p.values.count === undefined ? 5 : Number(p.values.count)
            const start = p.values.start === undefined ? 0 : Number(p.values.start)
            if (!Number.isSafeInteger(count) || count < 1 || count > 100) throw new UsageError('--count is a number from 1 to 100.')
            if (!Number.isSafeInteger(start) || start < 0) throw new UsageError('--start is a whole number, 0 or more.')
            if (p.values.signer === 'trezor') {
              opened = await openSigner({ signer: 'trezor', trezorBridge: p.values['trezor-bridge'] }, io.env, undefined)
              const { discoverTrezorAccounts } = await import('../signers/trezor/index.js')
              const accounts = await discoverTrezorAccounts(opened.signer as never, { scheme, count, start })
              if (json) emitJson({ scheme, accounts })
              else {
                out.log(`Trezor accounts, ${DERIVATION_SCHEMES[scheme].describe}:`)
                for (const a of accounts) out.log(`  ${String(a.index).padStart(3)}  ${a.address}  ${a.path}`)
                out.log(`Use one with: --signer trezor --scheme ${scheme} --index N  (or --path PATH)`)
              }
              return 0
            }
            const device = await openLedger(p.values.transport ?? 'hid', undefined, io.env)
            try {
              const accounts = await discoverLedgerAccounts(device.transport, { scheme, count, start })
              if (json) emitJson({ scheme, accounts })
              else {
                out.log(`Ledger accounts, ${DERIVATION_SCHEMES[scheme].describe}, over ${device.description}:`)
                for (const a of accounts) out.log(`  ${String(a.index).padStart(3)}  ${a.address}  ${a.path}`)
                out.log(`Use one with: --signer ledger --scheme ${scheme} --index N  (or --path PATH)`)
              }
            } finally {
              await device.transport.close().catch(() => undefined)
              await device.close?.()
            }
            return 0
          }
          case 'demo': {
            requireNoPositionals(p)
            return await demo(p.values.signer ?? 'ledger', p.values.store, json, engine, out, emitJson, io.env)
          }
          default:
            throw new UsageError(`Unknown command "${p.command}".`)
        }
      })(),
      io.signal,
    )
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${USAGE}\n`)
      return 2
    }
    if (json) emitJson(errorJson(error))
    else if (isXmtpSignersError(error)) {
      io.stderr(`\n✗ ${error.shortMessage}\n`)
      if (error.details) io.stderr(`  Details: ${error.details}\n`)
      if (error.nextStep) io.stderr(`  What to do: ${error.nextStep}\n`)
    } else {
      io.stderr(`\n✗ Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n  This is a bug in xmtp-signers; please report it.\n`)
    }
    return 1
  } finally {
    await (opened?.close ?? (() => opened?.signer.close()))()
  }
}

/** How long an aborted command may take to end by itself (release its lock, cancel the device prompt). */
const ABORT_GRACE_MS = 500

/** Settles with the command; once `signal` aborts, at most ABORT_GRACE_MS later even where a wallet or device ignores the signal. */
function boundedByAbort<T>(command: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return command
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const onAbort = () => {
      timer = setTimeout(() => reject(abortReason(signal, 'command')), ABORT_GRACE_MS)
    }
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    command.then(resolve, reject).finally(() => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
    })
  })
}

/** Opening a wallet can wait on a person (plug in, unlock): an abort ends the wait, and a wallet that opens late is closed. */
function untilAborted(opening: Promise<OpenedSigner>, signal: AbortSignal | undefined): Promise<OpenedSigner> {
  return abortable(opening, signal, 'wallet connection', () => {
    opening.then((late) => (late.close ?? (() => late.signer.close()))()).catch(() => undefined)
  })
}

function signerOptions(p: Parsed): SignerOptions {
  const v = p.values
  return {
    signer: v.signer,
    path: v.path,
    scheme: v.scheme,
    index: v.index,
    transport: v.transport,
    rpc: v.rpc,
    account: v.account,
    owner: v.owner,
    ownerScheme: v['owner-scheme'],
    ownerRpc: v['owner-rpc'],
    ownerAccount: v['owner-account'],
    ownerIndexInAccount: v['owner-index-in-account'],
    factory: v.factory,
    factoryData: v['factory-data'],
    chainId: v['chain-id'],
    trezorBridge: v['trezor-bridge'],
  }
}

/** create → unlock → verify on the Ledger emulator (or a development key), in a fresh store unless one is given. */
async function demo(
  kind: string,
  storeOption: string | undefined,
  json: boolean,
  engine: EngineOptions,
  out: Out,
  emitJson: (v: unknown) => void,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  if (kind !== 'ledger' && kind !== 'local') throw new UsageError('demo runs with --signer ledger (the emulator, default) or --signer local.')
  const say = (line: string) => json || out.log(line)
  const opened: OpenedSigner =
    kind === 'ledger'
      ? await openSigner({ signer: 'ledger', transport: 'emulator' }, env, json ? undefined : out)
      : { signer: LocalSigner.fromMnemonic(DEMO_MNEMONIC), description: 'a development key from the public test mnemonic' }
  const signer = opened.signer
  try {
    const store = new FileKeyStore(storeOption ?? mkdtempSync(join(tmpdir(), 'xmtp-signers-demo-')))
    say('xmtp-signers demo: create → unlock → verify an XMTP identity, with no hardware attached.')
    say(`Wallet: ${opened.description}${kind === 'ledger' ? '\n  (an emulated Ledger: it speaks the Ethereum app protocol and shows what a real one would; its keys come from the public test mnemonic — never use them for anything of value)' : ''}`)
    say(`Account: ${signer.address}\nKey store: ${store.location}\n`)
    say('── 1. Create ──────────────────────────────────────────────')
    const created = await createIdentity(signer, store, engine)
    say('\n── 2. Unlock (as a later session would) ───────────────────')
    const unlocked = await unlockIdentity(signer, store, engine)
    const same = toHex(unlocked.identity.identityPublicKey) === toHex(created.identity.identityPublicKey)
    say(same ? '  ✓ The unlocked identity is the one created.' : '  ✗ The unlocked identity differs from the one created.')
    say('\n── 3. Verify the public bundles (what a peer checks) ──────')
    const reports = [1, 2].map((version) =>
      verifyEncodedBundle(created.identity.encodeContactBundle(version as 1 | 2), { expectedAddress: signer.address }),
    )
    for (const report of reports) if (!json) printVerification(out, report)
    const ok = same && reports.every((r) => r.valid)
    if (json) {
      emitJson({
        ...identityJson(created.identity, { encryptedBundle: created.encryptedBundle, store: store.location, created: true, signer: opened.description }),
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
  }
}

const VERSION = (() => {
  // From dist/cli/ or, under tsx, from cli/.
  for (const relative of ['../../package.json', '../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name: string; version: string }).version
    } catch {
      /* try the next */
    }
  }
  return 'unknown'
})()
