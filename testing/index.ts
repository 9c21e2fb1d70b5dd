// xmtp-signers/testing: a loopback XMTP v2 node for the tests of apps built on xmtp-signers.
export { startXmtpNode, XmtpNode, authenticatedWallet, type Envelope, type NodeFault, type PublishRecord, type RecordedRequest, type XmtpNodeOptions } from './xmtpNode.js'
