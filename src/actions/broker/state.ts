/** What the main step leaves for the post step (never a secret). */
import * as core from '@actions/core'

export interface BrokerState {
  pid: number
  clusterId: string
  address: string
  logFile: string
}

export function saveBrokerState(state: BrokerState): void {
  core.saveState('broker-pid', String(state.pid))
  core.saveState('cluster-id', state.clusterId)
  core.saveState('broker-address', state.address)
  core.saveState('broker-log', state.logFile)
}

export function loadBrokerState(): BrokerState | undefined {
  const pid = Number(core.getState('broker-pid'))
  if (!Number.isInteger(pid) || pid <= 0) return undefined
  return {
    pid,
    clusterId: core.getState('cluster-id'),
    address: core.getState('broker-address'),
    logFile: core.getState('broker-log')
  }
}
