/** The worker action's inputs, typed and checked. */
import { availableParallelism } from 'node:os'
import * as input from '../shared/inputs.js'
import { parseLogLevel, type LogLevel } from '../../log.js'

export interface WorkerInputs {
  clusterId: string
  /** The name reports show ('' for the job's name). */
  name: string
  slots: number
  labels: string[]
  cacheDir: string
  cacheSizeBytes: number
  /** The job's time limit, ms. */
  maxRuntimeMs: number
  waitTimeoutMs: number
  workingDirectory: string
  /** Credential variables jobs get anyway. */
  passEnv: string[]
  logLevel: LogLevel
}

export function getInputs(): WorkerInputs {
  return {
    clusterId: input.clusterId('cluster-id'),
    name: input.text('name'),
    slots: input.int('slots', 1, availableParallelism()),
    labels: input.labels('labels'),
    cacheDir: input.text('cache-dir'),
    cacheSizeBytes: input.size('cache-size'),
    maxRuntimeMs: input.duration('max-runtime', 6 * 3_600_000),
    waitTimeoutMs: input.duration('wait-timeout', 600_000),
    workingDirectory: input.text('working-directory'),
    passEnv: input.envNames('pass-env'),
    logLevel: parseLogLevel(input.text('log-level') || 'info', "input 'log-level'")
  }
}

/** Stop taking work a tenth of the limit (at least 2 minutes) before it. */
export function deadlineFrom(startedAt: number, maxRuntimeMs: number): number {
  return startedAt + maxRuntimeMs - Math.max(120_000, Math.round(maxRuntimeMs / 10))
}
