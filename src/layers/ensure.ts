/**
 * The part of `LayerProvider.ensure` every provider shares: skip layers already extracted into
 * the target, get the others onto local disk (bounded parallelism), extract them in order.
 */
import type { LayerLease } from './cache.js'
import { checkLayerDigest } from './digest.js'
import { extractLayer } from './extract.js'
import type { ExtractOnce } from './extract-once.js'
import { mapLimit } from '../map-limit.js'

/** What `ensureLayers` works with. */
export interface EnsureLayersInput {
  digests: string[]
  targetDir: string
  extractions: ExtractOnce
  /** Fetches at once. */
  parallel: number
  /** The layer's tarball on local disk, fetched if need be, held until released. */
  acquire: (digest: string) => Promise<LayerLease>
}

/** See the module comment. Layers are extracted in the order given, later ones winning. */
export async function ensureLayers(input: EnsureLayersInput): Promise<void> {
  const { targetDir, extractions } = input
  for (const digest of input.digests) checkLayerDigest(digest)
  const wanted = [...new Set(input.digests)]
  const done = await Promise.all(wanted.map(d => extractions.isDone(d, targetDir)))
  const missing = wanted.filter((_, i) => !done[i])
  if (missing.length === 0) return
  const leases = new Map<string, LayerLease>()
  try {
    await mapLimit(missing, input.parallel, async digest => {
      leases.set(digest, await input.acquire(digest))
    })
    for (const digest of missing) {
      const file = (leases.get(digest) as LayerLease).file
      await extractions.run(digest, targetDir, async () => {
        await extractLayer(file, targetDir)
      })
    }
  } finally {
    for (const lease of leases.values()) lease.release()
  }
}
