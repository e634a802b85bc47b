/** The project's Log, written through @actions/core so levels become the runner's own. */
import * as core from '@actions/core'
import type { Log } from '../../log.js'

export const coreLog: Log = (level, message) => {
  if (level === 'debug') core.debug(message)
  else if (level === 'warning') core.warning(message)
  else if (level === 'error') core.error(message)
  else core.info(message)
}
