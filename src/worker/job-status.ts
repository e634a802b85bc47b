/** Pure: what an attempt's process outcome and per-test cases mean as a job status. */
import type { JobStatus, TestCaseResult } from '../protocol/types.js'
import { formatDuration } from '../values.js'
import type { GroupRunOutcome } from './process-group.js'

/** The parts of a run that decide the status. */
export type StatusInput = Pick<
  GroupRunOutcome,
  'exitCode' | 'signal' | 'timedOut' | 'cancelled' | 'spawnError'
>

/** A status and, for anything but a plain pass or failure, why. */
export interface StatusVerdict {
  status: JobStatus
  message?: string
}

/**
 * timed-out and cancelled win (we stopped it); then a failed spawn (error); then the exit:
 * 0 passes unless the framework reports failing cases, anything else fails.
 */
export function decideStatus(
  run: StatusInput,
  context: { timeoutMs: number; cancelReason?: string; command: string },
  cases?: TestCaseResult[]
): StatusVerdict {
  if (run.timedOut) {
    return {
      status: 'timed-out',
      message: `timed out after ${formatDuration(context.timeoutMs)} (the job's time limit)`
    }
  }
  if (run.cancelled) {
    return {
      status: 'cancelled',
      message: `cancelled: ${context.cancelReason ?? 'stopped by the worker'}`
    }
  }
  if (run.spawnError !== undefined) {
    return { status: 'error', message: `could not start ${context.command}: ${run.spawnError}` }
  }
  if (run.exitCode === null) {
    return { status: 'failed', message: `killed by ${run.signal ?? 'an unknown signal'}` }
  }
  const failing = cases?.filter(c => c.status === 'failed' || c.status === 'error').length ?? 0
  if (run.exitCode === 0) {
    if (failing > 0) {
      return { status: 'failed', message: `exited 0 but ${failing} test(s) failed` }
    }
    return { status: 'passed' }
  }
  return { status: 'failed' }
}
