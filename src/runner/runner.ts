/**
 * The runner: list → history → plan → submit → collect (with retries) → outcomes, reported
 * as one typed event stream. It owns no reporter: whoever calls it listens to the events.
 *
 * An empty suite is a usage error (a wrong path or filter finds nothing), as in jest, unless
 * `passWithNoTests`: then the run still connects (so the broker hears `done` and releases its
 * workers), logs a warning and finishes with 0 jobs and exit code 0.
 *
 * Reports are never lost: once the suite is planned, whatever ends the run (the broker lost,
 * unreachable or refusing, an interrupt through `stop`) it still ends with `run-finished`,
 * every finished result kept and every unfinished test not run, the summary marked
 * `incomplete`; then the error is thrown.
 */
import { ClusterError, UsageError, errorMessage, exitCodeFor } from '../errors.js'
import type { Framework, TestItem } from '../frameworks/core/framework.js'
import type { SessionListing } from '../frameworks/core/session-listing.js'
import type { JobSpec } from '../protocol/types.js'
import type { Link } from '../transport/link.js'
import type { RunEvent, RunSummary } from './events.js'
import { fanOut } from '../report/fan-out.js'
import { TimingHistoryRecorder } from './history-recorder.js'
import { markJobOutcomes } from './job-outcomes.js'
import { computeOutcomes, runNotices, summarize } from './outcomes.js'
import { applyQuarantine, type Quarantine } from './quarantine.js'
import { mergeRerun, planRerun, type PreviousRun } from './rerun.js'
import { defaultRunnerId, runSession, unrunSession, type SessionResult } from './session.js'
import { TimingStore, defaultTimingsPath } from './timings.js'
import { trace } from '../trace.js'

/** Everything a run needs; the action and the CLI differ only in `connect` and `onEvent`. */
export interface RunOptions {
  connect: () => Promise<Link>
  framework: Framework
  /** The suite's root directory. */
  cwd: string
  /** Arguments after `--`, passed through to the framework. */
  args: string[]
  jobsFile?: string
  /** Default per-job timeout, ms. */
  timeoutMs: number
  /** Expected total slots, for batching. */
  slots: number
  /** Extra attempts for a failed job. */
  retries: number
  /** A test that passed only on retry fails the run. */
  failOnFlaky: boolean
  /** Default `<cwd>/.squall/timings.json`; '' neither reads nor writes history. */
  timingsPath?: string
  /** Known-flaky tests: reported apart, their failures do not fail the run. */
  quarantine?: Quarantine
  runnerId?: string
  /** The cluster secret, when the broker has one (`squall run` makes one per cluster). */
  secret?: string
  /**
   * Publishes the layers every job needs (build outputs, test binaries) once the suite is
   * listed, and returns their digests; absent on one machine, where workers share the disk.
   */
  publishLayers?: (items: TestItem[]) => Promise<string[]>
  /** How workers start warm session hosts (see PlanOptions); without it every job runs cold. */
  sessionCommand?: string[]
  /** A listing that warm sessions started ahead write (see session-listing.ts). */
  sessionListing?: SessionListing
  /** Submit only once this many workers joined (bounded by waitForWorkersMs, default 60 s). */
  waitForWorkers?: number
  waitForWorkersMs?: number
  /** How long the broker may take to welcome the runner, ms (default 60 s). */
  welcomeTimeoutMs?: number
  /** This run's attempt, recorded in the summary (a re-run of failed tests counts on). */
  runAttempt?: number
  /**
   * Run only what failed, errored or did not run in `previous` and report the whole suite
   * (see rerun.ts). Timing history is read but not written: narrowed jobs would skew it.
   */
  rerun?: { previous: PreviousRun; flakyAgain?: boolean }
  /** An empty suite passes (with a warning) instead of being a usage error. */
  passWithNoTests?: boolean
  /**
   * Aborting ends the run at once (an interrupt): its reason (e.g. an InterruptedError) is
   * what the run ends with, after the reports of what finished.
   */
  stop?: AbortSignal
  onEvent: (event: RunEvent) => void
  now?: () => number
}

/**
 * Runs the suite to the end. Rejects with UsageError before connecting when the suite cannot
 * be listed or planned (or is empty). Rejects with ClusterError when the broker cannot be
 * reached or is lost, or with the stop signal's reason, only after `run-finished` with the
 * summary marked `incomplete`: a lost run is never summarised as if it had finished.
 */
export async function runSuite(options: RunOptions): Promise<RunSummary> {
  const now = options.now ?? Date.now
  const { framework, cwd, args, timeoutMs } = options
  const timingsPath = options.timingsPath ?? defaultTimingsPath(cwd)
  const history = timingsPath === '' ? TimingStore.empty() : await TimingStore.load(timingsPath)
  // The caller's listener, and the timing history that listens to the same stream.
  const recorder =
    timingsPath === '' || options.rerun
      ? undefined
      : new TimingHistoryRecorder(history, framework, timingsPath, message =>
          log('warning', message)
        )
  const stream = fanOut(
    recorder ? [{ onEvent: options.onEvent }, recorder] : [{ onEvent: options.onEvent }]
  )
  const emit = stream.onEvent
  const log = (level: 'info' | 'warning', message: string): void =>
    emit({ type: 'log', at: now(), level, message })
  const startedAt = now()

  const leftOut = new Map<string, number>()
  const onLeftOut = (what: string, count: number): void => {
    leftOut.set(what, (leftOut.get(what) ?? 0) + count)
  }
  trace('runner: listing')
  const items = await framework.list({
    cwd,
    args,
    jobsFile: options.jobsFile,
    timeoutMs,
    onLeftOut,
    ...(options.sessionListing ? { sessionListing: options.sessionListing } : {})
  })
  trace('runner: listed')
  if (history.warning) log('warning', history.warning)
  if (items.length === 0 && options.passWithNoTests !== true) {
    const where = options.jobsFile !== undefined ? ` in '${options.jobsFile}'` : ` under ${cwd}`
    throw new UsageError(
      `the ${framework.name} framework found no tests${where}; an empty suite is an error unless pass-with-no-tests is set (--pass-with-no-tests)`
    )
  }
  const planned = framework.plan(items, {
    cwd,
    args,
    timeoutMs,
    slots: options.slots,
    timings: history.expected(),
    testTimings: history.testTimes(),
    failedBefore: history.failedBefore(),
    startup: history.startup(framework.name),
    ...(options.sessionCommand ? { sessionCommand: options.sessionCommand } : {})
  })
  const previous = options.rerun?.previous
  if (previous && previous.framework !== framework.name)
    log(
      'warning',
      `the earlier results are of the ${previous.framework} framework, not ${framework.name}: running every test`
    )
  const rerun =
    options.rerun && previous?.framework === framework.name
      ? planRerun(planned, previous, framework, options.rerun)
      : undefined
  const jobs = rerun ? rerun.jobs : planned
  if (rerun && previous) log('info', rerunMessage(rerun, previous.attempt))
  checkPlan(framework.name, jobs)
  const layers = options.publishLayers ? await options.publishLayers(items) : []
  if (layers.length > 0) {
    for (const job of jobs) job.layers = [...new Set([...job.layers, ...layers])]
    log(
      'info',
      `every job needs ${layers.length} layer(s): ${layers.map(d => d.slice(0, 12)).join(', ')}`
    )
  }
  emit({
    type: 'run-started',
    at: now(),
    framework: framework.name,
    jobs: jobs.length,
    tests: items.length,
    unit: framework.itemUnit ?? 'test'
  })
  emit({ type: 'jobs-planned', at: now(), jobs })
  if (jobs.length === 0) {
    log('warning', `the ${framework.name} framework found no tests to run; nothing to do`)
  }

  const session = await drive(options, jobs, emit, now)

  const ran = markJobOutcomes(computeOutcomes(session.entries), session.entries, framework)
  const { tests, summary: quarantine } = applyQuarantine(
    rerun && previous ? mergeRerun(ran, rerun, previous) : ran,
    options.quarantine,
    history
  )
  for (const test of tests) emit({ type: 'test-finished', at: now(), test })
  const summary = summarize({
    startedAt,
    finishedAt: now(),
    entries: session.entries,
    tests,
    failOnFlaky: options.failOnFlaky,
    slots: session.slots
  })
  if (leftOut.size > 0) summary.leftOut = Object.fromEntries(leftOut)
  const notices = runNotices(session.entries)
  for (const notice of notices) log('warning', notice)
  if (notices.length > 0) summary.notices = notices
  if (quarantine) summary.quarantine = quarantine
  if (options.runAttempt !== undefined) summary.runAttempt = options.runAttempt
  if (rerun) summary.carriedOver = tests.filter(t => t.fromAttempt !== undefined).length
  if (session.ended) {
    summary.incomplete = errorMessage(session.ended)
    summary.exitCode = exitCodeFor({ kind: 'error', error: session.ended })
  }
  trace('runner: run finished')
  emit({ type: 'run-finished', at: now(), summary, tests })
  await stream.finish()
  trace('runner: stream finished')
  if (session.ended) throw session.ended
  return summary
}

function rerunMessage(rerun: ReturnType<typeof planRerun>, attempt: number): string {
  const kept =
    rerun.uncovered > 0 ? `; ${rerun.uncovered} failed test(s) no job covers stay failed` : ''
  return `re-running what failed in attempt ${attempt}: ${rerun.again} test(s) in ${rerun.jobs.length} job(s); ${rerun.carried.length - rerun.uncovered} carried over${kept}`
}

/**
 * Connects and runs the session; a connection that fails (or a stop before it is made) is a
 * session in which nothing ran.
 */
async function drive(
  options: RunOptions,
  jobs: JobSpec[],
  emit: (event: RunEvent) => void,
  now: () => number
): Promise<SessionResult> {
  const stopped = (): Error | undefined => {
    if (!options.stop?.aborted) return undefined
    const reason: unknown = options.stop.reason
    return reason instanceof Error ? reason : new Error(String(reason ?? 'stopped'))
  }
  const early = stopped()
  if (early) return unrunSession(jobs, early)
  let link: Link
  try {
    link = await untilStopped(options.connect(), options.stop)
  } catch (error) {
    const why = stopped() ?? new ClusterError(`cannot reach the broker: ${errorMessage(error)}`)
    return unrunSession(jobs, why)
  }
  trace('runner: connected')
  return runSession({
    link,
    jobs,
    policy: { retries: options.retries, framework: options.framework },
    runnerId: options.runnerId ?? defaultRunnerId(),
    secret: options.secret,
    welcomeTimeoutMs: options.welcomeTimeoutMs ?? 60_000,
    waitForWorkers: options.waitForWorkers,
    waitForWorkersMs: options.waitForWorkersMs,
    stop: options.stop,
    onEvent: emit,
    now
  })
}

/** `promise`, or a rejection as soon as `stop` aborts (a link made too late is closed). */
function untilStopped(promise: Promise<Link>, stop: AbortSignal | undefined): Promise<Link> {
  if (!stop) return promise
  return new Promise<Link>((resolve, reject) => {
    const onAbort = (): void => reject(stop.reason)
    stop.addEventListener('abort', onAbort, { once: true })
    promise.then(
      link => {
        stop.removeEventListener('abort', onAbort)
        if (stop.aborted) void link.close().catch(() => undefined)
        else resolve(link)
      },
      (error: unknown) => {
        stop.removeEventListener('abort', onAbort)
        reject(error)
      }
    )
  })
}

/** The most one job may weigh as sent to workers (command, argv, env, test list). */
export const MAX_JOB_BYTES = 1024 * 1024

/**
 * A plan with duplicate ids would merge two jobs' results: a framework bug, said plainly. A
 * job too big to send is the input's fault (a huge command or env): a usage error naming it.
 */
function checkPlan(framework: string, jobs: JobSpec[]): void {
  const seen = new Set<string>()
  for (const job of jobs) {
    if (seen.has(job.id))
      throw new Error(`the ${framework} framework planned two jobs with id '${job.id}'`)
    seen.add(job.id)
    const bytes = Buffer.byteLength(JSON.stringify(job))
    if (bytes > MAX_JOB_BYTES) {
      throw new UsageError(
        `job ${JSON.stringify(job.name.slice(0, 80))} is ${(bytes / 1024 / 1024).toFixed(1)} MiB as sent to workers; a job may be at most ${MAX_JOB_BYTES / 1024 / 1024} MiB (put large data in files)`
      )
    }
  }
}
