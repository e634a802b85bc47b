/**
 * Runs one job attempt in a warm session: take a session of the job's key from the pool (or
 * start one), send `run`, collect the streamed cases, and turn the end into a JobResult whose
 * status is decided the way a cold run's is. Never rejects.
 */
import { resolve } from 'node:path'
import type { CapturedOutput, JobResult, JobSpec, SessionSpec } from '../../protocol/types.js'
import { decideStatus } from '../job-status.js'
import type { SessionPool } from './pool.js'
import type { SessionRunOutcome } from './session.js'

/** What the executor already prepared for the attempt. */
export interface SessionJobInput {
  job: JobSpec & { session: SessionSpec }
  workerId: string
  jobDir: string
  /** The worker's checkout (or the job's dir), where relative cwds start. */
  root: string
  /** The job's own working directory, already checked. */
  cwd: string
  /** The job's complete environment (as a cold run would get it). */
  jobEnv: NodeJS.ProcessEnv
  /** The environment a session process starts with. */
  sessionEnv: NodeJS.ProcessEnv
  pool: SessionPool
  killGraceMs: number
  outputCapBytes: number
  signal?: AbortSignal
  startedAt: number
}

/** Lines of output quoted in the message of a job whose session died. */
const TAIL_LINES = 30

export async function runSessionJob(input: SessionJobInput): Promise<JobResult> {
  const { job, pool } = input
  const spec = job.session
  const began = performance.now()
  const base = {
    id: job.id,
    attempt: job.attempt,
    worker: input.workerId,
    startedAt: input.startedAt
  }
  const acquired = await pool.acquire(
    {
      key: spec.key,
      argv: spec.argv,
      cwd: spec.cwd ? resolve(input.root, spec.cwd) : input.cwd,
      env: { ...input.sessionEnv, ...spec.env }
    },
    input.outputCapBytes
  )
  if ('error' in acquired) {
    const tail = outputTail(acquired.stdout, acquired.stderr)
    return {
      ...base,
      status: 'error',
      exitCode: null,
      signal: null,
      durationMs: Math.round(performance.now() - began),
      stdout: acquired.stdout,
      stderr: acquired.stderr,
      message: `could not start the ${framework(job)} session (\`${spec.argv.join(' ')}\`): ${acquired.error}${tail}`
    }
  }
  const { session } = acquired
  // Only the job that started the session paid its start-up; the host may report it on
  // `done` when it loads lazily, else `ready` said it. A session started ahead of the job
  // cost it only the wait.
  const startup = (job: { startupMs?: number } | undefined): number =>
    !acquired.started
      ? 0
      : acquired.waitedMs !== undefined
        ? Math.min(acquired.waitedMs, job?.startupMs ?? session.startupMs)
        : (job?.startupMs ?? session.startupMs)
  const spentMs = performance.now() - began
  const run: SessionRunOutcome = await session.run(
    {
      t: 'run',
      job: `${job.id}#${job.attempt}`,
      jobDir: input.jobDir,
      env: definedOnly(input.jobEnv),
      request: spec.request
    },
    {
      // The time limit covers the whole attempt, a session's start-up included.
      timeoutMs: Math.max(0, job.timeoutMs - spentMs),
      killGraceMs: input.killGraceMs,
      outputCapBytes: input.outputCapBytes,
      signal: input.signal
    }
  )
  pool.release(session, run.done?.rssBytes)
  const durationMs = Math.round(performance.now() - began)
  const failing = run.cases.filter(c => c.status === 'failed' || c.status === 'error').length
  const sessionStartupMs = startup(run.done)
  const result = {
    ...base,
    durationMs,
    stdout: run.stdout,
    stderr: run.stderr,
    cases: run.cases,
    ...(sessionStartupMs > 0 ? { sessionStartupMs } : {}),
    ...(run.done?.itemWallMs ? { itemWallMs: run.done.itemWallMs } : {}),
    ...(run.done?.notices ? { notices: run.done.notices } : {})
  }
  if (run.ended === 'crashed') {
    const how = run.exit
      ? run.exit.code !== null
        ? `exited with code ${run.exit.code}`
        : `was killed by ${run.exit.signal ?? 'a signal'}`
      : 'closed its control channel'
    return {
      ...result,
      status: 'error',
      exitCode: run.exit?.code ?? null,
      signal: run.exit?.signal ?? null,
      message: `the ${framework(job)} session ${how} during the job after ${run.cases.length} test result(s)${outputTail(run.stdout, run.stderr)}`
    }
  }
  const verdict = decideStatus(
    {
      // What the framework's own run would have exited with.
      exitCode: run.ended === 'done' ? (failing > 0 ? 1 : 0) : null,
      signal: null,
      timedOut: run.ended === 'timed-out',
      cancelled: run.ended === 'cancelled'
    },
    {
      timeoutMs: job.timeoutMs,
      cancelReason: cancelReason(input.signal),
      command: spec.argv[0] ?? 'session'
    },
    run.cases
  )
  const message = [verdict.message, run.done?.note].filter(Boolean).join('; ')
  return {
    ...result,
    status: verdict.status,
    exitCode: run.ended === 'done' ? (failing > 0 ? 1 : 0) : null,
    signal: null,
    ...(message ? { message } : {})
  }
}

function framework(job: JobSpec): string {
  return job.framework?.name ?? 'framework'
}

/** The last lines of what the session printed, for a message; '' when it printed nothing. */
export function outputTail(stdout: CapturedOutput, stderr: CapturedOutput): string {
  const lines = `${stdout.text}\n${stderr.text}`
    .split('\n')
    .filter(l => l.trim() !== '')
    .slice(-TAIL_LINES)
  return lines.length > 0 ? `; its output ended with:\n${lines.join('\n')}` : ''
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value
  return out
}

function cancelReason(signal: AbortSignal | undefined): string | undefined {
  if (!signal?.aborted) return undefined
  const reason: unknown = signal.reason
  if (typeof reason === 'string' && reason !== '') return reason
  if (reason instanceof Error && reason.name !== 'AbortError') return reason.message
  return 'the job was cancelled'
}
