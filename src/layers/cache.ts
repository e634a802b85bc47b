/**
 * A worker's layer cache: `<digest>.tar.gz` files in one directory, at most `maxBytes` in all,
 * least recently used evicted first. Last use is the file's mtime, so the order survives the
 * process (a self-hosted machine keeps its cache between jobs). Concurrent requests for one
 * digest in a process share one fetch; files in use are never evicted.
 */
import { randomUUID } from 'node:crypto'
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import type { Log } from '../log.js'
import { checkLayerDigest, isLayerDigest, layerFileName } from './digest.js'

/** How to set up a LayerCache. */
export interface LayerCacheOptions {
  /** The cache directory (created when missing). */
  dir: string
  /** Size cap in bytes; a layer in use is kept even when it alone passes the cap. */
  maxBytes: number
  /** The clock used to stamp last use (ms since the epoch); tests pass their own. */
  now?: () => number
  log?: Log
}

/** Writes a layer's bytes to `tempFile`; the cache renames it into place when this resolves. */
export type FillLayer = (tempFile: string) => Promise<void>

const suffix = '.tar.gz'

/** A cached layer held in place: not evicted until `release()`. */
export interface LayerLease {
  file: string
  release(): void
}

/** See the module comment. */
export class LayerCache {
  readonly dir: string
  private readonly maxBytes: number
  private readonly now: () => number
  private readonly log?: Log
  private readonly inFlight = new Map<string, Promise<void>>()
  private readonly pins = new Map<string, number>()
  private evicting: Promise<void> = Promise.resolve()

  constructor(options: LayerCacheOptions) {
    this.dir = options.dir
    this.maxBytes = options.maxBytes
    this.now = options.now ?? Date.now
    this.log = options.log
  }

  /** Where layer `digest` lives in the cache (whether or not it is there). */
  pathOf(digest: string): string {
    checkLayerDigest(digest)
    return join(this.dir, layerFileName(digest))
  }

  /** Whether the layer is in the cache now. */
  async has(digest: string): Promise<boolean> {
    return (await stat(this.pathOf(digest)).catch(() => undefined))?.isFile() ?? false
  }

  /**
   * The cached file of `digest`, filled first with `fill` when missing (one fill per digest at
   * a time in this process). The file is not evicted until the lease is released.
   */
  async acquire(digest: string, fill: FillLayer): Promise<LayerLease> {
    const file = this.pathOf(digest)
    this.pins.set(digest, (this.pins.get(digest) ?? 0) + 1)
    let released = false
    const release = (): void => {
      if (released) return
      released = true
      const left = (this.pins.get(digest) ?? 1) - 1
      if (left > 0) this.pins.set(digest, left)
      else this.pins.delete(digest)
    }
    try {
      await this.obtain(digest, file, fill)
    } catch (error) {
      release()
      throw error
    }
    return { file, release }
  }

  /** Runs `use` on the cached file of `digest` (see `acquire`), released afterwards. */
  async withLayer<T>(
    digest: string,
    fill: FillLayer,
    use: (file: string) => Promise<T>
  ): Promise<T> {
    const lease = await this.acquire(digest, fill)
    try {
      return await use(lease.file)
    } finally {
      lease.release()
    }
  }

  /** Cached layers, least recently used first, with their sizes. */
  async entries(): Promise<Array<{ digest: string; size: number; lastUsed: number }>> {
    const names = await readdir(this.dir).catch(() => [] as string[])
    const found = await Promise.all(
      names
        .filter(name => name.endsWith(suffix) && isLayerDigest(name.slice(0, -suffix.length)))
        .map(async name => {
          const info = await stat(join(this.dir, name)).catch(() => undefined)
          if (!info?.isFile()) return undefined
          return { digest: name.slice(0, -suffix.length), size: info.size, lastUsed: info.mtimeMs }
        })
    )
    return found
      .filter((e): e is NonNullable<typeof e> => e !== undefined)
      .sort((a, b) => a.lastUsed - b.lastUsed || (a.digest < b.digest ? -1 : 1))
  }

  /** Evicts least recently used layers not in use until the cache fits its cap. */
  evict(): Promise<void> {
    // One eviction at a time: two passes over the same listing would count sizes twice.
    this.evicting = this.evicting.catch(() => undefined).then(() => this.evictNow())
    return this.evicting
  }

  private async obtain(digest: string, file: string, fill: FillLayer): Promise<void> {
    if (await this.has(digest)) {
      await this.touch(file)
      return
    }
    let pending = this.inFlight.get(digest)
    if (!pending) {
      pending = this.fillInto(file, fill).finally(() => this.inFlight.delete(digest))
      this.inFlight.set(digest, pending)
    }
    await pending
  }

  private async fillInto(file: string, fill: FillLayer): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    // The temp name does not end in .tar.gz, so a half-written layer is never taken for one.
    const temp = join(this.dir, `.fill-${randomUUID()}.tmp`)
    try {
      await fill(temp)
      await this.touch(temp)
      await rename(temp, file)
    } finally {
      await rm(temp, { force: true })
    }
    await this.evict()
  }

  private async touch(file: string): Promise<void> {
    const at = new Date(this.now())
    await utimes(file, at, at)
  }

  private async evictNow(): Promise<void> {
    const entries = await this.entries()
    let total = entries.reduce((sum, e) => sum + e.size, 0)
    for (const entry of entries) {
      if (total <= this.maxBytes) break
      if (this.pins.has(entry.digest)) continue
      await rm(join(this.dir, layerFileName(entry.digest)), { force: true })
      total -= entry.size
      this.log?.('debug', `layer cache: evicted ${entry.digest} (${entry.size} bytes)`)
    }
    if (total > this.maxBytes) {
      this.log?.('warning', `layer cache: ${total} bytes in use, over the cap of ${this.maxBytes}`)
    }
  }
}
