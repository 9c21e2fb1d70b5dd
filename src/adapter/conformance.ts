import { isXmtpSignersError } from '../errors.js'
import { checksumAddress, hashPersonalMessage, normalizeSignature, publicKeyToAddress, recoverPersonalSignAddress, recoverPublicKey, sameAddress } from '../signature.js'
import type { Signer, TypedData } from '../signer.js'
import { hashTypedData } from '../typedData.js'

/** One broken promise of the `Signer` contract, and why. */
export type ConformanceFailure = { readonly check: string; readonly reason: string }
export type ConformanceReport = { readonly ok: boolean; readonly failures: readonly ConformanceFailure[] }

export type ConformanceOptions = {
  /** Bound on each request the checks make (default 30 s); an adapter that never answers fails, it does not hang. */
  requestTimeoutMs?: number
}

/** The "Mail" example of the EIP-712 specification (its digest is published: be609aee…7bd2). */
export const EIP712_MAIL_EXAMPLE: TypedData = {
  domain: { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
  types: {
    Person: [
      { name: 'name', type: 'string' },
      { name: 'wallet', type: 'address' },
    ],
    Mail: [
      { name: 'from', type: 'Person' },
      { name: 'to', type: 'Person' },
      { name: 'contents', type: 'string' },
    ],
  },
  primaryType: 'Mail',
  message: {
    from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
    to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' },
    contents: 'Hello, Bob!',
  },
}

const TEXT = 'xmtp-signers conformance\nThis request signs nothing of value.'

function describe(error: unknown): string {
  if (isXmtpSignersError(error)) return `${error.code}: ${error.shortMessage}`
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

function bounded<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  )
}

/**
 * Checks a `Signer` against the contract every adapter of this library keeps: a checksummed address,
 * personal_sign that recovers to it (or that the account accepts), declared reproducibility true,
 * typed data when declared, an aborted signal honoured with `ABORTED` and the next request still working,
 * `close()` twice harmless, and typed errors after it. `makeSigner` is called once per isolated check.
 * Usable from any test runner: it resolves a report and never throws for a failing signer.
 */
export async function checkSignerConformance(makeSigner: () => Promise<Signer> | Signer, options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const timeoutMs = options.requestTimeoutMs ?? 30_000
  const failures: ConformanceFailure[] = []
  const fail = (check: string, reason: string) => failures.push({ check, reason })
  const run = async (check: string, body: () => Promise<void>) => {
    try {
      await body()
    } catch (error) {
      fail(check, `threw ${describe(error)}`)
    }
  }

  let signer: Signer
  try {
    signer = await bounded(Promise.resolve(makeSigner()), timeoutMs)
  } catch (error) {
    return { ok: false, failures: [{ check: 'open', reason: `the factory failed: ${describe(error)}` }] }
  }
  const caps = signer.capabilities

  await run('address', async () => {
    if (typeof signer.address !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(signer.address)) return void fail('address', `not a 20-byte hex address: ${String(signer.address)}`)
    if (checksumAddress(signer.address) !== signer.address) fail('address', `not EIP-55 checksummed: ${signer.address} (expected ${checksumAddress(signer.address)})`)
  })

  await run('capabilities', async () => {
    if (typeof caps?.kind !== 'string' || caps.kind.length === 0) fail('capabilities', 'capabilities.kind is not a name')
    if (caps?.accountType !== 'EOA' && caps?.accountType !== 'SCW') fail('capabilities', `accountType is ${String(caps?.accountType)}, not EOA or SCW`)
    if (!['yes', 'no', 'unknown'].includes(caps?.reproducibleSignatures)) fail('capabilities', `reproducibleSignatures is ${String(caps?.reproducibleSignatures)}`)
    if (typeof caps?.typedData !== 'boolean') fail('capabilities', 'typedData is not a boolean')
    if (caps?.typedData && typeof signer.signTypedData !== 'function') fail('capabilities', 'typedData is declared but signTypedData is missing')
    if (caps?.accountType === 'SCW' && (typeof signer.verifySignature !== 'function' || !Number.isSafeInteger(caps.chainId) || caps.chainId! < 1)) {
      fail('capabilities', 'a smart account must implement verifySignature and name its chain (chainId ≥ 1)')
    }
  })

  let first: Uint8Array | undefined
  await run('personal-sign', async () => {
    first = await bounded(signer.signPersonalMessage(TEXT), timeoutMs)
    if (!(first instanceof Uint8Array)) return void fail('personal-sign', 'did not resolve a Uint8Array')
    if (caps.accountType === 'EOA') {
      const recovered = recoverPersonalSignAddress(TEXT, normalizeSignature(first))
      if (!sameAddress(recovered, signer.address)) fail('personal-sign', `recovers to ${recovered}, not ${signer.address}`)
    } else if (signer.verifySignature) {
      const { valid } = await bounded(signer.verifySignature(hashPersonalMessage(TEXT), first), timeoutMs)
      if (!valid) fail('personal-sign', 'the account contract does not accept its own signature')
    }
  })

  await run('reproducible', async () => {
    if (caps.reproducibleSignatures !== 'yes' || !first) return
    const again = await bounded(signer.signPersonalMessage(TEXT), timeoutMs)
    if (again.length !== first.length || again.some((b, i) => b !== first![i])) fail('reproducible', 'declares reproducible signatures but signed the same text differently')
  })

  await run('typed-data', async () => {
    if (!caps.typedData || !signer.signTypedData) return
    const signature = await bounded(signer.signTypedData(EIP712_MAIL_EXAMPLE), timeoutMs)
    if (caps.accountType === 'EOA') {
      const recovered = publicKeyToAddress(recoverPublicKey(hashTypedData(EIP712_MAIL_EXAMPLE), normalizeSignature(signature)))
      if (!sameAddress(recovered, signer.address)) fail('typed-data', `the EIP-712 signature recovers to ${recovered}, not ${signer.address}`)
    }
  })

  await run('abort', async () => {
    const controller = new AbortController()
    controller.abort()
    const started = Date.now()
    try {
      await bounded(signer.signPersonalMessage(TEXT, { signal: controller.signal }), timeoutMs)
      fail('abort', 'an already-aborted signal was ignored: the request was signed')
    } catch (error) {
      if (!isXmtpSignersError(error) || error.code !== 'ABORTED') fail('abort', `an aborted request must reject with code ABORTED; got ${describe(error)}`)
      else if (Date.now() - started > 1_000) fail('abort', `took ${Date.now() - started} ms to honour an aborted signal`)
    }
    const after = await bounded(signer.signPersonalMessage(TEXT), timeoutMs)
    if (!(after instanceof Uint8Array)) fail('abort', 'the request after an abort did not sign')
  })

  await run('close', async () => {
    await bounded(signer.close(), timeoutMs)
    await bounded(signer.close(), timeoutMs)
    try {
      await bounded(signer.signPersonalMessage(TEXT), timeoutMs)
      // A signer that holds no resource (a local key) may keep signing; that is not a failure.
    } catch (error) {
      if (!isXmtpSignersError(error)) fail('close', `signing after close() must fail with a typed error; got ${describe(error)}`)
    }
  })

  return { ok: failures.length === 0, failures }
}
