/**
 * Where the results service is and who we are to it: ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN
 * and the backend ids in the token, read once from an environment.
 */
import { UsageError } from '../errors.js'
import { parseRuntimeToken, type BackendIds } from './token.js'

/** What a results-service client needs to speak for one job. */
export interface ActionsRuntime {
  /** The service origin (path dropped, like the artifact client does). */
  resultsUrl: string
  /** The job's runtime token; a secret, never log it. */
  token: string
  ids: BackendIds
}

/**
 * Reads the runtime from `env`. Throws a UsageError naming the variable that is missing or
 * malformed, so a step without `setup-runtime` fails with a message saying what to do.
 */
export function runtimeFromEnv(env: NodeJS.ProcessEnv = process.env): ActionsRuntime {
  const url = env['ACTIONS_RESULTS_URL']
  const token = env['ACTIONS_RUNTIME_TOKEN']
  const hint = 'run the setup-runtime action earlier in the job so it exports the Actions runtime'
  if (!url) throw new UsageError(`ACTIONS_RESULTS_URL is not set: ${hint}`)
  if (!token) throw new UsageError(`ACTIONS_RUNTIME_TOKEN is not set: ${hint}`)
  let resultsUrl: string
  try {
    resultsUrl = new URL(url).origin
  } catch {
    throw new UsageError(
      `ACTIONS_RESULTS_URL: '${url}' is not a URL; expected http(s)://host[:port]/`
    )
  }
  let ids: BackendIds
  try {
    ids = parseRuntimeToken(token)
  } catch (error) {
    throw new UsageError(`ACTIONS_RUNTIME_TOKEN: ${(error as Error).message}`)
  }
  return { resultsUrl, token, ids }
}
