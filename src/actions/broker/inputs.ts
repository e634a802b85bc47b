/** The broker action's inputs, typed and checked. */
import * as input from '../shared/inputs.js'
import { parseLogLevel, type LogLevel } from '../../log.js'

/** What the broker action and the coordinator both take. */
export interface BrokerInputs {
  clusterId: string
  logLevel: LogLevel
  heartbeatSeconds: number
}

export function getInputs(): BrokerInputs {
  return {
    clusterId: input.clusterId('cluster-id'),
    logLevel: parseLogLevel(input.text('log-level') || 'info', "input 'log-level'"),
    heartbeatSeconds: input.int('heartbeat', 5, 60)
  }
}
