/**
 * Timing history across workflow runs, kept with the Actions cache: one key per branch and
 * run, restoring the newest of this branch, else of the default branch.
 */
import * as cache from '@actions/cache'
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { errorMessage } from '../../errors.js'
import type { Log } from '../../log.js'
import type { Reporter } from '../../runner/events.js'

export interface TimingsCacheKeys {
  key: string
  restoreKeys: string[]
}

/** Keys for `framework` on this run; pure, from the GITHUB_* variables. */
export function timingsCacheKeys(
  framework: string,
  env: NodeJS.ProcessEnv,
  defaultBranch: string
): TimingsCacheKeys {
  const prefix = `squall-timings-v1-${framework}-`
  const ref = env.GITHUB_HEAD_REF
    ? `refs/heads/${env.GITHUB_HEAD_REF}`
    : (env.GITHUB_REF ?? 'refs/heads/unknown')
  const branch = `${prefix}${ref}-`
  const fallback = `${prefix}refs/heads/${defaultBranch}-`
  return {
    key: `${branch}${env.GITHUB_RUN_ID ?? '0'}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`,
    restoreKeys: branch === fallback ? [branch] : [branch, fallback]
  }
}

/** The repository's default branch from the event payload, else `main`. */
export function defaultBranch(env: NodeJS.ProcessEnv): string {
  try {
    const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH ?? '', 'utf8')) as {
      repository?: { default_branch?: string }
    }
    return event.repository?.default_branch ?? 'main'
  } catch {
    return 'main'
  }
}

/** The cache wants paths relative to the workspace for keys to match across runners. */
function cachePath(path: string, env: NodeJS.ProcessEnv): string {
  const workspace = env.GITHUB_WORKSPACE
  return workspace ? relative(workspace, path) || path : path
}

export async function restoreTimings(
  path: string,
  keys: TimingsCacheKeys,
  log: Log,
  env = process.env
): Promise<boolean> {
  try {
    const hit = await cache.restoreCache([cachePath(path, env)], keys.key, keys.restoreKeys)
    log(
      'info',
      hit ? `timing history restored from cache key ${hit}` : 'no timing history in the cache yet'
    )
    return hit !== undefined
  } catch (error) {
    log('warning', `could not restore timing history: ${errorMessage(error)}`)
    return false
  }
}

export async function saveTimings(
  path: string,
  keys: TimingsCacheKeys,
  log: Log,
  env = process.env
): Promise<void> {
  try {
    await cache.saveCache([cachePath(path, env)], keys.key)
    log('info', `timing history saved under cache key ${keys.key}`)
  } catch (error) {
    log('warning', `could not save timing history: ${errorMessage(error)}`)
  }
}

/**
 * Saves the timing history to the cache when the run has finished: a listener placed after
 * the runner's own history recorder, which has written the file by then.
 */
export function timingsCacheSaver(path: string, keys: TimingsCacheKeys, log: Log): Reporter {
  return { onEvent: () => undefined, finish: () => saveTimings(path, keys, log) }
}
