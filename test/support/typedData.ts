// The "Mail" example of the EIP-712 specification, as the conformance kit ships it (its digest is published: be609aee…7bd2).
export { EIP712_MAIL_EXAMPLE as MAIL_TYPED_DATA } from '../../src/adapter/conformance.js'
