/**
 * Reading a jobs file (`--jobs`, input `jobs-file`) safely: only a regular file (a FIFO or a
 * device would block or never end), of bounded size, holding UTF-8 text (a binary file would
 * otherwise be run line by line as shell commands).
 */
import { constants, type Stats } from 'node:fs'
import { open } from 'node:fs/promises'
import { UsageError } from '../../errors.js'

/** The largest jobs file read: far above any real suite, far below what a frame can carry. */
export const MAX_JOBS_FILE_BYTES = 16 * 1024 * 1024

/** The file's text; UsageError naming `shown` (the path as the user gave it) otherwise. */
export async function readJobsFile(path: string, shown: string): Promise<string> {
  const refuse = (why: string): never => {
    throw new UsageError(
      `--jobs: '${shown}' ${why}; expected a jobs file (a JSON array or one command per line)`
    )
  }
  let bytes: Buffer
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not hang before we can look at it.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
    try {
      const stat = await handle.stat()
      if (stat.isDirectory()) return refuse('is a directory')
      if (!stat.isFile()) return refuse(`is not a regular file (${kind(stat)})`)
      if (stat.size > MAX_JOBS_FILE_BYTES)
        return refuse(
          `is ${megabytes(stat.size)}; a jobs file may be at most ${megabytes(MAX_JOBS_FILE_BYTES)}`
        )
      bytes = await handle.readFile()
    } finally {
      await handle.close()
    }
  } catch (error) {
    if (error instanceof UsageError) throw error
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    throw new UsageError(`--jobs: cannot read '${shown}' (${reason}); expected a jobs file`)
  }
  const nul = bytes.indexOf(0)
  if (nul >= 0) return refuse(`is binary (a NUL byte at offset ${nul})`)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return refuse('is not UTF-8 text')
  }
}

function kind(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO'
  if (stat.isSocket()) return 'a socket'
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device'
  return 'not a file'
}

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`
