import * as core from '@actions/core'
import { UsageError, errorMessage } from '../errors.js'
import { driveSuite } from '../github/drive-suite.js'
import { getRunnerInputs } from './inputs.js'

async function run(): Promise<void> {
  const inputs = getRunnerInputs()
  const address = process.env.SQUALL_BROKER_ADDRESS
  if (!address)
    throw new UsageError(
      'SQUALL_BROKER_ADDRESS is not set: run the squall broker action in an earlier step of this job'
    )
  const clusterId = process.env.SQUALL_CLUSTER_ID
  if (!clusterId)
    throw new UsageError(
      'SQUALL_CLUSTER_ID is not set: run the squall broker action in an earlier step of this job'
    )
  const summary = await driveSuite(inputs, address, clusterId)
  if (summary.exitCode !== 0)
    core.setFailed(
      `${summary.failed + summary.errored} test(s) failed${summary.flaky ? `, ${summary.flaky} flaky` : ''}`
    )
}

run().catch((error: unknown) => core.setFailed(errorMessage(error)))
