/**
 * A worker's layer cache: `<digest>.tar.gz` files in one directory, at most `maxBytes` in all,
 * least recently used evicted first. Last use is the file's mtime, so the order survives the
 * process (a self-hosted machine keeps its cache between jobs). Concurrent requests for one
 * digest in a process share one fetch; files in use are never evicted.
 *
 * A file found in the directory is not trusted for its name: the directory outlives jobs, and
 * test code may write there. Before its first use in a process a cached file is hashed; a file
 * whose bytes do not match its name is removed and fetched again. The cache then keeps, in
 * memory only, a record of what it verified or wrote itself (inode, size, change time): a file
 * changed since in any way (even with its modification time put back) is hashed again.
 */
import { randomUUID } from 'node:crypto'
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises'
import type { Stats } from 'node:fs'
import { join } from 'node:path'
import type { Log } from '../log.js'
import { checkLayerDigest, hashFile, isLayerDigest, layerFileName } from './digest.js'

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
  /** Files this cache verified or filled itself, by digest: what they looked like then. */
  private readonly verified = new Map<string, string>()
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
    if ((await this.has(digest)) && (await this.trustworthy(digest, file))) {
      await this.touch(file)
      await this.remember(digest, file)
      return
    }
    let pending = this.inFlight.get(digest)
    if (!pending) {
      pending = this.fillInto(digest, file, fill).finally(() => this.inFlight.delete(digest))
      this.inFlight.set(digest, pending)
    }
    await pending
  }

  private async fillInto(digest: string, file: string, fill: FillLayer): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    // The temp name does not end in .tar.gz, so a half-written layer is never taken for one.
    const temp = join(this.dir, `.fill-${randomUUID()}.tmp`)
    try {
      // The fill checks what it fetched against the digest (see artifact-layers.ts).
      await fill(temp)
      await this.touch(temp)
      await rename(temp, file)
    } finally {
      await rm(temp, { force: true })
    }
    await this.remember(digest, file)
    await this.evict()
  }

  /**
   * Whether the cached file of `digest` may be used: unchanged since this cache verified or
   * wrote it, or its bytes hash to its name. A file that does not is removed (not used).
   */
  private async trustworthy(digest: string, file: string): Promise<boolean> {
    const info = await stat(file).catch(() => undefined)
    if (info && this.verified.get(digest) === fingerprint(info)) return true
    this.verified.delete(digest)
    const got = await hashFile(file).catch(() => undefined)
    if (got?.digest === digest) return true
    this.log?.(
      'warning',
      `layer cache: ${file} does not hash to its name${got ? ` (its SHA-256 is ${got.digest})` : ''}; removed, fetching the layer again`
    )
    await rm(file, { force: true })
    return false
  }

  private async remember(digest: string, file: string): Promise<void> {
    const info = await stat(file).catch(() => undefined)
    if (info) this.verified.set(digest, fingerprint(info))
    else this.verified.delete(digest)
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
      this.verified.delete(entry.digest)
      total -= entry.size
      this.log?.('debug', `layer cache: evicted ${entry.digest} (${entry.size} bytes)`)
    }
    if (total > this.maxBytes) {
      this.log?.('warning', `layer cache: ${total} bytes in use, over the cap of ${this.maxBytes}`)
    }
  }
}

/**
 * What a file looked like: any write to it, or to its times, changes the change time (which no
 * one can set back), and a replacement changes the inode.
 */
function fingerprint(info: Stats): string {
  return `${info.dev}:${info.ino}:${info.size}:${info.ctimeMs}`
}
