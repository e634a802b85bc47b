/**
 * Pure parsers for the values both the CLI options and the action inputs take, and the one
 * way a duration is printed. Callers add the name of the option or input to the messages.
 */
import { UsageError } from './errors.js'

/** `90s`, `45m`, `5h30m`, `1.5h` → milliseconds; undefined unless the whole text is units and positive. */
export function unitDurationMs(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(h|m|s)/gy
  let total = 0
  let consumed = 0
  for (let match = re.exec(text); match; match = re.exec(text)) {
    total += Number(match[1]) * (match[2] === 'h' ? 3_600_000 : match[2] === 'm' ? 60_000 : 1000)
    consumed = re.lastIndex
  }
  if (text === '' || consumed !== text.length || total <= 0) return undefined
  return Math.round(total)
}

export const durationHint = 'expected e.g. 90, 90s, 45m or 5h30m'

/**
 * The longest timer Node keeps (2^31 - 1 ms, about 24.8 days): a longer one fires at once.
 * Every time limit squall takes must fit.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1

/** What is wrong with a time limit in ms (at least 1 ms once rounded, at most MAX_TIMER_MS). */
export function timeoutProblem(ms: number): string | undefined {
  if (!Number.isFinite(ms) || Math.round(ms) < 1) return 'is not at least 1 ms'
  if (ms > MAX_TIMER_MS) return 'is longer than 24 days'
  return undefined
}

/** The range of timeoutProblem, in words. */
export const timeoutRange = 'from 0.001 (1 ms) to 2147483 (24 days)'

/** `850ms`, `4.2s`, `3m 04s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0ms'
  if (ms < 1000) return `${Math.round(ms)}ms`
  // 59.96s would print as "60.0s"; from there on minutes read better.
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)}s`
  const s = Math.round(ms / 1000)
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad2(s % 60)}s`
  return `${Math.floor(s / 3600)}h ${pad2(Math.floor((s % 3600) / 60))}m`
}

const pad2 = (n: number): string => String(n).padStart(2, '0')

/** Words split on `separator`, trimmed, de-duplicated; the first not matching `valid` in `invalid`. */
function splitWords(
  text: string,
  separator: RegExp | string,
  valid: RegExp
): { words: string[]; invalid?: string } {
  const words = text
    .split(separator)
    .map(s => s.trim())
    .filter(s => s !== '')
  const invalid = words.find(word => !valid.test(word))
  return { words: [...new Set(words)], ...(invalid !== undefined ? { invalid } : {}) }
}

/** Labels split on `separator`, trimmed, de-duplicated; the first invalid one in `invalid`. */
export function splitLabels(
  text: string,
  separator: RegExp | string
): { labels: string[]; invalid?: string } {
  const { words, ...rest } = splitWords(text, separator, /^[A-Za-z0-9_.:=-]+$/)
  return { labels: words, ...rest }
}

export const labelHint = 'has characters other than letters, digits and - _ . : ='

/** Environment variable names (`--pass-env`, `pass-env`), split and checked. */
export function splitEnvNames(
  text: string,
  separator: RegExp | string
): { names: string[]; invalid?: string } {
  const { words, ...rest } = splitWords(text, separator, /^[A-Za-z_][A-Za-z0-9_]*$/)
  return { names: words, ...rest }
}

export const envNameHint =
  'is not an environment variable name (letters, digits and _, not starting with a digit)'

/**
 * Labels from `value` (split at `separators`), or a UsageError naming `who` (`--labels`,
 * `input 'labels'`) and the bad label: the CLI and the actions check them alike.
 */
export function checkedLabels(who: string, value: string, separators: string | RegExp): string[] {
  const { labels, invalid } = splitLabels(value, separators)
  if (invalid !== undefined) throw new UsageError(`${who}: label '${invalid}' ${labelHint}`)
  return labels
}

/** Environment variable names from `value`, or a UsageError naming `who` and the bad name. */
export function checkedEnvNames(who: string, value: string, separators: string | RegExp): string[] {
  const { names, invalid } = splitEnvNames(value, separators)
  if (invalid !== undefined) throw new UsageError(`${who}: '${invalid}' ${envNameHint}`)
  return names
}

/** `ms` (from `value` as given) rounded, or a UsageError naming `who` when no timer can hold it. */
export function checkedTimeoutMs(who: string, value: string, ms: number): number {
  const problem = timeoutProblem(ms)
  if (problem !== undefined)
    throw new UsageError(`${who}: '${value}' ${problem}; expected seconds ${timeoutRange}`)
  return Math.round(ms)
}
