/**
 * Starting a worker's warm sessions before its first job: the host that starts the worker
 * already knows the session the run will plan (the framework, its arguments and the suite
 * root decide it), so the sessions load and collect while the runner lists and plans, not
 * after the first job arrives. A job whose session key differs simply starts its own.
 */
import { resolve } from 'node:path'
import { UsageError } from '../../errors.js'
import { writeSessionListing } from '../../frameworks/core/session-listing.js'
import type { WarmSessionSpec } from '../../protocol/types.js'
import type { WorkerContext } from '../context.js'
import { sessionEnvironment } from '../job-dir.js'
import type { SessionPool } from './pool.js'
import { Session } from './session.js'

/** A session to start ahead: a job's `session` without the per-job request. */
export type WarmSession = WarmSessionSpec

/**
 * Starts up to `slots` sessions of `spec` in `pool`, launched exactly as a job's would be
 * (same cwd, same environment), so the first jobs take them. Needs the worker's shared
 * working directory: with a fresh directory per job there is no cwd to start in yet.
 */
export function prewarmSessions(
  pool: SessionPool,
  spec: WarmSession,
  ctx: Pick<WorkerContext, 'workDir' | 'env' | 'cacheDir' | 'passEnv' | 'outputCapBytes'>,
  workerId: string
): boolean {
  if (ctx.workDir === undefined) {
    if (spec.listFile) void sayNotListing(spec.listFile, 'no shared working directory')
    return false
  }
  const base = sessionEnvironment(ctx.env ?? process.env, workerId, {
    cacheDir: ctx.cacheDir,
    passEnv: ctx.passEnv
  })
  const starts = pool.prewarm(
    {
      key: spec.key,
      argv: spec.argv,
      cwd: spec.cwd ? resolve(ctx.workDir, spec.cwd) : ctx.workDir,
      env: { ...base, ...spec.env }
    },
    ctx.outputCapBytes
  )
  const { listFile } = spec
  if (listFile) {
    // The runner waits for this session's listing: a start that fails must end the wait (it
    // then lists the suite itself, and says properly what is wrong).
    if (starts.length === 0) void sayNotListing(listFile, 'no free slot')
    for (const start of starts) {
      void start.then(made =>
        made instanceof Session ? undefined : sayNotListing(listFile, made.error)
      )
    }
  }
  return true
}

/** The failed marker, written whole: the runner may read it at any moment. */
async function sayNotListing(listFile: string, why: string): Promise<void> {
  await writeSessionListing(listFile, undefined, why).catch(() => undefined)
}

/** The `--warm-session` value: a session spec as JSON (what `WarmSession` holds). */
export function parseWarmSession(text: string): WarmSession {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new UsageError(
      `--warm-session: '${text.slice(0, 80)}' is not JSON; expected a session spec`
    )
  }
  const v = value as Partial<WarmSession> | null
  const strings = (a: unknown): boolean => Array.isArray(a) && a.every(x => typeof x === 'string')
  if (
    typeof v !== 'object' ||
    v === null ||
    typeof v.key !== 'string' ||
    !strings(v.argv) ||
    (v.argv as string[]).length === 0 ||
    (v.cwd !== undefined && typeof v.cwd !== 'string') ||
    (v.env !== undefined && (typeof v.env !== 'object' || v.env === null)) ||
    (v.listFile !== undefined && typeof v.listFile !== 'string')
  ) {
    throw new UsageError(
      `--warm-session: '${text.slice(0, 80)}' is not a session spec; expected {key, argv, cwd?, env?, listFile?}`
    )
  }
  return {
    key: v.key,
    argv: v.argv as string[],
    ...(v.cwd ? { cwd: v.cwd } : {}),
    ...(v.env ? { env: v.env } : {}),
    ...(v.listFile ? { listFile: v.listFile } : {})
  }
}
