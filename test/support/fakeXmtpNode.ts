// The tests' node is the shipped one (xmtp-signers/testing); FakeXmtpNode keeps the old name and its lenient default.
import { XmtpNode, type XmtpNodeOptions } from '../../testing/index.js'

export type { Envelope, PublishRecord, RecordedRequest } from '../../testing/index.js'

export const FakeXmtpNode = {
  /** A node that accepts unauthenticated publishes, as the existing tests expect; pass options to change that. */
  start: (options: XmtpNodeOptions = {}): Promise<XmtpNode> => XmtpNode.start({ requireAuth: false, ...options }),
}
export type FakeXmtpNode = XmtpNode
