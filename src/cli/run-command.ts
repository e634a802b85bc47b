/** `squall run`: a broker and N workers on this machine, and the runner driving the suite. */
import { Command, Option } from 'commander'
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runCluster, type ClusterRun } from '../cluster/run-cluster.js'
import { getFramework } from '../frameworks/index.js'
import { CLUSTER_SECRET_ENV } from '../protocol/cluster-secret.js'
import { HtmlReporter } from '../report/html-report.js'
import { JsonReporter } from '../report/json.js'
import { JunitReporter } from '../report/junit.js'
import { TerminalReporter } from '../report/terminal.js'
import type { Reporter } from '../runner/events.js'
import { defaultQuarantinePath, readQuarantine } from '../runner/quarantine.js'
import { parsePreviousRun } from '../runner/rerun-record.js'
import type { PreviousRun } from '../runner/rerun.js'
import { UsageError, errorMessage } from '../errors.js'
import {
  existingDirectory,
  labelList,
  nonNegativeInt,
  outputPath,
  positiveInt,
  secondsToMs
} from './parse.js'
import { transportName, type TransportName } from './transports.js'
import { artifactSetup } from './artifact-setup.js'
import { onInterrupt } from './interrupt.js'

interface RunFlags {
  workers: number
  slots?: number
  framework: string
  jobs?: string
  junit?: string
  json?: string
  html?: string
  quarantine?: string
  retries: number
  timeout: number
  labels: string[]
  failOnFlaky: boolean
  passWithNoTests: boolean
  cwd: string
  timings: boolean
  verbose: boolean
  transport: TransportName
  rerunFailed?: string
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
    .option('--junit <path>', 'write one merged JUnit XML file', outputPath('--junit'))
    .option('--json <path>', 'write a JSON summary', outputPath('--json'))
    .option(
      '--html <path>',
      'write a self-contained HTML report (timeline, failures, slowest)',
      outputPath('--html')
    )
    .option(
      '--quarantine <path>',
      'known-flaky tests, one id per line: they run but do not fail the run (default .squall/quarantine)'
    )
    .option('--retries <n>', 'run a failed job again up to N times', nonNegativeInt('--retries'), 0)
    .addOption(
      new Option('--timeout <seconds>', 'limit for one job')
        .argParser(secondsToMs('--timeout'))
        // The value is kept in ms; help shows it the way it is given.
        .default(600_000, '600')
    )
    .option('--labels <a,b>', 'labels the local workers offer', labelList('--labels'), [])
    .option('--fail-on-flaky', 'exit 1 when a test passed only on retry', false)
    .option('--pass-with-no-tests', 'exit 0 when the suite has no tests (else exit 2)', false)
    .addOption(
      new Option('--cwd <dir>', 'the suite root')
        .argParser(existingDirectory('--cwd'))
        .default(process.cwd(), 'the current directory')
    )
    .option('--no-timings', 'neither read nor write .squall/timings.json')
    .option(
      '--rerun-failed <path>',
      "a previous run's --json file: run only what failed, errored or did not run there, and report the whole suite"
    )
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
  const previous = flags.rerunFailed ? await readPrevious(flags.rerunFailed) : undefined
  const slots = flags.slots ?? Math.max(1, Math.floor(availableParallelism() / flags.workers))
  const clusterId = `local-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
  const logDir = join(tmpdir(), 'squall', clusterId)
  // Every local cluster has its own secret: other users of the machine cannot join it. The
  // broker and workers get it through their environment, never argv.
  const secret = randomBytes(32).toString('base64url')
  const reporters: Reporter[] = [
    new TerminalReporter({
      out: process.stdout,
      tty: process.stdout.isTTY === true,
      verbose: flags.verbose
    }),
    {
      onEvent: event => {
        if (event.type === 'transport-figures')
          process.stdout.write(`artifact store: ${JSON.stringify(event.figures)}\n`)
      }
    }
  ]
  if (flags.junit) reporters.push(new JunitReporter({ path: resolve(flags.junit) }))
  if (flags.json) reporters.push(new JsonReporter({ path: resolve(flags.json) }))
  if (flags.html) {
    reporters.push(new HtmlReporter({ path: resolve(flags.html) }))
  }
  const quarantine = flags.quarantine
    ? await readQuarantine(resolve(flags.quarantine), '--quarantine')
    : await readQuarantine(defaultQuarantinePath(cwd))

  const verbosity = flags.verbose ? ['--log-level', 'debug'] : []
  const artifacts =
    flags.transport === 'artifacts'
      ? await artifactSetup(flags.workers, clusterId, process.stderr)
      : undefined
  let run: ClusterRun
  try {
    run = await runCluster({
      cluster: {
        workers: flags.workers,
        slots,
        labels: flags.labels,
        workDir: cwd,
        clusterId,
        logDir,
        brokerArgs: [...verbosity, ...(artifacts?.brokerArgs ?? [])],
        workerArgs: verbosity,
        workerConnect: artifacts?.workerConnect,
        env: { [CLUSTER_SECRET_ENV]: secret },
        envFor: artifacts?.envFor
      },
      suite: {
        secret,
        framework,
        cwd,
        args,
        jobsFile: flags.jobs ? resolve(flags.jobs) : undefined,
        timeoutMs: flags.timeout,
        slots: slots * flags.workers,
        retries: flags.retries,
        failOnFlaky: flags.failOnFlaky,
        passWithNoTests: flags.passWithNoTests,
        // Local workers start within a second or two; waiting for them all keeps the first
        // one from taking the longest jobs alone.
        waitForWorkers: flags.workers,
        waitForWorkersMs: 30_000,
        timingsPath: flags.timings ? undefined : '',
        quarantine: { ids: quarantine },
        ...(previous
          ? {
              runAttempt: previous.attempt + 1,
              rerun: { previous, flakyAgain: flags.failOnFlaky }
            }
          : {})
      },
      reporters,
      endGraceMs: 30_000,
      // The JSON summary reports the artifact store's figures.
      transportFigures: artifacts?.figures,
      // Ctrl-C: the workers kill their running jobs (whole trees), the reports are written
      // (what finished, the rest not run), then we exit 130.
      interrupts: stop =>
        onInterrupt(async signal => {
          process.stderr.write(`squall: ${signal}: stopping the cluster and its running jobs\n`)
          await stop(signal)
          await artifacts?.stop()
        })
    })
  } finally {
    await artifacts?.stop()
  }
  const bad = run.exits.filter(e => e.code !== 0)
  if (bad.length > 0) {
    process.stderr.write(
      `squall: ${bad.map(e => `${e.name} exited with ${e.code ?? e.signal}`).join(', ')}; logs in ${logDir}\n`
    )
  }
  return run.exitCode
}

async function readPrevious(path: string): Promise<PreviousRun> {
  let text: string
  try {
    text = await readFile(resolve(path), 'utf8')
  } catch (error) {
    throw new UsageError(`--rerun-failed '${path}': cannot read it (${errorMessage(error)})`)
  }
  return parsePreviousRun(text, `--rerun-failed '${path}'`)
}
