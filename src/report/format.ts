/** Small text helpers shared by the reporters. Pure. */
import type { CountedAs, Outcome, RunSummary } from '../runner/events.js'
import type { TestCaseKind } from '../protocol/types.js'

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

/**
 * A name, id or label from input (a job name, a worker id) made safe to print on one line: a
 * name holding escape codes could otherwise recolour, move or clear the user's terminal.
 */
export function printable(text: string): string {
  return terminalText(text).replace(/[\n\t]+/g, ' ')
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

/** The frameworks' own words for a kind of test (pytest's `xfailed`, jest's and vitest's `todo`). */
const kindWords: Record<TestCaseKind, string> = {
  xfail: 'xfailed',
  xpass: 'xpassed',
  todo: 'todo',
  fails: 'expected to fail'
}

/**
 * What the summary's counts `of` hold beyond their outcome, in the frameworks' words:
 * `1 xfailed, 2 todo` (empty when nothing).
 */
export function kindNote(summary: Pick<RunSummary, 'kinds'>, ...of: CountedAs[]): string {
  const counts = new Map<TestCaseKind, number>()
  for (const bucket of of) {
    for (const [kind, n] of Object.entries(summary.kinds?.[bucket] ?? {}) as [
      TestCaseKind,
      number
    ][])
      counts.set(kind, (counts.get(kind) ?? 0) + n)
  }
  return [...counts].map(([kind, n]) => `${n} ${kindWords[kind]}`).join(', ')
}

/** `Of the passed: 1 xpassed. Of the skipped: 1 xfailed, 2 todo.` (empty when no test has a kind). */
export function kindsLine(summary: RunSummary): string {
  const counts: CountedAs[] = ['passed', 'failed', 'flaky', 'skipped', 'errored']
  return counts
    .map(c => [c, kindNote(summary, c)] as const)
    .filter(([, note]) => note !== '')
    .map(([c, note]) => `Of the ${c}: ${note}.`)
    .join(' ')
}
