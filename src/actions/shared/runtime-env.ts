/** The runtime variables the runner gives JavaScript actions, exported for later steps. */
import * as core from '@actions/core'
import { UsageError } from '../../errors.js'

export const runtimeVariables = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_CACHE_SERVICE_V2',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN'
] as const

const secrets = new Set<string>(['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'])

/** Throws a clear error outside Actions; masks the tokens. */
export function requireRuntime(env: NodeJS.ProcessEnv = process.env): void {
  const absent = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].filter(name => !env[name])
  if (absent.length > 0) {
    throw new UsageError(
      `${absent.join(' and ')} ${absent.length > 1 ? 'are' : 'is'} not set: this must run as a step of a GitHub Actions job (the runner provides them to JavaScript actions)`
    )
  }
  for (const name of secrets) if (env[name]) core.setSecret(env[name] as string)
}

/** Exports every runtime variable present to later steps; returns their names. */
export function exportRuntime(env: NodeJS.ProcessEnv = process.env): string[] {
  requireRuntime(env)
  const exported: string[] = []
  for (const name of runtimeVariables) {
    const value = env[name]
    if (!value) continue
    core.exportVariable(name, value)
    exported.push(name)
  }
  return exported
}
