/** A job attempt's fresh directory, its environment and its working directory. */
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { JobSpec } from '../protocol/types.js'
import { withoutCredentials } from './job-credentials.js'

export { CREDENTIAL_VARIABLES, withoutCredentials } from './job-credentials.js'

/** Where job directories go when the caller does not say: one folder per worker process. */
export function defaultJobsRoot(): string {
  return join(tmpdir(), `squall-jobs-${process.pid}`)
}

/**
 * A cache folder that outlives jobs and runs (frameworks' transform caches): one per user on
 * the machine, shared by every slot, unlike the per-job TMPDIR that starts empty each time.
 */
export function defaultCacheDir(): string {
  return join(tmpdir(), `squall-cache-${process.getuid?.() ?? 'user'}`)
}

/** Creates `<root>/<job>-<attempt>-XXXXXX` with a `tmp` folder inside; returns its path. */
export async function createJobDir(
  root: string,
  job: Pick<JobSpec, 'id' | 'attempt'>
): Promise<string> {
  await mkdir(root, { recursive: true })
  const dir = await mkdtemp(join(root, `${safeName(job.id)}-${job.attempt}-`))
  await mkdir(join(dir, 'tmp'))
  return dir
}

/** Removes a job directory; returns why it could not, rather than failing the job. */
export async function removeJobDir(dir: string): Promise<string | undefined> {
  try {
    await rm(dir, { recursive: true, force: true, maxRetries: 2 })
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

/** Where the worker keeps caches that outlive jobs, and the variables passed through on purpose. */
export interface JobEnvironmentOptions {
  cacheDir?: string
  passEnv?: readonly string[]
}

/** The variables each job attempt gets anew (its directory, id, attempt and TMPDIR). */
export const PER_JOB_VARIABLES = ['SQUALL_JOB_DIR', 'SQUALL_JOB_ID', 'SQUALL_ATTEMPT', 'TMPDIR']

/**
 * The job's environment: the worker's without its credentials (but with those in `passEnv`),
 * the job's own, then the SQUALL_* variables, which a job cannot override.
 */
export function jobEnvironment(
  base: NodeJS.ProcessEnv,
  job: JobSpec,
  jobDir: string,
  workerId: string,
  options: JobEnvironmentOptions = {}
): NodeJS.ProcessEnv {
  return {
    ...withoutCredentials(base, options.passEnv ?? []),
    ...job.env,
    SQUALL_JOB_DIR: jobDir,
    SQUALL_JOB_ID: job.id,
    SQUALL_ATTEMPT: String(job.attempt),
    ...workerVariables(workerId, options),
    TMPDIR: join(jobDir, 'tmp')
  }
}

/**
 * A warm session's own environment: the worker's without its credentials (a session runs test
 * code too), with the shared cache; each job brings its own on top.
 */
export function sessionEnvironment(
  base: NodeJS.ProcessEnv,
  workerId: string,
  options: JobEnvironmentOptions = {}
): NodeJS.ProcessEnv {
  return {
    ...withoutCredentials(base, options.passEnv ?? []),
    ...workerVariables(workerId, options)
  }
}

function workerVariables(workerId: string, options: JobEnvironmentOptions): NodeJS.ProcessEnv {
  return { SQUALL_WORKER: workerId, SQUALL_CACHE_DIR: options.cacheDir ?? defaultCacheDir() }
}

/** The job's working directory, or a message naming the path when it is not a directory. */
export async function resolveJobCwd(
  root: string,
  job: Pick<JobSpec, 'cwd'>
): Promise<{ cwd: string } | { error: string }> {
  const cwd = job.cwd ? resolve(root, job.cwd) : root
  try {
    if ((await stat(cwd)).isDirectory()) return { cwd }
    return { error: `working directory ${cwd} is not a directory` }
  } catch {
    return { error: `working directory ${cwd} does not exist` }
  }
}

/** A file-name-safe, bounded form of a job id. */
export function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60) || 'job'
}
