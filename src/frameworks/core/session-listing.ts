/**
 * A listing made by a warm session started ahead of the run (see `warmSession` in
 * framework.ts): the session collects the suite anyway, so on one machine it writes what the
 * framework's listing would and the runner reads it instead of collecting a second time. When
 * no session can give it (none started, it failed, the workers are gone), the runner lists as
 * always: the file only ever saves time, never changes what is listed.
 */
import { randomBytes } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'

/** Where a warm session writes its listing, and how the runner knows to stop waiting for it. */
export interface SessionListing {
  /** The file the session writes whole (renamed into place) once it has collected. */
  file: string
  /** False once no process that could still write it is running (the local workers ended). */
  alive: () => boolean
}

/** Beside the listing file: written by a worker whose session started ahead did not start. */
export function failedMarker(file: string): string {
  return `${file}.failed`
}

/** How often the runner looks for the file; a listing takes far longer than this. */
const POLL_MS = 20

/**
 * The listing file's text once a session wrote it, or undefined when none will: a session
 * failed to start (the worker's marker), or the workers ended without it.
 */
export async function awaitSessionListing(listing: SessionListing): Promise<string | undefined> {
  for (;;) {
    const text = await readIfThere(listing.file)
    if (text !== undefined) return text
    if ((await readIfThere(failedMarker(listing.file))) !== undefined) return undefined
    if (!listing.alive()) return readIfThere(listing.file)
    await new Promise(resolve => setTimeout(resolve, POLL_MS))
  }
}

async function readIfThere(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * The session's side (for hosts in node): writes the files it found (absolute paths, a JSON
 * array) whole into `file`, or, when it cannot list, the marker beside it saying `why`; each
 * writer through a temporary file of its own (two sessions of a worker may fail at once).
 */
export async function writeSessionListing(
  file: string,
  files: readonly string[] | undefined,
  why = 'the session could not list the suite'
): Promise<void> {
  const target = files ? file : failedMarker(file)
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  await writeFile(temp, files ? `${JSON.stringify(files)}\n` : `${why}\n`)
  await rename(temp, target)
}
