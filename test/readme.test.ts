/**
 * The package as an app installs it. The README is code: every TypeScript block runs as written, against the
 * built package through its own `exports` (as an app imports it), twice in the same folder (as a person runs
 * it again), and must exit by itself; a block whose first comment says it needs real hardware or a browser
 * page is type-checked instead. And a TypeScript consumer compiles every entry point under node16 and bundler
 * resolution, with and without skipLibCheck. (One file, so dist/ is built once.)
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_MNEMONIC } from '../src/adapter/index.js'

const run = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '..')
// Inside the project, so `import … from 'xmtp-signers'` resolves through package.json "exports" to dist/.
const BLOCKS = join(ROOT, 'test-artifacts', 'readme-blocks')
// The loader by URL: the block runs in an empty folder, where a bare `tsx` would not resolve.
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
const TYPE_CHECK_ONLY = /needs (a )?real|in a browser page|type-checked only/i

type Block = { index: number; line: number; code: string; typeCheckOnly: boolean }

function readmeBlocks(): Block[] {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```ts') continue
    const start = i + 1
    let end = start
    while (end < lines.length && lines[end] !== '```') end++
    const code = lines.slice(start, end).join('\n')
    const firstComment = /^\s*\/\/(.*)$/m.exec(code)?.[1] ?? ''
    blocks.push({ index: blocks.length + 1, line: start, code, typeCheckOnly: TYPE_CHECK_ONLY.test(firstComment) })
    i = end
  }
  return blocks
}

const blocks = readmeBlocks()

beforeAll(async () => {
  // The blocks import the package as users do: build it first so dist/ is what the sources say.
  await run('npm', ['run', 'build', '--silent'], { cwd: ROOT, timeout: 240_000 })
  rmSync(BLOCKS, { recursive: true, force: true })
  mkdirSync(BLOCKS, { recursive: true })
}, 300_000)
afterAll(() => rmSync(BLOCKS, { recursive: true, force: true }))

describe('every TypeScript block of the README', () => {
  it('there are blocks, and each says whether it runs', () => {
    expect(blocks.length).toBeGreaterThan(5)
    expect(blocks.filter((b) => !b.typeCheckOnly).length).toBeGreaterThan(3)
  })

  it('type-checks as a consumer of the package would compile it (blocks that need hardware included)', async () => {
    for (const block of blocks) writeFileSync(join(BLOCKS, `block${block.index}.ts`), `${block.code}\nexport {}\n`)
    writeFileSync(
      join(BLOCKS, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
        include: ['*.ts'],
      }),
    )
    const result = await run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(BLOCKS, 'tsconfig.json')], { cwd: BLOCKS, timeout: 120_000 }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    )
    // Name the README line of each failing block.
    const located = result.replace(/block(\d+)\.ts\((\d+),/g, (_m, n: string, l: string) => `README.md:${blocks[Number(n) - 1]!.line + Number(l)} (block ${n}, `)
    expect(located).toBe('')
  }, 180_000)

  for (const block of blocks.filter((b) => !b.typeCheckOnly)) {
    it(`block ${block.index} (README.md:${block.line}) runs, twice, and exits by itself`, async () => {
      const file = join(BLOCKS, `run${block.index}.mts`)
      writeFileSync(file, `${block.code}\n`)
      const cwd = mkdtempSync(join(tmpdir(), 'xmtp-signers-readme-'))
      try {
        const env = {
          PATH: process.env.PATH,
          HOME: cwd,
          // The quick start's key: Anvil's public test account 1, derived from the public test mnemonic.
          XMTP_SIGNER_PRIVATE_KEY: '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
          XMTP_SIGNER_MNEMONIC: TEST_MNEMONIC,
        }
        for (const attempt of [1, 2]) {
          const outcome = await run(process.execPath, ['--import', TSX_LOADER, file], { cwd, env, timeout: 60_000 }).then(
            (r) => ({ ok: true as const, ...r }),
            (error: { stdout?: string; stderr?: string; killed?: boolean; signal?: string }) => ({ ok: false as const, ...error }),
          )
          const why = outcome.ok ? '' : `run ${attempt}: ${'killed' in outcome && outcome.killed ? 'did not exit within 60 s' : 'failed'}\n${outcome.stderr ?? ''}\n${outcome.stdout ?? ''}`
          expect(why).toBe('')
        }
      } finally {
        rmSync(cwd, { recursive: true, force: true })
      }
    }, 180_000)
  }
})

describe('a TypeScript consumer of the package', () => {
  for (const moduleResolution of ['node16', 'bundler'] as const) {
    for (const skipLibCheck of [true, false]) {
      it(`compiles every entry point with moduleResolution ${moduleResolution}, skipLibCheck ${skipLibCheck}; no type degrades to any`, async () => {
        const dir = join(BLOCKS, `consumer-${moduleResolution}-${skipLibCheck}`)
        mkdirSync(dir, { recursive: true })
        writeFileSync(join(dir, 'consumer.ts'), readFileSync(join(ROOT, 'test', 'consumer', 'consumer.ts')))
        const module = moduleResolution === 'bundler' ? 'ESNext' : 'Node16'
        writeFileSync(
          join(dir, 'tsconfig.json'),
          JSON.stringify({ compilerOptions: { target: 'ES2022', module, moduleResolution, lib: ['ES2022', 'DOM'], strict: true, noEmit: true, skipLibCheck, types: ['node'] }, files: ['consumer.ts'] }),
        )
        const output = await run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: dir, timeout: 120_000 }).then(
          () => '',
          (error: { stdout?: string }) => error.stdout ?? String(error),
        )
        expect(output).toBe('')
      }, 180_000)
    }
  }
})
