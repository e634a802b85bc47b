/** `squall run`: a broker and N workers on this machine, and the runner driving the suite. */
import { Command, Option } from 'commander'
import { randomBytes } from 'node:crypto'
import { availableParallelism, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ClusterError, ExitCode, errorMessage } from '../errors.js'
import { getFramework } from '../frameworks/index.js'
import { LocalCluster } from '../cluster/local-cluster.js'
import { JsonReporter } from '../report/json.js'
import { JunitReporter } from '../report/junit.js'
import { TerminalReporter } from '../report/terminal.js'
import type { Reporter, RunEvent, RunSummary } from '../runner/events.js'
import { runSuite } from '../runner/runner.js'
import { TcpTransport } from '../transport/tcp.js'
import { labelList, nonNegativeInt, positiveInt, secondsToMs } from './parse.js'
import { selfCommand } from './self.js'
import { transportName, type TransportName } from './transports.js'
import { artifactSetup, type ArtifactSetup } from './artifact-setup.js'

interface RunFlags {
  workers: number
  slots?: number
  framework: string
  jobs?: string
  junit?: string
  json?: string
  retries: number
  timeout: number
  labels: string[]
  failOnFlaky: boolean
  cwd: string
  timings: boolean
  verbose: boolean
  transport: TransportName
}

export function runCommand(setExit: (code: number) => void): Command {
  return new Command('run')
    .description('Run a suite on a local cluster (a broker and N workers over loopback TCP).')
    .option('--workers <n>', 'worker processes', positiveInt('--workers'), 2)
    .option(
      '--slots <k>',
      'jobs each worker runs at once (default: CPUs ÷ workers)',
      positiveInt('--slots')
    )
    .option('--framework <name>', 'commands, jest, vitest, pytest, go or cargo', 'commands')
    .option('--jobs <file>', 'commands framework: JSON array or one shell command per line')
    .option('--junit <path>', 'write one merged JUnit XML file')
    .option('--json <path>', 'write a JSON summary')
    .option('--retries <n>', 'run a failed job again up to N times', nonNegativeInt('--retries'), 0)
    .option('--timeout <seconds>', 'limit for one job', secondsToMs('--timeout'), 600_000)
    .option('--labels <a,b>', 'labels the local workers offer', labelList('--labels'), [])
    .option('--fail-on-flaky', 'exit 1 when a test passed only on retry', false)
    .option('--cwd <dir>', 'the suite root', process.cwd())
    .option('--no-timings', 'neither read nor write .squall/timings.json')
    .option(
      '--transport <name>',
      'tcp, or artifacts: workers reach the broker only through an artifact store (the emulator unless ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN are set)',
      transportName('--transport'),
      'tcp'
    )
    .addOption(new Option('--verbose', 'show broker and worker logs').default(false))
    .argument('[args...]', 'arguments after -- go to the framework')
    .action(async (args: string[], flags: RunFlags) => {
      setExit(await runLocal(flags, args))
    })
}

async function runLocal(flags: RunFlags, args: string[]): Promise<number> {
  const framework = getFramework(flags.framework)
  const cwd = resolve(flags.cwd)
  const slots = flags.slots ?? Math.max(1, Math.floor(availableParallelism() / flags.workers))
  const clusterId = `local-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
  const logDir = join(tmpdir(), 'squall', clusterId)
  const reporters: Reporter[] = [
    new TerminalReporter({
      out: process.stdout,
      tty: process.stdout.isTTY === true,
      verbose: flags.verbose
    })
  ]
  if (flags.junit) reporters.push(new JunitReporter({ path: resolve(flags.junit) }))
  if (flags.json) reporters.push(new JsonReporter({ path: resolve(flags.json) }))
  const onEvent = (event: RunEvent): void => {
    for (const reporter of reporters) reporter.onEvent(event)
  }

  const verbosity = flags.verbose ? ['--log-level', 'debug'] : []
  let artifacts: ArtifactSetup | undefined
  if (flags.transport === 'artifacts')
    artifacts = await artifactSetup(flags.workers, clusterId, process.stderr)
  let cluster: LocalCluster
  try {
    cluster = await LocalCluster.start({
      self: selfCommand(),
      workers: flags.workers,
      slots,
      labels: flags.labels,
      workDir: cwd,
      clusterId,
      logDir,
      brokerArgs: [...verbosity, ...(artifacts?.brokerArgs ?? [])],
      workerArgs: verbosity,
      workerConnect: artifacts?.workerConnect,
      envFor: artifacts?.envFor
    })
  } catch (error) {
    await artifacts?.stop()
    throw error
  }
  const transport = new TcpTransport()
  let summary: RunSummary
  try {
    summary = await runSuite({
      connect: () => transport.connect(cluster.address, { timeoutMs: 30_000 }),
      framework,
      cwd,
      args,
      jobsFile: flags.jobs ? resolve(flags.jobs) : undefined,
      timeoutMs: flags.timeout,
      slots: slots * flags.workers,
      retries: flags.retries,
      failOnFlaky: flags.failOnFlaky,
      // Local workers start within a second or two; waiting for them all keeps the first
      // one from taking the longest jobs alone.
      waitForWorkers: flags.workers,
      waitForWorkersMs: 30_000,
      timingsPath: flags.timings ? undefined : '',
      // The local workers run this same CLI, so its hidden `session` command hosts sessions.
      sessionCommand: [...selfCommand(), 'session'],
      onEvent
    })
  } catch (error) {
    await cluster.kill()
    await artifacts?.stop()
    if (error instanceof ClusterError) {
      throw new ClusterError(`${errorMessage(error)}${cluster.logTails()}`)
    }
    throw error
  }
  const exits = await cluster.wait(30_000)
  if (artifacts) {
    // The JSON summary reports the artifact store's figures; the run's summary object is the
    // one the reporters hold, so it is filled in before they write.
    summary.transport = artifacts.figures()
    process.stdout.write(`artifact store: ${JSON.stringify(summary.transport)}\n`)
    await artifacts.stop()
  }
  for (const reporter of reporters) await reporter.finish?.()
  const bad = exits.filter(e => e.code !== 0)
  if (bad.length > 0) {
    process.stderr.write(
      `squall: ${bad.map(e => `${e.name} exited with ${e.code ?? e.signal}`).join(', ')}; logs in ${logDir}\n`
    )
  }
  return summary.exitCode === ExitCode.ok && bad.some(e => e.name === 'broker')
    ? ExitCode.cluster
    : summary.exitCode
}
