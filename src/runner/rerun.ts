/**
 * Re-running only what failed: from an earlier attempt's results, the planned jobs narrowed
 * to what failed, errored or did not run there, and afterwards the whole suite's outcomes
 * (this attempt's results, plus the earlier attempt's for what did not run again). Pure.
 *
 * The unit of narrowing is the framework's: a planned item (a file for jest/vitest, a test for
 * pytest, go and cargo, a command) that did not run or failed as a whole runs again whole; an
 * item whose tests failed one by one runs only those tests where the framework can select
 * tests (`retryJob`), else whole. A job-level failure no test explains (a crashed batch) runs
 * the whole job again. Without `narrowToItems` a job with anything to run again runs whole.
 */
import type { Framework } from '../frameworks/core/framework.js'
import type { JobSpec } from '../protocol/types.js'
import { failingOutcomes, type TestOutcome } from './events.js'
import { caseOfItem, itemOfCase, plannedItems } from './planned-items.js'
import { decideOutcome } from './outcomes.js'

/** One test of an earlier attempt as its results record keeps it: the outcome, no output. */
export interface PreviousTest {
  id: string
  name: string
  suite?: string
  file?: string
  line?: number
  outcome: TestOutcome['outcome']
  durationMs: number
  job?: true
  kind?: TestOutcome['kind']
  /** The attempt it really ran in, when it was itself carried over. */
  fromAttempt?: number
}

/** The results of an earlier attempt (a results artifact, or a JSON result file). */
export interface PreviousRun {
  /** The run attempt these results are of. */
  attempt: number
  framework: string
  tests: PreviousTest[]
}

/** What to run again, and what stands from the earlier attempt. */
export interface RerunPlan {
  /** This attempt's jobs: the planned ones narrowed, those with nothing to run left out. */
  jobs: JobSpec[]
  /**
   * Earlier outcomes that stand unless this attempt reports the same test (not as skipped):
   * every test that passed or was skipped, and failures no planned job covers (kept failing).
   */
  carried: TestOutcome[]
  /** Earlier tests that run again. */
  again: number
  /** Failing earlier tests no planned job covers: they stay failed. */
  uncovered: number
}

/** How the re-run decides. */
export interface RerunOptions {
  /** Flaky tests run again too (a run with fail-on-flaky failed for them). */
  flakyAgain?: boolean
}

/** True when an earlier outcome asks for the test to run again. */
function runsAgain(test: PreviousTest, options: RerunOptions): boolean {
  return (
    failingOutcomes.has(test.outcome) || (options.flakyAgain === true && test.outcome === 'flaky')
  )
}

/** The planned `jobs` narrowed to what must run again after `previous`. */
export function planRerun(
  jobs: readonly JobSpec[],
  previous: PreviousRun,
  framework: Pick<Framework, 'retryJob' | 'narrowToItems' | 'partRuns'>,
  options: RerunOptions = {}
): RerunPlan {
  const covered = new Set<string>()
  const again = new Set<string>()
  const out: JobSpec[] = []
  for (const job of jobs) {
    const items = plannedItems(job)
    // A part of a split file owns only its own tests of the file; the other parts the rest.
    const inPart = (t: PreviousTest): boolean =>
      job.framework?.part === undefined || framework.partRuns?.(job, t) !== false
    const own = previous.tests.filter(
      t =>
        (t.id === job.id || t.id === `${job.id}#job` || items.some(item => caseOfItem(t, item))) &&
        inPart(t)
    )
    for (const t of own) covered.add(t.id)
    const parts = rerunParts(job, items, own, framework, options)
    for (const t of own) if (parts.length > 0 && runsAgain(t, options)) again.add(t.id)
    if (parts.length === 1) out.push({ ...(parts[0] as JobSpec), id: job.id, failedBefore: true })
    else if (parts.length === 2) {
      out.push({ ...(parts[0] as JobSpec), id: job.id, failedBefore: true })
      out.push({ ...(parts[1] as JobSpec), id: `${job.id}~failed`, failedBefore: true })
    }
  }
  const uncovered = previous.tests.filter(t => !covered.has(t.id) && runsAgain(t, options))
  const carried = previous.tests
    .filter(t => !runsAgain(t, options) || !covered.has(t.id))
    .map(t => carriedOutcome(t, previous.attempt))
  return { jobs: out, carried, again: again.size, uncovered: uncovered.length }
}

/**
 * The parts of `job` to run again: none, the job whole, or up to two narrowed jobs (the items
 * to run whole, and the items to run only their failed tests in).
 */
function rerunParts(
  job: JobSpec,
  items: readonly string[],
  own: readonly PreviousTest[],
  framework: Pick<Framework, 'retryJob' | 'narrowToItems'>,
  options: RerunOptions
): JobSpec[] {
  const jobLevel = own.filter(t => t.id === job.id || t.id === `${job.id}#job`)
  const whole = (): JobSpec[] => [job]
  if (items.length === 0)
    return own.length === 0 || own.some(t => runsAgain(t, options)) ? whole() : []
  if (jobLevel.some(t => runsAgain(t, options) && !items.includes(t.id))) return whole()
  const wholeItems: string[] = []
  const testItems: string[] = []
  const failedTests: string[] = []
  for (const item of items) {
    const tests = own.filter(t => itemOfCase(t, items) === item)
    const bad = tests.filter(t => runsAgain(t, options))
    if (tests.length === 0 || bad.some(t => t.id === item)) wholeItems.push(item)
    else if (bad.length > 0) {
      testItems.push(item)
      failedTests.push(...bad.map(t => t.id))
    }
  }
  if (wholeItems.length + testItems.length === 0) return []
  const narrow = framework.narrowToItems
  if (!narrow) return whole()
  const parts: JobSpec[] = []
  if (wholeItems.length > 0) parts.push(narrow(job, wholeItems))
  if (testItems.length > 0) {
    const narrowed = narrow(job, testItems)
    parts.push(framework.retryJob ? framework.retryJob(narrowed, failedTests) : narrowed)
  }
  return parts
}

function carriedOutcome(test: PreviousTest, attempt: number): TestOutcome {
  const { fromAttempt, ...rest } = test
  return { ...rest, attempts: [], fromAttempt: fromAttempt ?? attempt }
}

/**
 * The whole suite's outcomes: this attempt's, except that a test it skipped only because the
 * narrowing left it out (or did not report at all) keeps its carried outcome. A test that
 * failed before and passes now is flaky, with the earlier failure as its first attempt
 * (attempt 0: an earlier run attempt).
 */
export function mergeRerun(
  tests: readonly TestOutcome[],
  plan: RerunPlan,
  previous: PreviousRun
): TestOutcome[] {
  const carried = new Map(plan.carried.map(t => [t.id, t]))
  const before = new Map(previous.tests.map(t => [t.id, t]))
  const merged = tests.map(test => {
    const kept = carried.get(test.id)
    if (kept && test.outcome === 'skipped' && kept.outcome !== 'skipped') return kept
    carried.delete(test.id)
    const earlier = before.get(test.id)
    if (!earlier || !failingOutcomes.has(earlier.outcome)) return test
    const outcome = decideOutcome([earlier.outcome, test.outcome])
    if (outcome === test.outcome) return test
    // A failing outcome is also an attempt status (failed, timed-out, error, cancelled).
    const status = earlier.outcome as TestOutcome['attempts'][number]['status']
    return {
      ...test,
      outcome,
      attempts: [
        {
          attempt: 0,
          worker: '',
          status,
          durationMs: earlier.durationMs,
          message: `${earlier.outcome} in run attempt ${earlier.fromAttempt ?? previous.attempt}`
        },
        ...test.attempts
      ]
    }
  })
  const reported = new Set(tests.map(t => t.id))
  return [...merged, ...[...carried.values()].filter(t => !reported.has(t.id))]
}
