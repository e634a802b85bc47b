/**
 * The go framework on the real fixture module (__tests__/fixtures/go-suite): binaries built
 * once, planned jobs run like the worker runs them, results against `go test -json`.
 */
import { spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { goFramework } from '../../src/frameworks/go.js'
import type { TestItem } from '../../src/frameworks/framework.js'
import {
  cleanUp,
  copyFixture,
  planOptions,
  requireToolchain,
  runAll,
  runAndParse,
  statusById,
  tempDir
} from './native-job-harness.js'

const CALC = 'example.com/gosuite/calc'
const SLOW = 'example.com/gosuite/slow'
const ALL = [
  `${CALC}::TestAdd`,
  `${CALC}::TestSub`,
  `${CALC}::TestFails`,
  `${CALC}::TestSkipped`,
  `${CALC}::TestTable`,
  `${CALC}::TestReadsTestdata`,
  `${SLOW}::TestSlow`,
  `${SLOW}::TestFlaky`
].sort()

let root: string
let items: TestItem[]

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
  items = await goFramework.list({ cwd: root, args: [], timeoutMs: 60_000 })
}, 180_000)

afterAll(cleanUp)

/** `go test -json`'s verdict per top-level test. */
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
    if (event.Test && !event.Test.includes('/') && words[event.Action]) {
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
  const cases = await runAll(goFramework, jobs, root)
  expect(statusById(cases)).toEqual(goVerdicts())

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
  const first = await runAndParse(goFramework, job!, root, { SQUALL_FLAKY_COUNTER: counter })
  expect(statusById(first.cases)).toEqual({
    [`${SLOW}::TestSlow`]: 'passed',
    [`${SLOW}::TestFlaky`]: 'failed'
  })
  expect(first.execution.exitCode).toBe(1)
  // The job's own output still shows, besides the saved copy the parser reads.
  expect(first.execution.stdout.text).toContain('--- FAIL: TestFlaky')

  const retry = goFramework.retryJob!(job!, [`${SLOW}::TestFlaky`])
  expect(retry.argv).toContain('-test.run=^(TestFlaky)$')
  const second = await runAndParse(goFramework, retry, root, { SQUALL_FLAKY_COUNTER: counter })
  expect(statusById(second.cases)).toEqual({ [`${SLOW}::TestFlaky`]: 'passed' })
  expect(second.execution.exitCode).toBe(0)
}, 120_000)

test('-run filters the listing; a subtest pattern reaches the binary', async () => {
  const args = ['-run', 'TestTable/one', './calc']
  const filtered = await goFramework.list({ cwd: root, args, timeoutMs: 60_000 })
  expect(filtered.map(i => i.id)).toEqual([`${CALC}::TestTable`])
  const [job] = goFramework.plan(filtered, planOptions(root, args))
  const { cases } = await runAndParse(goFramework, job!, root)
  expect(cases).toHaveLength(1)
  expect(cases[0]?.status).toBe('passed')
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
      'TestTagged'
    ].sort()
  )
}, 120_000)

test('a crash before the tests ran gives an error per test, not an exception', async () => {
  const [job] = goFramework.plan(
    items.filter(i => i.id.startsWith(SLOW)),
    planOptions(root)
  )
  const broken = { ...job!, argv: ['sh', '-c', 'echo boom; exit 2'] }
  const { cases } = await runAndParse(goFramework, broken, root)
  expect(cases.map(c => c.status)).toEqual(['error', 'error'])
})
