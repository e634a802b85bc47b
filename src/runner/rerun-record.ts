/**
 * The results record a run leaves for a re-run of its failed tests: per test its id, name,
 * place and outcome — no output, no messages, no environment. In Actions it is an artifact,
 * readable by anyone who can read the run (everyone, for a public repository), so it holds
 * nothing the repository's source and the run's public log do not already show; encrypting it
 * would need a key that outlives the attempt, which only a repository secret could be.
 * A JSON result file (`--json`) is read the same way.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { UsageError } from '../errors.js'
import type { Outcome, Reporter, RunEvent, RunSummary, TestOutcome } from './events.js'
import type { PreviousRun, PreviousTest } from './rerun.js'

/** The record's shape; `version` changes on any incompatible change. */
export interface ResultsRecord {
  version: 1
  kind: 'squall-results'
  framework: string
  /** The run attempt it is of. */
  attempt: number
  exitCode: number
  tests: PreviousTest[]
}

const outcomes: ReadonlySet<string> = new Set<Outcome>([
  'passed',
  'failed',
  'flaky',
  'timed-out',
  'error',
  'cancelled',
  'skipped'
])

/** The record of a finished run. */
export function resultsRecord(
  framework: string,
  summary: RunSummary,
  tests: readonly TestOutcome[]
): ResultsRecord {
  return {
    version: 1,
    kind: 'squall-results',
    framework,
    attempt: summary.runAttempt ?? 1,
    exitCode: summary.exitCode,
    tests: tests.map(previousTest)
  }
}

function previousTest(t: TestOutcome): PreviousTest {
  const out: PreviousTest = { id: t.id, name: t.name, outcome: t.outcome, durationMs: t.durationMs }
  if (t.suite !== undefined) out.suite = t.suite
  if (t.file !== undefined) out.file = t.file
  if (t.line !== undefined) out.line = t.line
  if (t.job) out.job = true
  if (t.kind !== undefined) out.kind = t.kind
  if (t.fromAttempt !== undefined) out.fromAttempt = t.fromAttempt
  return out
}

/**
 * An earlier run's results from a results record or a JSON result file; `source` names where
 * the text came from in the UsageError a malformed one gets.
 */
export function parsePreviousRun(text: string, source: string): PreviousRun {
  const bad = (why: string): UsageError =>
    new UsageError(
      `${source}: ${why}; expected a squall JSON result file (--json) or results record`
    )
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    throw bad('not JSON')
  }
  const d = doc as Partial<ResultsRecord> & { summary?: { runAttempt?: unknown } }
  if (typeof d !== 'object' || d === null || d.version !== 1 || !Array.isArray(d.tests))
    throw bad('no version 1 document with a tests array')
  if (typeof d.framework !== 'string') throw bad("no 'framework'")
  const tests = d.tests.map((t: unknown, i) => {
    const test = t as Partial<PreviousTest>
    if (typeof test?.id !== 'string' || !outcomes.has(String(test.outcome)))
      throw bad(`test ${i} has no id or no known outcome`)
    return previousTest({
      attempts: [],
      ...(test as PreviousTest),
      name: typeof test.name === 'string' ? test.name : test.id,
      durationMs: Number(test.durationMs) || 0
    })
  })
  const attempt =
    d.kind === 'squall-results' ? Number(d.attempt) : Number(d.summary?.runAttempt ?? 1)
  return {
    attempt: Number.isInteger(attempt) && attempt > 0 ? attempt : 1,
    framework: d.framework,
    tests
  }
}

/** Writes the results record when the run has finished (a run that did not finish writes none). */
export class ResultsRecordReporter implements Reporter {
  private framework = ''
  private record?: ResultsRecord

  constructor(private readonly path: string) {}

  onEvent(event: RunEvent): void {
    if (event.type === 'run-started') this.framework = event.framework
    if (event.type === 'run-finished')
      this.record = resultsRecord(this.framework, event.summary, event.tests)
  }

  async finish(): Promise<void> {
    if (!this.record) return
    await mkdir(dirname(this.path), { recursive: true })
    await writeFile(this.path, `${JSON.stringify(this.record)}\n`)
  }
}
