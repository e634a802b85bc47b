/**
 * Where a report file will go, checked before the run starts: a bad path found only after an
 * hour of tests loses the hour's report. The reporters create missing parent directories, so
 * the nearest existing ancestor must be a directory we may write into.
 */
import { accessSync, constants, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

/** What stops a report from being written at `path`, in words; undefined when nothing does. */
export function outputPathProblem(path: string): string | undefined {
  if (path.includes('\0')) return 'has a NUL character'
  const full = resolve(path)
  const own = statOf(full)
  if (own) {
    if (own.isDirectory()) return 'is a directory; expected a file path'
    if (!own.isFile()) return 'is not a regular file'
    return writable(full) ? undefined : 'is not writable'
  }
  for (let dir = dirname(full); ; dir = dirname(dir)) {
    const stat = statOf(dir)
    if (stat) {
      if (!stat.isDirectory()) return `cannot be created: '${dir}' is not a directory`
      return writable(dir, constants.W_OK | constants.X_OK)
        ? undefined
        : `cannot be created: '${dir}' is not writable`
    }
    if (dirname(dir) === dir) return 'has no existing parent directory'
  }
}

function statOf(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path)
  } catch {
    return undefined
  }
}

function writable(path: string, mode: number = constants.W_OK): boolean {
  try {
    accessSync(path, mode)
    return true
  } catch {
    return false
  }
}
