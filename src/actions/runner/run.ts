/**
 * The runner action's step: find the broker (an earlier step of this job, or a broker job of
 * the run through the artifact store) and run the suite on it.
 */
import { UsageError } from '../../errors.js'
import { driveSuite } from './drive-suite.js'
import { getRunnerInputs } from './inputs.js'
import { getBrokerReach } from './reach-inputs.js'

export async function run(): Promise<void> {
  const inputs = getRunnerInputs()
  const reach = getBrokerReach()
  if (reach.kind === 'artifacts') {
    await driveSuite(inputs, { kind: 'artifacts' }, reach.clusterId)
    return
  }
  const address = process.env.SQUALL_BROKER_ADDRESS
  if (!address)
    throw new UsageError(
      "SQUALL_BROKER_ADDRESS is not set: run the squall broker action in an earlier step of this job, or set 'broker: artifacts' to use a broker job of this run"
    )
  const clusterId = process.env.SQUALL_CLUSTER_ID
  if (!clusterId)
    throw new UsageError(
      'SQUALL_CLUSTER_ID is not set: run the squall broker action in an earlier step of this job'
    )
  await driveSuite(inputs, { kind: 'loopback', address }, clusterId)
}
