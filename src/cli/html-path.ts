/** Checks an output path before the run, so a typo fails at once instead of after the suite. */
import { stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { UsageError } from '../errors.js'

/**
 * `path` must not be a directory, and its nearest existing ancestor must be one (the missing
 * parents are created when the file is written). `flag` names the option in the message.
 */
export async function checkOutputFile(flag: string, path: string): Promise<void> {
  const found = await stat(path).catch(() => undefined)
  if (found?.isDirectory())
    throw new UsageError(`${flag}: '${path}' is a directory; expected a file path`)
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const parent = await stat(dir).catch(() => undefined)
    if (parent) {
      if (!parent.isDirectory())
        throw new UsageError(`${flag}: '${path}' is under '${dir}', which is not a directory`)
      return
    }
    if (dirname(dir) === dir) return
  }
}
