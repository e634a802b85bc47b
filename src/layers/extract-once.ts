/**
 * Extraction of each layer once per target directory: a marker file
 * `<target>/.squall/layers/<digest>` says it is done, and concurrent requests in this process
 * share one extraction. Layers of one request are extracted in the order given, so a later
 * layer's files win over an earlier one's.
 */
import { randomUUID } from 'node:crypto'
import { mkdir, rename, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { checkLayerDigest } from './digest.js'

/** Where the marker of `digest` lives under `targetDir`. */
export function layerMarker(targetDir: string, digest: string): string {
  checkLayerDigest(digest)
  return join(targetDir, '.squall', 'layers', digest)
}

/** Shares extractions between concurrent callers; see the module comment. */
export class ExtractOnce {
  private readonly inFlight = new Map<string, Promise<void>>()

  /** Whether layer `digest` has been extracted into `targetDir` (its marker exists). */
  async isDone(digest: string, targetDir: string): Promise<boolean> {
    return exists(layerMarker(resolve(targetDir), digest))
  }

  /**
   * Runs `extract` for (digest, targetDir) unless its marker exists, then writes the marker.
   * A failed extraction leaves no marker, so the next call tries again.
   */
  async run(digest: string, targetDir: string, extract: () => Promise<void>): Promise<void> {
    const marker = layerMarker(resolve(targetDir), digest)
    let pending = this.inFlight.get(marker)
    if (!pending) {
      pending = this.extractAndMark(marker, digest, extract).finally(() =>
        this.inFlight.delete(marker)
      )
      this.inFlight.set(marker, pending)
    }
    await pending
  }

  private async extractAndMark(
    marker: string,
    digest: string,
    extract: () => Promise<void>
  ): Promise<void> {
    if (await exists(marker)) return
    await extract()
    await mkdir(join(marker, '..'), { recursive: true })
    // Written aside and renamed, so a crash cannot leave a marker for half an extraction.
    const temp = `${marker}.${randomUUID()}.tmp`
    await writeFile(temp, `${digest}\n`)
    await rename(temp, marker)
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined
}
