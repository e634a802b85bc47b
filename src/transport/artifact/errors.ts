/** Errors particular to the artifact transport. */
import { ClusterError } from '../../errors.js'

/**
 * The cluster has ended (its `closed` marker exists): a worker that started late or was re-run
 * should exit 0 with a notice, not wait for a broker that is gone.
 */
export class ClusterClosedError extends ClusterError {
  override name = 'ClusterClosedError'
  constructor(readonly clusterId: string) {
    super(
      `cluster ${clusterId} has already ended (its closed marker exists); there is no broker to join`
    )
  }
}

/**
 * No broker of the cluster appeared in time (no listen artifact): the worker action exits 0
 * with a notice, since the coordinator may have finished the run on its own.
 */
export class NoBrokerError extends ClusterError {
  override name = 'NoBrokerError'
  constructor(
    readonly clusterId: string,
    waitedMs: number
  ) {
    super(`no broker of cluster ${clusterId} appeared within ${Math.round(waitedMs / 1000)} s`)
  }
}
