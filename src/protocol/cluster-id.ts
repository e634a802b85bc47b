/**
 * Cluster ids: the one rule and the one default. A cluster id goes into every artifact name of
 * the cluster (`squall-<cluster>-<link>-down.<segment>`, 256 characters at most), so it is
 * short and made of characters the store and our name parsing accept.
 */
import { UsageError } from '../errors.js'

const pattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/

/**
 * Returns `clusterId` when valid, else throws a UsageError naming it. `what` prefixes the
 * message with the option or input it came from.
 */
export function checkClusterId(clusterId: string, what?: string): string {
  if (pattern.test(clusterId)) return clusterId
  throw new UsageError(
    `${what !== undefined ? `${what}: ` : ''}cluster id '${clusterId}' is not valid: expected 1–64 letters, digits, '_', '-' or '.', starting with a letter or digit`
  )
}

/**
 * The cluster id when none is given: `<run id>-<run attempt>` in Actions (every job of the
 * attempt agrees on it), else `local-<attempt>` so pieces started by hand on one store agree.
 */
export function defaultClusterId(env: NodeJS.ProcessEnv = process.env): string {
  const attempt = env.GITHUB_RUN_ATTEMPT || '1'
  return env.GITHUB_RUN_ID ? `${env.GITHUB_RUN_ID}-${attempt}` : `local-${attempt}`
}

/** The given cluster id (checked) or, when empty or absent, the default. */
export function clusterIdOr(given: string | undefined, what: string, env = process.env): string {
  return checkClusterId(given !== undefined && given !== '' ? given : defaultClusterId(env), what)
}

/** The run attempt (`GITHUB_RUN_ATTEMPT`, 1 outside Actions or when unset). */
export function runAttempt(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.GITHUB_RUN_ATTEMPT || '1')
  return Number.isSafeInteger(n) && n >= 1 ? n : 1
}

/**
 * The part of a cluster id that stays the same in every attempt of a run: the id without a
 * trailing `-<this attempt>` (the default's `<run>-<attempt>` gives `<run>`; a given
 * `jest-${{ github.run_attempt }}` gives `jest`), else the id itself.
 */
export function clusterBase(clusterId: string, env: NodeJS.ProcessEnv = process.env): string {
  const suffix = `-${runAttempt(env)}`
  return clusterId.endsWith(suffix) && clusterId.length > suffix.length
    ? clusterId.slice(0, -suffix.length)
    : clusterId
}
