/**
 * Where the runner action finds its broker (the coordinator has no choice: its broker is its
 * own), typed and checked.
 */
import { UsageError } from '../../errors.js'
import * as input from '../shared/inputs.js'

/** `local`: the broker action ran in an earlier step of this job; `artifacts`: another job's. */
export type BrokerReach = { kind: 'local' } | { kind: 'artifacts'; clusterId: string }

export function getBrokerReach(): BrokerReach {
  const raw = input.text('broker')
  if (raw === '' || raw === 'local') return { kind: 'local' }
  if (raw === 'artifacts') return { kind: 'artifacts', clusterId: input.clusterId('cluster-id') }
  throw new UsageError(
    `input 'broker': '${raw}' is not a broker place; expected local (an earlier step of this job) or artifacts (a broker job of this run)`
  )
}
