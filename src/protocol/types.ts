/** Data shapes shared by every stage: what a job is and what running it produced. */

/** A job as the runner plans it and the worker runs it. Fully concrete: no lookups needed. */
export interface JobSpec {
  /** Unique within a run; stable across attempts. */
  id: string
  /** Human name (a command's name, a test file, "batch 3 of jest"). */
  name: string
  /** Run by `sh -c`. Exactly one of `command` and `argv` is set. */
  command?: string
  argv?: string[]
  /** Extra environment on top of the worker's own. Never put secrets here. */
  env?: Record<string, string>
  /** Working directory, relative to the worker's working directory (absolute allowed). */
  cwd?: string
  /** Hard limit for one attempt, in milliseconds. */
  timeoutMs: number
  /** Labels a worker must all have to run this job. */
  labels: string[]
  /** Expected duration from history, in milliseconds; undefined when unknown. */
  expectedMs?: number
  /** 1 for the first run; the runner increments it for retries. */
  attempt: number
  /** True when this job (or a test in it) failed in a previous run: scheduled first among equals. */
  failedBefore?: boolean
  /** Workers to avoid when another can take the job (retries go elsewhere). */
  avoidWorkers?: string[]
  /** SHA-256 digests of layers the worker must have before running. */
  layers: string[]
  /** Framework that built the job; the worker uses it to read per-test results. */
  framework?: FrameworkJobData
  /**
   * Run in a warm framework session instead of a cold process (`argv`/`command` stay as the
   * cold form). See `src/worker/session/` for the protocol.
   */
  session?: SessionSpec
}

/** How to start (or find) the long-lived framework process that runs a job. */
export interface SessionSpec {
  /** Jobs with the same key may share one session process (framework + config + options). */
  key: string
  /** Starts the session host, e.g. `[node, <squall cli>, 'session', 'jest']`. */
  argv: string[]
  /** Working directory of the session, relative to the worker's (absolute allowed). */
  cwd?: string
  /** Extra environment of the session process itself (jobs get theirs per run). */
  env?: Record<string, string>
  /** Framework-owned JSON handed to the host with each run. */
  request: unknown
}

/**
 * A session to start before any job asks for it: a job's `session` without the request. With
 * `listFile` (workers on the runner's machine) the session also writes the suite's listing
 * there, and a worker that cannot start it says so beside it (see session-listing.ts).
 */
export interface WarmSessionSpec extends Omit<SessionSpec, 'request'> {
  listFile?: string
}

/** Framework metadata carried by a job; `data` is owned by the framework. */
export interface FrameworkJobData {
  name: string
  /** Test ids in this job, for frameworks that batch tests. */
  tests?: string[]
  data?: Record<string, unknown>
  /**
   * Set when the job runs only some tests of its item (one file split by test name): the
   * plan's other parts run the rest, so a part that reports no test is not a failure.
   */
  part?: { index: number; of: number }
}

/** Identifies one attempt of one job. */
export interface JobRef {
  id: string
  attempt: number
}

export type JobStatus = 'passed' | 'failed' | 'timed-out' | 'error' | 'cancelled'

/** Captured output: head and tail kept, the middle cut and counted. */
export interface CapturedOutput {
  text: string
  /** Bytes left out of `text`; 0 when nothing was cut. */
  truncatedBytes: number
}

export type TestCaseStatus = 'passed' | 'failed' | 'skipped' | 'error'

/**
 * What a framework says beyond the status, kept so reports match its own words: `xfail`
 * (skipped: failed as expected), `xpass` (passed: expected to fail, did not), `todo`
 * (skipped: a placeholder), `fails` (passed: vitest's `test.fails` failed as expected).
 */
export type TestCaseKind = 'xfail' | 'xpass' | 'todo' | 'fails'

/** One test case inside a job, when a framework reports them. */
export interface TestCaseResult {
  /** Stable id used for timings and retries (framework-defined, e.g. `file::name`). */
  id: string
  name: string
  /** Suite or class name for JUnit. */
  suite?: string
  file?: string
  line?: number
  status: TestCaseStatus
  kind?: TestCaseKind
  durationMs: number
  message?: string
  output?: string
}

/** What one attempt of a job produced. */
export interface JobResult {
  id: string
  attempt: number
  /** Worker id that ran it ('' when it never reached one). */
  worker: string
  status: JobStatus
  exitCode: number | null
  signal: string | null
  durationMs: number
  /** Wall-clock start, ms since epoch (0 when it never started). */
  startedAt: number
  stdout: CapturedOutput
  stderr: CapturedOutput
  /** Why the job ended as error/cancelled/timed-out, in words. */
  message?: string
  cases?: TestCaseResult[]
  /**
   * A warm session's start-up (ms), set only on the job that started the session and paid
   * it; part of `durationMs`. Timing history keeps it apart from the job's own cost.
   */
  sessionStartupMs?: number
  /**
   * What the framework itself measured for each item the job ran, ms, by item id (a test
   * file's own wall in jest and vitest: its environment, module loading and transforms as well
   * as its tests). Timing history plans from it, so a file's cost is its own, not its job's.
   */
  itemWallMs?: Record<string, number>
  /**
   * What the run's summary should say once about this job's framework run, beyond its tests
   * (e.g. that coverage was collected per job and not merged), in words.
   */
  notices?: string[]
}

/** At most this many notices per result, each at most NOTICE_CHARS long (the rest is cut). */
export const MAX_NOTICES = 4
export const NOTICE_CHARS = 600

export const emptyOutput: CapturedOutput = { text: '', truncatedBytes: 0 }
