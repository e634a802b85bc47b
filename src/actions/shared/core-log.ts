/** The project's Log, written through @actions/core so levels become the runner's own. */
import * as core from '@actions/core'
import { atLeast, type Log, type LogLevel } from '../../log.js'

export const coreLog: Log = (level, message) => {
  if (level === 'debug') core.debug(message)
  else if (level === 'warning') core.warning(message)
  else if (level === 'error') core.error(message)
  else core.info(message)
}

/**
 * coreLog for a `log-level` input. At `info` (the default) debug lines stay core.debug lines,
 * shown with step debugging; at `debug` they are shown as ordinary lines, since the input
 * asked for them; at `warning` or `error` the lines below are dropped.
 */
export function coreLogAt(min: LogLevel): Log {
  if (min === 'info') return coreLog
  if (min !== 'debug') return atLeast(coreLog, min)
  return (level, message) => {
    if (level === 'debug') core.info(`debug: ${message}`)
    else coreLog(level, message)
  }
}
