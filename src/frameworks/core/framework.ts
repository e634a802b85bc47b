/**
 * A test framework teaches the runner to list and batch a suite, and the worker to read
 * per-test results. `commands` is the model; jest, vitest, pytest, go and cargo follow it.
 */
import type {
  CapturedOutput,
  JobResult,
  JobSpec,
  TestCaseResult,
  WarmSessionSpec
} from '../../protocol/types.js'
import type { SessionListing } from './session-listing.js'

/** One thing the framework can run on its own: a command, a test file, a test case. */
export interface TestItem {
  /** Stable id used for timings and retries (e.g. `src/a.test.ts`, `pkg::TestFoo`). */
  id: string
  name: string
  file?: string
  labels?: string[]
  /** Framework-owned details needed to build the job (argv, env, binary path…). */
  data?: Record<string, unknown>
}

export interface ListOptions {
  /** The suite's root directory. */
  cwd: string
  /** Arguments after `--`, passed through to the framework. */
  args: string[]
  /** `commands` only: the jobs file. */
  jobsFile?: string
  /** Default per-job timeout in ms (items may override). */
  timeoutMs: number
  /**
   * Told of tests the framework finds and leaves out on purpose (e.g. `benchmarks`), so the
   * run's summary can say so with their count.
   */
  onLeftOut?: (what: string, count: number) => void
  /**
   * A listing a warm session started ahead writes (when `warmSession` said it would): the
   * framework reads it instead of collecting again, and lists as usual when none comes.
   */
  sessionListing?: SessionListing
}

/** Timing history view given to planning: expected ms per item id, when known. */
export type Timings = ReadonlyMap<string, number>

/**
 * A framework's start-up costs measured in earlier runs (ms; each absent until measured):
 * `coldMs` a cold job's cost beyond its tests (process start, loading, collection);
 * `sessionMs` a warm session's start-up, paid once per slot; `warmJobMs` a warm job's cost
 * beyond its tests; `itemMs` what a job pays per item beyond the item's own time (e.g. a
 * file's transform), on top of coldMs or warmJobMs; `runMs` the run's own time outside its
 * jobs (listing and planning before the first, reports after the last).
 */
export interface MeasuredStartup {
  coldMs?: number
  sessionMs?: number
  warmJobMs?: number
  itemMs?: number
  runMs?: number
}

export interface PlanOptions {
  cwd: string
  args: string[]
  timeoutMs: number
  /** Total worker slots expected, to size batches. */
  slots: number
  timings: Timings
  /**
   * Per file (jest, vitest), the last measured duration of each of its tests by full name,
   * ms; kept only for files long enough to be split (see `frameworks/js/split.ts`).
   */
  testTimings?: ReadonlyMap<string, ReadonlyMap<string, number>>
  /** Item ids that failed last time. */
  failedBefore: ReadonlySet<string>
  /** Measured start-up costs; the framework's own defaults stand in for what is missing. */
  startup?: MeasuredStartup
  /**
   * How a worker starts a warm session host (`[node, <squall cli>, 'session']`, the framework
   * name is added). Without it jobs run cold.
   */
  sessionCommand?: string[]
}

/** What the worker hands the framework after a job's process ended. */
export interface JobExecution {
  job: JobSpec
  /** The job's fresh directory ($SQUALL_JOB_DIR), where report files were written. */
  jobDir: string
  exitCode: number | null
  signal: string | null
  timedOut: boolean
  durationMs: number
  stdout: CapturedOutput
  stderr: CapturedOutput
}

export interface Framework {
  readonly name: string
  /** What one listed item is, for counts people read; tests when absent. */
  readonly itemUnit?: 'file' | 'test' | 'command'
  /** Runner side: list the suite with the framework's own tools. */
  list(options: ListOptions): Promise<TestItem[]>
  /** Runner side, pure: group items into concrete jobs (ids stable across runs). */
  plan(items: TestItem[], options: PlanOptions): JobSpec[]
  /**
   * Worker side: per-test results from the job's reports. Undefined when the framework has
   * no per-test notion (`commands`). Must not throw on a missing or broken report: it
   * returns what it could read and the job's status decides.
   */
  parse?(execution: JobExecution): Promise<TestCaseResult[] | undefined>
  /**
   * Runner side, pure: the job to run again for a failed attempt (e.g. only its failed
   * tests), or undefined to rerun it whole.
   */
  retryJob?(job: JobSpec, failedTests: string[]): JobSpec
  /**
   * Runner side, pure: the job narrowed to exactly `items` (ids of `job.framework.tests`), each
   * run whole — no name filter — with the job's settings and its session (the request
   * narrowed too). After a crash the runner runs the items with no result one per job.
   */
  narrowToItems?(job: JobSpec, items: string[]): JobSpec
  /**
   * Runner side, pure: for a job that runs only part of its item's tests (`framework.part`, a
   * file split by test name), whether it runs this test (a test of the item as a whole, such
   * as a file that failed outside its tests, belongs to every part).
   */
  partRuns?(job: JobSpec, test: Pick<TestCaseResult, 'id' | 'name' | 'file'>): boolean
  /**
   * Runner side, pure: how long each item of the job took, for timing history. Without it
   * the runner splits the job's duration evenly over its items.
   */
  itemDurations?(job: JobSpec, result: JobResult): Map<string, number>
  /**
   * Runner side: paths (relative to the suite root) that workers on other machines need and
   * cannot build cheaply, e.g. test binaries built once. Packed into content-addressed layers
   * when the transport crosses machines; ignored on one machine.
   */
  layerPaths?(items: TestItem[], options: ListOptions): string[]
  /**
   * Runner host side: the warm session this suite's plan will ask for (its `session` without
   * the request), known before listing, so the workers started with the runner can start it
   * while the runner lists. Undefined when jobs would run cold. Given a `listFile` (workers
   * on the runner's machine), a framework whose session can list the suite has it write its
   * listing there and says so by returning `listFile`.
   */
  warmSession?(
    options: Pick<PlanOptions, 'cwd' | 'args' | 'sessionCommand'> & { listFile?: string }
  ): Promise<WarmSessionSpec | undefined>
}
