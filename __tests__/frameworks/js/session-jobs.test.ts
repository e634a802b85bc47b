/**
 * pytest and vitest jobs planned with warm sessions, run through the worker's executeJob and
 * a real SessionPool (the `squall session` command of dist/cli): the same cases as the cold
 * jobs, one session (one collection) across jobs, and a crash that fails only its job.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Framework, PlanOptions } from '../../../src/frameworks/core/framework.js'
import { getFramework } from '../../../src/frameworks/index.js'
import type { JobResult, JobSpec, TestCaseResult } from '../../../src/protocol/types.js'
import { DEFAULT_OUTPUT_CAP_BYTES, executeJob } from '../../../src/worker/executor.js'
import { SessionPool } from '../../../src/worker/session/pool.js'
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

const sessionCommand = [process.execPath, resolve('dist/cli/index.js'), 'session']
const pools: SessionPool[] = []

afterAll(async () => {
  await Promise.all(pools.splice(0).map(p => p.close()))
  cleanUp()
})

/** The worker's environment for jobs and sessions: ours, minus what jest set for itself. */
function workerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra }
  delete env.JEST_WORKER_ID
  delete env.NODE_OPTIONS
  return env
}

/** Runs `jobs` one after another on one slot, as a worker does. */
async function runOnSlot(
  jobs: JobSpec[],
  root: string,
  env: NodeJS.ProcessEnv = workerEnv()
): Promise<{ results: JobResult[]; pids: number[][]; pool: SessionPool }> {
  const pool = new SessionPool({ capacity: 1, killGraceMs: 2000 })
  pools.push(pool)
  const results: JobResult[] = []
  const pids: number[][] = []
  for (const job of jobs) {
    results.push(
      await executeJob(job, {
        workerId: 'w1',
        workDir: root,
        jobsRoot: tempDir('jobs'),
        outputCapBytes: DEFAULT_OUTPUT_CAP_BYTES,
        killGraceMs: 2000,
        env,
        sessions: pool,
        cacheDir: tempDir('cache')
      })
    )
    pids.push(pool.pids())
  }
  return { results, pids, pool }
}

function warmPlan(
  framework: Framework,
  items: Parameters<Framework['plan']>[0],
  options: PlanOptions
): JobSpec[] {
  const jobs = framework.plan(items, { ...options, sessionCommand })
  expect(jobs.length).toBeGreaterThan(0)
  for (const job of jobs) expect(job.session?.argv).toEqual([...sessionCommand, framework.name])
  return jobs
}

const allCases = (results: JobResult[]): TestCaseResult[] => results.flatMap(r => r.cases ?? [])

describe('pytest', () => {
  const pytest = getFramework('pytest')
  beforeAll(() => {
    requireToolchain('pytest (python3 -m pytest)', 'python3', ['-m', 'pytest', '--version'])
  })

  test('warm jobs report what the cold jobs report, in one session that collected once', async () => {
    const root = copyFixture('pytest-suite')
    const items = await pytest.list({ cwd: root, args: [], timeoutMs: 60_000 })
    const timings = new Map(items.map(i => [i.id, 400]))
    const cold = await runAll(pytest.plan(items, planOptions(root)), root)
    const jobs = warmPlan(pytest, items, { ...planOptions(root, [], 2), timings })
    expect(jobs.length).toBeGreaterThan(1)
    const { results, pids } = await runOnSlot(jobs, root)
    expect(statusById(allCases(results))).toEqual(statusById(cold))
    expect(allCases(results)).toHaveLength(cold.length)
    // One session served every job.
    expect(new Set(pids.flat()).size).toBe(1)
    const failing = results.find(r => r.cases?.some(c => c.status === 'failed'))
    expect(failing?.status).toBe('failed')
  }, 180_000)

  test('traps: a module skipped at collection, xfail/xpass; an abort fails only its job', async () => {
    const root = copyFixture('pytest-traps')
    const imports = join(tempDir('imports'), 'log')
    const items = await pytest.list({ cwd: root, args: [], timeoutMs: 60_000 })
    expect(items.map(i => i.id)).toContain('tests/test_needs_module.py')
    // One job per file (narrowed from one planned job), the abort's first.
    const [whole] = warmPlan(pytest, items, {
      ...planOptions(root, [], 1),
      timings: new Map(items.map(i => [i.id, 1]))
    })
    const files = [...new Set(items.map(i => i.file as string))].sort(
      (a, b) => Number(b.includes('test_abort')) - Number(a.includes('test_abort'))
    )
    const jobs = files.map(file =>
      pytest.retryJob!(
        whole as JobSpec,
        items.filter(i => i.file === file).map(i => i.id)
      )
    )
    expect(jobs.every(j => j.session !== undefined)).toBe(true)
    expect(jobs[0]?.framework?.tests).toHaveLength(3)
    const { results, pids } = await runOnSlot(
      jobs,
      root,
      workerEnv({ SQUALL_FIXTURE_ABORT: '1', SQUALL_FIXTURE_IMPORT_LOG: imports })
    )
    const crashed = results[0] as JobResult
    expect(crashed.status).toBe('error')
    expect(crashed.message).toMatch(/session/)
    expect(statusById(crashed.cases ?? [])).toEqual({
      'tests/test_abort.py::test_before_abort': 'passed'
    })
    // The next jobs ran in a fresh session.
    expect(pids[0]).toEqual([])
    expect(new Set(pids.slice(1).flat()).size).toBe(1)

    const rest = allCases(results.slice(1))
    const byId = new Map(rest.map(c => [c.id, c]))
    expect(byId.get('tests/test_needs_module.py')).toMatchObject({ status: 'skipped' })
    expect(byId.get('tests/test_expected.py::test_xfail')).toMatchObject({
      status: 'skipped',
      kind: 'xfail'
    })
    expect(byId.get('tests/test_expected.py::test_xpass')).toMatchObject({
      status: 'passed',
      kind: 'xpass'
    })
    expect(byId.get('tests/test_argv.py::test_argv_is_the_users')?.status).toBe('passed')
    expect(byId.get('tests/test_env.py::test_env_is_restored')?.status).toBe('passed')
    // Two sessions (the crashed one and its successor), each collecting every module once.
    const lines = readFileSync(imports, 'utf8').trim().split('\n')
    expect(lines.filter(l => l === 'tests/test_env.py')).toHaveLength(2)
  }, 180_000)
})

describe('vitest', () => {
  const vitest = getFramework('vitest')

  test('warm jobs report what the cold jobs report, in one session', async () => {
    const root = resolve('__tests__/fixtures/vitest-suite')
    const items = await vitest.list({ cwd: root, args: [], timeoutMs: 60_000 })
    const timings = new Map(items.map(i => [i.id, 2000]))
    const cold: TestCaseResult[] = []
    for (const job of vitest.plan(items, { ...planOptions(root), timings })) {
      cold.push(...(await runJob(job, root)).cases)
    }
    const jobs = warmPlan(vitest, items, { ...planOptions(root, [], 2), timings })
    expect(jobs.length).toBeGreaterThan(1)
    const { results, pids } = await runOnSlot(jobs, root)
    const warm = allCases(results)
    expect(statusById(warm)).toEqual(statusById(cold))
    expect(warm).toHaveLength(cold.length)
    for (const c of cold) {
      const w = warm.find(w => w.id === c.id)
      expect({ line: w?.line, file: w?.file }).toEqual({ line: c.line, file: c.file })
    }
    expect(new Set(pids.flat()).size).toBe(1)
    // Each file's own cost (loading, collecting, its tests) comes back with its job.
    for (const [k, result] of results.entries()) {
      const files = jobs[k]?.framework?.tests ?? []
      expect(Object.keys(result.itemWallMs ?? {}).sort()).toEqual([...files].sort())
      for (const file of files) expect(result.itemWallMs?.[file]).toBeGreaterThan(0)
    }
  }, 180_000)

  test('traps: test.fails and todo as vitest reports them, the job env, process.exit', async () => {
    const root = resolve('__tests__/fixtures/vitest-traps')
    const items = await vitest.list({ cwd: root, args: [], timeoutMs: 60_000 })
    const jobs = warmPlan(vitest, items, { ...planOptions(root, [], 8) })
    const { results } = await runOnSlot(
      jobs,
      root,
      workerEnv({ SQUALL_FIXTURE_EXIT: '1', SQUALL_FIXTURE_JOB: 'two' })
    )
    const byId = new Map(allCases(results).map(c => [c.id, c]))
    expect(byId.get('expected.test.mjs::fails as expected')).toMatchObject({
      status: 'passed',
      kind: 'fails'
    })
    expect(byId.get('expected.test.mjs::is still to write')).toMatchObject({
      status: 'skipped',
      kind: 'todo'
    })
    expect(byId.get('argv.test.mjs::argv is the framework’s own')?.status).toBe('passed')
    expect(byId.get('env.test.mjs::sees the job environment')?.status).toBe('passed')
    expect(byId.get('exits.test.mjs::runs before the exit')?.status).toBe('passed')
    expect(byId.get('exits.test.mjs::exits')).toMatchObject({ status: 'failed' })
    expect(byId.get('exits.test.mjs::exits')?.message).toContain('process.exit')
    expect(byId.get('tmp-env.test.mjs::has a writable TMPDIR')?.status).toBe('passed')
    expect(byId.size).toBe(9)
  }, 180_000)

  test('jobs of one environment share the warm pool; each sees its own variables and a TMPDIR', async () => {
    const root = resolve('__tests__/fixtures/vitest-traps')
    const out = tempDir('seen')
    const items = await vitest.list({ cwd: root, args: [], timeoutMs: 60_000 })
    const [job] = warmPlan(
      vitest,
      items.filter(i => i.id === 'tmp-env.test.mjs'),
      planOptions(root, [], 1)
    )
    // The same file three times: two jobs of one environment, then one of another.
    const withEnv = (n: number, value: string): JobSpec => ({
      ...(job as JobSpec),
      id: `${(job as JobSpec).id}-${n}`,
      env: { SQUALL_FIXTURE_JOB: value, SQUALL_FIXTURE_OUT: out }
    })
    const { results } = await runOnSlot(
      [withEnv(1, 'one'), withEnv(2, 'one'), withEnv(3, 'two')],
      root
    )
    for (const result of results) {
      expect(result.status).toBe('passed')
      expect((result.cases ?? []).map(c => c.status)).toEqual(['passed', 'passed'])
    }
    // The second job's TMPDIR was written after the first job's directory was removed.
    expect(readFileSync(join(out, 'seen'), 'utf8')).toBe('one\none\ntwo\n')
  }, 180_000)
})
