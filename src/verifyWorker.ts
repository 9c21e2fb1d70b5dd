// The body of one ContactBundleVerifier thread (verifyWorkers.ts starts it): verifies chunks of contact
// bundles as verifyContactBundles would, without `expectedAddress` (the parent applies it, as the cache does).
import { parentPort, workerData } from 'node:worker_threads'
import { cryptoBackend, useCryptoBackend } from './crypto/backend.js'
import { toWireError, type FromWorker, type ToWorker, type WireResult, type WorkerData } from './verifyWorkerProtocol.js'
import { verifyContactBundleBytes, type BundleVerification, type ContactBundleResult } from './verify.js'

const port = parentPort!
const data = workerData as WorkerData
// The parent's choice, even when it switched after load (the environment, XMTP_SIGNERS_NATIVE included, is inherited anyway).
if (data.cryptoBackend !== cryptoBackend().name) useCryptoBackend(data.cryptoBackend)
let chunks = 0

port.on('message', (request: ToWorker) => {
  // Between chunks, from JavaScript: a thread ended inside a libsecp256k1 call would abort the whole process.
  if (request.type === 'stop') process.exit(0)
  chunks++
  const { id, format, bytes, offsets } = request
  Atomics.store(data.progress, 0, id)
  if (data.fault && chunks === data.fault.exitOnChunk && Atomics.sub(data.fault.exitsLeft, 0, 1) > 0) process.exit(1)
  if (request.cryptoBackend !== cryptoBackend().name) useCryptoBackend(request.cryptoBackend)
  const results: WireResult[] = []
  try {
    for (let i = 0; i + 1 < offsets.length; i++) results.push(toWire(verifyContactBundleBytes(bytes.subarray(offsets[i], offsets[i + 1]), format)))
  } catch (error) {
    Atomics.store(data.progress, 0, 0)
    port.postMessage({ type: 'failed', id, error: toWireError(error) } satisfies FromWorker)
    return
  }
  Atomics.store(data.progress, 0, 0)
  port.postMessage({ type: 'results', id, results } satisfies FromWorker)
})

port.postMessage({ type: 'ready', cryptoBackend: cryptoBackend().name } satisfies FromWorker)

/** Byte fields copied out of the chunk's buffer: a view would carry the whole chunk into the caller's result. */
function toWire(result: ContactBundleResult): WireResult {
  if (!result.decoded) return { decoded: false, error: toWireError(result.error) }
  const v = result.verification
  const verification: BundleVerification = {
    ...v,
    identityPublicKey: v.identityPublicKey.slice(),
    preKeyPublicKey: v.preKeyPublicKey.slice(),
    ...(v.smartAccount ? { smartAccount: { ...v.smartAccount, signature: v.smartAccount.signature.slice(), hash: v.smartAccount.hash.slice() } } : {}),
  }
  return { decoded: true, verification }
}
