/**
 * The one typed event stream the runner emits. Reporters (terminal, JUnit, JSON, job
 * summary, annotations, timings) only listen to these; a recorded stream can be replayed.
 */
import type { JobResult, JobSpec, TestCaseKind, TestCaseResult } from '../protocol/types.js'

/** Final outcome of a job or a test across all its attempts. */
export type Outcome =
  'passed' | 'failed' | 'flaky' | 'timed-out' | 'error' | 'cancelled' | 'skipped'

/**
 * The outcomes that make a run fail, and the only such set: a test that failed, ran out of
 * time, errored or was cancelled did not pass, so it fails the run, is listed among the
 * failures, is annotated and turns a later pass into flaky. `flaky` fails a run only with
 * fail-on-flaky; `skipped` never does.
 */
export const failingOutcomes: ReadonlySet<Outcome> = new Set<Outcome>([
  'failed',
  'timed-out',
  'error',
  'cancelled'
])

/** A test's outcome across attempts (for frameworks with per-test results, or one per job). */
/** What a framework lists and plans: files (jest, vitest), tests, or commands. */
export type ItemUnit = 'file' | 'test' | 'command'

export interface TestOutcome {
  id: string
  /**
   * Set when the outcome stands for a whole job of a framework that reports tests one by one
   * (its batch failed as a whole): counted, but not a test (e.g. not among the slowest).
   */
  job?: true
  name: string
  suite?: string
  file?: string
  line?: number
  outcome: Outcome
  /** Duration of the last attempt, ms. */
  durationMs: number
  /** The framework's own word beyond the outcome (xfail, xpass, todo, fails), from the last attempt. */
  kind?: TestCaseKind
  /** Listed in the quarantine file: reported apart, and its failure does not fail the run. */
  quarantined?: true
  /**
   * Set when the outcome was carried over from an earlier run attempt (a re-run of failed
   * tests): the attempt the test last ran in. It did not run in this one.
   */
  fromAttempt?: number
  /**
   * Every attempt, oldest first (failure messages of flaky attempts live here). Attempt 0 is
   * an earlier run attempt's failure of a test that passed when re-run; carried-over tests
   * have none.
   */
  attempts: {
    attempt: number
    worker: string
    status: TestCaseResult['status'] | JobResult['status']
    durationMs: number
    message?: string
    output?: string
  }[]
}

/** The summary's counts that a test kind can fall in. */
export type CountedAs = 'passed' | 'failed' | 'flaky' | 'skipped' | 'errored'

/** Per count of the summary, its tests by kind (only the kinds and counts that occur). */
export type KindCounts = Partial<Record<CountedAs, Partial<Record<TestCaseKind, number>>>>

export interface RunSummary {
  startedAt: number
  durationMs: number
  jobs: number
  tests: number
  passed: number
  failed: number
  flaky: number
  skipped: number
  /** timed-out, error and cancelled together. */
  errored: number
  /** Exit code the run should end with (0, 1, 3, or 130 and the like for an interrupt). */
  exitCode: number
  /**
   * Why the run ended before every job was final (the broker lost, an interrupt): the tests
   * of the jobs left open are `cancelled`, "not run" or "did not finish".
   */
  incomplete?: string
  /** Per worker: jobs run and busy time, for utilisation. */
  workers: { id: string; jobs: number; busyMs: number; slots: number }[]
  /** Tests the framework found and left out on purpose, by kind (e.g. `benchmarks: 3`). */
  leftOut?: Record<string, number>
  /**
   * Within the counts above, tests the framework names beyond their outcome, so the totals read
   * as its own do (pytest's `24 skipped, 1 xfailed` is `skipped: 25` with `skipped: { xfail: 1 }`).
   */
  kinds?: KindCounts
  /**
   * What the framework runs said once for the whole run beyond their tests (JobResult.notices):
   * each distinct text, with how many jobs said it.
   */
  notices?: string[]
  /** The run attempt (a re-run of failed tests counts on from the results it started from). */
  runAttempt?: number
  /** Tests whose outcome was carried over from an earlier attempt (counted in the totals). */
  carriedOver?: number
  /** Transport figures when the transport counts them (the JSON file's copy of that event). */
  transport?: Record<string, number>
  /** Quarantined tests, when a quarantine list was given (see runner/quarantine.ts). */
  quarantine?: QuarantineSummary
}

/**
 * What the quarantine did in a run. Quarantined tests that failed (or were flaky) are counted
 * here and not in `failed`, `errored` or `flaky`; those that passed or were skipped count as usual.
 */
export interface QuarantineSummary {
  /** Tests of the run that the list names. */
  tests: number
  /** Of those, the ones that failed, errored or passed only on retry (they did not fail the run). */
  failed: number
  /** Passes in a row after which an entry is suggested for removal. */
  removeAfter: number
  /** Every entry of the list, with its pass streak after this run. */
  entries: { id: string; tests: number; streak: number }[]
}

export type RunEvent =
  /** `tests` counts the listed items; `unit` says what they are (files for jest/vitest). */
  | {
      type: 'run-started'
      at: number
      framework: string
      jobs: number
      tests: number
      unit?: ItemUnit
    }
  | { type: 'jobs-planned'; at: number; jobs: JobSpec[] }
  | { type: 'worker-joined'; at: number; worker: string; slots: number; labels: string[] }
  | { type: 'worker-left'; at: number; worker: string; reason: string }
  | { type: 'job-started'; at: number; job: JobSpec; worker: string }
  | { type: 'job-requeued'; at: number; job: JobSpec; worker: string; reason: string }
  /**
   * One attempt ended. `retry` is set when another attempt was scheduled; `split` lists the
   * jobs it became when a crash's items run again one per job (ids `<job>~<n>`).
   */
  | {
      type: 'job-finished'
      at: number
      job: JobSpec
      result: JobResult
      retry: boolean
      split?: JobSpec[]
    }
  /** A test's final outcome (after retries). Emitted once per test. */
  | { type: 'test-finished'; at: number; test: TestOutcome }
  | { type: 'log'; at: number; level: 'debug' | 'info' | 'warning' | 'error'; message: string }
  | { type: 'run-finished'; at: number; summary: RunSummary; tests: TestOutcome[] }
  /**
   * What the transport counted (requests by method, artifacts created), once the cluster has
   * stopped: after run-finished, for transports that count.
   */
  | { type: 'transport-figures'; at: number; figures: Record<string, number> }

export type RunEventHandler = (event: RunEvent) => void

/** A reporter listens to events and may write files when the run ends. */
export interface Reporter {
  onEvent(event: RunEvent): void
  /** Called after run-finished; writes files, flushes output. */
  finish?(): Promise<void>
}
