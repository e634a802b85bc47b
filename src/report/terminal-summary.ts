/**
 * The end-of-run text: failures with their message and the tail of their output, flaky tests,
 * the slowest tests, then the totals. The last line is always `N passed, N failed` (then
 * `, N flaky` and `, N skipped` when there are any, each count followed by its kinds in
 * brackets when it has some: `, 3 skipped (1 todo)`), for people and scripts alike. Pure.
 */
import {
  failingOutcomes,
  type CountedAs,
  type RunSummary,
  type TestOutcome
} from '../runner/events.js'
import {
  firstLine,
  indent,
  kindNote,
  outcomeLabels,
  plural,
  printable,
  tail,
  terminalText
} from './format.js'
import { formatDuration } from '../values.js'
import { removable } from '../runner/quarantine.js'

/** Styling hooks, so the summary stays pure. */
export interface SummaryStyle {
  /** Colours text by outcome (`passed`, `failed`, `flaky`…); identity without colour. */
  paint: (outcome: string, text: string) => string
  dim: (text: string) => string
}

export interface SummaryOptions {
  /** How many of the slowest tests to list (default 10; 0 for none). */
  slowest?: number
  /** Lines of captured output shown per failure (default 20). */
  outputLines?: number
  /** Lines of a failure message shown (default 30). */
  messageLines?: number
}

export const plainStyle: SummaryStyle = { paint: (_o, text) => text, dim: text => text }

export function renderSummary(
  summary: RunSummary,
  tests: readonly TestOutcome[],
  options: SummaryOptions = {},
  style: SummaryStyle = plainStyle
): string {
  const lines: string[] = []
  const bad = tests.filter(t => failingOutcomes.has(t.outcome) && t.quarantined !== true)
  if (bad.length > 0) {
    lines.push('', style.paint('failed', `Failures (${bad.length}):`))
    for (const test of bad) lines.push(...failure(test, options, style))
  }
  const flaky = tests.filter(t => t.outcome === 'flaky' && t.quarantined !== true)
  if (flaky.length > 0) {
    lines.push('', style.paint('flaky', `Flaky (${flaky.length}), passed on a retry:`))
    for (const test of flaky) {
      const failed = test.attempts.filter(a => a.status !== 'passed' && a.status !== 'skipped')
      const why = failed[0]?.message ? `: ${firstLine(terminalText(failed[0].message))}` : ''
      lines.push(
        `  ${title(test)} ${style.dim(`(failed ${failed.length} of ${test.attempts.length} attempts)`)}${why}`
      )
    }
  }
  lines.push(...quarantineLines(summary, tests, style))
  const slowest = slowestTests(tests, options.slowest ?? 10)
  if (slowest.length > 0) {
    lines.push('', 'Slowest:')
    for (const test of slowest)
      lines.push(`  ${formatDuration(test.durationMs).padStart(8)}  ${title(test)}`)
  }
  // A run cut short says so before its totals: they count what finished and the rest not run.
  if (summary.incomplete !== undefined)
    lines.push('', style.paint('failed', `Incomplete run: ${printable(summary.incomplete)}`))
  lines.push('', totalsLine(summary, tests), resultLine(summary, style))
  return `${lines.join('\n')}\n`
}

/**
 * `3 passed, 2 failed, 1 flaky, 4 skipped (1 xfailed, 2 todo)`: failed counts timed-out,
 * errored and cancelled tests; a count's kinds (summary.kinds) follow it in brackets.
 */
export function resultLine(summary: RunSummary, style: SummaryStyle = plainStyle): string {
  const failed = summary.failed + summary.errored
  // Tests the framework names beyond their outcome, inside the count they are in.
  const within = (text: string, ...of: CountedAs[]): string => {
    const note = kindNote(summary, ...of)
    return note === '' ? text : `${text} (${note})`
  }
  const parts = [
    style.paint(
      summary.passed > 0 ? 'passed' : 'none',
      within(`${summary.passed} passed`, 'passed')
    ),
    style.paint(failed > 0 ? 'failed' : 'none', within(`${failed} failed`, 'failed', 'errored'))
  ]
  if (summary.flaky > 0) parts.push(style.paint('flaky', within(`${summary.flaky} flaky`, 'flaky')))
  if (summary.skipped > 0)
    parts.push(style.paint('skipped', within(`${summary.skipped} skipped`, 'skipped')))
  return parts.join(', ')
}

/** `7 tests in 5 jobs, 42.1s on 2 workers; of the failed: 1 timed out, 1 errored`. */
function totalsLine(summary: RunSummary, tests: readonly TestOutcome[]): string {
  const count = (outcome: string): number => tests.filter(t => t.outcome === outcome).length
  const notes = [
    count('timed-out') ? `${count('timed-out')} timed out` : '',
    count('error') ? `${count('error')} errored` : '',
    count('cancelled') ? `${count('cancelled')} cancelled` : ''
  ].filter(Boolean)
  let line = `${plural(summary.tests, 'test')} in ${plural(summary.jobs, 'job')}, ${formatDuration(summary.durationMs)} on ${plural(summary.workers.length, 'worker')}`
  if (notes.length > 0) line += `; of the failed: ${notes.join(', ')}`
  const leftOut = Object.entries(summary.leftOut ?? {})
  if (leftOut.length > 0)
    line += `; left out: ${leftOut.map(([what, n]) => `${n} ${what}`).join(', ')}`
  if (summary.exitCode !== 0 && summary.failed + summary.errored === 0 && summary.flaky > 0) {
    line += '; flaky tests fail this run'
  }
  if (summary.quarantine && summary.quarantine.failed > 0)
    line += `; ${summary.quarantine.failed} quarantined failed (not counted)`
  const transport = Object.entries(summary.transport ?? {})
  if (transport.length > 0)
    line += `; transport: ${transport.map(([k, v]) => `${k} ${v}`).join(', ')}`
  return line
}

/** The quarantined tests with their outcome, then the entries that may leave the list. */
function quarantineLines(
  summary: RunSummary,
  tests: readonly TestOutcome[],
  style: SummaryStyle
): string[] {
  const q = summary.quarantine
  if (!q) return []
  const held = tests.filter(t => t.quarantined === true)
  const lines: string[] = []
  if (held.length > 0) {
    lines.push('', style.paint('flaky', `Quarantined (${held.length}), not failing the run:`))
    for (const test of held) {
      const last = [...test.attempts].reverse().find(a => a.message)
      const why =
        failingOutcomes.has(test.outcome) && last?.message
          ? `: ${firstLine(terminalText(last.message))}`
          : ''
      lines.push(`  ${style.paint(test.outcome, outcomeLabels[test.outcome])} ${title(test)}${why}`)
    }
  }
  const done = removable(q)
  if (done.length > 0) {
    lines.push('', `Passed ${q.removeAfter} runs in a row, may leave the quarantine:`)
    for (const entry of done) lines.push(`  ${entry.id} ${style.dim(`(${entry.streak} runs)`)}`)
  }
  return lines
}

function failure(test: TestOutcome, options: SummaryOptions, style: SummaryStyle): string[] {
  const last = [...test.attempts]
    .reverse()
    .find(a => a.status !== 'passed' && a.status !== 'skipped')
  const where = test.file
    ? ` ${style.dim(`${printable(test.file)}${test.line ? `:${test.line}` : ''}`)}`
    : ''
  const attempts =
    test.attempts.length > 1 ? ` ${style.dim(`(${test.attempts.length} attempts)`)}` : ''
  const lines = [
    '',
    `  ${style.paint(test.outcome, outcomeLabels[test.outcome])} ${title(test)}${where}${attempts}`
  ]
  if (last?.message)
    lines.push(indent(head(terminalText(last.message), options.messageLines ?? 30), '      '))
  if (last?.output && last.output.trim() !== '') {
    lines.push(
      indent(tail(terminalText(last.output), options.outputLines ?? 20), `      ${style.dim('│')} `)
    )
  }
  return lines
}

/** The name, with its suite in front unless the name already says it. */
function title(test: TestOutcome): string {
  if (!test.suite || test.name.startsWith(test.suite) || test.suite === test.file)
    return printable(test.name)
  return printable(`${test.suite} › ${test.name}`)
}

function head(text: string, lines: number): string {
  const all = text.replace(/\s+$/, '').split('\n')
  if (all.length <= lines) return all.join('\n')
  return [...all.slice(0, lines), `… ${all.length - lines} more lines …`].join('\n')
}

/**
 * The `n` slowest tests that ran (whole-job entries are not tests); nothing when fewer than
 * two ran (a list of one says nothing).
 */
export function slowestTests(tests: readonly TestOutcome[], n: number): TestOutcome[] {
  const ran = tests.filter(t => t.outcome !== 'skipped' && t.durationMs > 0 && t.job !== true)
  if (ran.length < 2 || n <= 0) return []
  return [...ran].sort((a, b) => b.durationMs - a.durationMs).slice(0, n)
}
