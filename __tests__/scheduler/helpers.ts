/** Builders shared by the scheduler tests. */
import {
  emptyOutput,
  type JobResult,
  type JobSpec,
  type JobStatus
} from '../../src/protocol/types.js'
import type { SchedulerAction } from '../../src/scheduler/types.js'

export function spec(id: string, extra: Partial<JobSpec> = {}): JobSpec {
  return {
    id,
    name: id,
    command: 'true',
    timeoutMs: 60_000,
    labels: [],
    attempt: 1,
    layers: [],
    ...extra
  }
}

export function resultOf(
  job: { id: string; attempt?: number },
  worker: string,
  status: JobStatus = 'passed'
): JobResult {
  return {
    id: job.id,
    attempt: job.attempt ?? 1,
    worker,
    status,
    exitCode: status === 'passed' ? 0 : 1,
    signal: null,
    durationMs: 1,
    startedAt: 1,
    stdout: emptyOutput,
    stderr: emptyOutput
  }
}

/** Job ids assigned to each worker by these actions, in order. */
export function assigned(actions: SchedulerAction[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const a of actions)
    if (a.type === 'assign') (out[a.worker] ??= []).push(...a.jobs.map(j => j.id))
  return out
}

export function finished(actions: SchedulerAction[]): JobResult[] {
  return actions.flatMap(a => (a.type === 'finished' ? [a.result] : []))
}

export function ofType<T extends SchedulerAction['type']>(
  actions: SchedulerAction[],
  type: T
): Extract<SchedulerAction, { type: T }>[] {
  return actions.filter((a): a is Extract<SchedulerAction, { type: T }> => a.type === type)
}
