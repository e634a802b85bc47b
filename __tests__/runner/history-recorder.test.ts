import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TimingHistoryRecorder } from '../../src/runner/history-recorder.js'
import type { RunSummary } from '../../src/runner/events.js'
import { TimingStore } from '../../src/runner/timings.js'
import { job, result, testCase } from './build.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'squall-recorder-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function summary(startedAt: number, durationMs: number): RunSummary {
  return {
    startedAt,
    durationMs,
    jobs: 2,
    tests: 2,
    passed: 2,
    failed: 0,
    flaky: 0,
    skipped: 0,
    errored: 0,
    exitCode: 0,
    workers: []
  }
}

test("the run's time outside its jobs is recorded and saved: its duration less the jobs' span", async () => {
  const path = join(dir, 'timings.json')
  const store = TimingStore.empty()
  const recorder = new TimingHistoryRecorder(store, { name: 'jest' }, path, () => undefined)
  const a = job('a', { framework: { name: 'jest', tests: ['a.test.js'] } })
  const b = job('b', { framework: { name: 'jest', tests: ['b.test.js'] } })
  const finished = (spec: typeof a, at: number) => ({
    type: 'job-finished' as const,
    at,
    job: spec,
    retry: false,
    result: result(spec, {
      durationMs: 3000,
      cases: [testCase(`${spec.id}::t`, 'passed', { file: spec.framework?.tests?.[0] })]
    })
  })
  // Listing until 1.5 s, jobs from 1.5 s to 7.5 s, reports until 8 s.
  recorder.onEvent({ type: 'jobs-planned', at: 1400, jobs: [a, b] })
  recorder.onEvent({ type: 'job-started', at: 1500, job: a, worker: 'w1' })
  recorder.onEvent({ type: 'job-started', at: 1600, job: b, worker: 'w1' })
  recorder.onEvent(finished(b, 7500))
  recorder.onEvent(finished(a, 4500))
  recorder.onEvent({ type: 'run-finished', at: 8000, summary: summary(0, 8000), tests: [] })
  await recorder.finish()
  expect(store.startup('jest').runMs).toBe(2000)
  const saved = await TimingStore.load(path)
  expect(saved.startup('jest').runMs).toBe(2000)
})

test('a run without jobs records no run time', async () => {
  const store = TimingStore.empty()
  const recorder = new TimingHistoryRecorder(
    store,
    { name: 'jest' },
    join(dir, 'timings.json'),
    () => undefined
  )
  recorder.onEvent({ type: 'jobs-planned', at: 10, jobs: [] })
  recorder.onEvent({ type: 'run-finished', at: 900, summary: summary(0, 900), tests: [] })
  await recorder.finish()
  expect(store.startup('jest')).toEqual({})
})
