/**
 * Layers through the run's artifact store. The publisher uploads each layer once per run as
 * the artifact `squall-<cluster>-layer-<digest>` (a block blob); the provider downloads,
 * verifies and caches what a worker lacks, then extracts it once per target directory.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  AlreadyExistsError,
  AttemptError,
  BlobError,
  BlobHttp,
  createNumbered,
  defaultCallRetryPolicy,
  downloadBlob,
  findNumbered,
  RetryError,
  uploadBlockBlob,
  withRetry,
  type CallRetryPolicy,
  type ResultsClient
} from '../results-store/index.js'
import type { Log } from '../log.js'
import { checkLayerDigest, layerArtifactName } from './digest.js'
import { LayerError } from './errors.js'
import { ensureLayers } from './ensure.js'
import type { LayerCache } from './cache.js'
import { packLayer, type PackedLayer } from './pack.js'
import type { LayerProvider, LayerPublisher } from './provider.js'
import { ExtractOnce } from './extract-once.js'

/** What both sides need to reach the store. */
export interface ArtifactLayersOptions {
  client: ResultsClient
  /** The cluster id (run attempt included) that names the artifacts. */
  clusterId: string
  /** Retries of blob transfers (the results client has its own). */
  blobRetry?: CallRetryPolicy
  /** Blob requests go through this one, which counts them (a new one by default). */
  blob?: BlobHttp
  log?: Log
}

/** Options of an ArtifactLayerPublisher. */
export interface ArtifactLayerPublisherOptions extends ArtifactLayersOptions {
  /** Where tarballs are packed before upload (default: the system temp dir); removed after. */
  workDir?: string
  /** How long to wait for another job's upload of the same layer to finish (default 120 s). */
  raceWaitMs?: number
  /** Bytes per uploaded block (default 8 MiB) and blocks in flight (default 4). */
  blockSize?: number
  parallel?: number
}

/** Publishes layers as artifacts; each digest is uploaded at most once per run. */
export class ArtifactLayerPublisher implements LayerPublisher {
  private readonly uploads = new Map<string, Promise<void>>()
  private readonly blob: BlobHttp

  constructor(private readonly options: ArtifactLayerPublisherOptions) {
    this.blob = options.blob ?? new BlobHttp()
  }

  async publish(root: string, paths: string[]): Promise<string> {
    const dir = await mkdtemp(join(this.options.workDir ?? tmpdir(), 'squall-layer-'))
    try {
      const packed = await packLayer(root, paths, dir)
      await this.publishPacked(packed)
      return packed.digest
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  /** Uploads an already packed layer unless the run has it (concurrent calls share one upload). */
  async publishPacked(packed: PackedLayer): Promise<void> {
    let pending = this.uploads.get(packed.digest)
    if (!pending) {
      pending = this.upload(packed)
      // A failure is forgotten so a later call may try again; a success is remembered.
      pending.catch(() => this.uploads.delete(packed.digest))
      this.uploads.set(packed.digest, pending)
    }
    await pending
  }

  private async upload(packed: PackedLayer): Promise<void> {
    const { client, log } = this.options
    const name = layerArtifactName(this.options.clusterId, packed.digest)
    if (await findNumbered(client, name)) {
      log?.('debug', `layer ${packed.digest} is in the artifact store already`)
      return
    }
    let url: string
    let created: string
    try {
      // A create of ours whose answer was lost leaves the name unusable: the next number does.
      ;({ uploadUrl: url, name: created } = await createNumbered(client, name, 0, {
        mimeType: 'application/gzip'
      }))
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error
      // Another job packed the same content and is uploading it: its artifact is ours too.
      await this.waitForFinalized(name)
      return
    }
    await uploadBlockBlob(this.blob, url, packed.file, packed.size, {
      retry: this.options.blobRetry ?? defaultCallRetryPolicy,
      blockSize: this.options.blockSize,
      parallel: this.options.parallel,
      contentType: 'application/gzip'
    })
    await client.finalizeArtifact(created, packed.size, `sha256:${packed.digest}`)
    log?.(
      'info',
      `layer ${packed.digest} uploaded (${packed.size} bytes, ${packed.entries} entries)`
    )
  }

  private async waitForFinalized(name: string): Promise<void> {
    const waitMs = this.options.raceWaitMs ?? 120_000
    const started = Date.now()
    let delay = 100
    for (;;) {
      if (await findNumbered(this.options.client, name)) return
      if (Date.now() - started >= waitMs) {
        throw new LayerError(
          `layer artifact ${name} was created by another upload that did not finish within ${waitMs} ms; ` +
            'that upload may have failed, and a name cannot be created twice in a run'
        )
      }
      await new Promise(resolve => setTimeout(resolve, delay))
      delay = Math.min(delay * 2, 2000)
    }
  }
}

/** Options of an ArtifactLayerProvider. */
export interface ArtifactLayerProviderOptions extends ArtifactLayersOptions {
  /** The worker's layer cache. */
  cache: LayerCache
  /** Layers downloaded at once (default 4). */
  parallel?: number
}

/** Fetches layers from the artifact store into the cache, then extracts them. */
export class ArtifactLayerProvider implements LayerProvider {
  private readonly extractions = new ExtractOnce()
  private readonly blob: BlobHttp

  constructor(private readonly options: ArtifactLayerProviderOptions) {
    this.blob = options.blob ?? new BlobHttp()
  }

  async ensure(digests: string[], targetDir: string): Promise<void> {
    await ensureLayers({
      digests,
      targetDir,
      extractions: this.extractions,
      parallel: this.options.parallel ?? 4,
      acquire: digest => this.options.cache.acquire(digest, temp => this.download(digest, temp))
    })
  }

  /** Downloads layer `digest` into `temp` and checks its SHA-256; throws a LayerError if not. */
  private async download(digest: string, temp: string): Promise<void> {
    checkLayerDigest(digest)
    const { client, log } = this.options
    const name = layerArtifactName(this.options.clusterId, digest)
    const entry = await findNumbered(client, name)
    if (!entry) {
      throw new LayerError(
        `layer ${digest} is not in the artifact store (no artifact ${name}); was it published by this cluster?`
      )
    }
    let url: string | undefined
    let got: { digest: string; size: number }
    try {
      got = await withRetry(async signal => {
        url ??= await client.getSignedArtifactUrl(entry.name, entry.workflowJobRunBackendId)
        try {
          return await downloadBlob(this.blob, url, temp, signal)
        } catch (error) {
          if (!(error instanceof BlobError)) throw error
          // Signed URLs expire: a 403 means ask for a new one and go on.
          if (error.status === 403) url = undefined
          throw new AttemptError(error.message, error.transient || error.status === 403, {
            cause: error
          })
        }
      }, this.options.blobRetry ?? defaultCallRetryPolicy)
    } catch (error) {
      if (!(error instanceof RetryError)) throw error
      throw new LayerError(
        `could not download layer ${digest} after ${error.attempts} attempt(s): ${error.message}`,
        { cause: error }
      )
    }
    if (got.digest !== digest) {
      throw new LayerError(
        `layer ${digest}: the ${got.size} bytes downloaded have SHA-256 ${got.digest}; the layer is corrupt or misnamed, not used`
      )
    }
    log?.('debug', `layer ${digest} downloaded (${got.size} bytes)`)
  }
}
