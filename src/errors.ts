/** Typed errors, and the one place where every way squall ends becomes an exit code. */
import { constants } from 'node:os'

/**
 * The documented exit codes of the CLI and the actions. 130 (interrupted, 128 + SIGINT) is
 * kept free for an interrupted run.
 */
export const ExitCode = {
  /** Every test passed (or the piece ended in order). */
  ok: 0,
  /** Some test failed, timed out or could not run (or was flaky with fail-on-flaky). */
  testsFailed: 1,
  /** Bad input or configuration. */
  usage: 2,
  /** The cluster failed: broker lost, service unreachable, a piece could not start. */
  cluster: 3,
  /** Interrupted by Ctrl-C (SIGINT); other stop signals end with 128 + their number. */
  interrupted: 130
} as const
/**
 * One of the codes above, or 128 + a stop signal's number (143 for SIGTERM, 129 for SIGHUP),
 * the way shells report a command a signal ended.
 */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode] | SignalExitCode
/** 128 + a signal's number (see signalExitCode). */
export type SignalExitCode = number

/** 128 + the signal's number, as shells expect of a command a signal stopped (130 for SIGINT). */
export function signalExitCode(signal: NodeJS.Signals): SignalExitCode {
  return 128 + (constants.signals[signal] ?? constants.signals.SIGINT)
}

/** Bad input or configuration: names the input, the value and what was expected. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** A peer spoke something we cannot accept (bad frame, unknown message, version mismatch). */
export class ProtocolError extends Error {
  override name = 'ProtocolError'
}

/** A well-formed message that does not travel this way (a worker sending `submit`). */
export class WrongDirectionError extends ProtocolError {
  override name = 'WrongDirectionError'
}

/** A handshake frame (challenge, hello, welcome) of another protocol version. */
export class ProtocolVersionError extends ProtocolError {
  override name = 'ProtocolVersionError'
}

/** The cluster could not do its work: broker lost, service unreachable, budget spent. */
export class ClusterError extends Error {
  override name = 'ClusterError'
}

/** A stop signal (Ctrl-C, SIGTERM, SIGHUP) ended the run before it finished. */
export class InterruptedError extends Error {
  override name = 'InterruptedError'
  /** `detail`: what else went wrong while stopping (a report that could not be written). */
  constructor(
    readonly signal: NodeJS.Signals,
    detail?: string
  ) {
    super(`interrupted by ${signal}${detail !== undefined ? `; ${detail}` : ''}`)
  }
}

/** One or more reports (JUnit, JSON, job summary) could not be written; the others were. */
export class ReportError extends Error {
  override name = 'ReportError'
  constructor(readonly failures: readonly string[]) {
    super(`could not write every report: ${failures.join('; ')}`)
  }
}

/** A link closed or failed. */
export class LinkClosedError extends Error {
  override name = 'LinkClosedError'
}

/**
 * How a piece of squall ended:
 * - `run`: a suite ran to its end; `testsFailed` from its outcomes, `brokerFailed` when the
 *   broker this host started exited badly even though the runner got its results;
 * - `worker`: `finished` (told to stop, or drained before its deadline), `closed` (the
 *   cluster had already ended), `lost` (broker lost or refused it), `no-broker` (none
 *   appeared in time: a failure only where a broker was `required`);
 * - `broker`: it stopped in order or not;
 * - `error`: anything thrown (UsageError is a usage error, InterruptedError 128 + its signal's
 *   number; the rest the cluster's failure).
 */
export type Ending =
  | { kind: 'run'; testsFailed: boolean; brokerFailed?: boolean }
  | { kind: 'worker'; end: 'finished' | 'closed' | 'lost' }
  | { kind: 'worker'; end: 'no-broker'; required: boolean }
  | { kind: 'broker'; ok: boolean }
  | { kind: 'error'; error: unknown }

/** The one mapping from an ending to the exit code the CLI and the actions use. */
export function exitCodeFor(ending: Ending): ExitCode {
  switch (ending.kind) {
    case 'run':
      if (ending.testsFailed) return ExitCode.testsFailed
      return ending.brokerFailed === true ? ExitCode.cluster : ExitCode.ok
    case 'worker':
      if (ending.end === 'no-broker') return ending.required ? ExitCode.cluster : ExitCode.ok
      return ending.end === 'lost' ? ExitCode.cluster : ExitCode.ok
    case 'broker':
      return ending.ok ? ExitCode.ok : ExitCode.cluster
    case 'error':
      if (ending.error instanceof InterruptedError) return signalExitCode(ending.error.signal)
      return ending.error instanceof UsageError ? ExitCode.usage : ExitCode.cluster
  }
}

/** A one-line description of any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
