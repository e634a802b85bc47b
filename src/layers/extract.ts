/**
 * Safe extraction of a layer tarball: every header is read and checked first (see
 * entry-checks.ts), so a refused archive writes nothing; only then is it unpacked, with the
 * archive library's own guards on as a second line.
 */
import { mkdir } from 'node:fs/promises'
import { extract, list } from 'tar'
import { checkEntries, type EntryHeader } from './entry-checks.js'
import { LayerError, UnsafeEntryError } from './errors.js'

const allowedTypes = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink'])

/** The headers of a (gzipped or plain) tarball, in archive order. */
export async function readEntries(file: string): Promise<EntryHeader[]> {
  const entries: EntryHeader[] = []
  try {
    await list({
      file,
      strict: true,
      onReadEntry: entry => {
        entries.push({ path: entry.path, type: entry.type, linkpath: entry.linkpath })
      }
    })
  } catch (error) {
    throw new LayerError(`cannot read layer tarball ${file}: ${(error as Error).message}`, {
      cause: error
    })
  }
  return entries
}

/**
 * Unpacks `file` into `targetDir` (created if missing). Throws an UnsafeEntryError naming the
 * entry, before writing anything, when the archive holds an absolute path, a `..`, a link
 * out of the target or one that later entries would be written through, or a device file.
 * Files get the time of extraction, so tools that compare times see them as new.
 */
export async function extractLayer(file: string, targetDir: string): Promise<{ entries: number }> {
  const entries = await readEntries(file)
  checkEntries(entries)
  await mkdir(targetDir, { recursive: true })
  try {
    await extract({
      file,
      cwd: targetDir,
      strict: true,
      noMtime: true,
      preserveOwner: false,
      // Already refused above; kept so a difference between the two readings cannot slip by.
      filter: (_path, entry) => 'type' in entry && allowedTypes.has(entry.type)
    })
  } catch (error) {
    if (error instanceof UnsafeEntryError) throw error
    throw new LayerError(
      `cannot extract layer ${file} into ${targetDir}: ${(error as Error).message}`,
      {
        cause: error
      }
    )
  }
  return { entries: entries.length }
}
