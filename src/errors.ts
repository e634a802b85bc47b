/** Typed errors and the one place they map to exit codes. */

export const ExitCode = {
  ok: 0,
  testsFailed: 1,
  usage: 2,
  cluster: 3
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** Bad input or configuration: names the input, the value and what was expected. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** A peer spoke something we cannot accept (bad frame, unknown message, version mismatch). */
export class ProtocolError extends Error {
  override name = 'ProtocolError'
}

/** The cluster could not do its work: broker lost, service unreachable, budget spent. */
export class ClusterError extends Error {
  override name = 'ClusterError'
}

/** A link closed or failed. */
export class LinkClosedError extends Error {
  override name = 'LinkClosedError'
}

/** Maps any thrown value to the exit code the CLI and actions use. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError) return ExitCode.usage
  return ExitCode.cluster
}

/** A one-line description of any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
