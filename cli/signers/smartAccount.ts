import { SCHEMES, type SchemeName } from '../../signers/smart-account/schemes/index.js'
import { UsageError } from '../usageError.js'
import { isWholeNumber } from './shared.js'
import type { CliSigner, FlagValues, OpenContext } from './types.js'

/** The account schemes, from the smart-account adapter's own table. */
const ACCOUNT_SCHEMES = Object.keys(SCHEMES) as SchemeName[]
const isAccountScheme = (text: string | undefined): text is SchemeName => (ACCOUNT_SCHEMES as (string | undefined)[]).includes(text)

/**
 * --account-scheme, and the owner's derivation --scheme. Before --account-scheme, `--scheme safe` named the
 * account scheme (the owner's was --owner-scheme): that spelling still works, with a line on stderr.
 */
function schemes(flags: FlagValues, warn: OpenContext['warn']): { account: string | undefined; ownerDerivation: string | undefined } {
  const ownerScheme = flags['owner-scheme']
  if (ownerScheme !== undefined) warn('--owner-scheme is deprecated: give the owner’s derivation as --scheme (the account’s scheme is --account-scheme).')
  if (flags['account-scheme'] === undefined && isAccountScheme(flags.scheme)) {
    warn(`--scheme ${flags.scheme} for a smart account is deprecated: use --account-scheme ${flags.scheme} (--scheme is the owner’s derivation scheme).`)
    return { account: flags.scheme, ownerDerivation: ownerScheme }
  }
  return { account: flags['account-scheme'], ownerDerivation: flags.scheme ?? ownerScheme }
}

export function smartAccountSigner(ownerKinds: () => readonly string[]): CliSigner {
  return {
    kind: 'smart-account',
    wallet: 'smart account',
    flags: {
      rpc: { type: 'string' },
      account: { type: 'string' },
      'account-scheme': { type: 'string' },
      // Read here too: before --account-scheme, `--scheme safe` named the account's scheme.
      scheme: { type: 'string' },
      owner: { type: 'string' },
      'owner-scheme': { type: 'string' },
      'owner-rpc': { type: 'string' },
      'owner-account': { type: 'string' },
      'owner-index-in-account': { type: 'string' },
      factory: { type: 'string' },
      'factory-data': { type: 'string' },
      'chain-id': { type: 'string' },
    },
    get usage() {
      return [
        `  --signer smart-account --rpc URL --account 0x… --account-scheme ${ACCOUNT_SCHEMES.join('|')}`,
        `                  --owner ${ownerKinds().join('|')} [owner options]`,
        '                  [--factory 0x… --factory-data 0x…] [--owner-index-in-account N] [--chain-id N]',
        '                                  owner options: --transport, --path or --scheme/--index (hardware),',
        '                                  --owner-rpc/--owner-account (injected)',
      ].join('\n')
    },
    canOwn: false,
    open: async (flags, context) => {
      const { rpc, account, owner: ownerKind } = flags
      const scheme = schemes(flags, context.warn)
      if (!rpc || !account || !scheme.account || !ownerKind) {
        throw new UsageError(`--signer smart-account needs --rpc URL, --account 0x…, --account-scheme ${ACCOUNT_SCHEMES.join('|')} and --owner <kind>.`)
      }
      if (!isAccountScheme(scheme.account)) throw new UsageError(`--account-scheme must be one of: ${ACCOUNT_SCHEMES.join(', ')}.`)
      if (!ownerKinds().includes(ownerKind)) throw new UsageError(`--owner must be one of: ${ownerKinds().join(', ')}.`)
      if (flags['chain-id'] !== undefined && !isWholeNumber(flags['chain-id'], 1)) throw new UsageError('--chain-id is a whole number, 1 or more (the EIP-155 chain id).')
      const ownerIndex = flags['owner-index-in-account']
      if (ownerIndex !== undefined && !isWholeNumber(ownerIndex, 0)) throw new UsageError('--owner-index-in-account is a whole number, 0 or more.')
      if ((flags.factory === undefined) !== (flags['factory-data'] === undefined)) throw new UsageError('--factory and --factory-data go together (an account not deployed yet).')
      const owner = await context.openSigner(ownerKind, {
        path: flags.path,
        scheme: scheme.ownerDerivation,
        index: flags.index,
        transport: flags.transport,
        'trezor-bridge': flags['trezor-bridge'],
        rpc: flags['owner-rpc'] ?? (ownerKind === 'injected' ? rpc : undefined),
        account: flags['owner-account'],
      })
      try {
        const { SmartAccountSigner } = await import('../../signers/smart-account/index.js')
        const signer = await SmartAccountSigner.open({
          rpcUrl: rpc,
          account,
          scheme: scheme.account,
          owner: owner.signer,
          ...(flags['chain-id'] ? { chainId: Number(flags['chain-id']) } : {}),
          ...(ownerIndex ? { ownerIndex: Number(ownerIndex) } : {}),
          ...(flags.factory ? { counterfactual: { factory: flags.factory, factoryCalldata: flags['factory-data'] as `0x${string}` } } : {}),
        })
        return {
          signer,
          owner: owner.signer,
          description: `${scheme.account} smart account on chain ${signer.capabilities.chainId} (${rpc}), owner: ${owner.description}`,
          close: async () => {
            await signer.close()
            await owner.close?.()
          },
        }
      } catch (error) {
        await (owner.close ?? (() => owner.signer.close()))()
        throw error
      }
    },
  }
}
