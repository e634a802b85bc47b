/**
 * The one way a cluster runs a suite, for every host: start the processes this machine
 * contributes (a broker unless one is running, and local workers), run the suite through
 * them with the host's reporters listening, let the cluster end (stopping what lingers), and
 * return the summary with the exit code. The CLI and the actions differ only in what they
 * pass in: how processes start, which reporters listen, how layers are published.
 */
import { ClusterError, errorMessage, exitCodeFor, type ExitCode } from '../errors.js'
import { fanOut } from '../report/fan-out.js'
import type { Reporter, RunSummary } from '../runner/events.js'
import { runSuite, type RunOptions } from '../runner/runner.js'
import { TcpTransport } from '../transport/tcp.js'
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
  /** What the transport counted, read once the cluster has ended (becomes an event). */
  transportFigures?: () => Record<string, number>
  /**
   * How the host hears an interrupt (Ctrl-C): given what stops the cluster, it listens and
   * returns a function that stops listening, called once the cluster has ended.
   */
  interrupts?: (stop: () => Promise<void>) => () => void
}

/**
 * `--warm-session <spec>` for the workers started here when the framework knows its session
 * before listing; nothing when it runs cold or cannot tell (a guess that misses only costs
 * the idle sessions' start-up: jobs of another key start their own).
 */
async function warmSessionArgs(suite: Omit<RunOptions, 'connect' | 'onEvent'>): Promise<string[]> {
  const { framework, cwd, args, sessionCommand } = suite
  try {
    const spec = await framework.warmSession?.({ cwd, args, sessionCommand })
    return spec ? ['--warm-session', JSON.stringify(spec)] : []
  } catch {
    // The listing meets the same problem and reports it properly.
    return []
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
 * ClusterError when the cluster fails, with the tails of the local processes' logs).
 */
export async function runCluster(options: RunClusterOptions): Promise<ClusterRun> {
  const now = options.suite.now ?? Date.now
  // Every worker runs squall's own CLI, whose hidden `session` command hosts warm sessions.
  const suite = { sessionCommand: ['squall', 'session'], ...options.suite }
  const warm = await warmSessionArgs(suite)
  // The processes start while the runner lists the suite: the broker's and the workers'
  // start-up (and their warm sessions') overlap the listing instead of preceding it.
  const starting = LocalCluster.start({
    ...options.cluster,
    workerArgs: [...(options.cluster.workerArgs ?? []), ...warm]
  })
  // Until it is needed a failed start is only remembered; whoever awaits it sees the error.
  starting.catch(() => undefined)
  const kill = async (): Promise<void> => {
    const cluster = await starting.catch(() => undefined)
    await cluster?.kill()
  }
  const releaseInterrupts = options.interrupts?.(kill) ?? (() => undefined)
  const reporters = fanOut(options.reporters)
  const transport = new TcpTransport()
  let summary: RunSummary
  try {
    summary = await runSuite({
      ...suite,
      connect: async () => transport.connect((await starting).address, { timeoutMs: 30_000 }),
      onEvent: reporters.onEvent
    })
  } catch (error) {
    releaseInterrupts()
    await kill()
    const tails = (await starting.catch(() => undefined))?.logTails() ?? ''
    if (error instanceof ClusterError) throw new ClusterError(`${errorMessage(error)}${tails}`)
    throw error
  }
  const cluster = await starting
  const exits = await cluster.wait(options.endGraceMs)
  releaseInterrupts()
  if (options.transportFigures)
    reporters.onEvent({ type: 'transport-figures', at: now(), figures: options.transportFigures() })
  await reporters.finish()
  const brokerFailed = exits.some(e => e.name === 'broker' && e.code !== 0)
  return {
    summary,
    exitCode: exitCodeFor({ kind: 'run', testsFailed: summary.exitCode !== 0, brokerFailed }),
    exits
  }
}
