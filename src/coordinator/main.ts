/** The top-level action: broker in the background + the runner, in one step. */
import * as core from '@actions/core'
import { getInputs as getBrokerInputs } from '../broker/inputs.js'
import { errorMessage } from '../errors.js'
import { startCluster } from '../github/cluster-steps.js'
import { driveSuite } from '../github/drive-suite.js'
import { getRunnerInputs } from '../runner/inputs.js'

async function run(): Promise<void> {
  // Read every input first: a typo fails before anything starts.
  const runnerInputs = getRunnerInputs()
  const brokerInputs = getBrokerInputs()
  const { address, clusterId } = await startCluster(brokerInputs)
  const summary = await driveSuite(runnerInputs, address, clusterId)
  if (summary.exitCode !== 0)
    core.setFailed(
      `${summary.failed + summary.errored} test(s) failed${summary.flaky ? `, ${summary.flaky} flaky` : ''}`
    )
}

run().catch((error: unknown) => core.setFailed(errorMessage(error)))
