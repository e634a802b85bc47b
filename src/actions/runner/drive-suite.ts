/**
 * The runner's host work, for the runner action and the coordinator: run the suite on the
 * broker at `address` through the one cluster runner, with a local worker on this machine,
 * and report it the GitHub way (job summary, annotations, JUnit artifact, outputs, timing
 * history in the Actions cache, the step failed when tests failed).
 */
import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runCluster } from '../../cluster/run-cluster.js'
import { getFramework } from '../../frameworks/index.js'
import { artifactLayerPublisher } from '../../layers/artifact-store-layers.js'
import { AnnotationReporter } from '../../report/annotations.js'
import { HtmlReporter } from '../../report/html-report.js'
import { JobSummaryReporter } from '../../report/job-summary.js'
import { predictedVsActual } from '../../report/worker-choice.js'
import { JunitReporter } from '../../report/junit.js'
import { TerminalReporter } from '../../report/terminal.js'
import type { Reporter, RunSummary } from '../../runner/events.js'
import type { Framework, TestItem } from '../../frameworks/core/framework.js'
import { secretFromEnv } from '../../protocol/cluster-secret.js'
import { onStopSignal } from '../../stop-signals.js'
import { coreLog } from '../shared/core-log.js'
import { requireRuntime } from '../shared/runtime-env.js'
import { workerIdFor } from '../../protocol/worker-name.js'
import { ResultsClient } from '../../results-store/index.js'
import { ArtifactTransport } from '../../transport/artifact/index.js'
import { fileArtifactUpload, junitArtifactUpload } from '../shared/junit-artifact.js'
import { defaultQuarantinePath, readQuarantine } from '../../runner/quarantine.js'
import { runAttempt } from '../../protocol/cluster-id.js'
import { findPreviousResults, resultsArtifactReporters } from '../shared/results-artifact.js'
import {
  restoreTimings,
  timingsCacheKeys,
  timingsCacheSaver,
  defaultBranch
} from '../shared/timings-cache.js'

/** Typed runner inputs (see ./inputs.ts). */
export interface RunnerInputs {
  framework: string
  args: string[]
  jobsFile: string
  layers: string[]
  workingDirectory: string
  retries: number
  timeoutMs: number
  localSlots: number
  junitPath: string
  junitArtifact: string
  summary: boolean
  annotations: boolean
  timings: boolean
  failOnFlaky: boolean
  /** Write the HTML report and upload it as an artifact. */
  htmlReport: boolean
  /** The quarantine file, relative to the workspace ('' for the default under the suite root). */
  quarantine: string
  /** On attempt N>1: run only what failed in an earlier attempt (`failed`), or everything. */
  rerun: 'failed' | 'all'
  passWithNoTests: boolean
  /** The plan job's prediction of the run's wall time (`workers: auto`), ms; 0 when none. */
  predictedWallMs: number
}

const log = coreLog

/** Where the broker is: on loopback in this job, or in another job of the run (a shared pool). */
export type BrokerPlace = { kind: 'loopback'; address: string } | { kind: 'artifacts' }

/** How long a runner of a shared pool waits for the broker job's listener, ms. */
const POOL_WAIT_MS = 10 * 60_000

export async function driveSuite(
  inputs: RunnerInputs,
  broker: BrokerPlace,
  clusterId: string
): Promise<RunSummary> {
  if (broker.kind === 'artifacts') requireRuntime()
  const shared = broker.kind === 'artifacts'
  // Runners sharing a pool are told apart by job: their local workers, results artifacts and
  // ids (matrix jobs of one job share its name, so a suffix keeps ids unique).
  const job = process.env.GITHUB_JOB || 'runner'
  const suffix = randomBytes(3).toString('hex')
  const framework = getFramework(inputs.framework)
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()
  const cwd = resolve(workspace, inputs.workingDirectory)
  const timingsPath = join(cwd, '.squall', 'timings.json')
  // Read before anything starts: a quarantine input naming a missing file is a usage error.
  const quarantine = inputs.quarantine
    ? await readQuarantine(resolve(workspace, inputs.quarantine), "input 'quarantine'")
    : await readQuarantine(defaultQuarantinePath(cwd))
  const keys = timingsCacheKeys(framework.name, process.env, defaultBranch(process.env))
  if (inputs.timings)
    await core.group('Restore timing history', () => restoreTimings(timingsPath, keys, log))

  const attempt = runAttempt(process.env)
  const previous =
    attempt > 1 && inputs.rerun === 'failed'
      ? await core.group(`Find what failed before attempt ${attempt}`, () =>
          findPreviousResults(clusterId, shared ? job : '')
        )
      : undefined

  const logDir = mkdtempSync(join(process.env.RUNNER_TEMP ?? tmpdir(), 'squall-local-'))
  const workers = inputs.localSlots > 0 ? 1 : 0
  if (workers > 0)
    core.info(`local worker on ${inputs.localSlots} slot(s); log: ${join(logDir, 'worker-1.log')}`)
  const { summary } = await runCluster({
    cluster: {
      // A broker in another job: the local worker joins it through the artifact store too.
      ...(broker.kind === 'loopback'
        ? { brokerAddress: broker.address }
        : {
            brokerAddress: '',
            workerConnect: [
              '--transport',
              'artifacts',
              '--cluster-id',
              clusterId,
              '--wait-timeout',
              `${POOL_WAIT_MS / 1000}s`
            ]
          }),
      workers,
      workerId: () => (shared ? workerIdFor(job, suffix) : 'coordinator'),
      slots: inputs.localSlots,
      labels: [],
      workDir: cwd,
      clusterId,
      logDir,
      workerArgs: ['--cluster-id', clusterId, '--layer-store', 'artifacts']
    },
    ...(broker.kind === 'artifacts'
      ? {
          connect: () =>
            new ArtifactTransport({
              client: ResultsClient.fromEnv(process.env, { log }),
              log
            }).connect(clusterId, { timeoutMs: POOL_WAIT_MS })
        }
      : {}),
    suite: {
      secret: secretFromEnv(process.env),
      ...(shared ? { runnerId: `runner-${workerIdFor(job, suffix)}` } : {}),
      framework,
      cwd,
      args: inputs.args,
      jobsFile: inputs.jobsFile ? resolve(cwd, inputs.jobsFile) : undefined,
      timeoutMs: inputs.timeoutMs,
      // Workers come and go; plan batches for a typical cluster rather than the local slots alone.
      slots: Math.max(8, inputs.localSlots * 4),
      retries: inputs.retries,
      failOnFlaky: inputs.failOnFlaky,
      passWithNoTests: inputs.passWithNoTests,
      timingsPath: inputs.timings ? timingsPath : '',
      quarantine: { ids: quarantine },
      runAttempt: attempt,
      ...(previous ? { rerun: { previous, flakyAgain: inputs.failOnFlaky } } : {}),
      publishLayers: items => publishLayers(inputs, framework, cwd, clusterId, items)
    },
    reporters: [
      ...reporters(inputs, workspace, timingsPath, keys, attempt, shared ? job : ''),
      // Every attempt leaves its results, so that a re-run can run only what failed.
      ...resultsArtifactReporters(clusterId, shared ? job : '')
    ],
    // The broker tells the local worker to stop once the runner is done; a shared pool stays
    // open for the other runners, so this runner stops its own worker at once (jobs of other
    // runners it holds go back to the pool).
    endGraceMs: shared ? 0 : 15_000,
    // A cancelled job (SIGINT, then SIGTERM seconds later): the reports of what finished are
    // written, the rest marked not run, and the local worker stopped, before the step fails.
    interrupts: stop =>
      onStopSignal(signal => {
        core.warning(`${signal}: stopping the run; reporting what finished`)
        void stop(signal)
      })
  })
  core.setOutput('passed', summary.passed + summary.flaky)
  core.setOutput('failed', summary.failed + summary.errored)
  core.setOutput('flaky', summary.flaky)
  core.setOutput('skipped', summary.skipped)
  core.setOutput('duration', (summary.durationMs / 1000).toFixed(1))
  if (inputs.summary && inputs.predictedWallMs > 0)
    await core.summary
      .addRaw(`\n${predictedVsActual(inputs.predictedWallMs, summary.durationMs)}\n`)
      .write()
  if (summary.exitCode !== 0)
    core.setFailed(
      `${summary.failed + summary.errored} test(s) failed${summary.flaky ? `, ${summary.flaky} flaky` : ''}`
    )
  return summary
}

/** Which reporters listen in an action; files are written before they are uploaded or cached. */
function reporters(
  inputs: RunnerInputs,
  workspace: string,
  timingsPath: string,
  keys: ReturnType<typeof timingsCacheKeys>,
  attempt: number,
  /** A shared pool's runner: its job name, which its artifacts carry. */
  scope: string
): Reporter[] {
  const list: Reporter[] = [new TerminalReporter({ out: process.stdout, tty: false })]
  if (inputs.junitPath) {
    const path = resolve(workspace, inputs.junitPath)
    list.push(new JunitReporter({ path }))
    // Artifact names are unique across all attempts of a run: a re-run names its own.
    const name = attempt > 1 ? `${inputs.junitArtifact}-attempt-${attempt}` : inputs.junitArtifact
    if (inputs.junitArtifact) list.push(junitArtifactUpload(path, name))
  }
  if (inputs.htmlReport) {
    const path = join(process.env.RUNNER_TEMP ?? tmpdir(), 'squall-report', 'squall-report.html')
    // Artifact names are unique in a run: a re-run attempt uploads under its own.
    // Runners sharing a pool are jobs of one run: each names its report after its job.
    const base = scope ? `squall-report-${scope}` : 'squall-report'
    const name = attempt > 1 ? `${base}-attempt-${attempt}` : base
    list.push(new HtmlReporter({ path }), fileArtifactUpload(path, name, 'the HTML report'))
  }
  if (inputs.summary) {
    list.push(
      new JobSummaryReporter({
        write: async markdown => void (await core.summary.addRaw(markdown).write())
      })
    )
  }
  if (inputs.annotations) {
    list.push(
      new AnnotationReporter({
        relativeTo: workspace,
        emit: a => core.error(a.message, { title: a.title, file: a.file, startLine: a.startLine })
      })
    )
  }
  if (inputs.timings) list.push(timingsCacheSaver(timingsPath, keys, log))
  return list
}

/** The inputs' layer paths and the framework's own (test binaries), published once. */
async function publishLayers(
  inputs: RunnerInputs,
  framework: Framework,
  cwd: string,
  clusterId: string,
  items: TestItem[]
): Promise<string[]> {
  const listOptions = { cwd, args: inputs.args, timeoutMs: inputs.timeoutMs }
  const paths = [...inputs.layers, ...(framework.layerPaths?.(items, listOptions) ?? [])]
  if (paths.length === 0) return []
  return core.group(`Publish a layer of ${paths.length} path(s)`, async () => {
    const digest = await artifactLayerPublisher(clusterId, log).publish(cwd, paths)
    core.info(`layer sha256:${digest}`)
    return [digest]
  })
}
