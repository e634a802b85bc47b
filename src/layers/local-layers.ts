/**
 * Layers over a directory every machine of the cluster sees (a shared file system, or one
 * machine): the publisher packs into `<dir>/<digest>.tar.gz`, the provider checks each file's
 * SHA-256 once per process and extracts from it, or copies it into a worker cache first.
 */
import { copyFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { LayerCache, LayerLease } from './cache.js'
import { checkLayerDigest, hashFile, layerFileName } from './digest.js'
import { ensureLayers } from './ensure.js'
import { LayerError } from './errors.js'
import { ExtractOnce } from './extract-once.js'
import { packLayer } from './pack.js'
import type { LayerProvider, LayerPublisher } from './provider.js'

/** Packs layers into the shared directory `dir`. */
export class LocalLayerPublisher implements LayerPublisher {
  constructor(readonly dir: string) {}

  async publish(root: string, paths: string[]): Promise<string> {
    // Packing writes aside and renames into place, so readers never see half a layer.
    return (await packLayer(root, paths, this.dir)).digest
  }
}

/** Options of a LocalLayerProvider. */
export interface LocalLayerProviderOptions {
  /** The shared directory the publisher packs into. */
  dir: string
  /** When given, layers are copied here first (the shared directory may be slow or go away). */
  cache?: LayerCache
  /** Layers verified or copied at once (default 4). */
  parallel?: number
}

/** Extracts layers from the shared directory. */
export class LocalLayerProvider implements LayerProvider {
  private readonly extractions = new ExtractOnce()
  private readonly verified = new Map<string, Promise<void>>()

  constructor(private readonly options: LocalLayerProviderOptions) {}

  async ensure(digests: string[], targetDir: string): Promise<void> {
    const { cache } = this.options
    await ensureLayers({
      digests,
      targetDir,
      extractions: this.extractions,
      parallel: this.options.parallel ?? 4,
      acquire: async (digest): Promise<LayerLease> => {
        if (cache) {
          return cache.acquire(digest, async temp => {
            const shared = this.sharedPath(digest)
            await copyFile(shared, temp).catch((error: unknown) => {
              throw new LayerError(
                `layer ${digest} could not be copied from ${shared}: ${String(error)}`
              )
            })
            await verify(temp, digest)
          })
        }
        await this.verifyOnce(digest)
        return { file: this.sharedPath(digest), release: () => undefined }
      }
    })
  }

  private sharedPath(digest: string): string {
    checkLayerDigest(digest)
    return join(this.options.dir, layerFileName(digest))
  }

  private verifyOnce(digest: string): Promise<void> {
    let pending = this.verified.get(digest)
    if (!pending) {
      pending = verify(this.sharedPath(digest), digest)
      pending.catch(() => this.verified.delete(digest))
      this.verified.set(digest, pending)
    }
    return pending
  }
}

/** Throws a LayerError unless `file` exists and hashes to `digest`. */
async function verify(file: string, digest: string): Promise<void> {
  if (!(await stat(file).catch(() => undefined))) {
    throw new LayerError(`layer ${digest} is not in the shared layer directory (no ${file})`)
  }
  const got = await hashFile(file)
  if (got.digest !== digest) {
    throw new LayerError(
      `layer ${digest}: ${file} (${got.size} bytes) has SHA-256 ${got.digest}; the layer is corrupt or misnamed, not used`
    )
  }
}
