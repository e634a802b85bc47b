/** The `--transport` choice and how each piece builds its transport from the environment. */
import { UsageError } from '../errors.js'
import { ResultsClient } from '../results-store/index.js'
import type { Log } from '../log.js'
import { ArtifactTransport } from '../transport/artifact/index.js'

export type TransportName = 'tcp' | 'artifacts'

export function transportName(option: string) {
  return (value: string): TransportName => {
    if (value === 'tcp' || value === 'artifacts') return value
    throw new UsageError(`${option}: '${value}' is not a transport; expected tcp or artifacts`)
  }
}

/** An artifact-store transport for this job (ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN). */
export function artifactTransport(
  log: Log,
  env: NodeJS.ProcessEnv = process.env
): ArtifactTransport {
  return new ArtifactTransport({ client: ResultsClient.fromEnv(env, { log }), log })
}
