/**
 * The pytest framework on the real fixture suite (__tests__/fixtures/pytest-suite): listing,
 * planned jobs run like the worker runs them, parsed results against pytest's own verdicts.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { pytestFramework } from '../../../src/frameworks/pytest/pytest.js'
import type { TestItem } from '../../../src/frameworks/core/framework.js'
import {
  cleanUp,
  copyFixture,
  planOptions,
  requireToolchain,
  runAll,
  runJob,
  statusById,
  tempDir
} from '../job-harness.js'

const M = 'tests/test_math.py'
const O = 'tests/test_other.py'
const ALL = [
  `${M}::test_adds`,
  `${M}::test_fails`,
  `${M}::test_skipped`,
  `${M}::test_param[one]`,
  `${M}::test_param[two]`,
  `${M}::test_param[neg one]`,
  `${M}::TestClass::test_method`,
  `${O}::test_slow`,
  `${O}::test_flaky`,
  `${O}::test_prints`
]

let root: string
let items: TestItem[]

beforeAll(async () => {
  requireToolchain('pytest (python3 -m pytest)', 'python3', ['-m', 'pytest', '--version'])
  root = copyFixture('pytest-suite')
  items = await pytestFramework.list({ cwd: root, args: [], timeoutMs: 60_000 })
}, 120_000)

afterAll(cleanUp)

/** pytest's own verdicts from one plain `pytest -v` run: `<node id> PASSED  [ 10%]`. */
function pytestVerdicts(): Record<string, string> {
  const run = spawnSync('python3', ['-m', 'pytest', '-v', '-p', 'no:cacheprovider'], {
    cwd: root,
    encoding: 'utf8'
  })
  const words: Record<string, string> = {
    PASSED: 'passed',
    FAILED: 'failed',
    SKIPPED: 'skipped',
    ERROR: 'error'
  }
  const out: Record<string, string> = {}
  for (const line of run.stdout.split('\n')) {
    const m = /^(\S.*?) (PASSED|FAILED|SKIPPED|ERROR)\b.*\[\s*\d+%\]$/.exec(line)
    if (m) out[m[1] as string] = words[m[2] as string] as string
  }
  return out
}

test('lists exactly the node ids of the suite, files as groups', () => {
  expect(items.map(i => i.id).sort()).toEqual([...ALL].sort())
  expect(items.find(i => i.id === `${M}::TestClass::test_method`)).toMatchObject({
    file: M,
    name: 'TestClass::test_method'
  })
})

test('planned jobs, run like the worker runs them, report what pytest itself reports', async () => {
  const jobs = pytestFramework.plan(items, planOptions(root, [], 3))
  expect(jobs.flatMap(j => j.framework?.tests ?? []).sort()).toEqual([...ALL].sort())
  const cases = await runAll(jobs, root)
  expect(statusById(cases)).toEqual(pytestVerdicts())

  const failed = cases.find(c => c.id === `${M}::test_fails`)
  expect(failed).toMatchObject({ status: 'failed', file: M, line: 13, suite: 'tests.test_math' })
  expect(failed?.message).toContain('two and two')
  expect(cases.find(c => c.id === `${M}::test_skipped`)).toMatchObject({
    status: 'skipped',
    message: 'not ready'
  })
  // Passing tests carry their definition line (pytest's 0-based line, plus one).
  expect(cases.find(c => c.id === `${M}::test_adds`)).toMatchObject({ file: M, line: 8 })
  expect(cases.find(c => c.id === `${O}::test_slow`)?.durationMs).toBeGreaterThanOrEqual(900)
}, 120_000)

test('the flaky test fails on the first run with a counter, then passes; a retry runs only it', async () => {
  const counter = join(tempDir('flaky'), 'counter')
  const [job] = pytestFramework.plan(items, planOptions(root, [], 1))
  const first = await runJob(job!, root, { SQUALL_FLAKY_COUNTER: counter })
  const failedIds = first.cases
    .filter(c => c.status === 'failed')
    .map(c => c.id)
    .sort()
  expect(failedIds).toEqual([`${M}::test_fails`, `${O}::test_flaky`])

  const retry = pytestFramework.retryJob!(job!, [`${O}::test_flaky`])
  expect(retry.framework?.tests).toEqual([`${O}::test_flaky`])
  const second = await runJob(retry, root, { SQUALL_FLAKY_COUNTER: counter })
  expect(statusById(second.cases)).toEqual({ [`${O}::test_flaky`]: 'passed' })
  expect(second.result.exitCode).toBe(0)
}, 120_000)

test('-k passes through to listing and to the jobs', async () => {
  const args = ['-k', 'param and not neg']
  const filtered = await pytestFramework.list({ cwd: root, args, timeoutMs: 60_000 })
  expect(filtered.map(i => i.id).sort()).toEqual([`${M}::test_param[one]`, `${M}::test_param[two]`])
  const jobs = pytestFramework.plan(filtered, planOptions(root, args))
  expect(jobs.every(j => j.argv?.includes('param and not neg'))).toBe(true)
  expect(statusById(await runAll(jobs, root))).toEqual({
    [`${M}::test_param[one]`]: 'passed',
    [`${M}::test_param[two]`]: 'passed'
  })
}, 120_000)

test('paths choose what is listed; jobs name only their own node ids', async () => {
  const filtered = await pytestFramework.list({ cwd: root, args: [O, '-q'], timeoutMs: 60_000 })
  expect(filtered.map(i => i.id).sort()).toEqual([
    `${O}::test_flaky`,
    `${O}::test_prints`,
    `${O}::test_slow`
  ])
  const [job] = pytestFramework.plan(filtered.slice(0, 1), planOptions(root, [O, '-q']))
  expect(job?.argv).not.toContain(O)
  // The user's options, then the job's own node ids; the run itself is covered above.
  expect(job?.argv?.slice(-2)).toEqual(['-q', filtered[0]?.id])
}, 120_000)

test('a filter that matches nothing lists no tests', async () => {
  expect(
    await pytestFramework.list({ cwd: root, args: ['-k', 'no_such_test'], timeoutMs: 60_000 })
  ).toEqual([])
}, 60_000)

test('a missing report gives an error per test, not an exception', async () => {
  const [job] = pytestFramework.plan(items.slice(0, 2), planOptions(root))
  const broken = { ...job!, argv: ['sh', '-c', 'exit 3'] }
  const { cases } = await runJob(broken, root)
  expect(cases.map(c => c.status)).toEqual(['error', 'error'])
})

test('traps, cold: collection skips and errors are listed and reported, xfail keeps its kind', async () => {
  const traps = copyFixture('pytest-traps')
  process.env.SQUALL_FIXTURE_BROKEN = '1'
  let listed: TestItem[]
  try {
    listed = await pytestFramework.list({ cwd: traps, args: [], timeoutMs: 60_000 })
  } finally {
    delete process.env.SQUALL_FIXTURE_BROKEN
  }
  const ids = listed.map(i => i.id)
  expect(ids).toContain('tests/test_needs_module.py')
  expect(ids).toContain('tests/test_broken_import.py')
  expect(ids).not.toContain('tests/test_broken_import.py::test_loads')
  // One job: the broken module must not stop the others from running.
  const jobs = pytestFramework.plan(listed, planOptions(traps, [], 1))
  expect(jobs).toHaveLength(1)
  const cases = await runAll(jobs, traps, { SQUALL_FIXTURE_BROKEN: '1' })
  const byId = new Map(cases.map(c => [c.id, c]))
  expect(byId.get('tests/test_broken_import.py')).toMatchObject({
    status: 'error',
    message: 'collection failure'
  })
  expect(byId.get('tests/test_needs_module.py')?.status).toBe('skipped')
  expect(byId.get('tests/test_needs_module.py')?.message).toContain('squall_fixture_no_such_module')
  expect(byId.get('tests/test_expected.py::test_xfail')).toMatchObject({
    status: 'skipped',
    kind: 'xfail'
  })
  expect(byId.get('tests/test_expected.py::test_plain')?.status).toBe('passed')
  expect(cases).toHaveLength(ids.length)
}, 120_000)
