/**
 * What the session tests hand `executeJob`: a worker's context on this machine, in fresh
 * temporary directories, with the environment of a worker (not of the jest running the tests).
 */
import { join } from 'node:path'
import type { ExecuteContext } from '../../../src/worker/executor.js'
import type { SessionPool } from '../../../src/worker/session/pool.js'

/** The environment of the worker: ours, minus what the test runner set for itself. */
export function workerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra }
  delete env.JEST_WORKER_ID
  delete env.NODE_OPTIONS
  return env
}

/** Worker `w1`'s context for jobs in `workDir`, its jobs and cache under `makeDir()`'s dirs. */
export function sessionContext(options: {
  workDir: string
  makeDir: () => string
  sessions?: SessionPool
  /** A cache shared by the calls (jest's transform cache, the session's own files). */
  cacheDir?: string
  env?: Record<string, string>
}): ExecuteContext {
  return {
    workerId: 'w1',
    workDir: options.workDir,
    jobsRoot: join(options.makeDir(), 'jobs'),
    outputCapBytes: 1024 * 1024,
    killGraceMs: 1000,
    env: workerEnv(options.env),
    cacheDir: options.cacheDir ?? options.makeDir(),
    ...(options.sessions ? { sessions: options.sessions } : {})
  }
}
