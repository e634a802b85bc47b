/**
 * From every attempt of every job to per-test outcomes and the run's summary. Pure.
 *
 * A job whose results carry `cases` contributes one test per case id; otherwise the job is
 * the test. Across attempts the last one decides, and a pass after a failing attempt is
 * flaky. A job-level failure that no failing case explains (a crash, a timeout, a suite that
 * did not load) becomes a test of its own, named after the job, so it cannot vanish.
 */
import { exitCodeFor } from '../errors.js'
import type { JobResult, JobSpec, TestCaseResult } from '../protocol/types.js'
import {
  failingOutcomes,
  type CountedAs,
  type KindCounts,
  type Outcome,
  type RunSummary,
  type TestOutcome
} from './events.js'
import {
  caseOfItem,
  explained,
  itemOfCase,
  plannedItems,
  itemsWithoutResult
} from './planned-items.js'
import { isHeld } from './quarantine.js'

/** One attempt: the job as submitted for it (retries may be narrowed) and what it produced. */
export interface Attempt {
  job: JobSpec
  result: JobResult
}

/** Every attempt of one planned job, oldest first. */
export interface JobAttempts {
  /** The job as first planned. */
  job: JobSpec
  attempts: Attempt[]
}

type AttemptRecord = TestOutcome['attempts'][number]

/**
 * The last attempt that says something decides; skipped attempts are neutral (a narrowed
 * retry may skip what passed before). A pass after any failing attempt is flaky.
 */
export function decideOutcome(statuses: readonly Outcome[]): Outcome {
  const ran = statuses.filter(s => s !== 'skipped')
  const last = ran[ran.length - 1]
  if (last === undefined) return statuses.length > 0 ? 'skipped' : 'error'
  if (last === 'passed' && ran.slice(0, -1).some(s => failingOutcomes.has(s))) return 'flaky'
  return last
}

/**
 * Per-test outcomes, in planning order (cases in the order first reported, then the planned
 * items that never reported, then the job itself when a crash is left unexplained).
 */
export function computeOutcomes(entries: readonly JobAttempts[]): TestOutcome[] {
  const tests: TestOutcome[] = []
  for (const entry of entries) {
    if (entry.attempts.length === 0) continue
    const reportsCases = entry.attempts.some(a => a.result.cases !== undefined)
    const cases = reportsCases ? caseOutcomes(entry) : []
    const missing = missingItems(entry)
    const items = missing.map(item => itemOutcome(entry, item))
    tests.push(...cases, ...items)
    const crashLeftOpen = entry.attempts.some(
      a => !explained(a.result) && !crashExplained(a, entry, cases, new Set(missing))
    )
    // A part of a split file may have nothing of its own left to run (its tests were renamed
    // or removed): the other parts reported the file.
    const emptyPart =
      entry.job.framework?.part !== undefined &&
      entry.attempts[entry.attempts.length - 1]?.result.status === 'passed'
    if (crashLeftOpen || (cases.length + items.length === 0 && !emptyPart)) {
      const taken = new Set([...cases, ...items].map(t => t.id))
      tests.push(jobOutcome(entry, taken.has(entry.job.id) ? `${entry.job.id}#job` : entry.job.id))
    }
  }
  return tests
}

/**
 * Planned items that no attempt reported and whose last attempt did not pass: each becomes a
 * test of its own (a crash, a kill, `process.exit`), so a batch's other items keep their
 * own results and this one cannot vanish.
 */
function missingItems(entry: JobAttempts): string[] {
  return plannedItems(entry.job).filter(item => {
    // An item that is the job itself (a command) is the job's own test.
    if (item === entry.job.id) return false
    if (entry.attempts.some(a => (a.result.cases ?? []).some(c => caseOfItem(c, item))))
      return false
    const ran = entry.attempts.filter(a => plannedItems(a.job).includes(item))
    const last = ran[ran.length - 1]
    return last !== undefined && last.result.status !== 'passed'
  })
}

function itemOutcome(entry: JobAttempts, item: string): TestOutcome {
  const ran = entry.attempts.filter(a => plannedItems(a.job).includes(item))
  const attempts = ran.map(({ result }) => {
    const record = jobAttempt(result)
    if (result.status === 'passed') return record
    const why = record.message ?? result.status
    return {
      ...record,
      status: result.status === 'cancelled' ? ('cancelled' as const) : ('error' as const),
      durationMs: 0,
      message: `no result: the job ended before this reported (${why})`
    }
  })
  const test: TestOutcome = {
    id: item,
    name: item,
    outcome: decideOutcome(attempts.map(a => a.status as Outcome)),
    durationMs: 0,
    attempts
  }
  // A file (jest, vitest) is its own file; a test id (`pkg::Test`, a node id) is not one.
  if (!item.includes('::')) test.file = item
  return test
}

/**
 * A crashed attempt is explained by the items it left unreported when one of them ends
 * failing: never reported at all, or failing when it ran again on its own.
 */
function crashExplained(
  attempt: Attempt,
  entry: JobAttempts,
  cases: readonly TestOutcome[],
  missing: ReadonlySet<string>
): boolean {
  const items = plannedItems(entry.job)
  return itemsWithoutResult(attempt.job, attempt.result).some(
    item =>
      missing.has(item) ||
      cases.some(t => failingOutcomes.has(t.outcome) && itemOfCase(t, items) === item)
  )
}

/** What the runner needs beyond the attempts to summarise a run. */
export interface SummaryInput {
  startedAt: number
  finishedAt: number
  entries: readonly JobAttempts[]
  tests: readonly TestOutcome[]
  failOnFlaky: boolean
  /** Slots per worker, from the workers' announcements. */
  slots: ReadonlyMap<string, number>
}

/** Counts, per-worker utilisation and the exit code (0 or 1; 3 is the caller's to decide). */
export function summarize(input: SummaryInput): RunSummary {
  // A quarantined test that failed is the quarantine's to report (RunSummary.quarantine): it
  // counts neither as failed nor against the exit code.
  const counted = input.tests.filter(t => !isHeld(t))
  const count = (...outcomes: Outcome[]): number =>
    counted.filter(t => outcomes.includes(t.outcome)).length
  const failed = count('failed')
  const flaky = count('flaky')
  const errored = count('timed-out', 'error', 'cancelled')
  const workers = new Map<string, RunSummary['workers'][number]>()
  for (const [id, slots] of input.slots) workers.set(id, { id, jobs: 0, busyMs: 0, slots })
  for (const entry of input.entries) {
    for (const { result } of entry.attempts) {
      if (result.worker === '') continue
      const worker = workers.get(result.worker) ?? {
        id: result.worker,
        jobs: 0,
        busyMs: 0,
        slots: 1
      }
      worker.jobs++
      worker.busyMs += result.durationMs
      workers.set(result.worker, worker)
    }
  }
  const bad = failed + errored > 0 || (input.failOnFlaky && flaky > 0)
  const kinds = kindCounts(counted)
  return {
    startedAt: input.startedAt,
    durationMs: Math.max(0, input.finishedAt - input.startedAt),
    jobs: input.entries.length,
    tests: input.tests.length,
    passed: count('passed'),
    failed,
    flaky,
    skipped: count('skipped'),
    errored,
    exitCode: exitCodeFor({ kind: 'run', testsFailed: bad }),
    workers: [...workers.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    ...(kinds !== undefined ? { kinds } : {})
  }
}

/** The summary count each outcome is in. */
const countedAs: Record<Outcome, CountedAs> = {
  passed: 'passed',
  failed: 'failed',
  flaky: 'flaky',
  skipped: 'skipped',
  'timed-out': 'errored',
  error: 'errored',
  cancelled: 'errored'
}

/** The tests that carry a kind, per summary count; undefined when none does. */
export function kindCounts(tests: readonly TestOutcome[]): KindCounts | undefined {
  const counts: KindCounts = {}
  let any = false
  for (const t of tests) {
    if (t.kind === undefined) continue
    const bucket = (counts[countedAs[t.outcome]] ??= {})
    bucket[t.kind] = (bucket[t.kind] ?? 0) + 1
    any = true
  }
  return any ? counts : undefined
}

function caseOutcomes(entry: JobAttempts): TestOutcome[] {
  const byId = new Map<
    string,
    { last: TestCaseResult; first: TestCaseResult; attempts: AttemptRecord[] }
  >()
  for (const { result } of entry.attempts) {
    for (const c of result.cases ?? []) {
      const record: AttemptRecord = {
        attempt: result.attempt,
        worker: result.worker,
        status: c.status,
        durationMs: c.durationMs,
        ...(c.message !== undefined ? { message: c.message } : {}),
        ...(c.output !== undefined ? { output: c.output } : {})
      }
      const seen = byId.get(c.id)
      if (seen) {
        seen.last = c
        seen.attempts.push(record)
      } else byId.set(c.id, { first: c, last: c, attempts: [record] })
    }
  }
  const artefact = narrowingArtefacts(entry, byId)
  return [...byId].flatMap(([id, { first, last, attempts }]) => {
    if (artefact.has(id)) return []
    const test: TestOutcome = {
      id,
      name: last.name,
      outcome: decideOutcome(attempts.map(a => a.status as Outcome)),
      durationMs: last.durationMs,
      attempts
    }
    const suite = last.suite ?? first.suite
    const file = last.file ?? first.file
    const line = last.line ?? first.line
    if (suite !== undefined) test.suite = suite
    if (file !== undefined) test.file = file
    if (line !== undefined) test.line = line
    if (last.kind !== undefined) test.kind = last.kind
    return [test]
  })
}

/**
 * Cases that only a narrowed retry reported, and only as skipped: a retry that runs tests by
 * name skips the rest of their file, and a test whose name changes from run to run (a random
 * seed in it) reappears as a new, skipped test. Those are artefacts of narrowing, not tests;
 * like a skipped attempt, they say nothing. A case is one when every record of it is skipped
 * and an earlier attempt already reported named tests of the same item (so it was not an item
 * the earlier attempt never reached).
 */
function narrowingArtefacts(
  entry: JobAttempts,
  byId: ReadonlyMap<string, { first: TestCaseResult; attempts: AttemptRecord[] }>
): Set<string> {
  const items = plannedItems(entry.job)
  const firstNamed = new Map<string, number>()
  for (const { result } of entry.attempts) {
    for (const c of result.cases ?? []) {
      const item = itemOfCase(c, items)
      if (item === undefined || c.id === item) continue
      firstNamed.set(item, Math.min(firstNamed.get(item) ?? Infinity, result.attempt))
    }
  }
  const out = new Set<string>()
  for (const [id, { first, attempts }] of byId) {
    if (attempts.some(a => a.status !== 'skipped')) continue
    const item = itemOfCase(first, items)
    const since = item === undefined ? undefined : firstNamed.get(item)
    const seen = Math.min(...attempts.map(a => a.attempt))
    if (since !== undefined && seen > since) out.add(id)
  }
  return out
}

function jobOutcome(entry: JobAttempts, id: string): TestOutcome {
  // An attempt that failed only through its cases is those cases' business, not the job's.
  const counted = entry.attempts.filter(a => a.result.status === 'passed' || !explained(a.result))
  const attempts = entry.attempts.map(({ result }) => jobAttempt(result))
  const last = entry.attempts[entry.attempts.length - 1] as Attempt
  return {
    id,
    name: entry.job.name,
    outcome: decideOutcome(counted.map(a => a.result.status as Outcome)),
    durationMs: last.result.durationMs,
    attempts
  }
}

function jobAttempt(result: JobResult): AttemptRecord {
  const record: AttemptRecord = {
    attempt: result.attempt,
    worker: result.worker,
    status: result.status,
    durationMs: result.durationMs
  }
  const message = jobMessage(result)
  if (message !== undefined) record.message = message
  const output = [result.stdout.text, result.stderr.text].filter(t => t !== '').join('\n')
  if (output !== '') record.output = output
  return record
}

/** Why an attempt did not pass, in one line: the reason or exit status, and stderr's last line. */
export function jobMessage(result: JobResult): string | undefined {
  if (result.status === 'passed') return result.message
  const lastLine = (text: string): string | undefined =>
    text
      .split('\n')
      .map(l => l.trim())
      .filter(l => l !== '')
      .pop()
  const how =
    result.message ??
    (result.signal !== null
      ? `killed by ${result.signal}`
      : result.exitCode !== null
        ? `exit code ${result.exitCode}`
        : result.status)
  const detail = lastLine(result.stderr.text) ?? lastLine(result.stdout.text)
  return detail !== undefined && detail !== how ? `${how}: ${detail}` : how
}

/**
 * The distinct notices of the jobs' attempts, in the order first said, each followed by how
 * many jobs said it when that is not every job: `coverage … (3 of 5 jobs)`.
 */
export function runNotices(entries: readonly JobAttempts[]): string[] {
  const jobsSaying = new Map<string, Set<string>>()
  for (const entry of entries) {
    for (const { result } of entry.attempts) {
      for (const notice of result.notices ?? []) {
        const jobs = jobsSaying.get(notice) ?? new Set<string>()
        jobs.add(entry.job.id)
        jobsSaying.set(notice, jobs)
      }
    }
  }
  return [...jobsSaying].map(([notice, jobs]) =>
    jobs.size === entries.length ? notice : `${notice} (${jobs.size} of ${entries.length} jobs)`
  )
}
