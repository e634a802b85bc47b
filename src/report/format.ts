/** Small text helpers shared by the reporters. Pure. */
import type { Outcome } from '../runner/events.js'

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

/** The last `lines` lines of `text` (trailing blank lines dropped), noting how many were left out. */
export function tail(text: string, lines: number): string {
  const all = text.replace(/\s+$/, '').split('\n')
  if (all.length <= lines) return all.join('\n')
  const left = all.length - lines
  return [`… ${left} earlier ${left === 1 ? 'line' : 'lines'} …`, ...all.slice(-lines)].join('\n')
}

/** Prefixes every non-empty line. */
export function indent(text: string, prefix = '    '): string {
  return text
    .split('\n')
    .map(line => (line === '' ? line : `${prefix}${line}`))
    .join('\n')
}

// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const ansi = /\u001b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g

/** Removes terminal colour and cursor sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ansi, '')
}

/**
 * Captured output made safe to print: colours and cursor moves removed, a lone carriage
 * return (progress bars) turned into a line break, other control characters (bells…) dropped.
 */
export function terminalText(text: string): string {
  return stripAnsi(text).replace(/\r\n?/g, '\n').replace(controls, '')
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controls = /[\u0000-\u0008\u000b-\u001f\u007f]/g

/** `1 test`, `3 tests`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`
}

/** Upper-case labels, for lines and for the summary. */
export const outcomeLabels: Record<Outcome, string> = {
  passed: 'PASS',
  failed: 'FAIL',
  flaky: 'FLAKY',
  'timed-out': 'TIMEOUT',
  error: 'ERROR',
  cancelled: 'CANCEL',
  skipped: 'SKIP'
}

/** The first non-blank line of a message, cut to `max` characters. */
export function firstLine(text: string, max = 200): string {
  const line =
    text
      .split('\n')
      .map(l => l.trim())
      .find(l => l !== '') ?? ''
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}
