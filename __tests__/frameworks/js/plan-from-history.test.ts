/**
 * Planning from measured history, pure: a suite with a long real start-up and one dominant
 * file is planned, "run" in the scheduler simulation, recorded as history, and planned again.
 * The second plan must not predict a slower run than the first.
 */
import { jestFramework } from '../../../src/frameworks/jest/jest.js'
import type { PlanOptions, TestItem } from '../../../src/frameworks/core/framework.js'
import type { JobResult, JobSpec } from '../../../src/protocol/types.js'
import { recordRun } from '../../../src/runner/history.js'
import type { JobAttempts } from '../../../src/runner/outcomes.js'
import { TimingStore } from '../../../src/runner/timings.js'
import { simulate } from '../../../src/scheduler/simulate.js'
import { result, testCase } from '../../runner/build.js'

/** What a cold jest job really costs beyond its tests (far above the 1.5 s default). */
const REAL_STARTUP_MS = 14_000
/** Loading one file (transform, require): real, but no test's duration shows it. */
const LOAD_MS = 80
const SLOTS = 2

/** 120 files of a few hundred ms, and one file of 40% of the suite's test time. */
function suite(): Map<string, number> {
  const files = new Map<string, number>()
  for (let i = 0; i < 120; i++)
    files.set(`src/f${String(i).padStart(3, '0')}.test.js`, 200 + ((i * 37) % 1000))
  const rest = [...files.values()].reduce((a, b) => a + b, 0)
  files.set('src/dominant.test.js', Math.round((rest * 0.4) / 0.6))
  return files
}

const testMs = suite()
const items: TestItem[] = [...testMs.keys()].map(id => ({
  id,
  name: id,
  file: id,
  data: { launcher: ['jest'] }
}))

function plan(store: TimingStore): JobSpec[] {
  const options: PlanOptions = {
    cwd: '/suite',
    args: [],
    timeoutMs: 600_000,
    slots: SLOTS,
    timings: store.expected(),
    failedBefore: store.failedBefore(),
    startup: store.startup('jest')
  }
  return jestFramework.plan(items, options)
}

const actualMs = (job: JobSpec): number =>
  REAL_STARTUP_MS +
  (job.framework?.tests ?? []).reduce((s, f) => s + (testMs.get(f) ?? 0) + LOAD_MS, 0)

/** Runs the plan in the simulation; returns the makespan and records the run as history. */
function run(jobs: JobSpec[], store: TimingStore): number {
  const sim = simulate({
    jobs: jobs.map(spec => ({ spec, actualMs: actualMs(spec) })),
    workers: [{ id: 'w1', slots: SLOTS }]
  })
  expect(sim.unfinished).toBe(0)
  const entries: JobAttempts[] = jobs.map(job => {
    const files = job.framework?.tests ?? []
    const r: JobResult = result(job, {
      durationMs: actualMs(job),
      cases: files.map(f => testCase(`${f}::t`, 'passed', { file: f, durationMs: testMs.get(f) }))
    })
    return { job, attempts: [{ job, result: r }] }
  })
  recordRun(store, jestFramework, entries)
  return sim.makespanMs
}

test('the second run (planned from measured history) is not slower than the first', () => {
  const store = TimingStore.empty()
  const first = plan(store)
  const firstMs = run(first, store)
  // The start-up per job and the loading per file, told apart.
  expect(store.startup('jest')).toMatchObject({ coldMs: REAL_STARTUP_MS, itemMs: LOAD_MS })

  const second = plan(store)
  const secondMs = run(second, store)
  expect(secondMs).toBeLessThanOrEqual(firstMs)
  // Fewer jobs: each one pays the real start-up.
  expect(second.length).toBeLessThanOrEqual(first.length)

  // And it stays there: more history does not drift back to many small jobs.
  const third = plan(store)
  expect(run(third, store)).toBeLessThanOrEqual(firstMs)
  expect(third.length).toBeLessThanOrEqual(first.length)
})

test('a dominant file (40% of the suite) gets a job of its own, planned first', () => {
  const store = TimingStore.empty()
  run(plan(store), store)
  const [head] = plan(store)
  expect(head?.framework?.tests).toEqual(['src/dominant.test.js'])
  // Its expectation is its tests plus one measured start-up, not a share of other jobs' time.
  const dominant = testMs.get('src/dominant.test.js') ?? 0
  expect(head?.expectedMs).toBe(Math.round(dominant + (store.startup('jest').coldMs ?? 0)))
})

test("history keeps the files' own time: small files stay small", () => {
  const store = TimingStore.empty()
  run(plan(store), store)
  const expected = store.expected()
  for (const [file, ms] of testMs) expect(expected.get(file)).toBe(ms)
})

test('warm jobs plan with the measured per-job cost, not the session start-up', () => {
  const store = TimingStore.empty()
  store.recordStartup('jest', 'sessionMs', 12_000)
  store.recordStartup('jest', 'warmJobMs', 250)
  for (const [file, ms] of testMs) store.record(file, ms, false)
  const jobs = jestFramework.plan(items, {
    cwd: '/suite',
    args: [],
    timeoutMs: 600_000,
    slots: SLOTS,
    timings: store.expected(),
    failedBefore: new Set(),
    startup: store.startup('jest'),
    sessionCommand: ['node', 'squall.js', 'session']
  })
  for (const job of jobs) {
    const work = (job.framework?.tests ?? []).reduce((s, f) => s + (testMs.get(f) ?? 0), 0)
    expect(job.expectedMs).toBe(Math.round(work + 250))
  }
})
