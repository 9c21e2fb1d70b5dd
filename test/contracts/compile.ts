import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Abi, Hex } from 'viem'

// The test accounts, compiled with solc (npm, wasm) from the Solidity beside this file and the npm
// @openzeppelin/contracts sources. Compiling takes seconds, so the output is cached under
// node_modules/.cache, keyed by a hash of everything that decides it.

export type ContractArtifact = { readonly abi: Abi; readonly bytecode: Hex }
export type ContractName = 'CoinbaseStyleAccount' | 'PlainErc1271Account' | 'Erc7739Account' | 'Erc7739AccountFactory'

const SOURCES: Record<string, readonly ContractName[]> = {
  'CoinbaseStyleAccount.sol': ['CoinbaseStyleAccount'],
  'PlainErc1271Account.sol': ['PlainErc1271Account'],
  'Erc7739Account.sol': ['Erc7739Account', 'Erc7739AccountFactory'],
}

// Pinned so the bytecode (and counterfactual addresses) do not move with solc defaults; no optimizer:
// these contracts only answer eth_calls, and it costs seconds of compile time.
const SETTINGS = { optimizer: { enabled: false }, evmVersion: 'prague' } as const

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const require = createRequire(import.meta.url)
const CACHE_DIR = join(root, 'node_modules', '.cache', 'xmtp-signers-solc')

type Solc = { version(): string; compile(input: string, callbacks?: { import(path: string): { contents: string } | { error: string } }): string }

function cacheKey(): string {
  const hash = createHash('sha256')
  hash.update(JSON.stringify(SETTINGS))
  hash.update((require('solc/package.json') as { version: string }).version)
  hash.update((require('@openzeppelin/contracts/package.json') as { version: string }).version)
  for (const file of Object.keys(SOURCES).sort()) hash.update(`${file}\0${readFileSync(join(here, file), 'utf8')}\0`)
  return hash.digest('hex').slice(0, 32)
}

function compile(): Record<ContractName, ContractArtifact> {
  const solc = require('solc') as Solc
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(Object.keys(SOURCES).map((file) => [file, { content: readFileSync(join(here, file), 'utf8') }])),
    settings: {
      ...SETTINGS,
      outputSelection: Object.fromEntries(Object.entries(SOURCES).map(([file, names]) => [file, Object.fromEntries(names.map((n) => [n, ['abi', 'evm.bytecode.object']]))])),
    },
  }
  const output = JSON.parse(
    solc.compile(JSON.stringify(input), {
      import(path) {
        try {
          return { contents: readFileSync(require.resolve(path), 'utf8') }
        } catch {
          return { error: `not found: ${path}` }
        }
      },
    }),
  ) as {
    errors?: { severity: string; formattedMessage: string }[]
    contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>
  }
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
  if (errors.length > 0) throw new Error(`solc ${solc.version()} failed:\n${errors.map((e) => e.formattedMessage).join('\n')}`)
  const out = {} as Record<ContractName, ContractArtifact>
  for (const [file, names] of Object.entries(SOURCES)) {
    for (const name of names) {
      const contract = output.contracts[file]?.[name]
      if (!contract) throw new Error(`solc produced no ${name} in ${file}`)
      out[name] = { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` }
    }
  }
  return out
}

let loaded: Record<ContractName, ContractArtifact> | undefined

/** The compiled test contracts: from the cache when the sources are unchanged, else compiled now. */
export function loadContracts(): Record<ContractName, ContractArtifact> {
  if (loaded) return loaded
  const file = join(CACHE_DIR, `${cacheKey()}.json`)
  try {
    loaded = JSON.parse(readFileSync(file, 'utf8')) as Record<ContractName, ContractArtifact>
    return loaded
  } catch {
    // not cached yet
  }
  loaded = compile()
  mkdirSync(CACHE_DIR, { recursive: true })
  // Written aside and renamed, so a parallel test worker never reads half a file.
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(loaded))
  renameSync(tmp, file)
  return loaded
}
