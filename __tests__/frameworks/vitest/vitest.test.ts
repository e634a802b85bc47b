/** The vitest framework against real vitest runs on the fixture suite. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { PlanOptions, TestItem } from '../../../src/frameworks/core/framework.js'
import { getFramework } from '../../../src/frameworks/index.js'
import type { JobSpec, TestCaseResult } from '../../../src/protocol/types.js'
import { cleanUp, runJob, testFilesUnder } from '../job-harness.js'

const cwd = resolve('__tests__/fixtures/vitest-suite')
const vitest = getFramework('vitest')
const files = testFilesUnder(cwd, '.test.mjs')

function planOptions(overrides: Partial<PlanOptions> = {}): PlanOptions {
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

async function runAndParse(
  job: JobSpec,
  env: Record<string, string> = {}
): Promise<TestCaseResult[]> {
  const { result } = await runJob(job, cwd, env)
  if (!result.cases) throw new Error(`no report: ${result.stderr.text}`)
  return result.cases
}

/** The 1-based line of the first line of `file` containing `text`. */
function lineContaining(file: string, text: string): number {
  return (
    readFileSync(join(cwd, file), 'utf8')
      .split('\n')
      .findIndex(l => l.includes(text)) + 1
  )
}

/** One job for all these items (short history keeps them in one batch). */
function oneJob(items: TestItem[], args: string[] = []): JobSpec {
  const timings = new Map(items.map(i => [i.id, 1]))
  const jobs = vitest.plan(items, planOptions({ slots: 1, timings, args }))
  expect(jobs).toHaveLength(1)
  return jobs[0] as JobSpec
}

const statuses = (cases: TestCaseResult[]): Record<string, string> =>
  Object.fromEntries(cases.map(c => [c.id, c.status]))

let listed: TestItem[] = []
beforeAll(async () => {
  listed = await vitest.list({ cwd, args: [], timeoutMs: 60_000 })
})
afterAll(cleanUp)

describe('vitest framework on the fixture suite', () => {
  let jobs: JobSpec[] = []
  const fromJobs: TestCaseResult[] = []

  test('lists exactly the fixture files, relative to the suite root', () => {
    expect(listed.map(i => i.id)).toEqual(files)
    expect(listed.map(i => i.id)).toContain('more/flaky.test.mjs')
    // Long histories split the suite over several jobs.
    const timings = new Map(files.map(f => [f, 2000]))
    jobs = vitest.plan(listed, planOptions({ timings }))
    expect(jobs.length).toBeGreaterThan(1)
    expect(jobs.flatMap(j => j.framework?.tests ?? []).sort()).toEqual(files)
    expect(new Set(jobs.map(j => j.id)).size).toBe(jobs.length)
  })

  test('running each planned job as the worker does gives what one whole run gives', async () => {
    for (const job of jobs) {
      const cases = await runAndParse(job)
      // A job reports on its own files and nothing else, overlapping names or not.
      expect([...new Set(cases.map(c => c.file))].sort()).toEqual(
        [...(job.framework?.tests ?? [])].sort()
      )
      fromJobs.push(...cases)
    }
    const launcher = (jobs[0]?.framework?.data as { launcher: string[] }).launcher.join(' ')
    const whole = await runAndParse({
      ...(jobs[0] as JobSpec),
      command: `${launcher} run --reporter=json --outputFile.json="$SQUALL_JOB_DIR/vitest.json" --includeTaskLocation`,
      framework: { name: 'vitest', tests: files }
    })
    expect(statuses(fromJobs)).toEqual(statuses(whole))
    expect(new Set(Object.values(statuses(whole)))).toEqual(
      new Set(['passed', 'failed', 'skipped'])
    )
  })

  test('the known failure carries its file, the line of the failing expectation and a message', () => {
    const failed = fromJobs.filter(c => c.status === 'failed')
    expect(failed.map(c => c.id)).toEqual(['sum.test.mjs::sum knows two and two make five'])
    const [failure] = failed as [TestCaseResult]
    expect(failure.file).toBe('sum.test.mjs')
    expect(failure.line).toBe(lineContaining('sum.test.mjs', 'sum(2, 2)'))
    expect(failure.message).toContain('expected 4 to be 5')
    expect(failure.output).not.toContain('\u001b[')
  })

  test('skipped and slow tests are reported as such', () => {
    const skipped = fromJobs.filter(c => c.status === 'skipped')
    expect(skipped.map(c => c.name)).toEqual(['sum joins strings one day'])
    // Declaration lines cost a stack per test: only a user who asks for them gets them.
    expect(fromJobs.filter(c => c.status !== 'failed' && c.line !== undefined)).toEqual([])
    const slow = fromJobs.find(c => c.file === 'slow.test.mjs')
    expect(slow?.status).toBe('passed')
    // The fixture itself checks it waited at least 900 ms.
    expect(slow?.durationMs).toBeGreaterThanOrEqual(900)
  })
})

test('with --includeTaskLocation of the user, every test carries its declaration line', async () => {
  const job = oneJob(
    listed.filter(i => i.id === 'sum.test.mjs'),
    ['--includeTaskLocation']
  )
  const cases = await runAndParse(job)
  const skipped = cases.find(c => c.status === 'skipped')
  expect(skipped?.line).toBe(lineContaining('sum.test.mjs', 'joins strings one day'))
  const passed = cases.find(c => c.name === 'sum adds zero')
  expect(passed?.line).toBe(lineContaining('sum.test.mjs', "'adds zero'"))
})

describe('vitest flaky test, retries and errors', () => {
  const temp = mkdtempSync(join(tmpdir(), 'squall-vitest-flaky-'))
  afterAll(() => rmSync(temp, { recursive: true, force: true }))

  test('the flaky test fails once and passes on a retry; a file that failed to load reruns whole', async () => {
    const counter = join(temp, 'counter')
    const job = oneJob(
      listed.filter(i => ['more/flaky.test.mjs', 'broken.test.mjs'].includes(i.id))
    )
    const first = await runAndParse(job, {
      SQUALL_FLAKY_COUNTER: counter,
      SQUALL_FIXTURE_BROKEN: '1'
    })
    expect(statuses(first)).toEqual({
      'broken.test.mjs': 'error',
      'more/flaky.test.mjs::passes on the second try': 'failed'
    })
    const broken = first.find(c => c.id === 'broken.test.mjs')
    expect(broken?.file).toBe('broken.test.mjs')
    expect(broken?.message).toContain('broken on purpose')

    const failedIds = first.filter(c => c.status !== 'passed').map(c => c.id)
    const retry = vitest.retryJob?.(job, failedIds) as JobSpec
    expect(retry.id).toBe(job.id)
    expect(retry.framework?.tests?.slice().sort()).toEqual([
      'broken.test.mjs',
      'more/flaky.test.mjs'
    ])
    // A whole file among the failures: the files run whole, no name filter.
    expect(retry.command).not.toContain('--testNamePattern')
    const second = await runAndParse(retry, { SQUALL_FLAKY_COUNTER: counter })
    expect(statuses(second)).toEqual({
      'broken.test.mjs::loads': 'passed',
      'more/flaky.test.mjs::passes on the second try': 'passed'
    })
    expect(readFileSync(counter, 'utf8')).toBe('2')
  })

  test('a retry of one test in sum.test.mjs runs only that test, and not checksum.test.mjs', async () => {
    const job = oneJob(listed.filter(i => ['sum.test.mjs', 'checksum.test.mjs'].includes(i.id)))
    const retry = vitest.retryJob?.(job, [
      'sum.test.mjs::sum knows two and two make five'
    ]) as JobSpec
    expect(retry.framework?.tests).toEqual(['sum.test.mjs'])
    const cases = await runAndParse(retry)
    expect(new Set(cases.map(c => c.file))).toEqual(new Set(['sum.test.mjs']))
    expect(cases.filter(c => c.status !== 'skipped').map(c => [c.id, c.status])).toEqual([
      ['sum.test.mjs::sum knows two and two make five', 'failed']
    ])
  })
})

describe('vitest filters and exact files', () => {
  test('a path filter narrows the list', async () => {
    const items = await vitest.list({ cwd, args: ['checksum'], timeoutMs: 60_000 })
    expect(items.map(i => i.id)).toEqual(['checksum.test.mjs'])
  })

  test('a name filter narrows the list to files with matching tests', async () => {
    const items = await vitest.list({ cwd, args: ['-t', 'checksum of'], timeoutMs: 60_000 })
    expect(items.map(i => i.id)).toEqual(['checksum.test.mjs'])
  })

  test('a job for sum.test.mjs runs it, not checksum.test.mjs, with the name filter applied', async () => {
    const args = ['-t', 'adds', 'sum']
    // Long histories and many slots: one job per file, planned from the whole list.
    const timings = new Map(files.map(f => [f, 6000]))
    const jobs = vitest.plan(listed, planOptions({ args, slots: 100, timings }))
    const job = jobs.find(j => j.framework?.tests?.join() === 'sum.test.mjs') as JobSpec
    // The user's path filter `sum` stays out of the job; checksum.test.mjs is excluded.
    expect(job.command).toContain('--exclude checksum.test.mjs')
    expect(job.command).not.toMatch(/ sum( |$)/)
    const cases = await runAndParse(job)
    expect(new Set(cases.map(c => c.file))).toEqual(new Set(['sum.test.mjs']))
    expect(
      cases
        .filter(c => c.status === 'passed')
        .map(c => c.name)
        .sort()
    ).toEqual(['sum adds two numbers', 'sum adds zero'])
  })
})
