/**
 * The broker's two steps, for the broker action and the coordinator: start it as a detached
 * background process that outlives the step, and stop it from the post step.
 */
import * as core from '@actions/core'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  loopbackBrokerArgs,
  spawnCli,
  stopByPid,
  waitUntilReady,
  type ChildExit
} from '../../cluster/spawn-cli.js'
import { errorMessage } from '../../errors.js'
import { exportRuntime } from '../shared/runtime-env.js'
import { loadBrokerState, saveBrokerState } from './state.js'

export interface StartClusterOptions {
  clusterId: string
  logLevel: string
  heartbeatSeconds: number
  /** Runner jobs sharing the broker (keep-alive); 0 or absent: one runner, in this job. */
  runners?: number
}

/** A started broker: where it is, and (keep-alive) its exit. */
export interface StartedCluster {
  address: string
  clusterId: string
  logFile: string
  /** Resolves when the broker exits; only a keep-alive broker is awaited (it is not detached). */
  exited: Promise<ChildExit>
}

/** Starts the broker (loopback TCP + the artifact store), exports where it is, saves state. */
export async function startCluster(options: StartClusterOptions): Promise<StartedCluster> {
  const runners = options.runners ?? 0
  const exported = exportRuntime()
  core.debug(`exported ${exported.join(', ')}`)
  const dir = mkdtempSync(join(process.env.RUNNER_TEMP ?? tmpdir(), 'squall-broker-'))
  const readyFile = join(dir, 'ready.json')
  const broker = await core.group('Start the squall broker', async () => {
    const child = spawnCli({
      name: 'broker',
      args: loopbackBrokerArgs(options.clusterId, readyFile, [
        '--log-level',
        options.logLevel,
        '--heartbeat',
        String(options.heartbeatSeconds),
        '--transport',
        'artifacts',
        ...(runners > 0 ? ['--runners', String(runners)] : [])
      ]),
      logFile: join(dir, 'broker.log'),
      // In the background of the job's own steps it outlives this step; kept alive, this step
      // waits for it (and a cancelled job takes it along).
      detached: runners === 0
    })
    const ready = await waitUntilReady(child, readyFile, 60_000)
    core.info(
      `broker ${child.pid} listening on ${ready.address} and the artifact store (cluster ${ready.clusterId}); log: ${child.logFile}`
    )
    return { ...ready, pid: child.pid, logFile: child.logFile, exited: child.exited }
  })
  saveBrokerState({
    pid: broker.pid,
    clusterId: broker.clusterId,
    address: broker.address,
    logFile: broker.logFile
  })
  core.exportVariable('SQUALL_BROKER_ADDRESS', broker.address)
  core.exportVariable('SQUALL_CLUSTER_ID', broker.clusterId)
  return {
    address: broker.address,
    clusterId: broker.clusterId,
    logFile: broker.logFile,
    exited: broker.exited
  }
}

/** Post step: stops the broker, which leaves the cluster's closed marker. Never throws. */
export async function stopCluster(): Promise<void> {
  try {
    const state = loadBrokerState()
    if (!state) {
      core.info('no broker was started by this job')
      return
    }
    const how = await stopByPid(state.pid)
    if (how === 'killed')
      core.warning(
        `the broker did not stop within 30 s and was killed; late workers may wait for their wait-timeout. Log: ${state.logFile}`
      )
    else core.info(`broker ${how}; cluster ${state.clusterId} closed`)
  } catch (error) {
    core.warning(`could not stop the broker: ${errorMessage(error)}`)
  }
}
