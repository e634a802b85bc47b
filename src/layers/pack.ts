/**
 * Packs paths under a root into a deterministic gzipped tarball named by its SHA-256: entries
 * sorted, times fixed, owners dropped, modes reduced to 644/755 (777 for links), hard links
 * stored as plain files, symbolic links kept as links. Same content, same digest.
 */
import { createHash, randomUUID } from 'node:crypto'
import { lstat, mkdir, open, readdir, readlink, realpath, rename, rm } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { Pack, type WriteEntry } from 'tar'
import { UsageError } from '../errors.js'
import { layerFileName } from './digest.js'
import { checkEntries, type EntryHeader } from './entry-checks.js'
import { UnsafeEntryError } from './errors.js'

/** A packed layer on disk. */
export interface PackedLayer {
  digest: string
  /** `<outDir>/<digest>.tar.gz`. */
  file: string
  /** Bytes of the gzipped tarball. */
  size: number
  /** Entries in the tarball (files, directories, links). */
  entries: number
}

/** Every entry is stamped with this time, so the digest does not depend on when files were made. */
const fixedTime = new Date('2000-01-01T00:00:00Z')

/** Hard-link detection off: a Map that never remembers, so each path is stored as itself. */
class ForgetfulMap<K, V> extends Map<K, V> {
  override set(): this {
    return this
  }
}

/**
 * Packs `paths` (files or directories, relative to `root`; '.' for all of it) into
 * `<outDir>/<digest>.tar.gz`. Throws a UsageError for a path outside the root, missing, of
 * an unsupported kind, or for a symbolic link whose target leaves the packed tree.
 */
export async function packLayer(
  root: string,
  paths: string[],
  outDir: string
): Promise<PackedLayer> {
  const entries = await layerEntries(root, paths)
  await mkdir(outDir, { recursive: true })
  const temp = join(outDir, `.pack-${randomUUID()}.tmp`)
  const hash = createHash('sha256')
  let size = 0
  const out = await open(temp, 'w')
  try {
    const pack = new Pack({
      cwd: root,
      gzip: { level: 6 },
      portable: true,
      mtime: fixedTime,
      noDirRecurse: true,
      linkCache: new ForgetfulMap(),
      onWriteEntry: normaliseMode
    })
    for (const entry of entries) pack.add(entry.path)
    pack.end()
    for await (const chunk of pack) {
      const data = chunk as Buffer
      hash.update(data)
      size += data.length
      await out.write(data)
    }
    await out.close()
    const digest = hash.digest('hex')
    const file = join(outDir, layerFileName(digest))
    await rename(temp, file)
    return { digest, file, size, entries: entries.length }
  } catch (error) {
    await out.close().catch(() => undefined)
    await rm(temp, { force: true })
    throw error
  }
}

/**
 * The entries `paths` stand for, sorted and without duplicates, checked by the rules
 * extraction applies (so a layer that could not be extracted is refused now).
 */
export async function layerEntries(root: string, paths: string[]): Promise<EntryHeader[]> {
  if (paths.length === 0) throw new UsageError('layer: no paths given; expected at least one path')
  const realRoot = await realpath(root).catch(() => {
    throw new UsageError(`layer root '${root}' does not exist`)
  })
  const found = new Map<string, EntryHeader>()
  for (const given of paths) {
    const rel = await inRoot(realRoot, given)
    await walk(realRoot, rel, found)
  }
  const entries = [...found.values()].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0
  )
  try {
    checkEntries(entries)
  } catch (error) {
    if (error instanceof UnsafeEntryError) {
      throw new UsageError(`layer path '${error.entry}' cannot go into a layer: ${error.message}`)
    }
    throw error
  }
  return entries
}

/** `given` as a path relative to the root ('' for the root), refusing anything outside it. */
async function inRoot(realRoot: string, given: string): Promise<string> {
  const absolute = resolve(realRoot, given)
  const rel = relative(realRoot, absolute)
  const outside = `layer path '${given}' is outside the root '${realRoot}'`
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw new UsageError(outside)
  if (rel === '') return ''
  // The path itself may be a link (packed as one); the directories above it must be real.
  const parent = await realpath(dirname(absolute)).catch(() => {
    throw new UsageError(`layer path '${given}' does not exist under '${realRoot}'`)
  })
  const up = relative(realRoot, parent)
  if (up === '..' || up.startsWith(`..${sep}`) || isAbsolute(up)) {
    throw new UsageError(`${outside} (through a symbolic link)`)
  }
  return rel.split(sep).join('/')
}

async function walk(realRoot: string, rel: string, found: Map<string, EntryHeader>): Promise<void> {
  const absolute = rel === '' ? realRoot : join(realRoot, rel)
  const stat = await lstat(absolute).catch(() => {
    throw new UsageError(`layer path '${rel}' does not exist under '${realRoot}'`)
  })
  if (stat.isDirectory()) {
    if (rel !== '') found.set(rel, { path: rel, type: 'Directory' })
    const children = (await readdir(absolute)).sort()
    for (const child of children)
      await walk(realRoot, rel === '' ? child : `${rel}/${child}`, found)
  } else if (stat.isSymbolicLink()) {
    found.set(rel, { path: rel, type: 'SymbolicLink', linkpath: await readlink(absolute) })
  } else if (stat.isFile()) {
    found.set(rel, { path: rel, type: 'File' })
  } else {
    throw new UsageError(
      `layer path '${rel}' is a socket, pipe or device; layers hold files, directories and symbolic links`
    )
  }
}

/** Modes that say only what matters: executable or not. */
function normaliseMode(entry: WriteEntry): void {
  const stat = entry.stat
  if (!stat) return
  const typeBits = stat.mode & ~0o7777
  let mode = 0o644
  if (entry.type === 'Directory') mode = 0o755
  else if (entry.type === 'SymbolicLink') mode = 0o777
  else if (stat.mode & 0o111) mode = 0o755
  stat.mode = typeBits | mode
}
