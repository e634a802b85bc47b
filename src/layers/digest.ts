/**
 * Layer digests: the lowercase hex SHA-256 of a layer's `.tar.gz` bytes. Digests end up in
 * file and artifact names, so anything else is refused before it reaches a path.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { LayerError } from './errors.js'

const digestPattern = /^[0-9a-f]{64}$/

/** Whether `value` is a layer digest (64 lowercase hex characters). */
export function isLayerDigest(value: string): boolean {
  return digestPattern.test(value)
}

/** Throws a LayerError unless `value` is a layer digest. */
export function checkLayerDigest(value: string): void {
  if (!isLayerDigest(value)) {
    throw new LayerError(
      `'${value.slice(0, 80)}' is not a layer digest; expected 64 lowercase hex characters (SHA-256)`
    )
  }
}

/** The artifact that holds layer `digest` of cluster `clusterId`. */
export function layerArtifactName(clusterId: string, digest: string): string {
  return `squall-${clusterId}-layer-${digest}`
}

/** The file name of a layer in a cache or shared directory. */
export function layerFileName(digest: string): string {
  return `${digest}.tar.gz`
}

/** SHA-256 (hex) and size of a file, read as a stream. */
export async function hashFile(path: string): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of createReadStream(path)) {
    const data = chunk as Buffer
    size += data.length
    hash.update(data)
  }
  return { digest: hash.digest('hex'), size }
}
