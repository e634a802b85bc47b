/**
 * The one way a cluster runs a suite, for every host: start the processes this machine
 * contributes (a broker unless one is running, and local workers), run the suite through
 * them with the host's reporters listening, let the cluster end (stopping what lingers), and
 * return the summary with the exit code. The CLI and the actions differ only in what they
 * pass in: how processes start, which reporters listen, how layers are published.
 */
import {
  ClusterError,
  InterruptedError,
  errorMessage,
  exitCodeFor,
  type ExitCode
} from '../errors.js'
import { fanOut } from '../report/fan-out.js'
import type { Reporter, RunSummary } from '../runner/events.js'
import { runSuite, type RunOptions } from '../runner/runner.js'
import { join } from 'node:path'
import type { Link } from '../transport/link.js'
import { TcpTransport } from '../transport/tcp.js'
import { trace } from '../trace.js'
import { LocalCluster, type ChildExit, type LocalClusterOptions } from './local-cluster.js'

export interface RunClusterOptions {
  /** The processes on this machine; with `brokerAddress` only the workers are started. */
  cluster: LocalClusterOptions
  /** The suite and how to run it; the cluster supplies `connect` and `onEvent`. */
  suite: Omit<RunOptions, 'connect' | 'onEvent'>
  /** Who listens to the run's events; finished in this order once the cluster has ended. */
  reporters: Reporter[]
  /** How long the processes may take to end on their own after the run, ms. */
  endGraceMs: number
  /**
   * How the runner reaches the broker; default loopback TCP to the cluster's address. A
   * broker in another job is reached through the artifact store (then the cluster's workers
   * join it the same way, by `workerConnect`).
   */
  connect?: () => Promise<Link>
  /** What the transport counted, read once the cluster has ended (becomes an event). */
  transportFigures?: () => Record<string, number>
  /**
   * How the host hears an interrupt (Ctrl-C): given what stops the run, it listens and
   * returns a function that stops listening, called once the cluster has ended. The stop
   * ends the run, stops the cluster and resolves once the reports are written.
   */
  interrupts?: (stop: (signal: NodeJS.Signals) => Promise<void>) => () => void
}

/**
 * `--warm-session <spec>` for the workers started here when the framework knows its session
 * before listing; nothing when it runs cold or cannot tell (a guess that misses only costs
 * the idle sessions' start-up: jobs of another key start their own). With local workers the
 * sessions may also list the suite into `listFile`: then `lists` is true.
 */
async function warmSession(
  suite: Omit<RunOptions, 'connect' | 'onEvent'>,
  listFile: string | undefined
): Promise<{ args: string[]; lists: boolean }> {
  const { framework, cwd, args, sessionCommand } = suite
  try {
    const spec = await framework.warmSession?.({
      cwd,
      args,
      sessionCommand,
      ...(listFile !== undefined ? { listFile } : {})
    })
    if (!spec) return { args: [], lists: false }
    return {
      args: ['--warm-session', JSON.stringify(spec)],
      lists: listFile !== undefined && spec.listFile === listFile
    }
  } catch {
    // The listing meets the same problem and reports it properly.
    return { args: [], lists: false }
  }
}

export interface ClusterRun {
  summary: RunSummary
  /** From the tests, and from the broker started here when it ended badly. */
  exitCode: ExitCode
  /** How each process started here ended. */
  exits: ChildExit[]
}

/**
 * Runs the suite on a cluster. Rejects like runSuite (UsageError before anything runs,
 * ClusterError when the cluster fails, with the tails of the local processes' logs, or
 * InterruptedError), and once the suite is planned only after the reporters have finished
 * with every finished result and the rest not run. The processes start while the suite is
 * listed.
 */
export async function runCluster(options: RunClusterOptions): Promise<ClusterRun> {
  const now = options.suite.now ?? Date.now
  // Every worker runs squall's own CLI, whose hidden `session` command hosts warm sessions.
  const base = { sessionCommand: ['squall', 'session'], ...options.suite }
  // Local workers share this disk: a session they start ahead can list the suite for the
  // runner, which then collects nothing itself (a listing costs as much as a session start).
  const listFile =
    options.cluster.workers > 0 && base.sessionListing === undefined
      ? join(options.cluster.logDir, 'session-listing.json')
      : undefined
  const warm = await warmSession(base, listFile)
  // The processes start while the runner lists the suite: the broker's and the workers'
  // start-up (and their warm sessions') overlap the listing instead of preceding it.
  const starting = LocalCluster.start({
    ...options.cluster,
    workerArgs: [...(options.cluster.workerArgs ?? []), ...warm.args]
  })
  // Heard when the suite connects; a failure before then must not go unhandled.
  let cluster: LocalCluster | undefined
  let failed = false
  starting.then(
    c => (cluster = c),
    () => (failed = true)
  )
  const suite =
    warm.lists && listFile !== undefined
      ? {
          ...base,
          sessionListing: {
            file: listFile,
            alive: () => !failed && (cluster?.workersRunning() ?? true)
          }
        }
      : base
  const stopCluster = (): Promise<void> => starting.then(c => c.kill()).catch(() => undefined)
  const stopper = new AbortController()
  let settled: Promise<unknown> = Promise.resolve()
  const releaseInterrupts =
    options.interrupts?.(async signal => {
      // The session ends at once (its open jobs not run); the processes stop now too, even
      // when the run had already finished and they were ending on their own.
      stopper.abort(new InterruptedError(signal))
      await Promise.all([stopCluster(), settled.catch(() => undefined)])
    }) ?? (() => undefined)
  const run = drive(options, suite, starting, stopCluster, stopper.signal, now)
  settled = run
  try {
    return await run
  } finally {
    releaseInterrupts()
  }
}

async function drive(
  options: RunClusterOptions,
  suite: RunClusterOptions['suite'],
  starting: Promise<LocalCluster>,
  stopCluster: () => Promise<void>,
  stop: AbortSignal,
  now: () => number
): Promise<ClusterRun> {
  const reporters = fanOut(options.reporters)
  const transport = new TcpTransport()
  let planned = false
  let summary: RunSummary
  try {
    summary = await runSuite({
      ...suite,
      stop,
      connect:
        options.connect ??
        (async () => transport.connect((await starting).address, { timeoutMs: 30_000 })),
      onEvent: event => {
        if (event.type === 'run-started') planned = true
        reporters.onEvent(event)
      }
    })
  } catch (error) {
    // The run ended early: its reports (what finished, the rest not run) are written first,
    // while there is time (a cancelled Actions job is killed seconds later), and a report
    // that cannot be written is said along with why the run ended. Then the cluster stops.
    const unwritten = planned
      ? await reporters.finish().then(
          () => undefined,
          (failure: unknown) => errorMessage(failure)
        )
      : undefined
    await stopCluster()
    if (error instanceof InterruptedError) throw new InterruptedError(error.signal, unwritten)
    if (error instanceof ClusterError) {
      const tails = await starting.then(c => c.logTails()).catch(() => '')
      const also = unwritten !== undefined ? `; ${unwritten}` : ''
      throw new ClusterError(`${errorMessage(error)}${also}${tails}`)
    }
    throw error
  }
  const cluster = await starting
  trace('cluster: waiting for exits')
  const exits = await cluster.wait(options.endGraceMs)
  trace('cluster: exited')
  if (options.transportFigures)
    reporters.onEvent({ type: 'transport-figures', at: now(), figures: options.transportFigures() })
  await reporters.finish()
  trace('cluster: reports written')
  const brokerFailed = exits.some(e => e.name === 'broker' && e.code !== 0)
  return {
    summary,
    exitCode: exitCodeFor({ kind: 'run', testsFailed: summary.exitCode !== 0, brokerFailed }),
    exits
  }
}
