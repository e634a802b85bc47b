/**
 * Runs one attempt of one job: a fresh directory, its own process group, a time limit
 * (SIGTERM, then SIGKILL to the group), capped output, and per-test results when its
 * framework can read them. Never rejects: every failure is a JobResult.
 */
import { errorMessage } from '../errors.js'
import type { JobExecution } from '../frameworks/core/framework.js'
import { getFramework, type FrameworkLookup } from '../frameworks/index.js'
import type { LayerProvider } from '../layers/provider.js'
import type { JobResult, JobSpec, TestCaseResult } from '../protocol/types.js'
import { emptyOutput } from '../protocol/types.js'
import {
  createJobDir,
  jobEnvironment,
  removeJobDir,
  resolveJobCwd,
  sessionEnvironment
} from './job-dir.js'
import { decideStatus } from './job-status.js'
import { runInGroup, type GroupRunOutcome } from './process-group.js'
import type { SessionPool } from './session/pool.js'
import { runSessionJob } from './session/run-job.js'

export { DEFAULT_OUTPUT_CAP_BYTES } from './capture.js'
export { defaultJobsRoot } from './job-dir.js'

/** Between SIGTERM and SIGKILL when a job is stopped. */
export const DEFAULT_KILL_GRACE_MS = 5000

/** Everything about the worker that a job's execution needs. */
export interface ExecuteContext {
  workerId: string
  /** The worker's working directory (checkout); undefined = run in the job's fresh dir. */
  workDir?: string
  /** Where fresh per-job directories are created (see `defaultJobsRoot()`). */
  jobsRoot: string
  /** Bytes kept per stream (head + tail); `DEFAULT_OUTPUT_CAP_BYTES` is 1 MiB. */
  outputCapBytes: number
  /** Between SIGTERM and SIGKILL on timeout or cancel; `DEFAULT_KILL_GRACE_MS`. */
  killGraceMs: number
  /** Keep the job directory after the job (debugging). */
  keepJobDir?: boolean
  /** The base environment of jobs; default the worker's own. Credentials are removed from it. */
  env?: NodeJS.ProcessEnv
  /** Credential variables jobs get anyway (see `withoutCredentials`). */
  passEnv?: readonly string[]
  /** Fetches the job's layers; without it, a job that needs layers is an error. */
  layers?: LayerProvider
  /** After a job's leader exits, how long to wait for its output pipes to close (default 1 s). */
  pipeDrainMs?: number
  /** Warm sessions; a job with `session` runs in one. Without it every job runs cold. */
  sessions?: SessionPool
  /** Caches shared by jobs and runs ($SQUALL_CACHE_DIR); default `defaultCacheDir()`. */
  cacheDir?: string
  /** Finds the framework that reads a job's results; default the built-in table. */
  frameworks?: FrameworkLookup
}

/** Runs `job` once. Aborting `signal` cancels it (SIGTERM, then SIGKILL after the grace). */
export async function executeJob(
  job: JobSpec,
  ctx: ExecuteContext,
  signal?: AbortSignal
): Promise<JobResult> {
  const startedAt = Date.now()
  const ended = (status: JobResult['status'], message: string): JobResult => ({
    id: job.id,
    attempt: job.attempt,
    worker: ctx.workerId,
    status,
    exitCode: null,
    signal: null,
    durationMs: Date.now() - startedAt,
    startedAt,
    stdout: emptyOutput,
    stderr: emptyOutput,
    message
  })

  let jobDir: string
  try {
    jobDir = await createJobDir(ctx.jobsRoot, job)
  } catch (error) {
    return ended(
      'error',
      `could not create a job directory under ${ctx.jobsRoot}: ${errorMessage(error)}`
    )
  }
  try {
    const root = ctx.workDir ?? jobDir
    if (job.layers.length > 0) {
      if (!ctx.layers) {
        return ended(
          'error',
          `the job needs ${job.layers.length} layer(s) but this worker has no layer provider`
        )
      }
      try {
        await ctx.layers.ensure(job.layers, root)
      } catch (error) {
        return ended('error', `could not fetch the job's layers: ${errorMessage(error)}`)
      }
    }
    if (signal?.aborted) return ended('cancelled', `cancelled: ${reasonText(signal)}`)
    const where = await resolveJobCwd(root, job)
    if ('error' in where) return ended('error', where.error)
    const base = ctx.env ?? process.env
    const envOptions = { cacheDir: ctx.cacheDir, passEnv: ctx.passEnv }
    const env = jobEnvironment(base, job, jobDir, ctx.workerId, envOptions)
    if (job.session && ctx.sessions) {
      return await runSessionJob({
        job: { ...job, session: job.session },
        workerId: ctx.workerId,
        jobDir,
        root,
        cwd: where.cwd,
        jobEnv: env,
        sessionEnv: sessionEnvironment(base, ctx.workerId, envOptions),
        pool: ctx.sessions,
        killGraceMs: ctx.killGraceMs,
        outputCapBytes: ctx.outputCapBytes,
        signal,
        startedAt
      })
    }
    const argv = commandLine(job)
    if (!argv) return ended('error', 'the job has neither a command nor an argv')

    const run = await runInGroup({
      argv,
      cwd: where.cwd,
      env,
      timeoutMs: job.timeoutMs,
      killGraceMs: ctx.killGraceMs,
      outputCapBytes: ctx.outputCapBytes,
      signal,
      pipeDrainMs: ctx.pipeDrainMs
    })
    const parsed =
      run.spawnError === undefined
        ? await readCases(job, jobDir, run, ctx.frameworks ?? getFramework)
        : {}
    const verdict = decideStatus(
      run,
      {
        timeoutMs: job.timeoutMs,
        cancelReason: signal?.aborted ? reasonText(signal) : undefined,
        command: argv[0] as string
      },
      parsed.cases
    )
    const message = [verdict.message, parsed.note].filter(Boolean).join('; ')
    return {
      id: job.id,
      attempt: job.attempt,
      worker: ctx.workerId,
      status: verdict.status,
      exitCode: run.exitCode,
      signal: run.signal,
      durationMs: run.durationMs,
      startedAt,
      stdout: run.stdout,
      stderr: run.stderr,
      ...(message ? { message } : {}),
      ...(parsed.cases ? { cases: parsed.cases } : {})
    }
  } finally {
    if (!ctx.keepJobDir) await removeJobDir(jobDir)
  }
}

/** `sh -c command`, or the argv itself; undefined when the job has neither. */
function commandLine(job: JobSpec): string[] | undefined {
  if (job.argv !== undefined) return job.argv.length > 0 ? job.argv : undefined
  if (job.command !== undefined) return ['sh', '-c', job.command]
  return undefined
}

/** Per-test results from the job's framework; a failure to read them is a note, not a loss. */
async function readCases(
  job: JobSpec,
  jobDir: string,
  run: GroupRunOutcome,
  frameworks: FrameworkLookup
): Promise<{ cases?: TestCaseResult[]; note?: string }> {
  if (!job.framework) return {}
  try {
    const framework = frameworks(job.framework.name)
    if (!framework.parse) return {}
    const execution: JobExecution = {
      job,
      jobDir,
      exitCode: run.exitCode,
      signal: run.signal,
      timedOut: run.timedOut,
      durationMs: run.durationMs,
      stdout: run.stdout,
      stderr: run.stderr
    }
    const cases = await framework.parse(execution)
    return cases ? { cases } : {}
  } catch (error) {
    return { note: `could not read per-test results: ${errorMessage(error)}` }
  }
}

function reasonText(signal: AbortSignal): string {
  const reason: unknown = signal.reason
  if (reason instanceof Error) {
    // AbortController.abort() without a reason gives a DOMException named AbortError.
    return reason.name === 'AbortError' ? 'the job was cancelled' : reason.message
  }
  return typeof reason === 'string' && reason !== '' ? reason : 'the job was cancelled'
}
