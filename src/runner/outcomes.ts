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
import { failingOutcomes, type Outcome, type RunSummary, type TestOutcome } from './events.js'

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

/** Per-test outcomes, in planning order (cases in the order first reported). */
export function computeOutcomes(entries: readonly JobAttempts[]): TestOutcome[] {
  const tests: TestOutcome[] = []
  for (const entry of entries) {
    if (entry.attempts.length === 0) continue
    const reportsCases = entry.attempts.some(a => a.result.cases !== undefined)
    const cases = reportsCases ? caseOutcomes(entry) : []
    tests.push(...cases)
    const unexplained = entry.attempts.some(a => !explained(a.result))
    if (!reportsCases || unexplained || cases.length === 0) {
      const taken = new Set(cases.map(t => t.id))
      tests.push(jobOutcome(entry, taken.has(entry.job.id) ? `${entry.job.id}#job` : entry.job.id))
    }
  }
  return tests
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
  const count = (...outcomes: Outcome[]): number =>
    input.tests.filter(t => outcomes.includes(t.outcome)).length
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
    workers: [...workers.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }
}

/** True when the attempt passed, or failed only because some of its cases failed. */
function explained(result: JobResult): boolean {
  if (result.status === 'passed') return true
  if (result.status !== 'failed') return false
  return (result.cases ?? []).some(c => c.status === 'failed' || c.status === 'error')
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
  return [...byId].map(([id, { first, last, attempts }]) => {
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
    return test
  })
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
