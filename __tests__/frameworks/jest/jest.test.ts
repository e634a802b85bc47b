/** The jest framework against real jest runs on the fixture suite. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { PlanOptions, TestItem } from '../../../src/frameworks/core/framework.js'
import { getFramework } from '../../../src/frameworks/index.js'
import type { JobSpec, TestCaseResult } from '../../../src/protocol/types.js'
import { cleanUp, runJob, testFilesUnder } from '../job-harness.js'

const cwd = resolve('__tests__/fixtures/jest-suite')
const jest = getFramework('jest')
const files = testFilesUnder(cwd, '.test.js')

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
function oneJob(items: TestItem[]): JobSpec {
  const timings = new Map(items.map(i => [i.id, 1]))
  const jobs = jest.plan(items, planOptions({ slots: 1, timings }))
  expect(jobs).toHaveLength(1)
  return jobs[0] as JobSpec
}

const statuses = (cases: TestCaseResult[]): Record<string, string> =>
  Object.fromEntries(cases.map(c => [c.id, c.status]))

let listed: TestItem[] = []
beforeAll(async () => {
  listed = await jest.list({ cwd, args: [], timeoutMs: 60_000 })
})
afterAll(cleanUp)

/** The listed items with these ids. */
const only = (...ids: string[]): TestItem[] => listed.filter(i => ids.includes(i.id))

describe('jest framework on the fixture suite', () => {
  let jobs: JobSpec[] = []
  const fromJobs: TestCaseResult[] = []

  test('lists exactly the fixture files, relative to the suite root', () => {
    expect(listed.map(i => i.id)).toEqual(files)
    expect(listed.map(i => i.id)).toContain('more/flaky.test.js')
    expect(listed.every(i => i.file === i.id)).toBe(true)
    jobs = jest.plan(listed, planOptions())
    expect(jobs.flatMap(j => j.framework?.tests ?? []).sort()).toEqual(files)
    expect(new Set(jobs.map(j => j.id)).size).toBe(jobs.length)
  })

  test('running each planned job as the worker does gives what one whole run gives', async () => {
    for (const job of jobs) {
      const cases = await runAndParse(job)
      // A job reports on its own files and nothing else.
      expect([...new Set(cases.map(c => c.file))].sort()).toEqual(
        [...(job.framework?.tests ?? [])].sort()
      )
      fromJobs.push(...cases)
    }
    const whole = await runAndParse({
      ...jobs[0],
      command: `${String((jobs[0]?.framework?.data as { launcher: string[] }).launcher[0])} --ci --json --outputFile "$SQUALL_JOB_DIR/jest.json" --testLocationInResults`,
      framework: { name: 'jest', tests: files }
    } as JobSpec)
    expect(statuses(fromJobs)).toEqual(statuses(whole))
    expect(new Set(Object.values(statuses(whole)))).toEqual(
      new Set(['passed', 'failed', 'skipped'])
    )
  })

  test('the known failure carries its file, the line of the failing expectation and a message', () => {
    const failed = fromJobs.filter(c => c.status === 'failed')
    expect(failed.map(c => c.id)).toEqual(['sum.test.js::sum knows two and two make five'])
    const [failure] = failed as [TestCaseResult]
    expect(failure.file).toBe('sum.test.js')
    expect(failure.suite).toBe('sum.test.js')
    expect(failure.line).toBe(lineContaining('sum.test.js', 'sum(2, 2)'))
    expect(failure.message).toContain('toBe')
    expect(failure.output).toContain('Received: 4')
    expect(failure.output).not.toContain('\u001b[')
  })

  test('skipped and slow tests are reported as such', () => {
    const skipped = fromJobs.filter(c => c.status === 'skipped')
    expect(skipped.map(c => c.name)).toEqual(['sum joins strings one day'])
    // Declaration lines cost a stack per test: only a user who asks for them gets them.
    expect(fromJobs.filter(c => c.status !== 'failed' && c.line !== undefined)).toEqual([])
    const slow = fromJobs.find(c => c.file === 'slow.test.js')
    expect(slow?.status).toBe('passed')
    // The fixture itself checks it waited at least 900 ms.
    expect(slow?.durationMs).toBeGreaterThanOrEqual(900)
  })

  test('with --testLocationInResults of the user, every test carries its declaration line', async () => {
    const [job] = jest.plan(only('sum.test.js'), planOptions({ args: ['--testLocationInResults'] }))
    const cases = await runAndParse(job as JobSpec)
    const skipped = cases.find(c => c.status === 'skipped')
    expect(skipped?.line).toBe(lineContaining('sum.test.js', 'joins strings one day'))
    const passed = cases.find(c => c.name === 'sum adds zero')
    expect(passed?.line).toBe(lineContaining('sum.test.js', "'adds zero'"))
  })

  test('item durations are per file and cover the slow file', () => {
    const job = jobs.find(j => j.framework?.tests?.includes('slow.test.js')) as JobSpec
    const cases = fromJobs.filter(c => job.framework?.tests?.includes(c.file ?? ''))
    const durations = jest.itemDurations?.(job, {
      id: job.id,
      attempt: 1,
      worker: 'w',
      status: 'failed',
      exitCode: 1,
      signal: null,
      durationMs: 5000,
      startedAt: 1,
      stdout: { text: '', truncatedBytes: 0 },
      stderr: { text: '', truncatedBytes: 0 },
      cases
    })
    expect([...(durations?.keys() ?? [])].sort()).toEqual([...(job.framework?.tests ?? [])].sort())
    expect(durations?.get('slow.test.js')).toBeGreaterThanOrEqual(900)
  })
})

describe('jest flaky test, retries and errors', () => {
  const temp = mkdtempSync(join(tmpdir(), 'squall-jest-flaky-'))
  afterAll(() => rmSync(temp, { recursive: true, force: true }))

  test('the flaky test fails once and passes on a retry that runs only it', async () => {
    const counter = join(temp, 'counter')
    const job = oneJob(listed)
    const first = await runAndParse(job, { SQUALL_FLAKY_COUNTER: counter })
    const failedIds = first.filter(c => c.status === 'failed').map(c => c.id)
    expect(failedIds).toContain('more/flaky.test.js::passes on the second try')

    const retry = jest.retryJob?.(job, ['more/flaky.test.js::passes on the second try']) as JobSpec
    expect(retry.framework?.tests).toEqual(['more/flaky.test.js'])
    expect(retry.id).toBe(job.id)
    const second = await runAndParse(retry, { SQUALL_FLAKY_COUNTER: counter })
    expect(statuses(second)).toEqual({ 'more/flaky.test.js::passes on the second try': 'passed' })
    expect(readFileSync(counter, 'utf8')).toBe('2')
  })

  test('a retry of tests in two files runs those tests and skips the rest of the files', async () => {
    const counter = join(temp, 'counter-2')
    writeFileSync(counter, '0')
    const job = oneJob(listed)
    const retry = jest.retryJob?.(job, [
      'more/flaky.test.js::passes on the second try',
      'sum.test.js::sum knows two and two make five'
    ]) as JobSpec
    expect(retry.framework?.tests?.slice().sort()).toEqual(['more/flaky.test.js', 'sum.test.js'])
    const cases = await runAndParse(retry, { SQUALL_FLAKY_COUNTER: counter })
    expect(cases.filter(c => c.status !== 'skipped').map(c => [c.id, c.status])).toEqual(
      expect.arrayContaining([
        ['more/flaky.test.js::passes on the second try', 'failed'],
        ['sum.test.js::sum knows two and two make five', 'failed']
      ])
    )
    expect(cases.filter(c => c.status !== 'skipped')).toHaveLength(2)
  })

  test('a file that fails to load is one error case with its message and line', async () => {
    const [job] = jest.plan(only('broken.test.js'), planOptions()) as [JobSpec]
    const cases = await runAndParse(job, { SQUALL_FIXTURE_BROKEN: '1' })
    expect(cases).toHaveLength(1)
    expect(cases[0]).toMatchObject({
      id: 'broken.test.js',
      file: 'broken.test.js',
      status: 'error',
      line: lineContaining('broken.test.js', 'throw new Error')
    })
    expect(cases[0]?.message).toContain('broken on purpose')
    // A retry of a file-level failure runs the file whole.
    const retry = jest.retryJob?.(job, ['broken.test.js']) as JobSpec
    expect(retry.command).not.toContain('--testNamePattern')
  })

  test('parse gives undefined for a missing or broken report', async () => {
    const missing = await runJob(
      { command: 'true', framework: { name: 'jest', tests: files } },
      cwd
    )
    expect(missing.result.cases).toBeUndefined()
    expect(missing.result.message ?? '').not.toContain('could not read per-test results')
    const broken = await runJob(
      {
        command: 'printf "{not json" > "$SQUALL_JOB_DIR/jest.json"',
        framework: { name: 'jest', tests: files }
      },
      cwd
    )
    expect(broken.result.cases).toBeUndefined()
    expect(broken.result.message ?? '').not.toContain('could not read per-test results')
  })
})

describe('jest filters and exact files', () => {
  test('a path filter narrows the list and stays out of the jobs', async () => {
    const items = await jest.list({ cwd, args: ['checksum'], timeoutMs: 60_000 })
    expect(items.map(i => i.id)).toEqual(['checksum.test.js'])
    const [job] = jest.plan(items, planOptions({ args: ['checksum'] })) as [JobSpec]
    expect(job.command).not.toMatch(/ checksum( |$)/)
  })

  test('a name filter reaches the jobs', async () => {
    const args = ['-t', 'adds']
    const items = await jest.list({ cwd, args, timeoutMs: 60_000 })
    expect(items.map(i => i.id)).toEqual(files)
    const sum = items.filter(i => i.id === 'sum.test.js')
    const [job] = jest.plan(sum, planOptions({ args })) as [JobSpec]
    const cases = await runAndParse(job)
    expect(
      cases
        .filter(c => c.status === 'passed')
        .map(c => c.name)
        .sort()
    ).toEqual(['sum adds two numbers', 'sum adds zero'])
    expect(cases.filter(c => c.status !== 'passed').every(c => c.status === 'skipped')).toBe(true)
  })

  test('a job for sum.test.js runs it and not checksum.test.js', async () => {
    const [job] = jest.plan(only('sum.test.js'), planOptions()) as [JobSpec]
    const cases = await runAndParse(job)
    expect(new Set(cases.map(c => c.file))).toEqual(new Set(['sum.test.js']))
  })
})
