/** The coordinator's main step: the broker in the background, then the runner, in one step. */
import { getInputs as getBrokerInputs } from '../broker/inputs.js'
import { startCluster } from '../broker/steps.js'
import { getRunnerInputs } from '../runner/inputs.js'
import { driveSuite } from '../runner/drive-suite.js'

export async function run(): Promise<void> {
  // Read every input first: a typo fails before anything starts.
  const runnerInputs = getRunnerInputs()
  const brokerInputs = getBrokerInputs()
  const { address, clusterId } = await startCluster(brokerInputs)
  await driveSuite(runnerInputs, { kind: 'loopback', address }, clusterId)
}
