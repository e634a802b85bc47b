/**
 * The broker action's shared-pool inputs (the coordinator has none: its broker serves its own
 * runner), typed and checked.
 */
import * as input from '../shared/inputs.js'
import { UsageError } from '../../errors.js'

/** The broker action's own: a shared pool in a job of its own. */
export interface PoolInputs {
  /**
   * Runner jobs that share this broker (keep-alive: the step waits until each is done, or a
   * stop step closes the pool); 0 for a broker in the background of its own job's runner.
   */
  runners: number
  /** Start no broker: close the pool of the cluster (a stop step in another job). */
  stop: boolean
}

export function getPoolInputs(): PoolInputs {
  const inputs: PoolInputs = { runners: input.int('runners', 0, 0), stop: input.bool('stop') }
  if (inputs.stop && inputs.runners > 0)
    throw new UsageError(
      `input 'stop': true closes a pool and starts no broker, so 'runners' (${inputs.runners}) is not used with it; give the stop its own step in a later job`
    )
  return inputs
}
