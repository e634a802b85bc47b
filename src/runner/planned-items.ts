/**
 * The items a job must report (`job.framework.tests`: files for jest/vitest, node ids for
 * pytest, `pkg::Test` for go and cargo) and which of them an attempt did report. Pure; the
 * one place that says when a case belongs to an item, for outcomes and for retries alike.
 */
import type { JobResult, JobSpec, TestCaseResult } from '../protocol/types.js'

/** The items a job must report; empty when the framework has none (`commands`). */
export function plannedItems(job: JobSpec): string[] {
  return job.framework?.tests ?? []
}

/**
 * True when a case reports (part of) an item: its id is the item, or a test in it (`item::…`
 * for a file, `item/…` for a subtest), or its file is the item.
 */
export function caseOfItem(c: Pick<TestCaseResult, 'id' | 'file'>, item: string): boolean {
  return (
    c.id === item || c.id.startsWith(`${item}::`) || c.id.startsWith(`${item}/`) || c.file === item
  )
}

/** The item a case belongs to (the longest match, as files may nest), if any. */
export function itemOfCase(
  c: Pick<TestCaseResult, 'id' | 'file'>,
  items: readonly string[]
): string | undefined {
  let best: string | undefined
  for (const item of items) {
    if (caseOfItem(c, item) && (best === undefined || item.length > best.length)) best = item
  }
  return best
}

/**
 * The job's items this attempt has no result for: no case of it, or only `error` cases (what
 * a framework says of the tests a crash never reached).
 */
export function itemsWithoutResult(job: JobSpec, result: JobResult): string[] {
  const cases = result.cases ?? []
  return plannedItems(job).filter(item =>
    cases.every(c => !caseOfItem(c, item) || c.status === 'error')
  )
}

/**
 * True when the attempt passed, or failed only because some of its cases failed. Anything
 * else (an error, a timeout, a kill by a signal, a run that failed with no failing case) is a
 * crash the attempt does not explain by itself.
 */
export function explained(result: JobResult): boolean {
  if (result.status === 'passed') return true
  if (result.status !== 'failed' || result.signal !== null) return false
  return (result.cases ?? []).some(c => c.status === 'failed' || c.status === 'error')
}

/**
 * The attempt's result with only the cases a part of a split item runs (`job.framework.part`:
 * a file split by test name). The framework reports the item's other tests too, as skipped
 * (its name pattern left them out), and the other parts report them: kept, they would count
 * twice. Cold jobs and warm sessions alike, so this is done where results arrive.
 */
export function partResult(
  job: JobSpec,
  result: JobResult,
  partRuns: ((job: JobSpec, test: TestCaseResult) => boolean) | undefined
): JobResult {
  if (job.framework?.part === undefined || partRuns === undefined || !result.cases) return result
  return { ...result, cases: result.cases.filter(c => partRuns(job, c)) }
}
