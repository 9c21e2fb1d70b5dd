/** The FailureType names the firmware answers with (from the Trezor protobuf definitions). */
export type FailureCode =
  | 'Failure_UnexpectedMessage'
  | 'Failure_DataError'
  | 'Failure_ActionCancelled'
  | 'Failure_PinCancelled'
  | 'Failure_PinInvalid'
  | 'Failure_ProcessError'
  | 'Failure_NotInitialized'
  | 'Failure_InvalidSession'

/** Ends the current workflow with `Failure { code, message }`, as the firmware does. */
export class FirmwareError extends Error {
  override name = 'FirmwareError'
  constructor(
    readonly code: FailureCode,
    message: string,
  ) {
    super(message)
  }
}

/** Ends the current workflow without an answer: the device was unplugged or the host moved on. */
export class WorkflowAborted extends Error {
  override name = 'WorkflowAborted'
}
