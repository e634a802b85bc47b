/** Tells whole-job outcomes from tests, for reports that list tests only. */
import type { Framework } from '../frameworks/core/framework.js'
import type { TestOutcome } from './events.js'
import type { JobAttempts } from './outcomes.js'

/**
 * Marks (`job: true`) the outcomes that stand for a whole job of a framework that reports
 * tests one by one (a batch that failed as a whole, named after the job). A framework without
 * per-test results (`commands`) runs one test per job: its outcomes stay tests.
 */
export function markJobOutcomes(
  tests: readonly TestOutcome[],
  entries: readonly JobAttempts[],
  framework: Pick<Framework, 'parse'>
): TestOutcome[] {
  if (framework.parse === undefined) return [...tests]
  const ids = new Set(entries.flatMap(e => [e.job.id, `${e.job.id}#job`]))
  // An item may share its job's id (a one-test job named after the test): still a test.
  const items = new Set(entries.flatMap(e => e.job.framework?.tests ?? []))
  return tests.map(t => (ids.has(t.id) && !items.has(t.id) ? { ...t, job: true } : t))
}
