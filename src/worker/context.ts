/**
 * What every host gives its worker's jobs: squall's defaults for the job directories, the
 * output kept and the grace before SIGKILL, plus what the host chose (work dir, layers…).
 * The defaults live here once so the hosts cannot drift apart.
 */
import { DEFAULT_KILL_GRACE_MS, DEFAULT_OUTPUT_CAP_BYTES, type ExecuteContext } from './executor.js'
import { defaultJobsRoot } from './job-dir.js'

export type WorkerContext = Omit<ExecuteContext, 'workerId'>

/** The defaults, overridden by whatever the host sets. */
export function workerContext(host: Partial<WorkerContext> = {}): WorkerContext {
  return {
    jobsRoot: defaultJobsRoot(),
    outputCapBytes: DEFAULT_OUTPUT_CAP_BYTES,
    killGraceMs: DEFAULT_KILL_GRACE_MS,
    ...host
  }
}
