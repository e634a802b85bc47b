/** The artifact-store layer pair for one job's runtime, as the CLI and the actions build them. */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { ResultsClient } from '../results-store/index.js'
import type { Log } from '../log.js'
import { ArtifactLayerProvider, ArtifactLayerPublisher } from './artifact-layers.js'
import { LayerCache } from './cache.js'

/** The default worker cache: under RUNNER_TOOL_CACHE in Actions, else the home directory. */
export function defaultLayerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.RUNNER_TOOL_CACHE ?? join(homedir(), '.cache'), 'squall-layers')
}

export function artifactLayerProvider(options: {
  clusterId: string
  cacheDir?: string
  cacheBytes?: number
  log?: Log
  env?: NodeJS.ProcessEnv
}): ArtifactLayerProvider {
  const env = options.env ?? process.env
  return new ArtifactLayerProvider({
    client: ResultsClient.fromEnv(env, { log: options.log }),
    clusterId: options.clusterId,
    cache: new LayerCache({
      dir: options.cacheDir || defaultLayerCacheDir(env),
      maxBytes: options.cacheBytes ?? 2 * 1024 ** 3,
      log: options.log
    }),
    log: options.log
  })
}

export function artifactLayerPublisher(
  clusterId: string,
  log?: Log,
  env: NodeJS.ProcessEnv = process.env
): ArtifactLayerPublisher {
  return new ArtifactLayerPublisher({ client: ResultsClient.fromEnv(env, { log }), clusterId, log })
}
