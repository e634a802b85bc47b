import * as core from '@actions/core'
import { errorMessage } from '../errors.js'
import { startCluster } from '../github/cluster-steps.js'
import { getInputs } from './inputs.js'

async function run(): Promise<void> {
  const inputs = getInputs()
  const { address, clusterId } = await startCluster(inputs)
  core.setOutput('address', address)
  core.setOutput('port', address.split(':').pop() ?? '')
  core.setOutput('cluster-id', clusterId)
}

run().catch((error: unknown) => core.setFailed(errorMessage(error)))
