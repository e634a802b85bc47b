/** The worker action's step: join the cluster through the artifact store and work until it ends. */
import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { ExitCode, exitCodeFor, type Ending } from '../../errors.js'
import { ResultsClient } from '../../results-store/index.js'
import { artifactLayerProvider } from '../../layers/artifact-store-layers.js'
import {
  ArtifactTransport,
  ClusterClosedError,
  NoBrokerError
} from '../../transport/artifact/index.js'
import { workerContext } from '../../worker/context.js'
import { runWorker } from '../../worker/worker.js'
import { coreLogAt } from '../shared/core-log.js'
import { requireRuntime } from '../shared/runtime-env.js'
import { deadlineFrom, getInputs } from './inputs.js'
import { secretFromEnv } from '../../protocol/cluster-secret.js'
import { workerIdFor } from '../../protocol/worker-name.js'
import { workerStop } from '../../stop-signals.js'

export async function run(): Promise<void> {
  const startedAt = Date.now()
  const inputs = getInputs()
  const log = coreLogAt(inputs.logLevel)
  requireRuntime()
  const transport = new ArtifactTransport({
    client: ResultsClient.fromEnv(process.env, { log }),
    log
  })
  // Matrix jobs of one workflow job share their job name: the suffix keeps ids unique, and
  // reports show the name.
  const id = workerIdFor(
    inputs.name || process.env.GITHUB_JOB || 'worker',
    randomBytes(3).toString('hex')
  )
  log(
    'info',
    `worker ${id}: waiting up to ${Math.round(inputs.waitTimeoutMs / 1000)} s for cluster ${inputs.clusterId}`
  )
  let link
  try {
    link = await transport.connect(inputs.clusterId, { timeoutMs: inputs.waitTimeoutMs })
  } catch (error) {
    const end = orderlyEnd(error, inputs.clusterId, inputs.waitTimeoutMs)
    if (!end) throw error
    if (exitCodeFor(end.ending) === ExitCode.ok) core.notice(end.message)
    else core.setFailed(end.message)
    return
  }
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()
  // A cancelled job (SIGINT, then SIGTERM from the Actions runner) stops the worker in order:
  // running jobs' whole trees are killed and jobs not started go back to the broker.
  const stopper = workerStop(id, log)
  const exit = await runWorker({
    id,
    stop: stopper.signal,
    slots: inputs.slots,
    labels: inputs.labels,
    connect: async () => link,
    // Only when the workflow gives one: the artifact store needs none (only the run's jobs write).
    secret: secretFromEnv(process.env),
    context: workerContext({
      workDir: resolve(workspace, inputs.workingDirectory),
      passEnv: inputs.passEnv,
      layers: artifactLayerProvider({
        clusterId: inputs.clusterId,
        cacheDir: inputs.cacheDir,
        cacheBytes: inputs.cacheSizeBytes,
        log
      })
    }),
    deadline: deadlineFrom(startedAt, inputs.maxRuntimeMs),
    log
  }).finally(() => stopper.release())
  const stats = transport.stats()
  log(
    'info',
    `artifact store: ${stats.artifactsCreated} artifact(s) created; requests ${JSON.stringify(stats.requests)}`
  )
  const received = stopper.received()
  if (received) core.setFailed(`worker ${id} received ${received}: ${exit.reason}`)
  else if (exit.code !== ExitCode.ok) core.setFailed(`worker ${id}: ${exit.reason}`)
  else log('info', `worker ${id}: ${exit.reason}`)
}

/**
 * A matrix worker may start after the cluster ended, or find none at all (the coordinator
 * finishes the run on its own): the action documents both as an orderly end.
 */
function orderlyEnd(
  error: unknown,
  clusterId: string,
  waitTimeoutMs: number
): { ending: Ending; message: string } | undefined {
  if (error instanceof ClusterClosedError)
    return {
      ending: { kind: 'worker', end: 'closed' },
      message: `cluster ${clusterId} has already finished; this worker has nothing to do (a late start or a re-run of a finished cluster)`
    }
  if (error instanceof NoBrokerError)
    return {
      ending: { kind: 'worker', end: 'no-broker', required: false },
      message: `no broker for cluster ${clusterId} appeared within ${Math.round(waitTimeoutMs / 1000)} s; exiting without work`
    }
  return undefined
}
