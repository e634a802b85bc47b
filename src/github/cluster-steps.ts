/**
 * The steps the broker, runner and coordinator actions are made of: start the broker in the
 * background, and stop it from the post step.
 */
import * as core from '@actions/core'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { errorMessage } from '../errors.js'
import { startBrokerProcess, stopBrokerProcess } from './broker-process.js'
import { exportRuntime } from './runtime-env.js'
import { loadBrokerState, saveBrokerState } from './state.js'

/** `[node, dist/cli/index.js]` from inside any dist/<action>/index.js bundle. */
export function cliCommand(): string[] {
  const override = process.env.SQUALL_CLI
  if (override) return [process.execPath, override]
  return [process.execPath, join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'index.js')]
}

export interface StartClusterOptions {
  clusterId: string
  logLevel: string
  heartbeatSeconds: number
}

/** Starts the broker (loopback TCP + the artifact store), exports where it is, saves state. */
export async function startCluster(
  options: StartClusterOptions
): Promise<{ address: string; clusterId: string }> {
  const exported = exportRuntime()
  core.debug(`exported ${exported.join(', ')}`)
  const dir = mkdtempSync(join(process.env.RUNNER_TEMP ?? tmpdir(), 'squall-broker-'))
  const logFile = join(dir, 'broker.log')
  const broker = await core.group('Start the squall broker', async () => {
    const started = await startBrokerProcess({
      self: cliCommand(),
      clusterId: options.clusterId,
      logFile,
      readyFile: join(dir, 'ready.json'),
      logLevel: options.logLevel,
      heartbeatSeconds: options.heartbeatSeconds,
      extraArgs: ['--transport', 'artifacts']
    })
    core.info(
      `broker ${started.pid} listening on ${started.address} and the artifact store (cluster ${started.clusterId}); log: ${logFile}`
    )
    return started
  })
  saveBrokerState({
    pid: broker.pid,
    clusterId: broker.clusterId,
    address: broker.address,
    logFile
  })
  core.exportVariable('SQUALL_BROKER_ADDRESS', broker.address)
  core.exportVariable('SQUALL_CLUSTER_ID', broker.clusterId)
  return { address: broker.address, clusterId: broker.clusterId }
}

/** Post step: stops the broker, which leaves the cluster's closed marker. Never throws. */
export async function stopCluster(): Promise<void> {
  try {
    const state = loadBrokerState()
    if (!state) {
      core.info('no broker was started by this job')
      return
    }
    const how = await stopBrokerProcess(state.pid)
    if (how === 'killed')
      core.warning(
        `the broker did not stop within 30 s and was killed; late workers may wait for their wait-timeout. Log: ${state.logFile}`
      )
    else core.info(`broker ${how}; cluster ${state.clusterId} closed`)
  } catch (error) {
    core.warning(`could not stop the broker: ${errorMessage(error)}`)
  }
}
