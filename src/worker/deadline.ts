/**
 * Pure deadline policy: a worker with a hard end (a CI job's time limit) starts a job only
 * when the job can finish before that end, and otherwise hands its queue back.
 */
import type { JobSpec } from '../protocol/types.js'

/** Never less than this before the deadline: starting, reporting and exiting take time. */
export const MIN_DEADLINE_MARGIN_MS = 30_000
/** A job's timeout counts up to this much: a 2-hour limit must not idle a worker for 2 hours. */
export const MAX_DEADLINE_MARGIN_MS = 600_000

/**
 * How long before the deadline `job` may no longer start: `fixedMarginMs` when given, else
 * the job's timeout within [30 s, 10 min].
 */
export function deadlineMargin(job: Pick<JobSpec, 'timeoutMs'>, fixedMarginMs?: number): number {
  if (fixedMarginMs !== undefined) return Math.max(0, fixedMarginMs)
  return Math.min(Math.max(job.timeoutMs, MIN_DEADLINE_MARGIN_MS), MAX_DEADLINE_MARGIN_MS)
}

/** True when `job` may start at `now` without risking the deadline (always, without one). */
export function fitsBeforeDeadline(
  job: Pick<JobSpec, 'timeoutMs'>,
  now: number,
  deadline: number | undefined,
  fixedMarginMs?: number
): boolean {
  if (deadline === undefined) return true
  return now + deadlineMargin(job, fixedMarginMs) <= deadline
}

/**
 * True when no job at all could start any more: even the smallest margin runs past the
 * deadline. The worker then drains without waiting for work it would have to hand back.
 */
export function pastLastStart(
  now: number,
  deadline: number | undefined,
  fixedMarginMs?: number
): boolean {
  if (deadline === undefined) return false
  return now + (fixedMarginMs ?? MIN_DEADLINE_MARGIN_MS) > deadline
}
