/**
 * A file split by test name, against real vitest runs: vitest matches `-t` against full names
 * without the `i` flag, and its parts (one anchored, the last the negation of the others)
 * report exactly what the file run whole reports, each test once — tests history did not
 * know included.
 */
import { resolve } from 'node:path'
import type { PlanOptions, TestItem } from '../../../src/frameworks/core/framework.js'
import { getFramework } from '../../../src/frameworks/index.js'
import type { JobSpec, TestCaseResult } from '../../../src/protocol/types.js'
import { partResult } from '../../../src/runner/planned-items.js'
import { cleanUp, runJob, statusById } from '../job-harness.js'

const cwd = resolve('__tests__/fixtures/vitest-suite')
const vitest = getFramework('vitest')
const SUM = 'sum.test.mjs'

afterAll(cleanUp)

/** A job's cases as the runner keeps them (a split part's own only). */
async function cases(job: JobSpec): Promise<TestCaseResult[]> {
  const { result } = await runJob(job, cwd)
  if (!result.cases) throw new Error(`no report from ${job.name}: ${result.stderr.text}`)
  return partResult(job, result, vitest.partRuns?.bind(vitest)).cases ?? []
}

function planOptions(overrides: Partial<PlanOptions>): PlanOptions {
  return {
    cwd,
    args: [],
    timeoutMs: 60_000,
    slots: 2,
    timings: new Map(),
    failedBefore: new Set(),
    ...overrides
  }
}

test('the parts of a split file report what the whole file reports, each test once', async () => {
  const listed: TestItem[] = await vitest.list({ cwd, args: [], timeoutMs: 60_000 })
  // The file run whole (one job of the suite), as the reference.
  const ones = new Map(listed.map(i => [i.id, 1]))
  const whole = vitest.plan(listed, planOptions({ slots: 1, timings: ones }))
  expect(whole).toHaveLength(1)
  const expected = (await cases(whole[0] as JobSpec)).filter(c => c.file === SUM)
  expect(expected.map(c => c.status).sort()).toEqual(['failed', 'passed', 'passed', 'skipped'])

  // History knows two of the file's four tests (the others are new to it) and says the file
  // dominates the suite.
  const timings = new Map(listed.map(i => [i.id, i.id === SUM ? 10_000 : 100]))
  const testTimings = new Map([
    [
      SUM,
      new Map([
        ['sum adds two numbers', 4000],
        ['sum knows two and two make five', 3000]
      ])
    ]
  ])
  const jobs = vitest.plan(listed, planOptions({ timings, testTimings, startup: { coldMs: 0 } }))
  const parts = jobs.filter(j => j.framework?.part !== undefined)
  expect(parts).toHaveLength(2)
  const got: TestCaseResult[] = []
  for (const part of parts) {
    expect(part.framework?.tests).toEqual([SUM])
    const own = await cases(part)
    expect(own.length).toBeGreaterThan(0)
    got.push(...own)
  }
  const ids = got.map(c => c.id)
  expect(ids.length).toBe(new Set(ids).size)
  expect(statusById(got)).toEqual(statusById(expected))
}, 120_000)
