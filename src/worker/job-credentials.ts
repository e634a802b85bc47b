/**
 * What a job must never see. Test code comes from pull requests: with the runtime token it
 * could join the cluster as a worker and read other jobs' environment, with the OIDC request
 * token it could mint cloud credentials, with the cluster secret it could pose as a peer.
 * Jobs (and the warm sessions that run them) get the worker's environment without these.
 */
import { CLUSTER_SECRET_ENV } from '../protocol/cluster-secret.js'

/** Variables removed from every job's environment unless passed through on purpose. */
export const CREDENTIAL_VARIABLES: readonly string[] = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  CLUSTER_SECRET_ENV
]

const credentials = new Set(CREDENTIAL_VARIABLES)

/** Windows names are case-insensitive, and the OIDC family may grow: match both ways. */
function isCredential(name: string): boolean {
  const upper = name.toUpperCase()
  return credentials.has(upper) || upper.startsWith('ACTIONS_ID_TOKEN_REQUEST_')
}

/**
 * `env` without the credential variables, except those named in `passEnv` (the operator's
 * explicit choice, e.g. `squall worker --pass-env ACTIONS_RUNTIME_TOKEN`).
 */
export function withoutCredentials(
  env: NodeJS.ProcessEnv,
  passEnv: readonly string[] = []
): NodeJS.ProcessEnv {
  const kept = new Set(passEnv)
  const result: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(env)) {
    if (!isCredential(name) || kept.has(name)) result[name] = value
  }
  return result
}
