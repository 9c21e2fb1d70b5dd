// Processes creating identities and rotating prekeys on one FileKeyStore are SIGKILLed at seeded random
// moments; afterwards every stored bundle unlocks, and the next operation retries promptly and leaves no debris.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileKeyStore } from '../stores/fileKeyStore.js'
import { createIdentity, rotatePreKey, storageTopic, unlockIdentity, unlockOrCreateIdentity } from '../src/index.js'
import { LocalSigner } from '../signers/local/index.js'
import { seededRandom as prng } from './support/seededRandom.js'
import { TEST_MNEMONIC } from '../src/adapter/index.js'

const SEED = 0x5eed_0010
const CHILDREN = 12
const AT_ONCE = 3
const MNEMONIC = TEST_MNEMONIC
const script = join(import.meta.dirname, 'support', 'createInChildProcess.ts')
const signerFor = (index: number) => LocalSigner.fromMnemonic(MNEMONIC, { path: `m/44'/60'/0'/0/${index}` })


type Plan = { operation: 'create' | 'unlockOrCreate' | 'rotate-loop'; account: number; killAfterMs: number }
type Outcome = Plan & { signal: NodeJS.Signals | null; code: number | null; stderr: string }

/** Starts one child, waits until it has loaded, lets it work for `killAfterMs`, then SIGKILLs it (if still running). */
function runAndKill(directory: string, plan: Plan): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, directory, '0', plan.operation, String(plan.account)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    let timer: ReturnType<typeof setTimeout> | undefined
    const guard = setTimeout(() => child.kill('SIGKILL'), 40_000)
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (timer === undefined && stderr.includes('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), plan.killAfterMs)
    })
    child.on('error', reject)
    // 'exit' comes after the child is reaped: its pid is free, as after any crash.
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      clearTimeout(guard)
      resolve({ ...plan, code, signal, stderr })
    })
  })
}

describe('SIGKILL at random moments during create and rotate-prekey', () => {
  it(`${CHILDREN} processes killed at seeded moments (seed ${SEED.toString(16)}): every bundle unlocks, every retry is prompt, no debris`, async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'xmtp-signers-kill-')), 'store')
    const store = new FileKeyStore(directory)
    await createIdentity(signerFor(0), store)
    const random = prng(SEED)
    const plans: Plan[] = Array.from({ length: CHILDREN }, (_, i) => {
      const pick = random()
      const batch = Math.floor(i / AT_ONCE)
      // Creates race for one fresh account per batch; rotations share account 0 and hold its lock in turns.
      if (pick < 0.5) return { operation: 'rotate-loop', account: 0, killAfterMs: Math.floor(random() * 600) }
      return { operation: pick < 0.75 ? 'create' : 'unlockOrCreate', account: 1 + batch, killAfterMs: Math.floor(random() * 250) }
    })

    const outcomes: Outcome[] = []
    for (let i = 0; i < plans.length; i += AT_ONCE) outcomes.push(...(await Promise.all(plans.slice(i, i + AT_ONCE).map((plan) => runAndKill(directory, plan)))))

    // A child either was killed or finished its one operation; a create that lost the race says IDENTITY_EXISTS.
    for (const outcome of outcomes) {
      if (outcome.signal === 'SIGKILL') continue
      expect(outcome.operation).not.toBe('rotate-loop')
      if (outcome.code !== 0) expect(outcome.stderr).toContain('IDENTITY_EXISTS')
    }
    expect(outcomes.filter((o) => o.signal === 'SIGKILL').length).toBeGreaterThanOrEqual(CHILDREN / 2)

    // The kills did land inside operations: at least one dead holder's lock is there for the retries to break.
    expect(readdirSync(directory).some((name) => name.endsWith('.lock'))).toBe(true)

    // Every bundle on disk is whole: it unlocks with its account.
    const accounts = [...new Set(plans.map((p) => p.account))]
    for (const account of accounts) {
      const signer = signerFor(account)
      if ((await store.get(storageTopic(signer.address))) !== undefined) await unlockIdentity(signer, store)
    }

    // Retries with a 3 s lock timeout, each through the account's lock (a rotation where a bundle is stored, else a
    // create): a lock or breaker left by a killed child that was not freed would fail them.
    const retrying = new FileKeyStore(directory, { lockTimeoutMs: 3_000 })
    for (const account of accounts) {
      const signer = signerFor(account)
      const stored = (await retrying.get(storageTopic(signer.address))) !== undefined
      const started = Date.now()
      const result = stored ? await rotatePreKey(signer, retrying) : await unlockOrCreateIdentity(signer, retrying)
      expect(Date.now() - started).toBeLessThan(3_000)
      expect((await unlockIdentity(signer, retrying)).identity.identityPublicKey).toEqual(result.identity.identityPublicKey)
    }
    const expected = accounts.map((a) => `${encodeURIComponent(storageTopic(signerFor(a).address))}.bin`).sort()
    expect(readdirSync(directory).sort()).toEqual(expected)
  })
})
