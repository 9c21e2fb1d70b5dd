import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import type { Socket } from 'node:net'
import { dirname, join } from 'node:path'
import {
  createTestClient,
  defineChain,
  http,
  publicActions,
  walletActions,
  type Address,
  type Chain,
  type Client,
  type HttpTransport,
  type PublicActions,
  type TestActions,
  type TestRpcSchema,
  type WalletActions,
} from 'viem'
import { TEST_MNEMONIC } from '../../src/adapter/index.js'

// A real local chain for tests: the npm anvil binary on 127.0.0.1 with an OS-chosen port, stopped
// by its PID (and on process exit, so a failed test never leaves one behind).

/** Anvil's dev accounts are m/44'/60'/0'/0/i of this mnemonic; each holds 10 000 ETH. */
export const ANVIL_MNEMONIC = TEST_MNEMONIC

const STARTUP_TIMEOUT_MS = 10_000
const STOP_TIMEOUT_MS = 3_000

function anvilBinary(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('@foundry-rs/anvil-linux-amd64/package.json')), 'bin', 'anvil')
}

/** viem public + wallet + anvil test actions on the running chain; txs from a dev account are signed by anvil. */
export type AnvilClient = Client<
  HttpTransport,
  Chain,
  undefined,
  TestRpcSchema<'anvil'>,
  { mode: 'anvil' } & TestActions & PublicActions<HttpTransport, Chain> & WalletActions<Chain>
>

function makeClient(rpcUrl: string, chain: Chain): AnvilClient {
  // Anvil mines each transaction at once: poll fast so receipts and reads never wait seconds.
  return createTestClient({ mode: 'anvil', chain, transport: http(rpcUrl, { retryCount: 0 }), pollingInterval: 50 })
    .extend(publicActions)
    .extend(walletActions)
}


export type Anvil = {
  readonly rpcUrl: string
  readonly chainId: number
  readonly pid: number
  readonly chain: Chain
  readonly client: AnvilClient
  /** The unlocked dev accounts (index i = m/44'/60'/0'/0/i of ANVIL_MNEMONIC). */
  readonly accounts: readonly Address[]
  /** Kills anvil (SIGTERM, then SIGKILL) and resolves once it has exited. Safe to call twice. */
  stop(): Promise<void>
}

export type StartAnvilOptions = { chainId?: number; args?: readonly string[] }

export async function startAnvil(options: StartAnvilOptions = {}): Promise<Anvil> {
  const args = ['--host', '127.0.0.1', '--port', '0', ...(options.chainId ? ['--chain-id', String(options.chainId)] : []), ...(options.args ?? [])]
  const child = spawn(anvilBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const pid = child.pid
  if (pid === undefined) throw new Error('anvil did not start (no PID)')

  let exited = false
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())))
  const signal = (name: NodeJS.Signals) => {
    try {
      if (!exited) process.kill(pid, name)
    } catch {
      // already gone
    }
  }
  const killOnExit = () => signal('SIGKILL')
  process.once('exit', killOnExit)

  let output = ''
  let port: number | undefined
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`anvil did not listen within ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS)
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString('utf8')).slice(-8192)
        const match = /Listening on 127\.0\.0\.1:(\d+)/.exec(output)
        if (match) {
          clearTimeout(timer)
          resolve(Number(match[1]))
        }
      }
      child.stdout.on('data', onData)
      child.stderr.on('data', onData)
      child.once('error', (error) => (clearTimeout(timer), reject(error)))
      child.once('exit', (code, signal) => (clearTimeout(timer), reject(new Error(`anvil exited (${signal ?? code}) before listening`))))
    })
  } catch (error) {
    killOnExit()
    await exitedPromise
    process.removeListener('exit', killOnExit)
    throw new Error(`${(error as Error).message}\n${output}`)
  }
  // Anvil logs every request: keep draining its output so a full pipe never stalls it. Unreferenced,
  // so a forgotten anvil never keeps the process alive; the exit handler then kills it.
  for (const stream of [child.stdout, child.stderr]) (stream.removeAllListeners('data').resume() as unknown as Socket).unref()
  child.unref()

  const rpcUrl = `http://127.0.0.1:${port}`
  const chainId = options.chainId ?? 31337
  const chain = defineChain({
    id: chainId,
    name: 'Anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  })
  const client = makeClient(rpcUrl, chain)

  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      if (!exited) {
        signal('SIGTERM')
        const timer = setTimeout(killOnExit, STOP_TIMEOUT_MS)
        await exitedPromise
        clearTimeout(timer)
      }
      process.removeListener('exit', killOnExit)
    })())

  try {
    const actual = await client.getChainId()
    if (actual !== chainId) throw new Error(`anvil reports chain id ${actual}, expected ${chainId}`)
    const accounts = await client.getAddresses()
    return { rpcUrl, chainId, pid, chain, client, accounts, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
