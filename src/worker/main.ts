/** The worker action: join the cluster through the artifact store and work until it ends. */
import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { errorMessage } from '../errors.js'
import { ResultsClient } from '../github/results-client.js'
import { artifactLayerProvider } from '../layers/artifact-store-layers.js'
import { coreLog } from '../github/core-log.js'
import { requireRuntime } from '../github/runtime-env.js'
import {
  ArtifactTransport,
  ClusterClosedError,
  NoBrokerError
} from '../transport/artifact/index.js'
import { defaultJobsRoot } from './executor.js'
import { deadlineFrom, getInputs } from './inputs.js'
import { runWorker } from './worker.js'
import { secretFromEnv } from '../protocol/cluster-secret.js'

const log = coreLog

async function run(): Promise<void> {
  const startedAt = Date.now()
  const inputs = getInputs()
  requireRuntime()
  const transport = new ArtifactTransport({
    client: ResultsClient.fromEnv(process.env, { log }),
    log
  })
  const id = `${process.env.RUNNER_NAME ?? 'worker'}-${randomBytes(3).toString('hex')}`.replace(
    /[^A-Za-z0-9_.-]/g,
    '-'
  )
  core.info(
    `worker ${id}: waiting up to ${Math.round(inputs.waitTimeoutMs / 1000)} s for cluster ${inputs.clusterId}`
  )
  let link
  try {
    link = await transport.connect(inputs.clusterId, { timeoutMs: inputs.waitTimeoutMs })
  } catch (error) {
    if (error instanceof ClusterClosedError) {
      core.notice(
        `cluster ${inputs.clusterId} has already finished; this worker has nothing to do (a late start or a re-run of a finished cluster)`
      )
      return
    }
    if (error instanceof NoBrokerError) {
      core.notice(
        `no broker for cluster ${inputs.clusterId} appeared within ${Math.round(inputs.waitTimeoutMs / 1000)} s; exiting without work`
      )
      return
    }
    throw error
  }
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()
  const exit = await runWorker({
    id,
    slots: inputs.slots,
    labels: inputs.labels,
    connect: async () => link,
    // Only when the workflow gives one: the artifact store needs none (only the run's jobs write).
    secret: secretFromEnv(process.env),
    context: {
      workDir: resolve(workspace, inputs.workingDirectory),
      jobsRoot: defaultJobsRoot(),
      outputCapBytes: 1024 * 1024,
      killGraceMs: 5000,
      passEnv: inputs.passEnv,
      layers: artifactLayerProvider({
        clusterId: inputs.clusterId,
        cacheDir: inputs.cacheDir,
        cacheBytes: inputs.cacheSizeBytes,
        log
      })
    },
    deadline: deadlineFrom(startedAt, inputs.maxRuntimeMs),
    log
  })
  const stats = transport.stats()
  core.info(
    `artifact store: ${stats.artifactsCreated} artifact(s) created; requests ${JSON.stringify(stats.requests)}`
  )
  if (exit.code !== 0) core.setFailed(`worker ${id}: ${exit.reason}`)
  else core.info(`worker ${id}: ${exit.reason}`)
}

run().catch((error: unknown) => core.setFailed(errorMessage(error)))
