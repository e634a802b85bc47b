/**
 * The runner: list → history → plan → submit → collect (with retries) → outcomes, reported
 * as one typed event stream. It owns no reporter: whoever calls it listens to the events.
 *
 * An empty suite is not an error: the run still connects (so the broker hears `done` and
 * releases its workers), logs a warning and finishes with 0 jobs and exit code 0.
 */
import { ClusterError, errorMessage } from '../errors.js'
import type { Framework, TestItem } from '../frameworks/core/framework.js'
import type { JobSpec } from '../protocol/types.js'
import type { Link } from '../transport/link.js'
import type { RunEvent, RunSummary } from './events.js'
import { fanOut } from '../report/fan-out.js'
import { TimingHistoryRecorder } from './history-recorder.js'
import { markJobOutcomes } from './job-outcomes.js'
import { computeOutcomes, summarize } from './outcomes.js'
import { applyQuarantine, type Quarantine } from './quarantine.js'
import { mergeRerun, planRerun, type PreviousRun } from './rerun.js'
import { defaultRunnerId, runSession } from './session.js'
import { TimingStore, defaultTimingsPath } from './timings.js'

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
  onEvent: (event: RunEvent) => void
  now?: () => number
}

/**
 * Runs the suite to the end. Rejects with UsageError before connecting when the suite cannot
 * be listed or planned, and with ClusterError when the broker cannot be reached or is lost;
 * a lost run is never summarised as if it had finished.
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
  const items = await framework.list({
    cwd,
    args,
    jobsFile: options.jobsFile,
    timeoutMs,
    onLeftOut
  })
  if (history.warning) log('warning', history.warning)
  const planned = framework.plan(items, {
    cwd,
    args,
    timeoutMs,
    slots: options.slots,
    timings: history.expected(),
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

  let link: Link
  try {
    link = await options.connect()
  } catch (error) {
    throw new ClusterError(`cannot reach the broker: ${errorMessage(error)}`)
  }
  const session = await runSession({
    link,
    jobs,
    policy: { retries: options.retries, framework },
    runnerId: options.runnerId ?? defaultRunnerId(),
    secret: options.secret,
    welcomeTimeoutMs: options.welcomeTimeoutMs ?? 60_000,
    waitForWorkers: options.waitForWorkers,
    waitForWorkersMs: options.waitForWorkersMs,
    onEvent: emit,
    now
  })

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
  if (quarantine) summary.quarantine = quarantine
  if (options.runAttempt !== undefined) summary.runAttempt = options.runAttempt
  if (rerun) summary.carriedOver = tests.filter(t => t.fromAttempt !== undefined).length
  emit({ type: 'run-finished', at: now(), summary, tests })
  await stream.finish()
  return summary
}

function rerunMessage(rerun: ReturnType<typeof planRerun>, attempt: number): string {
  const kept =
    rerun.uncovered > 0 ? `; ${rerun.uncovered} failed test(s) no job covers stay failed` : ''
  return `re-running what failed in attempt ${attempt}: ${rerun.again} test(s) in ${rerun.jobs.length} job(s); ${rerun.carried.length - rerun.uncovered} carried over${kept}`
}

/** A plan with duplicate ids would merge two jobs' results: a framework bug, said plainly. */
function checkPlan(framework: string, jobs: JobSpec[]): void {
  const seen = new Set<string>()
  for (const job of jobs) {
    if (seen.has(job.id))
      throw new Error(`the ${framework} framework planned two jobs with id '${job.id}'`)
    seen.add(job.id)
  }
}
