/** Which finished attempts run again, and as what job. Pure. */
import type { Framework } from '../frameworks/framework.js'
import type { JobResult, JobSpec } from '../protocol/types.js'

/** How many times a job may run again, and the framework that may narrow a retry. */
export interface JobRetryPolicy {
  /** Extra attempts after the first (`--retries`). */
  retries: number
  framework: Pick<Framework, 'retryJob'>
}

const retryable = new Set<JobResult['status']>(['failed', 'timed-out', 'error'])

/** Ids of the cases that failed in an attempt (what a narrowed retry runs again). */
export function failedCaseIds(result: JobResult): string[] {
  return (result.cases ?? [])
    .filter(c => c.status === 'failed' || c.status === 'error')
    .map(c => c.id)
}

/**
 * The job to submit for another attempt after `result` of `job`, or undefined when this
 * attempt is final. A failed, timed-out or errored attempt runs again while attempts are
 * left; a cancelled one does not (someone chose to stop it), nor one that never reached a
 * worker (no worker could take it: another try would wait for the same nobody). The retry
 * avoids every worker that ran an earlier attempt, and runs only the failing cases when the
 * framework can narrow a job and the failure is explained by them.
 */
export function nextAttempt(
  job: JobSpec,
  result: JobResult,
  policy: JobRetryPolicy,
  previousWorkers: readonly string[] = []
): JobSpec | undefined {
  if (!retryable.has(result.status)) return undefined
  if (job.attempt > policy.retries) return undefined
  if (result.worker === '' && result.startedAt === 0) return undefined
  const failedTests = result.status === 'failed' ? failedCaseIds(result) : []
  const base =
    policy.framework.retryJob && failedTests.length > 0
      ? policy.framework.retryJob(job, failedTests)
      : job
  const avoid = [
    ...new Set([...(job.avoidWorkers ?? []), ...previousWorkers, result.worker])
  ].filter(w => w !== '')
  return { ...base, id: job.id, attempt: job.attempt + 1, failedBefore: true, avoidWorkers: avoid }
}
