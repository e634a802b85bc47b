/**
 * The job summary (GITHUB_STEP_SUMMARY, markdown): totals, failures with their output, flaky
 * and quarantined tests, the slowest tests, a timeline of every worker's jobs (a Mermaid
 * gantt, which GitHub draws) and how busy each worker was.
 */
import { workerNames } from '../protocol/worker-name.js'
import { removable } from '../runner/quarantine.js'
import { failingOutcomes, type RunSummary, type TestOutcome } from '../runner/events.js'
import { kindsLine } from './format.js'
import { renderGantt } from './gantt.js'
import { RunEndReporter, type RunEnd } from './run-end-reporter.js'
import type { Timeline } from './timeline.js'

export interface JobSummaryOptions {
  /** Appends markdown to the step summary (core.summary in the action, a string in tests). */
  write: (markdown: string) => Promise<void>
  /** Most failures shown with output. */
  maxFailures?: number
  slowest?: number
  /** Most bars in the timeline (default 120; more are grouped). */
  maxBars?: number
}

/** What renderJobSummary draws beyond the outcome. */
export interface RenderOptions {
  maxFailures?: number
  slowest?: number
  /** The run's time line (from TimelineRecorder); no picture without it. */
  timeline?: Timeline
  maxBars?: number
}

export class JobSummaryReporter extends RunEndReporter {
  constructor(private readonly options: JobSummaryOptions) {
    super('')
  }

  protected async write({ summary, tests, framework, timeline }: RunEnd): Promise<void> {
    await this.options.write(
      renderJobSummary(summary, tests, framework, { ...this.options, timeline })
    )
  }
}

export function renderJobSummary(
  summary: RunSummary,
  tests: TestOutcome[],
  framework: string,
  options: RenderOptions = {}
): string {
  const icon = summary.exitCode === 0 ? '✅' : '❌'
  const out: string[] = [`## ${icon} squall: ${framework}`, '']
  out.push(
    '| passed | failed | flaky | skipped | errored | tests | jobs | wall time |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'
  )
  out.push(
    `| ${summary.passed} | ${summary.failed} | ${summary.flaky} | ${summary.skipped} | ${summary.errored} | ${summary.tests} | ${summary.jobs} | ${seconds(summary.durationMs)} |`,
    ''
  )
  const within = kindsLine(summary)
  if (within !== '') out.push(within, '')
  for (const notice of summary.notices ?? []) out.push(`> ⚠️ ${cell(notice)}`, '')
  const failures = tests.filter(t => failingOutcomes.has(t.outcome) && t.quarantined !== true)
  if (failures.length > 0) {
    const shown = failures.slice(0, options.maxFailures ?? 50)
    out.push(
      `### Failures (${failures.length})`,
      '',
      '| test | outcome | where | message |',
      '| --- | --- | --- | --- |'
    )
    for (const t of shown) {
      const last = t.attempts[t.attempts.length - 1]
      out.push(
        `| ${cell(t.name)} | ${t.outcome} | ${t.file ? `\`${cell(t.file)}${t.line ? `:${t.line}` : ''}\`` : ''} | ${cell(firstLine(last?.message ?? ''))} |`
      )
    }
    out.push('')
    for (const t of shown) {
      const last = t.attempts[t.attempts.length - 1]
      const text = [last?.message, last?.output].filter(Boolean).join('\n').trim()
      if (text === '') continue
      out.push(
        `<details><summary>${escapeHtml(t.name)} — output</summary>`,
        '',
        '```text',
        tailLines(text, 60).replace(/```/g, '`​``'),
        '```',
        '',
        '</details>',
        ''
      )
    }
    if (failures.length > shown.length)
      out.push(`… and ${failures.length - shown.length} more failures (see the JUnit file).`, '')
  }
  const flaky = tests.filter(t => t.outcome === 'flaky' && t.quarantined !== true)
  if (flaky.length > 0) {
    out.push(`### Flaky (${flaky.length}): passed only on retry`, '')
    for (const t of flaky)
      out.push(
        `- ${cell(t.name)} — ${t.attempts.filter(a => a.status !== 'passed').length} failed attempt(s)`
      )
    out.push('')
  }
  out.push(...quarantineSection(summary, tests))
  const carried = tests.filter(t => t.fromAttempt !== undefined)
  if (carried.length > 0) {
    const from = [...new Set(carried.map(t => t.fromAttempt))].sort().join(', ')
    out.push(
      `### Carried over (${carried.length}): from run attempt ${from}, not run again`,
      '',
      `This attempt ran ${tests.length - carried.length} of ${tests.length} tests: what failed or did not run before. The totals above are the whole suite's.`,
      ''
    )
    const failing = carried.filter(t => failingOutcomes.has(t.outcome))
    for (const t of failing) out.push(`- ${cell(t.name)} — ${t.outcome} (no job covers it now)`)
    if (failing.length > 0) out.push('')
  }
  // Whole-job entries (a batch that failed as a whole) are not tests.
  const slowest = tests
    .filter(t => t.job !== true)
    .sort((a, b) => b.durationMs - a.durationMs)
    .slice(0, options.slowest ?? 10)
  if (slowest.length > 0) {
    out.push('### Slowest tests', '', '| test | time |', '| --- | ---: |')
    for (const t of slowest) out.push(`| ${cell(t.name)} | ${seconds(t.durationMs)} |`)
    out.push('')
  }
  const gantt = options.timeline ? renderGantt(options.timeline, { maxBars: options.maxBars }) : ''
  if (gantt !== '') out.push('### Timeline', '', gantt)
  if (summary.workers.length > 0) {
    const names = workerNames(summary.workers.map(w => w.id))
    out.push(
      '### Workers',
      '',
      '| worker | slots | jobs | busy | utilisation |',
      '| --- | ---: | ---: | ---: | ---: |'
    )
    for (const w of summary.workers) {
      const use =
        summary.durationMs > 0 ? (100 * w.busyMs) / (summary.durationMs * Math.max(1, w.slots)) : 0
      out.push(
        `| ${cell(names.get(w.id) ?? w.id)} | ${w.slots} | ${w.jobs} | ${seconds(w.busyMs)} | ${use.toFixed(0)}% |`
      )
    }
    out.push('')
  }
  return `${out.join('\n')}\n`
}

/** Quarantined tests with their outcome, and the entries that may leave the list. */
function quarantineSection(summary: RunSummary, tests: TestOutcome[]): string[] {
  const q = summary.quarantine
  if (!q) return []
  const out: string[] = []
  const held = tests.filter(t => t.quarantined === true)
  if (held.length > 0) {
    out.push(
      `### Quarantined (${held.length}): ${q.failed} failed, not failing the run`,
      '',
      '| test | outcome | message |',
      '| --- | --- | --- |'
    )
    for (const t of held) {
      const last = [...t.attempts].reverse().find(a => a.message)
      const message = failingOutcomes.has(t.outcome) ? firstLine(last?.message ?? '') : ''
      out.push(`| ${cell(t.name)} | ${t.outcome} | ${cell(message)} |`)
    }
    out.push('')
  }
  const done = removable(q)
  if (done.length > 0) {
    out.push(
      `**May leave the quarantine** (passed ${q.removeAfter} runs in a row): ${done.map(e => `${cell(e.id)} (${e.streak} runs)`).join(', ')}`,
      ''
    )
  }
  return out
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? ''
}

function tailLines(text: string, n: number): string {
  const lines = text.split('\n')
  return lines.length <= n
    ? text
    : [`… ${lines.length - n} earlier lines …`, ...lines.slice(-n)].join('\n')
}

function cell(text: string): string {
  return escapeHtml(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
