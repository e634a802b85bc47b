/**
 * The results service emulator: Twirp ArtifactService and CacheService over HTTP, signed URLs
 * into Azurite through a counting, fault-injecting proxy, runtime tokens minted per job.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { mintRuntimeToken, type BackendIds } from '../results-store/index.js'
import { artifactService } from './artifact-service.js'
import { ArtifactStore } from './artifact-store.js'
import { startAzurite, type AzuriteProcess } from './azurite.js'
import {
  BlobSigner,
  createContainers,
  deleteBlob,
  devAccountName,
  resultsContainer,
  type UrlLifetimes
} from './blob-signer.js'
import { startBlobProxy, type BlobProxy } from './blob-proxy.js'
import { cacheService } from './cache-service.js'
import { CacheStore } from './cache-store.js'
import { Counters } from './counters.js'
import { jobEnv } from './env.js'
import { FaultInjector, type FaultDecision, type FaultOptions } from './faults.js'
import { startTwirpServer, type TwirpServer } from './twirp-server.js'

export type { FaultOptions } from './faults.js'
export type { UrlLifetimes } from './blob-signer.js'

/** How to start the emulator. */
export interface EmulatorOptions {
  /** Job tokens minted at start (default 1); more with `mintJob()`. */
  jobs?: number
  /** Loopback address to listen on (default 127.0.0.1); ports are always free ones. */
  host?: string
  /** Lifetime of signed upload URLs (default 6 hours). */
  uploadUrlTtlMs?: number
  /** Lifetime of signed download URLs (default 10 minutes). */
  downloadUrlTtlMs?: number
  /** Lifetime of minted runtime tokens (default 6 hours). */
  tokenTtlSeconds?: number
  /** The run's backend id, of its first attempt (default: a random UUID). */
  runBackendId?: string
  /** Seeded fault injection; none by default. */
  faults?: FaultOptions
  /** Azurite blob port (0, the default, for a free one) and entry script (found when absent). */
  azurite?: { blobPort?: number; script?: string }
  log?: (msg: string) => void
}

/** One job of the emulated run. */
export interface EmulatorJob {
  ids: BackendIds
  /** Its ACTIONS_RUNTIME_TOKEN. */
  token: string
  /** The environment the clients need, for this job. */
  env: Record<string, string>
}

/** A running emulator. */
export interface Emulator {
  /** ACTIONS_RESULTS_URL, with a trailing slash like the real one. */
  resultsUrl: string
  /** The storage account endpoint signed URLs point at (the blob proxy). */
  blobEndpoint: string
  /** Azurite itself, unproxied (for inspection). */
  azuriteUrl: string
  /** Azurite's process id (it is a child of this process). */
  azuritePid: number
  /** The first attempt's run backend id. */
  runBackendId: string
  jobs: EmulatorJob[]
  /**
   * Mints a token for one more job of the run, in run attempt `attempt` (default 1). Each
   * attempt has its own run backend id; a job of attempt 2 lists and downloads what attempt 1
   * uploaded, as after "Re-run failed jobs".
   */
  mintJob(attempt?: number): EmulatorJob
  /** The run backend id of an attempt (made on first use). */
  attemptBackendId(attempt: number): string
  /** Requests by Twirp method (`twirp:<Method>`), blob operation (`blob:<Op>`), answer code
   * (`blob-status:<code>`), faults injected (`fault:…`), artifacts created per job
   * (`artifacts-created:<jobId>`). */
  counters(): Record<string, number>
  resetCounters(): void
  /** Changes the lifetimes of signed URLs handed out from now on. */
  setUrlLifetimes(lifetimes: Partial<UrlLifetimes>): void
  /** Replaces the fault options (a fresh PRNG from the seed), or turns faults off. */
  setFaults(faults: FaultOptions | undefined): void
  /** Stops the HTTP servers and Azurite; leaves no process behind. */
  stop(): Promise<void>
}

const hour = 60 * 60 * 1000

/** Starts Azurite, the blob proxy and the Twirp front. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1'
  const log = options.log
  const counters = new Counters()
  const secret = randomBytes(32).toString('hex')
  const runBackendId = options.runBackendId ?? randomUUID()
  let injector = options.faults ? new FaultInjector(options.faults) : undefined
  const decide = (kind: 'twirp' | 'blob', name: string): FaultDecision =>
    injector?.decide(kind, name) ?? { latencyMs: 0, fault: 'none' }

  const lifetimes: UrlLifetimes = {
    uploadUrlTtlMs: options.uploadUrlTtlMs ?? 6 * hour,
    downloadUrlTtlMs: options.downloadUrlTtlMs ?? 10 * 60 * 1000
  }
  let azurite: AzuriteProcess | undefined
  let proxy: BlobProxy | undefined
  let twirp: TwirpServer | undefined
  const artifacts = new ArtifactStore()
  const stop = async (): Promise<void> => {
    await twirp?.close()
    await proxy?.close()
    await azurite?.stop()
  }

  try {
    azurite = await startAzurite({
      host,
      port: options.azurite?.blobPort ?? 0,
      script: options.azurite?.script,
      log
    })
    await createContainers(azurite.url)
    const azuriteUrl = azurite.url
    proxy = await startBlobProxy({
      host,
      target: azuriteUrl,
      counters,
      decide: op => decide('blob', op),
      log
    })
    const signer = new BlobSigner(`${proxy.url}/${devAccountName}`)
    const now = (): Date => new Date()
    twirp = await startTwirpServer({
      host,
      secret,
      counters,
      log,
      decide: method => decide('twirp', method),
      services: {
        'github.actions.results.api.v1.ArtifactService': artifactService({
          store: artifacts,
          signer,
          lifetimes,
          deleteBlob: blobName => deleteBlob(azuriteUrl, resultsContainer, blobName),
          onCreated: record => counters.add(`artifacts-created:${record.jobId}`),
          now
        }),
        'github.actions.results.api.v1.CacheService': cacheService({
          store: new CacheStore(),
          signer,
          lifetimes,
          now
        })
      }
    })
  } catch (e) {
    await stop()
    throw e
  }

  const resultsUrl = twirp.url
  const attempts = new Map<number, string>([[1, runBackendId]])
  const attemptBackendId = (attempt: number): string => {
    if (!Number.isInteger(attempt) || attempt < 1)
      throw new Error(`run attempt ${attempt} is not a whole number of at least 1`)
    let id = attempts.get(attempt)
    if (id === undefined) {
      id = randomUUID()
      attempts.set(attempt, id)
      artifacts.linkAttempt(id, runBackendId)
    }
    return id
  }
  const mintJob = (attempt = 1): EmulatorJob => {
    const ids = {
      workflowRunBackendId: attemptBackendId(attempt),
      workflowJobRunBackendId: randomUUID()
    }
    const token = mintRuntimeToken(ids, secret, options.tokenTtlSeconds)
    const job = { ids, token, env: jobEnv(resultsUrl, token) }
    jobs.push(job)
    return job
  }
  const jobs: EmulatorJob[] = []
  for (let i = 0; i < (options.jobs ?? 1); i++) mintJob()
  log?.(`results service emulator on ${resultsUrl}, blobs via ${proxy.url}`)

  let stopped: Promise<void> | undefined
  return {
    resultsUrl,
    blobEndpoint: `${proxy.url}/${devAccountName}`,
    azuriteUrl: azurite.url,
    azuritePid: azurite.pid,
    runBackendId,
    jobs,
    mintJob,
    attemptBackendId,
    counters: () => counters.snapshot(),
    resetCounters: () => counters.reset(),
    setUrlLifetimes(next) {
      Object.assign(lifetimes, next)
    },
    setFaults(faults) {
      injector = faults ? new FaultInjector(faults) : undefined
    },
    stop: () => (stopped ??= stop())
  }
}

/** The environment of job `jobIndex` of a running emulator. */
export function emulatorEnv(emulator: Emulator, jobIndex = 0): Record<string, string> {
  const job = emulator.jobs[jobIndex]
  if (!job) {
    throw new Error(
      `emulator job ${jobIndex} does not exist; it has ${emulator.jobs.length} (mintJob() adds more)`
    )
  }
  return jobEnv(emulator.resultsUrl, job.token)
}
