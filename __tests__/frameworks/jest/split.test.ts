/**
 * A dominant file split by test name, against real jest runs: the first run (no history) runs
 * it whole and records its tests' durations; the second run splits it into parts, and the
 * parts with the other jobs report exactly what `jest` alone reports, each test once — a test
 * added since the history was recorded included. Results go through what the runner does
 * with each result as it arrives (`partResult`), as a cold run's and a warm session's alike.
 */
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import type { PlanOptions, TestItem } from '../../../src/frameworks/core/framework.js'
import { getFramework } from '../../../src/frameworks/index.js'
import { casesFromReport, readReport } from '../../../src/frameworks/js/report.js'
import type { JobSpec, TestCaseResult } from '../../../src/protocol/types.js'
import { recordRun } from '../../../src/runner/history.js'
import { computeOutcomes, type JobAttempts } from '../../../src/runner/outcomes.js'
import { partResult } from '../../../src/runner/planned-items.js'
import { TimingStore } from '../../../src/runner/timings.js'
import { cleanUp, runJob, statusById, tempDir } from '../job-harness.js'

const cwd = resolve('__tests__/fixtures/jest-split')
const jest = getFramework('jest')
const DOMINANT = 'dominant.test.js'
const NEW = { SQUALL_SPLIT_NEW: '1' }

afterAll(cleanUp)

function planOptions(store: TimingStore, overrides: Partial<PlanOptions> = {}): PlanOptions {
  return {
    cwd,
    args: [],
    timeoutMs: 60_000,
    slots: 2,
    timings: store.expected(),
    testTimings: store.testTimes(),
    failedBefore: store.failedBefore(),
    startup: store.startup('jest'),
    ...overrides
  }
}

/** Runs every job once as the worker does; the run's attempts. */
async function runAll(jobs: JobSpec[], env: Record<string, string> = {}): Promise<JobAttempts[]> {
  const entries: JobAttempts[] = []
  for (const job of jobs) {
    const { result: raw } = await runJob(job, cwd, env)
    if (!raw.cases) throw new Error(`no report from ${job.name}: ${raw.stderr.text}`)
    // As the runner takes each result in: a part keeps its own cases.
    const result = partResult(job, raw, jest.partRuns?.bind(jest))
    entries.push({ job, attempts: [{ job, result }] })
  }
  return entries
}

/** `jest` alone on the suite, read the same way. */
async function jestAlone(env: Record<string, string>, files: string[]): Promise<TestCaseResult[]> {
  const out = join(tempDir('jest-alone'), 'report.json')
  const r = spawnSync(
    process.execPath,
    [resolve('node_modules/jest/bin/jest.js'), '--ci', '--json', '--outputFile', out],
    { cwd, env: { ...process.env, ...env, JEST_WORKER_ID: undefined, NODE_OPTIONS: undefined } }
  )
  if (r.status !== 0) throw new Error(`jest alone failed: ${String(r.stderr)}`)
  const report = await readReport(out)
  if (!report) throw new Error(`jest alone wrote no report: ${String(r.stderr)}`)
  return casesFromReport(report, files)
}

test('the second run splits the dominant file; each test is reported once, as jest alone does', async () => {
  const listed: TestItem[] = await jest.list({ cwd, args: [], timeoutMs: 60_000 })
  expect(listed.map(i => i.id).sort()).toEqual([DOMINANT, 'other.test.js', 'small.test.js'])

  // First run: no history, nothing to split.
  const store = TimingStore.empty()
  const first = jest.plan(listed, planOptions(store))
  expect(first.some(j => j.framework?.part !== undefined)).toBe(false)
  recordRun(store, jest, await runAll(first))
  const known = store.testTimes().get(DOMINANT)
  expect([...(known?.keys() ?? [])].sort()).toEqual([
    'four',
    'heavy Twin',
    'heavy one (a|b)',
    'heavy one (a|b) more',
    'heavy skipped on purpose',
    'heavy twin',
    'three.* [x]'
  ])
  // The small files are far below a split: their tests are not kept.
  expect(store.testTimes().has('small.test.js')).toBe(false)

  // Second run, warm (a job costs jest's per-run work, not a start-up), with a new test.
  const second = jest.plan(
    listed,
    planOptions(store, { sessionCommand: [process.execPath, 'squall', 'session'] })
  )
  const parts = second.filter(j => j.framework?.part !== undefined)
  expect(parts.length).toBeGreaterThanOrEqual(2)
  expect(parts.every(p => p.framework?.tests?.join() === DOMINANT)).toBe(true)
  expect(
    second.filter(j => j.framework?.part === undefined).flatMap(j => j.framework?.tests)
  ).not.toContain(DOMINANT)

  const entries = await runAll(second, NEW)
  const cases = entries.flatMap(e => e.attempts.flatMap(a => a.result.cases ?? []))
  const ids = cases.map(c => c.id)
  expect(ids.length).toBe(new Set(ids).size)
  // Every part ran some of the file's tests; the new one ran in exactly one part.
  for (const e of entries.filter(e => e.job.framework?.part !== undefined)) {
    const own = e.attempts[0]?.result.cases ?? []
    expect(own.filter(c => c.status === 'passed').length).toBeGreaterThan(0)
  }
  expect(ids.filter(id => id === `${DOMINANT}::added after the first run`)).toHaveLength(1)

  const alone = await jestAlone(
    NEW,
    listed.map(i => i.id)
  )
  expect(statusById(cases)).toEqual(statusById(alone))
  // The run's outcomes count the same tests: no part adds or loses one.
  const outcomes = computeOutcomes(entries)
  expect(outcomes.map(t => t.id).sort()).toEqual(alone.map(c => c.id).sort())

  // History after the split run: the file's time is its parts' sum, its tests' times kept.
  recordRun(store, jest, entries)
  expect(store.testTimes().get(DOMINANT)?.has('added after the first run')).toBe(true)
}, 180_000)
