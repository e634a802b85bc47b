/** What the scheduler remembers about each job and each worker, and small helpers on it. */
import { notRunResult } from '../protocol/job-ref.js'
import type { JobRef, JobResult, JobStatus } from '../protocol/types.js'
import type { Queued } from './priority.js'

/** One submitted attempt of a job. */
export interface JobState extends Queued {
  key: string
  ref: JobRef
  state: 'queued' | 'assigned' | 'running' | 'done'
  worker?: string
  assignedAt: number
  /**
   * When the job got a free slot on its worker: at assignment, or when a job ahead of it
   * left that worker. A prefetched job waiting behind others has none, so its timeout clock
   * does not run while it waits.
   */
  slotAt?: number
  startedAt?: number
  /** Lost attempts so far (worker gone, or overran its timeout). */
  lost: number
  /** The last worker it was lost on, for the final message. */
  lastWorker?: string
  /** Workers it must not return to while others can run it (it overran there). */
  shunned: Set<string>
  /** When it last entered the queue (submitted or requeued): the unrunnable clock's start. */
  queuedAt: number
  /** Set when the runner withdrew the job while a worker held it. */
  cancel?: { reason: string; at: number }
}

/** One connected worker. */
export interface WorkerState {
  id: string
  slots: number
  labels: Set<string>
  lastSeen: number
  /** Released jobs: it finishes what it runs and gets nothing new. */
  draining: boolean
  /** Jobs it holds, in assignment order (the order it starts them in). */
  held: Set<JobState>
}

/** True when a worker offering `offered` may run a job that needs `required`. */
export function hasLabels(offered: ReadonlySet<string>, required: readonly string[]): boolean {
  for (const label of required) if (!offered.has(label)) return false
  return true
}

/** True when the job would rather not run on this worker (avoidWorkers, or it overran there). */
export function avoids(job: JobState, worker: string): boolean {
  return job.shunned.has(worker) || (job.spec.avoidWorkers ?? []).includes(worker)
}

/** A result for a job the scheduler ends itself (lost too often, unrunnable, cancelled). */
export function syntheticResult(
  job: JobState,
  status: Extract<JobStatus, 'error' | 'cancelled'>,
  message: string
): JobResult {
  return notRunResult(job.spec, {
    worker: job.worker ?? job.lastWorker ?? '',
    status,
    message,
    startedAt: job.startedAt ?? 0
  })
}
