import { UsageError } from './errors.js'

/** The one logging shape every piece takes, and a stderr implementation for the CLI. */

export type LogLevel = 'debug' | 'info' | 'warning' | 'error'
export type Log = (level: LogLevel, message: string) => void

const rank: Record<LogLevel, number> = { debug: 0, info: 1, warning: 2, error: 3 }

/** Parses a `--log-level` value; throws a message naming the value and what was expected. */
export function parseLogLevel(value: string, input = '--log-level'): LogLevel {
  // Own keys only: `toString` is "in" every object.
  if (Object.hasOwn(rank, value)) return value as LogLevel
  throw new UsageError(
    `${input}: '${value}' is not a log level; expected debug, info, warning or error`
  )
}

/** `log` without the messages below `min`. */
export function atLeast(log: Log, min: LogLevel): Log {
  return (level, message) => {
    if (rank[level] >= rank[min]) log(level, message)
  }
}

/** Writes `[prefix] level: message` lines to a stream, dropping those below `min`. */
export function streamLog(out: NodeJS.WritableStream, prefix: string, min: LogLevel = 'info'): Log {
  return atLeast((level, message) => {
    out.write(`[${prefix}] ${level === 'info' ? '' : `${level}: `}${message}\n`)
  }, min)
}

export const silentLog: Log = () => undefined
