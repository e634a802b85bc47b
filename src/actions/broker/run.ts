/** The broker action's main step: start the broker in the background and say where it is. */
import * as core from '@actions/core'
import { getInputs } from './inputs.js'
import { startCluster } from './steps.js'

export async function run(): Promise<void> {
  const inputs = getInputs()
  const { address, clusterId } = await startCluster(inputs)
  core.setOutput('address', address)
  core.setOutput('port', address.split(':').pop() ?? '')
  core.setOutput('cluster-id', clusterId)
}
