/** Parsers for CLI option values: each names the option, the value and what was expected. */
import { statSync } from 'node:fs'
import { UsageError, errorMessage } from '../errors.js'
import { outputPathProblem } from '../report/output-path.js'
import {
  checkedEnvNames,
  checkedLabels,
  checkedTimeoutMs,
  durationHint,
  unitDurationMs
} from '../values.js'

export function positiveInt(option: string) {
  return (value: string): number => {
    const n = Number(value)
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
      throw new UsageError(`${option}: '${value}' is not a whole number of at least 1`)
    }
    return n
  }
}

export function nonNegativeInt(option: string) {
  return (value: string): number => {
    const n = Number(value)
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
      throw new UsageError(`${option}: '${value}' is not a whole number of 0 or more`)
    }
    return n
  }
}

/**
 * Seconds as a positive number (fractions allowed), returned in milliseconds: at least 1 ms
 * once rounded (0.0001 would round to no time at all) and no longer than a timer can wait.
 */
export function secondsToMs(option: string) {
  return (value: string): number => {
    const n = Number(value)
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
      throw new UsageError(`${option}: '${value}' is not a positive number of seconds`)
    }
    return checkedTimeoutMs(option, value, n * 1000)
  }
}

/**
 * A duration such as `90`, `90s`, `45m`, `5h30m`; returned in milliseconds. Plain numbers are
 * seconds.
 */
export function durationToMs(option: string) {
  return (value: string): number => {
    const text = value.trim()
    if (/^\d+(\.\d+)?$/.test(text)) return secondsToMs(option)(text)
    const ms = unitDurationMs(text)
    if (ms === undefined)
      throw new UsageError(`${option}: '${value}' is not a duration; ${durationHint}`)
    return checkedTimeoutMs(option, value, ms)
  }
}

/** Comma-separated labels: letters, digits, `-`, `_`, `.`, `:`, `=`. */
export function labelList(option: string) {
  return (value: string): string[] => {
    return checkedLabels(option, value, ',')
  }
}

/** Comma-separated environment variable names. */
export function envNameList(option: string) {
  return (value: string): string[] => {
    return checkedEnvNames(option, value, ',')
  }
}

/** `host:port` with a port from 1 to 65535. */
export function hostPort(option: string) {
  return (value: string): string => {
    const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(value.trim())
    const port = match ? Number(match[2]) : NaN
    if (!match || port < 1 || port > 65535) {
      throw new UsageError(
        `${option}: '${value}' is not an address; expected HOST:PORT, e.g. 127.0.0.1:7700`
      )
    }
    return value.trim()
  }
}

/** A file a report will be written to: checked now, not after the run (see outputPathProblem). */
export function outputPath(option: string) {
  return (value: string): string => {
    const problem = value.trim() === '' ? 'is empty' : outputPathProblem(value)
    if (problem !== undefined)
      throw new UsageError(`${option}: '${value}' ${problem}; expected a file path to write`)
    return value
  }
}

/** An existing directory. */
export function existingDirectory(option: string) {
  return (value: string): string => {
    let stat
    try {
      stat = statSync(value)
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? errorMessage(error)
      throw new UsageError(`${option}: '${value}' cannot be used (${reason}); expected a directory`)
    }
    if (!stat.isDirectory())
      throw new UsageError(`${option}: '${value}' is not a directory; expected a directory`)
    return value
  }
}

/** A TCP port to listen on: 0 (any free port) to 65535. */
export function listenPort(option: string) {
  return (value: string): number => {
    const n = nonNegativeInt(option)(value)
    if (n > 65535)
      throw new UsageError(
        `${option}: '${value}' is not a port; expected 0 (any free port) to 65535`
      )
    return n
  }
}
