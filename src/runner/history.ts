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
  framework: Pick<Framework, 'itemDurations'> &
    Partial<Pick<Framework, 'itemUnit'>> & {
      name?: string
    },
  entries: readonly JobAttempts[],
  runMs?: number
): void {
  if (framework.name !== undefined) {
    for (const [kind, ms] of startupSamples(framework, entries))
      store.recordStartup(framework.name, kind, ms)
    if (runMs !== undefined) store.recordStartup(framework.name, 'runMs', runMs)
  }
  // An item split over several jobs (a file split by test name) takes the sum of its parts,
  // and only when every part measured it.
  const sums = new Map<string, number>()
  const unmeasured = new Set<string>()
  const failed = new Set<string>()
  const outside = new Map<string, number>()
  for (const entry of entries) {
    const samples = new Map<string, number>()
    for (const { job, result } of entry.attempts) {
      const items = itemsOf(job)
      if (result.status !== 'passed') for (const id of failingItems(items, result)) failed.add(id)
      if (!measured.has(result.status) || result.worker === '') continue
      for (const [id, ms] of durations(framework, job, result, items)) {
        if (!samples.has(id)) samples.set(id, ms)
      }
    }
    const planned = itemsOf(entry.job)
    for (const id of planned) {
      const ms = samples.get(id)
      if (ms === undefined) unmeasured.add(id)
      else sums.set(id, (sums.get(id) ?? 0) + ms)
    }
    // Items the framework reported durations for outside the planned list (renamed, split).
    for (const [id, ms] of samples) if (!planned.includes(id)) outside.set(id, ms)
  }
  const plannedIds = new Set(entries.flatMap(e => itemsOf(e.job)))
  for (const id of plannedIds) {
    const ms = sums.get(id)
    if (ms !== undefined && !unmeasured.has(id)) store.record(id, ms, failed.has(id))
    else store.setFailed(id, failed.has(id))
  }
  for (const [id, ms] of outside) if (!plannedIds.has(id)) store.record(id, ms, failed.has(id))
  if (framework.itemUnit === 'file') recordTestTimes(store, entries)
}

/**
 * A file whose tests took at least this share of the run's test time keeps its tests'
 * durations, so a later plan can split it (split.ts splits a file longer than the per-slot
 * share: with up to 20 slots, files under 5% never qualify). Fewer files keep the history small.
 */
export const SPLIT_CANDIDATE_SHARE = 0.05

/**
 * Per-test durations of the files that may need a split, from the first attempt of each job
 * that ran to the end (a narrowed retry would leave tests out); the files' parts add up. Files
 * below the share forget theirs; files this run did not measure keep what they had.
 */
function recordTestTimes(store: TimingStore, entries: readonly JobAttempts[]): void {
  const byFile = new Map<string, Map<string, number>>()
  for (const { attempts } of entries) {
    const first = attempts.find(a => a.result.worker !== '')
    if (!first || !measured.has(first.result.status)) continue
    const files = new Set(itemsOf(first.job))
    for (const c of first.result.cases ?? []) {
      if (c.file === undefined || !files.has(c.file) || c.id === c.file) continue
      if (!Number.isFinite(c.durationMs)) continue
      const names = byFile.get(c.file) ?? new Map<string, number>()
      names.set(c.name, (names.get(c.name) ?? 0) + Math.max(0, c.durationMs))
      byFile.set(c.file, names)
    }
  }
  const totals = new Map(
    [...byFile].map(([file, names]) => [file, [...names.values()].reduce((a, b) => a + b, 0)])
  )
  const total = [...totals.values()].reduce((a, b) => a + b, 0)
  for (const [file, names] of byFile) {
    const keep = total > 0 && (totals.get(file) ?? 0) >= total * SPLIT_CANDIDATE_SHARE
    store.setTestTimes(file, keep && names.size >= 2 ? names : undefined)
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
