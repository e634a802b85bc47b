/**
 * The go framework on the real fixture module (__tests__/fixtures/go-suite): binaries built
 * once, planned jobs run like the worker runs them, results against `go test -json`.
 */
import { spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { goFramework } from '../../../src/frameworks/go/go.js'
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

const CALC = 'example.com/gosuite/calc'
const SLOW = 'example.com/gosuite/slow'
const ALL = [
  `${CALC}::TestAdd`,
  `${CALC}::TestSub`,
  `${CALC}::TestFails`,
  `${CALC}::TestSkipped`,
  `${CALC}::TestTable`,
  `${CALC}::TestReadsTestdata`,
  `${CALC}::TestNested`,
  `${CALC}::TestSubFails`,
  `${CALC}::TestCases`,
  `${SLOW}::TestSlow`,
  `${SLOW}::TestFlaky`
].sort()

let root: string
let items: TestItem[]
const leftOut: [string, number][] = []

beforeAll(async () => {
  requireToolchain('Go', 'go', ['version'])
  // A clean machine may have no writable home for the build cache.
  try {
    accessSync(homedir(), constants.W_OK)
  } catch {
    process.env.GOCACHE ??= tempDir('gocache')
    process.env.GOPATH ??= tempDir('gopath')
  }
  root = copyFixture('go-suite')
  items = await goFramework.list({
    cwd: root,
    args: [],
    timeoutMs: 60_000,
    onLeftOut: (what, count) => leftOut.push([what, count])
  })
}, 180_000)

afterAll(cleanUp)

/** `go test -json`'s verdict per test and subtest. */
function goVerdicts(): Record<string, string> {
  const run = spawnSync('go', ['test', '-json', '-count=1', './...'], {
    cwd: root,
    encoding: 'utf8'
  })
  const words: Record<string, string> = { pass: 'passed', fail: 'failed', skip: 'skipped' }
  const out: Record<string, string> = {}
  for (const line of run.stdout.split('\n')) {
    if (!line.startsWith('{')) continue
    const event = JSON.parse(line) as { Action: string; Package: string; Test?: string }
    if (event.Test && words[event.Action]) {
      out[`${event.Package}::${event.Test}`] = words[event.Action] as string
    }
  }
  return out
}

test('lists the top-level tests of each package and builds each binary once', () => {
  expect(items.map(i => i.id).sort()).toEqual(ALL)
  expect(items.find(i => i.id === `${CALC}::TestAdd`)?.data).toEqual({
    pkg: CALC,
    pkgDir: 'calc',
    binary: '.squall/bin/go/example.com_gosuite_calc.test'
  })
  const layers = goFramework.layerPaths!(items, { cwd: root, args: [], timeoutMs: 1 })
  expect(layers.sort()).toEqual([
    '.squall/bin/go/example.com_gosuite_calc.test',
    '.squall/bin/go/example.com_gosuite_slow.test'
  ])
  for (const path of layers) expect(existsSync(join(root, path))).toBe(true)
  // BenchmarkAdd is not run (go test runs benchmarks only with -bench), and that is told.
  expect(leftOut).toEqual([['benchmarks', 1]])
})

test('planned jobs, run like the worker runs them, report what go test reports', async () => {
  const jobs = goFramework.plan(items, planOptions(root, [], 4))
  expect(jobs.flatMap(j => j.framework?.tests ?? []).sort()).toEqual(ALL)
  for (const job of jobs) {
    // One binary per job, run in its package directory.
    const pkgs = new Set((job.framework?.tests ?? []).map(id => id.split('::')[0]))
    expect(pkgs.size).toBe(1)
    expect(job.cwd).toBe([...pkgs][0] === CALC ? 'calc' : 'slow')
  }
  const cases = await runAll(jobs, root)
  const verdicts = goVerdicts()
  expect(statusById(cases)).toEqual(verdicts)
  // The fixture README's totals: 11 top-level tests and 11 subtests.
  expect(Object.keys(verdicts)).toHaveLength(22)
  const count = (status: string): number => cases.filter(c => c.status === status).length
  expect([count('passed'), count('failed'), count('skipped')]).toEqual([17, 3, 2])
  expect(cases.find(c => c.id === `${CALC}::TestCases/one_plus_one`)?.status).toBe('passed')
  expect(cases.find(c => c.id === `${CALC}::TestCases/twice#01`)?.status).toBe('passed')
  expect(cases.find(c => c.id === `${CALC}::TestNested/outer/later`)).toMatchObject({
    status: 'skipped',
    message: 'not ready either',
    file: 'calc/subtests_test.go',
    line: 15
  })
  for (const id of [`${CALC}::TestSubFails`, `${CALC}::TestSubFails/bad`]) {
    expect(cases.find(c => c.id === id)).toMatchObject({
      status: 'failed',
      suite: CALC,
      file: 'calc/subtests_test.go',
      line: 23,
      message: 'one and one: got 2, want 3'
    })
  }

  const failed = cases.find(c => c.id === `${CALC}::TestFails`)
  expect(failed).toMatchObject({ status: 'failed', file: 'calc/calc_test.go', line: 22 })
  expect(failed?.message).toBe('two and two: got 4, want 5')
  expect(cases.find(c => c.id === `${CALC}::TestSkipped`)).toMatchObject({
    status: 'skipped',
    message: 'not ready'
  })
  expect(cases.find(c => c.id === `${CALC}::TestTable`)?.output).toContain(
    '--- PASS: TestTable/neg'
  )
  expect(cases.find(c => c.id === `${SLOW}::TestSlow`)?.durationMs).toBeGreaterThanOrEqual(1000)
}, 180_000)

test('the flaky test fails on the first run with a counter, then passes; a retry runs only it', async () => {
  const counter = join(tempDir('flaky'), 'counter')
  const slowItems = items.filter(i => i.id.startsWith(SLOW))
  const [job] = goFramework.plan(slowItems, planOptions(root, [], 1))
  expect(job?.framework?.tests?.sort()).toEqual([`${SLOW}::TestFlaky`, `${SLOW}::TestSlow`])
  const first = await runJob(job!, root, { SQUALL_FLAKY_COUNTER: counter })
  expect(statusById(first.cases)).toEqual({
    [`${SLOW}::TestSlow`]: 'passed',
    [`${SLOW}::TestFlaky`]: 'failed'
  })
  expect(first.result.exitCode).toBe(1)
  // The job's own output still shows, besides the saved copy the parser reads.
  expect(first.result.stdout.text).toContain('--- FAIL: TestFlaky')

  const retry = goFramework.retryJob!(job!, [`${SLOW}::TestFlaky`])
  expect(retry.argv).toContain('-test.run=^(TestFlaky)$')
  const second = await runJob(retry, root, { SQUALL_FLAKY_COUNTER: counter })
  expect(statusById(second.cases)).toEqual({ [`${SLOW}::TestFlaky`]: 'passed' })
  expect(second.result.exitCode).toBe(0)
}, 120_000)

test('a retry of a failed subtest runs its top-level test with only that subtest', async () => {
  const [job] = goFramework.plan(
    items.filter(i => i.id.startsWith(CALC)),
    planOptions(root, [], 1)
  )
  const first = await runJob(job!, root)
  const failed = first.cases.filter(c => c.status === 'failed').map(c => c.id)
  expect(failed.sort()).toEqual(
    [`${CALC}::TestFails`, `${CALC}::TestSubFails`, `${CALC}::TestSubFails/bad`].sort()
  )
  // Failures under two top-level tests: both run again whole.
  const both = goFramework.retryJob!(job!, failed)
  expect(both.framework?.tests?.sort()).toEqual([`${CALC}::TestFails`, `${CALC}::TestSubFails`])
  expect(both.argv).toContain('-test.run=^(TestFails|TestSubFails)$')

  const retry = goFramework.retryJob!(job!, [`${CALC}::TestSubFails`, `${CALC}::TestSubFails/bad`])
  expect(retry.framework?.tests).toEqual([`${CALC}::TestSubFails`])
  expect(retry.argv).toContain('-test.run=^(TestSubFails)$/^(bad)$')
  const second = await runJob(retry, root)
  expect(statusById(second.cases)).toEqual({
    [`${CALC}::TestSubFails`]: 'failed',
    [`${CALC}::TestSubFails/bad`]: 'failed'
  })

  // Nested, parallel and renamed subtests are matched by the names go reports.
  const cases = goFramework.retryJob!(job!, [
    `${CALC}::TestCases/twice#01`,
    `${CALC}::TestCases/one_plus_one`,
    `${CALC}::TestCases`
  ])
  expect(cases.argv).toContain('-test.run=^(TestCases)$/^(twice#01|one_plus_one)$')
  const third = await runJob(cases, root)
  expect(Object.keys(statusById(third.cases)).sort()).toEqual([
    `${CALC}::TestCases`,
    `${CALC}::TestCases/one_plus_one`,
    `${CALC}::TestCases/twice#01`
  ])
  const nested = goFramework.retryJob!(job!, [
    `${CALC}::TestNested`,
    `${CALC}::TestNested/outer`,
    `${CALC}::TestNested/outer/inner`
  ])
  const fourth = await runJob(nested, root)
  expect(Object.keys(statusById(fourth.cases)).sort()).toEqual([
    `${CALC}::TestNested`,
    `${CALC}::TestNested/outer`,
    `${CALC}::TestNested/outer/inner`
  ])
}, 120_000)

test('-run filters the listing; a subtest pattern reaches the binary', async () => {
  const args = ['-run', 'TestTable/one', './calc']
  const filtered = await goFramework.list({ cwd: root, args, timeoutMs: 60_000 })
  expect(filtered.map(i => i.id)).toEqual([`${CALC}::TestTable`])
  const [job] = goFramework.plan(filtered, planOptions(root, args))
  const { cases } = await runJob(job!, root)
  expect(statusById(cases)).toEqual({
    [`${CALC}::TestTable`]: 'passed',
    [`${CALC}::TestTable/one`]: 'passed'
  })
  expect(cases[0]?.id).toBe(`${CALC}::TestTable`)
  expect(cases[0]?.output).toContain('TestTable/one')
  expect(cases[0]?.output).not.toContain('TestTable/neg')
}, 120_000)

test('build tags reach go test -c; packages limit the listing', async () => {
  const tagged = await goFramework.list({
    cwd: root,
    args: ['-tags', 'extra', './calc'],
    timeoutMs: 60_000
  })
  expect(tagged.map(i => i.name).sort()).toEqual(
    [
      'TestAdd',
      'TestFails',
      'TestReadsTestdata',
      'TestSkipped',
      'TestSub',
      'TestTable',
      'TestTagged',
      'TestNested',
      'TestSubFails',
      'TestCases'
    ].sort()
  )
}, 120_000)

test('a crash before the tests ran gives an error per test, not an exception', async () => {
  const [job] = goFramework.plan(
    items.filter(i => i.id.startsWith(SLOW)),
    planOptions(root)
  )
  const broken = { ...job!, argv: ['sh', '-c', 'echo boom; exit 2'] }
  const { cases } = await runJob(broken, root)
  expect(cases.map(c => c.status)).toEqual(['error', 'error'])
})
