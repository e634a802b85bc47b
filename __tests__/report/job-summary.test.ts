/** The job summary from a recorded run replayed into it, as the actions write it. */
import { renderJobSummary, JobSummaryReporter } from '../../src/report/job-summary.js'
import { parseEvents, replay, serializeEvents } from '../../src/report/replay.js'
import type { RunEvent } from '../../src/runner/events.js'
import { TimelineRecorder } from '../../src/report/timeline.js'
import { recordedRun, summary, tests } from './recorded-run.js'

async function written(events: RunEvent[] = recordedRun()): Promise<string[]> {
  const out: string[] = []
  await replay(events, [
    new JobSummaryReporter({ write: async markdown => void out.push(markdown) })
  ])
  return out
}

test('a replayed run writes one summary, the same as rendering its outcome directly', async () => {
  const out = await written()
  expect(out).toHaveLength(1)
  const timeline = new TimelineRecorder()
  for (const event of recordedRun()) timeline.onEvent(event)
  expect(out[0]).toBe(renderJobSummary(summary, tests, 'jest', { timeline: timeline.timeline() }))
})

test('totals, failures with output, flaky tests, slowest tests and workers', async () => {
  const [markdown = ''] = await written()
  expect(markdown.startsWith('## ❌ squall: jest\n')).toBe(true)
  // passed, failed, flaky, skipped, errored, tests, jobs, wall time.
  expect(markdown).toContain('| 3 | 1 | 1 | 1 | 2 | 8 | 5 | 42.1s |')
  expect(markdown).toContain('### Failures (3)')
  // Names and messages are escaped for markdown tables and HTML.
  expect(markdown).toContain('| reads &lt;file&gt; &amp; "quotes" | failed | `src/io.test.ts:12` |')
  expect(markdown).toContain('| src/slow.test.ts | timed-out |  | timed out after 5.0s |')
  expect(markdown).toContain('| src/boom.test.ts | error |  | could not start: spawn jest ENOENT |')
  expect(markdown).toContain(
    '<details><summary>reads &lt;file&gt; &amp; "quotes" — output</summary>'
  )
  expect(markdown).toContain('slow line 30')
  expect(markdown).toContain('### Flaky (1): passed only on retry')
  expect(markdown).toContain('- connects — 1 failed attempt(s)')
  expect(markdown).toContain('| src/slow.test.ts | 5.0s |')
  expect(markdown).toContain('| w-2 | 1 | 3 | 6.5s | 15% |')
})

test('a recording kept as JSON Lines replays to the same summary', async () => {
  const recorded = parseEvents(serializeEvents(recordedRun()))
  expect(await written(recorded)).toEqual(await written())
})

test('a run that never finished writes nothing', async () => {
  expect(await written(recordedRun().slice(0, -1))).toEqual([])
})

test('the slowest tests leave whole-job entries out', () => {
  const marked = tests.map(t => (t.id.includes('slow') ? { ...t, job: true as const } : t))
  const markdown = renderJobSummary(summary, marked, 'jest')
  const slowest = markdown.slice(
    markdown.indexOf('### Slowest tests'),
    markdown.indexOf('### Workers')
  )
  expect(slowest).not.toContain('src/slow.test.ts')
  expect(slowest).toContain('| test | time |')
  expect(markdown).toContain('| src/slow.test.ts | timed-out |  | timed out after 5.0s |')
})
