/**
 * The broker action's main step: start the broker in the background and say where it is; or,
 * for a shared pool (`runners`), keep it alive until every runner is done or a stop step
 * closes it; or (`stop`) close a pool from another job.
 */
import * as core from '@actions/core'
import { readFileSync } from 'node:fs'
import { ClusterError } from '../../errors.js'
import { getInputs } from './inputs.js'
import { getPoolInputs } from './pool-inputs.js'
import { startCluster, type StartedCluster } from './steps.js'
import { stopPool } from './stop-pool.js'

export async function run(): Promise<void> {
  const inputs = getInputs()
  const pool = getPoolInputs()
  if (pool.stop) return stopPool(inputs.clusterId)
  const started = await startCluster({ ...inputs, runners: pool.runners })
  core.setOutput('address', started.address)
  core.setOutput('port', started.address.split(':').pop() ?? '')
  core.setOutput('cluster-id', started.clusterId)
  if (pool.runners > 0) await keepAlive(started, pool.runners)
}

/** Waits for the broker of a shared pool to end; its log goes to the step's. */
async function keepAlive(started: StartedCluster, runners: number): Promise<void> {
  core.info(
    `keeping the pool of cluster ${started.clusterId} open until ${runners} runner(s) are done, or a stop step closes it`
  )
  const exit = await started.exited
  await core.group('Broker log', async () => {
    try {
      core.info(readFileSync(started.logFile, 'utf8').trimEnd())
    } catch {
      core.info(`(no log at ${started.logFile})`)
    }
  })
  if (exit.code !== 0)
    throw new ClusterError(
      `the broker of cluster ${started.clusterId} ended with ${exit.code ?? exit.signal}: see its log above`
    )
  core.info(`the pool of cluster ${started.clusterId} is closed: its workers exit 0`)
}
