/**
 * The broker action with `stop: true`: close a shared pool from another job (one that needs
 * the runner jobs and runs `if: always()`), so the broker's job ends even when a declared
 * runner never started or died before saying done. A pool already closed is fine.
 */
import * as core from '@actions/core'
import { closePool } from '../../cluster/close-pool.js'
import { secretFromEnv } from '../../protocol/cluster-secret.js'
import { ResultsClient } from '../../results-store/index.js'
import {
  ArtifactTransport,
  ClusterClosedError,
  NoBrokerError
} from '../../transport/artifact/index.js'
import { coreLog } from '../shared/core-log.js'
import { requireRuntime } from '../shared/runtime-env.js'

/** How long the stop step looks for the broker, and then waits for it to close, ms. */
const FIND_MS = 60_000
const CLOSE_MS = 60_000

export async function stopPool(clusterId: string, env = process.env): Promise<void> {
  requireRuntime(env)
  const job = env.GITHUB_JOB ?? 'a job'
  let link
  try {
    const client = ResultsClient.fromEnv(env, { log: coreLog })
    link = await new ArtifactTransport({ client, log: coreLog }).connect(clusterId, {
      timeoutMs: FIND_MS
    })
  } catch (error) {
    if (error instanceof ClusterClosedError) {
      core.info(`the pool of cluster ${clusterId} is closed already`)
      return
    }
    if (error instanceof NoBrokerError) {
      core.warning(`no broker of cluster ${clusterId} within ${FIND_MS / 1000} s: nothing to close`)
      return
    }
    throw error
  }
  await closePool(link, {
    id: `stop-${job}`,
    reason: `the stop step of job ${job} ran`,
    secret: secretFromEnv(env),
    timeoutMs: CLOSE_MS
  })
  core.info(`closed the pool of cluster ${clusterId}: its workers exit 0`)
}
