/**
 * The scheduler is a pure state machine: events in (time passed in), actions out.
 * No I/O, no timers. The broker feeds it and carries out what it returns.
 */
import type { JobRef, JobResult, JobSpec } from '../protocol/types.js'

export interface SchedulerOptions {
  /** A worker silent for longer than this (ms) is treated as gone. */
  heartbeatTimeoutMs: number
  /** How many times a job may be handed back by lost workers before it ends as `error`. */
  maxLostAttempts: number
  /** Extra jobs a worker may hold beyond its slots while the queue is long. */
  prefetch: number
  /**
   * A job that no connected worker can run ends as `error` once no such worker has been
   * connected for this long (ms) after the job was submitted (or requeued). The clock only
   * runs while at least one active worker is connected: with none, workers may not have
   * started yet.
   */
  unrunnableAfterMs: number
  /** Grace past a job's own timeout before the broker gives up on the worker (ms). */
  timeoutGraceMs: number
}

export const defaultSchedulerOptions: SchedulerOptions = {
  heartbeatTimeoutMs: 30_000,
  maxLostAttempts: 3,
  prefetch: 1,
  unrunnableAfterMs: 30_000,
  timeoutGraceMs: 30_000
}

export type SchedulerEvent =
  | { type: 'worker-joined'; now: number; worker: string; slots: number; labels: string[] }
  | { type: 'worker-left'; now: number; worker: string; reason: string }
  /** Any message from the worker counts as a heartbeat. */
  | { type: 'heartbeat'; now: number; worker: string }
  | { type: 'submitted'; now: number; jobs: JobSpec[] }
  | { type: 'started'; now: number; worker: string; job: JobRef }
  | { type: 'result'; now: number; result: JobResult }
  /**
   * The worker will not start these (deadline near): back to the queue, not counted as lost.
   * The worker is draining from then on and gets no more assignments.
   */
  | { type: 'released'; now: number; worker: string; jobs: JobRef[]; reason?: string }
  /** The runner withdrew these jobs. */
  | { type: 'cancelled'; now: number; jobs: JobRef[]; reason: string }
  | { type: 'tick'; now: number }

export type SchedulerAction =
  | { type: 'assign'; worker: string; jobs: JobSpec[] }
  | { type: 'cancel'; worker: string; jobs: JobRef[]; reason: string }
  /** The worker is considered gone (silent past its heartbeat); the broker drops its link. */
  | { type: 'drop-worker'; worker: string; reason: string }
  /** A job went back to the queue: its worker was lost, overran the timeout, or released it. */
  | { type: 'requeued'; job: JobRef; worker: string; reason: string }
  /** A job ended: exactly once per submitted job id+attempt. */
  | { type: 'finished'; result: JobResult }

export interface SchedulerSnapshot {
  queued: number
  running: number
  workers: {
    id: string
    slots: number
    labels: string[]
    /** Jobs the worker holds (running or prefetched). */
    assigned: number
    /** True once the worker released jobs: it gets no more assignments. */
    draining: boolean
  }[]
}
