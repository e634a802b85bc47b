/**
 * One attempt of one job: its key and the result of an attempt that ended without running.
 * Every stage (scheduler, broker, worker, runner, reporters) names attempts the same way.
 */
import { emptyOutput, type JobRef, type JobResult, type JobStatus } from './types.js'

/** `id#attempt`: the key of one attempt of one job. */
export const jobKey = (ref: JobRef): string => `${ref.id}#${ref.attempt}`

/** The attempt a job or result is about, without the rest. */
export const refOf = (ref: JobRef): JobRef => ({ id: ref.id, attempt: ref.attempt })

/** How an attempt ended without running (or without its execution reporting anything). */
export interface NotRun {
  /** Worker that held it; '' when it never reached one. */
  worker: string
  status: Extract<JobStatus, 'error' | 'cancelled'>
  /** Why, in words. */
  message: string
  /** Wall-clock start when it had started (ms since epoch); 0 when it never did. */
  startedAt?: number
}

/** The result of an attempt that never ran, or whose execution failed before reporting. */
export function notRunResult(ref: JobRef, how: NotRun): JobResult {
  return {
    id: ref.id,
    attempt: ref.attempt,
    worker: how.worker,
    status: how.status,
    exitCode: null,
    signal: null,
    durationMs: 0,
    startedAt: how.startedAt ?? 0,
    stdout: emptyOutput,
    stderr: emptyOutput,
    message: how.message
  }
}
