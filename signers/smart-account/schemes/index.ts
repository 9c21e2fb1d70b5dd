import { coinbase } from './coinbase.js'
import { erc1271 } from './erc1271.js'
import { erc7739 } from './erc7739.js'
import { safe } from './safe.js'
import type { SchemeName, WrappingScheme } from './types.js'

export type { OwnerRequest, OwnerSignature, SchemeName, WrapContext, WrappingScheme } from './types.js'
export { ownerRequestDigest } from './shared.js'
export { safeMessageTypedData } from './safe.js'
export { coinbaseMessageTypedData, COINBASE_DOMAIN } from './coinbase.js'
export { erc7739PersonalSignTypedData } from './erc7739.js'
export { wrapErc6492, unwrapErc6492, isErc6492Signature, ERC6492_MAGIC_SUFFIX, type Erc6492Parts } from './erc6492.js'

/** Every wrapping scheme by name: what the owners sign, and how their signatures become the account's. */
export const SCHEMES: Readonly<Record<SchemeName, WrappingScheme>> = { safe, coinbase, erc7739, erc1271 }
