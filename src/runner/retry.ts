/** Which finished attempts run again, and as what job (or jobs). Pure. */
import type { Framework } from '../frameworks/core/framework.js'
import type { JobResult, JobSpec } from '../protocol/types.js'
import { caseOfItem, explained, itemsWithoutResult, plannedItems } from './planned-items.js'

/** How many times a job may run again, and the framework that may narrow a retry. */
export interface JobRetryPolicy {
  /** Extra attempts after the first (`--retries`). */
  retries: number
  /** `partRuns` tells a split part's own cases from the others' (see `partResult`). */
  framework: Pick<Framework, 'retryJob' | 'narrowToItems' | 'partRuns'>
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

/**
 * The jobs to submit after `result` of `job`: none when the attempt is final, else the retry
 * of `nextAttempt` — or, after a crash that left items with no result, one job per such item
 * (so the culprit is isolated and the rest report normally) plus one narrowed job for the
 * items that reported failures. Items that reported and passed do not run again. Several
 * jobs get ids `<job>~<n>`; a single one keeps the job's id.
 */
export function nextAttempts(
  job: JobSpec,
  result: JobResult,
  policy: JobRetryPolicy,
  previousWorkers: readonly string[] = []
): JobSpec[] {
  const retry = nextAttempt(job, result, policy, previousWorkers)
  if (!retry) return []
  const parts = isolatedParts(job, result, policy.framework)
  if (!parts) return [retry]
  const settle = (part: JobSpec, id: string): JobSpec => {
    const { expectedMs: _expectedMs, ...rest } = part
    return {
      ...rest,
      id,
      attempt: retry.attempt,
      failedBefore: true,
      avoidWorkers: retry.avoidWorkers ?? []
    }
  }
  if (parts.length === 1) return [settle(parts[0] as JobSpec, job.id)]
  return parts.map((part, i) => settle(part, `${job.id}~${i + 1}`))
}

/**
 * After an attempt that did not explain itself, the items with no result (no case, or only
 * `error` cases: what a framework says of tests a crash never reached) one per job, and the
 * items whose tests failed in one narrowed job; undefined when every item reported (the
 * crash came after them: the job runs again as it would have).
 */
function isolatedParts(
  job: JobSpec,
  result: JobResult,
  framework: JobRetryPolicy['framework']
): JobSpec[] | undefined {
  if (explained(result) || !framework.narrowToItems) return undefined
  const cases = result.cases ?? []
  const noResult = itemsWithoutResult(job, result)
  const failed = plannedItems(job).filter(
    item =>
      !noResult.includes(item) &&
      cases.some(c => (c.status === 'failed' || c.status === 'error') && caseOfItem(c, item))
  )
  if (noResult.length === 0) return undefined
  const narrow = (items: string[]): JobSpec => framework.narrowToItems?.(job, items) ?? job
  const parts = noResult.map(item => narrow([item]))
  if (failed.length > 0) {
    const failing = narrow(failed)
    const failedTests = failedCaseIds(result).filter(id =>
      failed.some(item => caseOfItem(cases.find(c => c.id === id) ?? { id }, item))
    )
    parts.push(framework.retryJob ? framework.retryJob(failing, failedTests) : failing)
  }
  return parts
}
