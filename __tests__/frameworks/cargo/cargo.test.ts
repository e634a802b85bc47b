/**
 * The cargo framework on the real fixture crate (__tests__/fixtures/cargo-suite): built once
 * for the whole file (cargo is slow on shared cores), planned jobs run like the worker runs
 * them, results against a plain `cargo test`.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { cargoFramework } from '../../../src/frameworks/cargo/cargo.js'
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

const LIB = 'cargo_suite::tests'
const DOC = 'cargo_suite[doc]'
const ALL = [
  `${DOC}::src/lib.rs - mul (line 70)`,
  `${DOC}::src/lib.rs - div (line 79)`,
  `${LIB}::adds`,
  `${LIB}::subtracts`,
  `${LIB}::fails`,
  `${LIB}::ignored`,
  `${LIB}::slow`,
  `${LIB}::flaky`,
  `${LIB}::panics_as_expected`,
  'integration::adds_from_outside',
  'integration::subtracts_from_outside'
].sort()

let root: string
let items: TestItem[]

beforeAll(async () => {
  requireToolchain('cargo', process.env.CARGO ?? 'cargo', ['--version'])
  root = copyFixture('cargo-suite')
  items = await cargoFramework.list({ cwd: root, args: [], timeoutMs: 60_000 })
}, 300_000)

afterAll(cleanUp)

/**
 * A plain `cargo test`'s verdicts: `Running … (target/debug/deps/<target>-<hash>)`, then
 * `test x ... ok`; `Doc-tests <crate>`, then its doc tests.
 */
function cargoVerdicts(): Record<string, string> {
  // Merged streams: the `Running` lines (stderr) must stay in order with the results (stdout).
  const cargo = process.env.CARGO ?? 'cargo'
  const run = spawnSync('sh', ['-c', '"$0" test --no-fail-fast 2>&1', cargo], {
    cwd: root,
    encoding: 'utf8'
  })
  const words: Record<string, string> = { ok: 'passed', FAILED: 'failed', ignored: 'skipped' }
  const out: Record<string, string> = {}
  let target = ''
  for (const line of run.stdout.split('\n')) {
    const running = /Running .*\(.*\/([^/]+)-[0-9a-f]+\)$/.exec(line)
    if (running) target = running[1] as string
    const doc = /^\s*Doc-tests (\S+)$/.exec(line)
    if (doc) target = `${doc[1] as string}[doc]`
    const result = /^test (.+?)(?: - should panic)? \.\.\. (ok|FAILED|ignored)/.exec(line)
    if (result) out[`${target}::${result[1] as string}`] = words[result[2] as string] as string
  }
  return out
}

test('lists every test of every test executable as <target>::<name>', () => {
  expect(items.map(i => i.id).sort()).toEqual(ALL)
  const data = items.find(i => i.id === 'integration::adds_from_outside')?.data
  expect(data).toMatchObject({ cwd: '.', root: '.', target: 'integration' })
  expect(String(data?.binary)).toMatch(/^target\/debug\/deps\/integration-[0-9a-f]+$/)
  const layers = cargoFramework.layerPaths!(items, { cwd: root, args: [], timeoutMs: 1 })
  expect(layers).toHaveLength(2)
  for (const path of layers) expect(existsSync(join(root, path))).toBe(true)
})

test('planned jobs, run like the worker runs them, report what cargo test reports', async () => {
  const jobs = cargoFramework.plan(items, planOptions(root, [], 4))
  expect(jobs.flatMap(j => j.framework?.tests ?? []).sort()).toEqual(ALL)
  for (const job of jobs)
    expect(new Set(job.framework?.tests?.map(id => id.split('::')[0])).size).toBe(1)
  const cases = await runAll(jobs, root)
  expect(statusById(cases)).toEqual(cargoVerdicts())

  const failed = cases.find(c => c.id === `${LIB}::fails`)
  expect(failed).toMatchObject({ status: 'failed', file: 'src/lib.rs', line: 41 })
  expect(failed?.message).toContain('two and two')
  expect(cases.find(c => c.id === `${LIB}::ignored`)).toMatchObject({
    status: 'skipped',
    message: 'not ready'
  })
  expect(cases.find(c => c.id === `${LIB}::panics_as_expected`)?.status).toBe('passed')

  // Doc tests: one job for the library's, located where the example is.
  const docJobs = jobs.filter(j => j.framework?.tests?.some(id => id.startsWith(DOC)))
  expect(docJobs).toHaveLength(1)
  expect(docJobs[0]?.framework?.tests).toHaveLength(2)
  expect(cases.find(c => c.id === `${DOC}::src/lib.rs - mul (line 70)`)).toMatchObject({
    status: 'passed',
    name: 'src/lib.rs - mul (line 70)',
    suite: DOC
  })
  const div = cases.find(c => c.id === `${DOC}::src/lib.rs - div (line 79)`)
  expect(div).toMatchObject({ status: 'failed', file: 'src/lib.rs', line: 79 })
  expect(div?.message).toContain('six by three')
  // They cannot be picked one by one: a retry runs the library's doc tests again.
  expect(cargoFramework.retryJob!(docJobs[0]!, [`${DOC}::src/lib.rs - div (line 79)`])).toBe(
    docJobs[0]
  )
}, 300_000)

test('a worker without cargo fails each doc test with a message that says so', async () => {
  const [job] = cargoFramework.plan(
    items.filter(i => i.id.startsWith(DOC)),
    planOptions(root)
  )
  const { cases, result } = await runJob(job!, root, {
    CARGO: '/nowhere/cargo'
  })
  expect(result.exitCode).toBe(127)
  expect(cases.map(c => c.status)).toEqual(['error', 'error'])
  for (const c of cases) {
    expect(c.message).toMatch(/doc tests run with cargo .*'\/nowhere\/cargo' is not on PATH/)
  }
})

test('the flaky test fails on the first run with a counter, then passes; a retry runs only it', async () => {
  const counter = join(tempDir('flaky'), 'counter')
  const flakyAndSlow = items.filter(i => i.id === `${LIB}::flaky` || i.id === `${LIB}::slow`)
  const [job] = cargoFramework.plan(flakyAndSlow, planOptions(root, [], 1))
  expect(job?.framework?.tests?.sort()).toEqual([`${LIB}::flaky`, `${LIB}::slow`])
  const first = await runJob(job!, root, { SQUALL_FLAKY_COUNTER: counter })
  expect(statusById(first.cases)).toEqual({
    [`${LIB}::flaky`]: 'failed',
    [`${LIB}::slow`]: 'passed'
  })
  expect(first.result.exitCode).toBe(101)
  expect(first.result.stdout.text).toContain('test tests::flaky ... FAILED')

  const retry = cargoFramework.retryJob!(job!, [`${LIB}::flaky`])
  expect(retry.argv?.slice(-2)).toEqual(['--exact', 'tests::flaky'])
  const second = await runJob(retry, root, { SQUALL_FLAKY_COUNTER: counter })
  expect(statusById(second.cases)).toEqual({ [`${LIB}::flaky`]: 'passed' })
  expect(second.result.exitCode).toBe(0)
}, 120_000)

test('a name filter and libtest options pass through to listing and jobs', async () => {
  const args = ['subtracts', '--', '--include-ignored']
  const filtered = await cargoFramework.list({ cwd: root, args, timeoutMs: 60_000 })
  expect(filtered.map(i => i.id).sort()).toEqual([
    `${LIB}::subtracts`,
    'integration::subtracts_from_outside'
  ])
  const jobs = cargoFramework.plan(filtered, planOptions(root, args))
  expect(jobs.every(j => j.argv?.includes('--include-ignored'))).toBe(true)
  expect(Object.values(statusById(await runAll(jobs, root)))).toEqual(['passed', 'passed'])

  const ignored = await cargoFramework.list({
    cwd: root,
    args: ['--', '--ignored'],
    timeoutMs: 60_000
  })
  expect(ignored.map(i => i.id)).toEqual([`${LIB}::ignored`])
}, 180_000)

test('a crash before the tests ran gives an error per test, not an exception', async () => {
  const [job] = cargoFramework.plan(
    items.filter(i => i.id.startsWith('integration')),
    planOptions(root)
  )
  const { cases } = await runJob({ ...job!, argv: ['sh', '-c', 'exit 134'] }, root)
  expect(cases.map(c => c.status)).toEqual(['error', 'error'])
})
