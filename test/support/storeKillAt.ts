// Run by fileKeyStoreLocks.test.ts: a FileKeyStore writer that SIGKILLs itself at one exact moment, leaving what a crash leaves.
// argv: directory moment, with moment one of
//   owner-write   half of the lock's owner record written, lock not yet published
//   lock-link     lock published (link done), its temp name not yet removed
//   holding       inside withLock, before the task's work
//   bundle-write  half of a bundle's temp file written, nothing published
import { promises as fs } from 'node:fs'
import { FileKeyStore } from '../../stores/fileKeyStore.js'

const [directory, moment] = process.argv.slice(2) as [string, 'owner-write' | 'lock-link' | 'holding' | 'bundle-write']
const TOPIC = '/xmtp/0/privatestore-0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266/key_bundle/proto'
const die = (): never => {
  process.kill(process.pid, 'SIGKILL')
  throw new Error('unreachable')
}

const realOpen = fs.open.bind(fs)
const realLink = fs.link.bind(fs)
// The store calls fs.open / fs.link through this shared object, so these wrappers see its every call.
fs.open = (async (path: Parameters<typeof fs.open>[0], ...rest: unknown[]) => {
  const handle = await (realOpen as (...args: unknown[]) => Promise<fs.FileHandle>)(path, ...rest)
  const name = String(path)
  const halfWrite =
    (moment === 'owner-write' && /\.lock\.[^/]*\.tmp$/.test(name)) || (moment === 'bundle-write' && /\.bin\.[^/]*\.tmp$/.test(name))
  if (!halfWrite) return handle
  handle.writeFile = (async (data: Uint8Array) => {
    await handle.write(data.subarray(0, Math.floor(data.length / 2)))
    await handle.sync()
    die()
  }) as typeof handle.writeFile
  return handle
}) as typeof fs.open
fs.link = (async (existing: Parameters<typeof fs.link>[0], target: Parameters<typeof fs.link>[1]) => {
  await realLink(existing, target)
  if (moment === 'lock-link' && String(target).endsWith('.lock')) die()
}) as typeof fs.link

const store = new FileKeyStore(directory)
if (moment === 'bundle-write') await store.put(TOPIC, new Uint8Array(4096).fill(7))
else await store.withLock(TOPIC, async () => (moment === 'holding' ? die() : undefined))
process.stdout.write('survived')
