/**
 * The runner action's work: run the suite on the broker at `address`, with local slots, and
 * report it the GitHub way (job summary, annotations, JUnit artifact, outputs, timings cache).
 */
import { DefaultArtifactClient } from '@actions/artifact'
import * as core from '@actions/core'
import { spawn, type ChildProcess } from 'node:child_process'
import { openSync, closeSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { errorMessage } from '../errors.js'
import { getFramework } from '../frameworks/index.js'
import { JunitReporter } from '../report/junit.js'
import { TerminalReporter } from '../report/terminal.js'
import type { Reporter, RunEvent, RunSummary } from '../runner/events.js'
import { runSuite } from '../runner/runner.js'
import { TcpTransport } from '../transport/tcp.js'
import { AnnotationReporter } from './annotations.js'
import { cliCommand } from './cluster-steps.js'
import { coreLog } from './core-log.js'
import { JobSummaryReporter } from './job-summary.js'
import { artifactLayerPublisher } from '../layers/artifact-store-layers.js'
import { defaultBranch, restoreTimings, saveTimings, timingsCacheKeys } from './timings-cache.js'
import { secretFromEnv } from '../protocol/cluster-secret.js'

/** Typed runner inputs (see src/runner/inputs.ts). */
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
}

const log = coreLog

export async function driveSuite(
  inputs: RunnerInputs,
  address: string,
  clusterId: string
): Promise<RunSummary> {
  const framework = getFramework(inputs.framework)
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()
  const cwd = resolve(workspace, inputs.workingDirectory)
  const timingsPath = join(cwd, '.squall', 'timings.json')
  const keys = timingsCacheKeys(framework.name, process.env, defaultBranch(process.env))
  if (inputs.timings)
    await core.group('Restore timing history', () => restoreTimings(timingsPath, keys, log))

  const local =
    inputs.localSlots > 0 ? startLocalWorker(address, inputs.localSlots, cwd, clusterId) : undefined
  const reporters: Reporter[] = [new TerminalReporter({ out: process.stdout, tty: false })]
  if (inputs.junitPath)
    reporters.push(new JunitReporter({ path: resolve(workspace, inputs.junitPath) }))
  if (inputs.summary) {
    reporters.push(
      new JobSummaryReporter({
        write: async markdown => void (await core.summary.addRaw(markdown).write())
      })
    )
  }
  if (inputs.annotations) {
    reporters.push(
      new AnnotationReporter({
        relativeTo: workspace,
        emit: a => core.error(a.message, { title: a.title, file: a.file, startLine: a.startLine })
      })
    )
  }
  const onEvent = (event: RunEvent): void => {
    for (const reporter of reporters) reporter.onEvent(event)
  }
  const transport = new TcpTransport()
  let summary: RunSummary
  try {
    summary = await runSuite({
      connect: () => transport.connect(address, { timeoutMs: 30_000 }),
      // The broker's too, when the workflow gives one (the broker reads the same variable).
      secret: secretFromEnv(process.env),
      framework,
      cwd,
      args: inputs.args,
      jobsFile: inputs.jobsFile ? resolve(cwd, inputs.jobsFile) : undefined,
      timeoutMs: inputs.timeoutMs,
      // Workers come and go; plan batches for a typical cluster rather than the local slots alone.
      slots: Math.max(8, inputs.localSlots * 4),
      retries: inputs.retries,
      failOnFlaky: inputs.failOnFlaky,
      timingsPath: inputs.timings ? timingsPath : '',
      publishLayers: async items => {
        const listOptions = { cwd, args: inputs.args, timeoutMs: inputs.timeoutMs }
        const paths = [...inputs.layers, ...(framework.layerPaths?.(items, listOptions) ?? [])]
        if (paths.length === 0) return []
        return core.group(`Publish a layer of ${paths.length} path(s)`, async () => {
          const digest = await artifactLayerPublisher(clusterId, log).publish(cwd, paths)
          core.info(`layer sha256:${digest}`)
          return [digest]
        })
      },
      onEvent
    })
  } finally {
    if (local) await stopLocalWorker(local.child)
  }
  for (const reporter of reporters) await reporter.finish?.()
  core.setOutput('passed', summary.passed + summary.flaky)
  core.setOutput('failed', summary.failed + summary.errored)
  core.setOutput('flaky', summary.flaky)
  core.setOutput('skipped', summary.skipped)
  core.setOutput('duration', (summary.durationMs / 1000).toFixed(1))
  if (inputs.timings) await saveTimings(timingsPath, keys, log)
  if (inputs.junitPath && inputs.junitArtifact) {
    const path = resolve(workspace, inputs.junitPath)
    try {
      await new DefaultArtifactClient().uploadArtifact(inputs.junitArtifact, [path], dirname(path))
      core.info(`uploaded ${basename(path)} as artifact '${inputs.junitArtifact}'`)
    } catch (error) {
      core.warning(`could not upload the JUnit file as an artifact: ${errorMessage(error)}`)
    }
  }
  return summary
}

function startLocalWorker(
  address: string,
  slots: number,
  cwd: string,
  clusterId: string
): { child: ChildProcess; logFile: string } {
  const [command, ...prefix] = cliCommand()
  const logFile = join(
    mkdtempSync(join(process.env.RUNNER_TEMP ?? tmpdir(), 'squall-local-')),
    'worker.log'
  )
  const fd = openSync(logFile, 'a')
  const child = spawn(
    command as string,
    [
      ...prefix,
      'worker',
      '--broker',
      address,
      '--id',
      'coordinator',
      '--slots',
      String(slots),
      '--working-directory',
      cwd,
      '--cluster-id',
      clusterId,
      '--layer-store',
      'artifacts'
    ],
    { stdio: ['ignore', fd, fd], env: process.env }
  )
  closeSync(fd)
  core.info(`local worker on ${slots} slot(s); log: ${logFile}`)
  return { child, logFile }
}

async function stopLocalWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>(r => child.once('exit', () => r()))
  const timer = setTimeout(() => child.kill('SIGTERM'), 15_000)
  await exited
  clearTimeout(timer)
}
