/** Turns a finished run's attempts into timing-history samples: items and start-up apart. */
import { median } from '../frameworks/core/batching.js'
import type { Framework } from '../frameworks/core/framework.js'
import type { JobResult, JobSpec } from '../protocol/types.js'
import type { JobAttempts } from './outcomes.js'
import { fitJobCost, type JobCostPoint } from './job-cost.js'
import { failedCaseIds } from './retry.js'
import type { StartupKind, TimingStore } from './timings.js'

/** Statuses whose duration says how long the work takes (a timeout is a lower bound, still useful). */
const measured = new Set<JobResult['status']>(['passed', 'failed', 'timed-out'])

/**
 * Records one sample per item (from the first attempt that ran it: retries may be narrowed
 * and would understate it) and whether the item failed in any attempt. Durations come from
 * `framework.itemDurations`, else the attempt's duration split evenly over its items.
 * With the framework's name, also one start-up sample per kind (see startupSamples), and
 * `runMs`, the run's time outside its jobs, when the caller measured it.
 */
export function recordRun(
  store: TimingStore,
  framework: Pick<Framework, 'itemDurations'> & { name?: string },
  entries: readonly JobAttempts[],
  runMs?: number
): void {
  if (framework.name !== undefined) {
    for (const [kind, ms] of startupSamples(framework, entries))
      store.recordStartup(framework.name, kind, ms)
    if (runMs !== undefined) store.recordStartup(framework.name, 'runMs', runMs)
  }
  for (const entry of entries) {
    const samples = new Map<string, number>()
    const failed = new Set<string>()
    for (const { job, result } of entry.attempts) {
      const items = itemsOf(job)
      if (result.status !== 'passed') for (const id of failingItems(items, result)) failed.add(id)
      if (!measured.has(result.status) || result.worker === '') continue
      for (const [id, ms] of durations(framework, job, result, items)) {
        if (!samples.has(id)) samples.set(id, ms)
      }
    }
    for (const id of itemsOf(entry.job)) {
      const ms = samples.get(id)
      if (ms !== undefined) store.record(id, ms, failed.has(id))
      else store.setFailed(id, failed.has(id))
    }
    // Items the framework reported durations for outside the planned list (renamed, split).
    for (const [id, ms] of samples)
      if (!itemsOf(entry.job).includes(id)) store.record(id, ms, failed.has(id))
  }
}

function itemsOf(job: JobSpec): string[] {
  const tests = job.framework?.tests
  return tests && tests.length > 0 ? tests : [job.id]
}

function durations(
  framework: Pick<Framework, 'itemDurations'>,
  job: JobSpec,
  result: JobResult,
  items: string[]
): Map<string, number> {
  const own = framework.itemDurations?.(job, result)
  if (own && own.size > 0) return own
  const each = result.durationMs / items.length
  return new Map(items.map(id => [id, each]))
}

/**
 * The items to blame for a failing attempt: those a failing case names (by id or file) when
 * any does, else every item of the attempt (the job failed as a whole).
 */
function failingItems(items: string[], result: JobResult): string[] {
  if (result.status !== 'failed') return items
  const ids = new Set(failedCaseIds(result))
  const files = new Set((result.cases ?? []).filter(c => ids.has(c.id)).map(c => c.file))
  const named = items.filter(id => ids.has(id) || files.has(id))
  return named.length > 0 ? named : items
}

/**
 * What each job cost beyond its tests' own time, by kind: a cold job's wall time minus its
 * items' durations (the framework's per-item sums of its cases, else the cases' sum: nested
 * cases such as subtests would count twice); a warm job's the same less the session start-up
 * it paid, which is its own sample. Only the first attempt of each job that ran to the end
 * with per-test results counts (a timeout or crash says nothing about the start-up). That
 * cost is split into a part per job (coldMs, warmJobMs) and a part per item (itemMs, from the
 * warm jobs when there are any) by a fit robust to a job held up on a busy machine
 * (job-cost.ts); the session start-up is the median over the jobs that paid one.
 */
function startupSamples(
  framework: Pick<Framework, 'itemDurations'>,
  entries: readonly JobAttempts[]
): Map<StartupKind, number> {
  const cold: JobCostPoint[] = []
  const warm: JobCostPoint[] = []
  const sessions: number[] = []
  for (const { attempts } of entries) {
    const first = attempts.find(a => a.result.worker !== '')
    if (!first) continue
    const { job, result } = first
    if (result.status !== 'passed' && result.status !== 'failed') continue
    const cases = result.cases ?? []
    if (cases.length === 0) continue
    const own = framework.itemDurations?.(job, result)
    const times = own && own.size > 0 ? [...own.values()] : cases.map(c => c.durationMs)
    const tests = times.reduce((sum, ms) => sum + (Number.isFinite(ms) ? ms : 0), 0)
    const items = itemsOf(job).length
    if (job.session === undefined) {
      cold.push({ items, overheadMs: Math.max(0, result.durationMs - tests) })
      continue
    }
    const paid = result.sessionStartupMs ?? 0
    if (paid > 0) sessions.push(paid)
    warm.push({ items, overheadMs: Math.max(0, result.durationMs - paid - tests) })
  }
  const out = new Map<StartupKind, number>()
  const coldFit = fitJobCost(cold)
  const warmFit = fitJobCost(warm)
  if (coldFit) out.set('coldMs', coldFit.perJobMs)
  if (sessions.length > 0) out.set('sessionMs', median(sessions))
  if (warmFit) out.set('warmJobMs', warmFit.perJobMs)
  const perItem = (warmFit ?? coldFit)?.perItemMs
  if (perItem !== undefined && perItem > 0) out.set('itemMs', perItem)
  return out
}
