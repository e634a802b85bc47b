/**
 * The run as a picture: the time line a replayed run yields, drawn as a Mermaid gantt in the
 * job summary (a section per worker, a bar per job attempt, failed ones crit), escaped and
 * bounded for large runs.
 */
import { renderGantt, mermaidText } from '../../src/report/gantt.js'
import { JobSummaryReporter } from '../../src/report/job-summary.js'
import { replay } from '../../src/report/replay.js'
import { TimelineRecorder } from '../../src/report/timeline.js'
import type { RunEvent } from '../../src/runner/events.js'
import type { JobSpec } from '../../src/protocol/types.js'
import { checkGantt } from './mermaid-check.js'
import { attempts, recordedRun, summary, t0, tests } from './recorded-run.js'

async function summaryOf(events: RunEvent[], maxBars?: number): Promise<string> {
  const out: string[] = []
  await replay(events, [
    new JobSummaryReporter({ write: async m => void out.push(m), ...(maxBars ? { maxBars } : {}) })
  ])
  return out.join('')
}

test('the summary has a gantt with one section per worker that ran jobs, one bar per attempt', async () => {
  const markdown = await summaryOf(recordedRun())
  expect(markdown).toContain('### Timeline')
  const { problems, sections } = checkGantt(markdown)
  expect(problems).toEqual([])
  expect(sections.map(s => s.name)).toEqual(['w-1', 'w-2'])
  // Every attempt a worker ran is a bar on that worker; the job no worker took is not.
  const ran = attempts.filter(a => a.result.worker !== '')
  for (const section of sections) {
    const own = ran.filter(a => a.result.worker === section.name)
    expect(section.tasks.map(t => t.name).sort()).toEqual(own.map(a => a.job.name).sort())
    expect(section.tasks.filter(t => t.crit)).toHaveLength(
      own.filter(a => a.result.status !== 'passed').length
    )
  }
  // Times are ms after the run's start: every attempt started 1 s in.
  const slow = sections[1]?.tasks.find(t => t.name === 'src/slow.test.ts')
  expect(slow).toMatchObject({ start: 1000, end: 6000, crit: true })
  // A worker that joined and ran nothing is named below the chart.
  expect(markdown).toContain('Ran no job: w-3.')
})

/** A run of `n` jobs on `workers` workers named with a unique suffix, as matrix workers are. */
function bigRun(n: number, workers: number, name = (i: number): string => `job ${i}`): RunEvent[] {
  const events: RunEvent[] = [{ type: 'run-started', at: t0, framework: 'jest', jobs: n, tests: n }]
  for (let w = 1; w <= workers; w++)
    events.push({
      type: 'worker-joined',
      at: t0,
      worker: `worker-${w}@a1b2c${w}`,
      slots: 1,
      labels: []
    })
  for (let i = 0; i < n; i++) {
    const job: JobSpec = {
      id: `j${i}`,
      name: name(i),
      command: 'true',
      timeoutMs: 1000,
      labels: [],
      layers: [],
      attempt: 1
    }
    const w = (i % workers) + 1
    const startedAt = t0 + Math.floor(i / workers) * 100
    events.push({
      type: 'job-finished',
      at: startedAt + 90,
      job,
      retry: false,
      result: {
        id: job.id,
        attempt: 1,
        worker: `worker-${w}@a1b2c${w}`,
        status: i === 7 ? 'failed' : 'passed',
        exitCode: i === 7 ? 1 : 0,
        signal: null,
        durationMs: 90,
        startedAt,
        stdout: { text: '', truncatedBytes: 0 },
        stderr: { text: '', truncatedBytes: 0 }
      }
    })
  }
  events.push({
    type: 'run-finished',
    at: t0 + 100 * Math.ceil(n / workers),
    summary: { ...summary, durationMs: 100 * Math.ceil(n / workers), workers: [] },
    tests
  })
  return events
}

test('workers appear by their name, not the suffix that keeps their ids unique', async () => {
  const markdown = await summaryOf(bigRun(6, 3))
  const { problems, sections } = checkGantt(markdown)
  expect(problems).toEqual([])
  expect(sections.map(s => s.name)).toEqual(['worker-1', 'worker-2', 'worker-3'])
  expect(markdown).not.toContain('@a1b2c')
})

test('a large run is drawn in at most maxBars bars, grouped per worker, with a note', async () => {
  const markdown = await summaryOf(bigRun(1000, 4), 40)
  const { problems, sections } = checkGantt(markdown)
  expect(problems).toEqual([])
  expect(sections).toHaveLength(4)
  const bars = sections.flatMap(s => s.tasks)
  expect(bars.length).toBeLessThanOrEqual(40)
  expect(bars.length).toBeGreaterThanOrEqual(4)
  expect(markdown).toMatch(/1000 job attempts drawn as \d+ bars/)
  // The group holding the failed job (job 7, on worker-4) is red; the others are not.
  expect(sections[3]?.tasks.filter(t => t.crit)).toHaveLength(1)
  expect(bars.filter(t => t.crit)).toHaveLength(1)
  // Grouping keeps the span: the last bar ends where the last job ended.
  expect(Math.max(...bars.map(b => b.end))).toBe(24_990)
})

test('names from tests cannot break the chart or inject markup', async () => {
  const hostile = [
    'a: b; c # d %% e',
    '<img src=x onerror=alert(1)> & "q"',
    'title looks like a directive',
    'section also',
    'line\nbreak\r\n```',
    '',
    'click me'
  ]
  const markdown = await summaryOf(bigRun(hostile.length, 2, i => hostile[i] as string))
  const { problems, sections } = checkGantt(markdown)
  expect(problems).toEqual([])
  const names = sections.flatMap(s => s.tasks.map(t => t.name))
  expect(names).toHaveLength(hostile.length)
  const chart = markdown.slice(markdown.indexOf('```mermaid'), markdown.lastIndexOf('```'))
  expect(chart).not.toMatch(/<img|onerror=alert\(1\)>|&|"q"/)
  expect(names).toContain('job title looks like a directive')
  // An empty name gets one of its own.
  expect(names.filter(n => /^job \d+$/.test(n))).toHaveLength(1)
  expect(mermaidText('a'.repeat(200), 60)).toHaveLength(60)
})

test('an empty run has no chart', () => {
  const recorder = new TimelineRecorder()
  recorder.onEvent({ type: 'run-finished', at: t0, summary, tests: [] })
  const timeline = recorder.timeline()
  expect(timeline).toBeDefined()
  expect(renderGantt(timeline as NonNullable<typeof timeline>)).toBe('')
})
