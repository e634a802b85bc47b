/**
 * A self-contained HTML report of a run, one file with inline CSS and SVG and nothing fetched:
 * totals, the timeline of every worker's jobs, failures with their output, quarantined, flaky
 * and slowest tests, and the workers. Written by a reporter listening to the event stream
 * (`squall run --html PATH`; the actions' `html-report` input uploads it). Everything that
 * comes from tests is escaped. The page is well-formed XML as well as HTML.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { workerNames } from '../protocol/worker-name.js'
import { removable } from '../runner/quarantine.js'
import { failingOutcomes, type RunSummary, type TestOutcome } from '../runner/events.js'
import { formatDuration } from '../values.js'
import { kindsLine, outcomeLabels, tail, terminalText } from './format.js'
import { html } from './html-text.js'
import { timelineSvg } from './html-timeline.js'
import { RunEndReporter, type RunEnd } from './run-end-reporter.js'
import { slowestTests } from './terminal-summary.js'
import type { Timeline } from './timeline.js'

export interface HtmlReportOptions {
  /** Where to write; parent directories are created. */
  path: string
  /** Lines of output kept per failure (default 200). */
  outputLines?: number
}

/** Writes the report once the run has finished. */
export class HtmlReporter extends RunEndReporter {
  constructor(private readonly options: HtmlReportOptions) {
    super('squall')
  }

  protected async write({ summary, tests, framework, timeline }: RunEnd): Promise<void> {
    const page = renderHtmlReport(summary, tests, framework, timeline, {
      outputLines: this.options.outputLines
    })
    await mkdir(dirname(this.options.path), { recursive: true })
    await writeFile(this.options.path, page)
  }
}

/** The page for a finished run. Pure. */
export function renderHtmlReport(
  summary: RunSummary,
  tests: readonly TestOutcome[],
  framework: string,
  timeline: Timeline | undefined,
  options: { outputLines?: number } = {}
): string {
  const ok = summary.exitCode === 0
  const failures = tests.filter(t => failingOutcomes.has(t.outcome) && t.quarantined !== true)
  const flaky = tests.filter(t => t.outcome === 'flaky' && t.quarantined !== true)
  const held = tests.filter(t => t.quarantined === true)
  const body = [
    `<h1 class="${ok ? 'pass' : 'fail'}">${ok ? 'Passed' : 'Failed'}: squall ${html(framework)}</h1>`,
    `<p>Started ${html(new Date(summary.startedAt).toISOString())}, ${html(formatDuration(summary.durationMs))} of wall time, exit code ${summary.exitCode}.</p>`,
    totals(summary),
    '<h2>Timeline</h2>',
    timeline ? timelineSvg(timeline) : '<p>No timeline was recorded.</p>',
    section(`Failures (${failures.length})`, failures.map(t => failure(t, options)).join('')),
    section(
      `Quarantined (${held.length})`,
      held.length > 0 || summary.quarantine ? quarantine(summary, held) : ''
    ),
    section(`Flaky (${flaky.length})`, flaky.length > 0 ? flakyList(flaky) : ''),
    section('Slowest tests', slowest(tests)),
    section('Workers', workers(summary))
  ]
  return `<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>squall ${html(framework)}: ${ok ? 'passed' : 'failed'}</title>
<style>${css}</style>
</head>
<body>
${body.filter(Boolean).join('\n')}
</body>
</html>
`
}

const css = `body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:1000px;color:#1f2328;padding:0 1em}
h1.pass{color:#1a7f37}h1.fail{color:#cf222e}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:left}td.n{text-align:right}
pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:30em;white-space:pre-wrap}
details{margin:.4em 0}summary{cursor:pointer}.o{font-weight:600}.failed,.error,.timed-out,.cancelled{color:#cf222e}
.flaky{color:#9a6700}.passed{color:#1a7f37}svg .ok{fill:#54aeff}svg .bad{fill:#cf222e}
svg .w{font-size:11px}svg .t{font-size:10px;fill:#57606a}svg .tick{stroke:#eaeef2}svg .sep{stroke:#d0d7de}`

function section(title: string, content: string): string {
  return content === '' ? '' : `<h2>${html(title)}</h2>\n${content}`
}

function totals(s: RunSummary): string {
  const cells: [string, number][] = [
    ['passed', s.passed],
    ['failed', s.failed],
    ['flaky', s.flaky],
    ['skipped', s.skipped],
    ['errored', s.errored],
    ['quarantined failed', s.quarantine?.failed ?? 0],
    ['tests', s.tests],
    ['jobs', s.jobs]
  ]
  const table = `<table class="totals"><tr>${cells.map(([k]) => `<th>${k}</th>`).join('')}</tr><tr>${cells.map(([, v]) => `<td class="n">${v}</td>`).join('')}</tr></table>`
  const within = kindsLine(s)
  return within === '' ? table : `${table}\n<p>${html(within)}</p>`
}

function where(t: TestOutcome): string {
  return t.file ? ` <code>${html(`${t.file}${t.line ? `:${t.line}` : ''}`)}</code>` : ''
}

function failure(t: TestOutcome, options: { outputLines?: number }): string {
  const last = [...t.attempts].reverse().find(a => a.status !== 'passed' && a.status !== 'skipped')
  const text = [last?.message, last?.output].filter(s => s && s.trim() !== '').join('\n\n')
  const tries = t.attempts.length > 1 ? ` (${t.attempts.length} attempts)` : ''
  const head = `<span class="o ${t.outcome}">${outcomeLabels[t.outcome]}</span> ${html(t.name)}${where(t)}${tries}`
  if (text === '') return `<p>${head}</p>\n`
  return `<details open="open"><summary>${head}</summary><pre>${html(tail(terminalText(text), options.outputLines ?? 200))}</pre></details>\n`
}

function quarantine(s: RunSummary, held: readonly TestOutcome[]): string {
  const rows = held
    .map(
      t =>
        `<tr><td>${html(t.name)}</td><td class="${t.outcome}">${t.outcome}</td><td>${html(firstMessage(t))}</td></tr>`
    )
    .join('')
  const table =
    held.length > 0
      ? `<p>These tests ran; their failures do not fail the run.</p><table><tr><th>test</th><th>outcome</th><th>message</th></tr>${rows}</table>`
      : ''
  const done = s.quarantine ? removable(s.quarantine) : []
  const note =
    done.length > 0 && s.quarantine
      ? `<p>Passed ${s.quarantine.removeAfter} runs in a row, may leave the quarantine: ${done.map(e => `<code>${html(e.id)}</code>`).join(', ')}</p>`
      : ''
  return table + note
}

function firstMessage(t: TestOutcome): string {
  if (!failingOutcomes.has(t.outcome)) return ''
  const m = [...t.attempts].reverse().find(a => a.message)?.message ?? ''
  return terminalText(m).trim().split('\n')[0] ?? ''
}

function flakyList(flaky: readonly TestOutcome[]): string {
  const items = flaky.map(t => {
    const failed = t.attempts.filter(a => a.status !== 'passed' && a.status !== 'skipped')
    const why = failed[0]?.message ? `: ${terminalText(failed[0].message).split('\n')[0]}` : ''
    return `<li>${html(t.name)}${where(t)}: failed ${failed.length} of ${t.attempts.length} attempts${html(why)}</li>`
  })
  return `<ul>${items.join('')}</ul>`
}

function slowest(tests: readonly TestOutcome[]): string {
  const list = slowestTests(tests, 20)
  if (list.length === 0) return ''
  const rows = list.map(
    t =>
      `<tr><td class="n">${html(formatDuration(t.durationMs))}</td><td>${html(t.name)}${where(t)}</td></tr>`
  )
  return `<table><tr><th>time</th><th>test</th></tr>${rows.join('')}</table>`
}

function workers(s: RunSummary): string {
  if (s.workers.length === 0) return ''
  const names = workerNames(s.workers.map(w => w.id))
  const rows = s.workers.map(w => {
    const use = s.durationMs > 0 ? (100 * w.busyMs) / (s.durationMs * Math.max(1, w.slots)) : 0
    return `<tr><td>${html(names.get(w.id) ?? w.id)}</td><td class="n">${w.slots}</td><td class="n">${w.jobs}</td><td class="n">${html(formatDuration(w.busyMs))}</td><td class="n">${use.toFixed(0)}%</td></tr>`
  })
  return `<table><tr><th>worker</th><th>slots</th><th>jobs</th><th>busy</th><th>utilisation</th></tr>${rows.join('')}</table>`
}
