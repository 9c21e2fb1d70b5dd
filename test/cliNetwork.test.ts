// The CLI on an XMTP v2 node: create / unlock / rotate-prekey --network URL store there, verify --address
// --network looks the contact bundle up; a read-only node refuses create with its typed error; a bad URL is a
// usage error before any wallet is opened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../cli/run.js'
import { startXmtpNode, type XmtpNode } from '../testing/index.js'

const LOCAL_ACCOUNT = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266' // --signer local: the test mnemonic's first account

async function cli(args: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} })
  return { code, stdout, stderr }
}

let node: XmtpNode
let readOnly: XmtpNode
beforeAll(async () => {
  node = await startXmtpNode()
  readOnly = await startXmtpNode({ readOnly: true })
})
afterAll(async () => {
  await node?.close()
  await readOnly?.close()
})

describe('--network URL', () => {
  it('create stores on the node, unlock and rotate-prekey read it there, verify --network finds the contact bundle', async () => {
    const created = await cli(['create', '--signer', 'local', '--network', node.url, '--json'])
    expect(created.code, created.stdout + created.stderr).toBe(0)
    const identity = JSON.parse(created.stdout) as { identityPublicKey: string; store: string }
    expect(identity.store).toContain(node.url.replace(/^https?:\/\//, ''))
    expect(node.publishes.length).toBeGreaterThanOrEqual(2) // the private store, then the contact bundles
    const unlocked = await cli(['unlock', '--signer', 'local', '--network', node.url, '--json'])
    expect(unlocked.code).toBe(0)
    expect(JSON.parse(unlocked.stdout).identityPublicKey).toBe(identity.identityPublicKey)
    const rotated = await cli(['rotate-prekey', '--signer', 'local', '--network', node.url, '--json'])
    expect(rotated.code).toBe(0)
    const found = await cli(['verify', '--address', LOCAL_ACCOUNT, '--network', node.url, '--json'])
    expect(found.code, found.stdout).toBe(0)
    expect(JSON.parse(found.stdout)).toMatchObject({ address: LOCAL_ACCOUNT, valid: true })
    const told = await cli(['verify', '--address', LOCAL_ACCOUNT, '--network', node.url])
    expect(told.stdout).toMatch(/Contact topic \/xmtp\/0\/contact-0xf39F.*: \d+ bundles/)
  })

  it('an account with nothing published: verify --network says so and exits 1', async () => {
    const none = await cli(['verify', '--address', '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', '--network', node.url])
    expect(none.code).toBe(1)
    expect(none.stdout).toContain('No contact bundle is published for 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 there.')
  })

  it('a read-only node: create ends in NETWORK_READ_ONLY with what to do, nothing stored', async () => {
    const refused = await cli(['create', '--signer', 'local', '--network', readOnly.url, '--json'])
    expect(refused.code).toBe(1)
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'NETWORK_READ_ONLY', hint: expect.stringContaining('unlock --network') })
    const after = await cli(['verify', '--address', LOCAL_ACCOUNT, '--network', readOnly.url, '--json'])
    expect(JSON.parse(after.stdout)).toMatchObject({ found: 0, valid: false })
  })

  it('usage errors before any wallet: a URL that is not http(s), --network with --store, a bundle with --network', async () => {
    const cases: [string[], RegExp][] = [
      [['create', '--signer', 'ledger', '--network', 'ftp://x'], /--network ftp:\/\/x: give the XMTP v2 node's HTTP API/],
      [['create', '--signer', 'local', '--network', node.url, '--store', '/tmp/x'], /Give one of --store, --network or --from/],
      [['verify', '00', '--address', LOCAL_ACCOUNT, '--network', node.url], /either a bundle or --network/],
      [['verify', '--network', node.url], /give --address 0x/],
    ]
    for (const [args, message] of cases) {
      const result = await cli(args)
      expect({ args, code: result.code }).toEqual({ args, code: 2 })
      expect(result.stderr.split('\n')[0]).toMatch(message)
    }
  })
})
