/**
 * A warm jest session runs one jest run for its whole life and feeds it job by job (the
 * built CLI's `session jest`, through the executor and a SessionPool): jest's globalSetup
 * and globalTeardown run once per session as once per jest run, a retry's name pattern
 * still narrows its job, and a runner of the suite's own keeps one jest run per job.
 */
import { jest } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { PlanOptions } from '../../../src/frameworks/core/framework.js'
import { getFramework } from '../../../src/frameworks/index.js'
import type { JobResult, JobSpec } from '../../../src/protocol/types.js'
import { executeJob, type ExecuteContext } from '../../../src/worker/executor.js'
import { SessionPool } from '../../../src/worker/session/pool.js'
import { tempDirs } from '../process-helpers.js'
import { sessionContext } from './session-context.js'

jest.setTimeout(180_000)

const sessionCommand = [process.execPath, resolve('dist/cli/index.js'), 'session']
const suite = resolve('__tests__/fixtures/jest-global-setup')
const jestFramework = getFramework('jest')
const dirs = tempDirs('squall-suite-run-')
const pools: SessionPool[] = []

afterAll(async () => {
  await Promise.all(pools.map(p => p.close()))
  dirs.cleanup()
})

function newPool(): SessionPool {
  const pool = new SessionPool({ capacity: 1, killGraceMs: 1000 })
  pools.push(pool)
  return pool
}

/** A worker's context for the suite, the marks file named in its environment. */
function context(sessions: SessionPool, marks: string): ExecuteContext {
  return sessionContext({
    workDir: suite,
    makeDir: dirs.make,
    sessions,
    env: { SQUALL_FIXTURE_MARKS: marks }
  })
}

function planOptions(args: string[]): PlanOptions {
  return {
    cwd: suite,
    args,
    timeoutMs: 120_000,
    slots: 1,
    timings: new Map(),
    failedBefore: new Set(),
    sessionCommand
  }
}

/** Warm jobs, one per file of the suite, and a retry of `one fails` alone. */
async function jobsFor(args: string[]): Promise<JobSpec[]> {
  const listed = await jestFramework.list({ cwd: suite, args, timeoutMs: 60_000 })
  expect(listed.map(i => i.id)).toEqual(['one.test.js', 'three.test.js', 'two.test.js'])
  const jobs = listed.map(item => {
    const [job] = jestFramework.plan([item], planOptions(args))
    return job as JobSpec
  })
  const retry = jestFramework.retryJob?.(jobs[0] as JobSpec, ['one.test.js::one fails'])
  return [...jobs, retry as JobSpec]
}

async function runAll(jobs: JobSpec[], ctx: ExecuteContext): Promise<JobResult[]> {
  const results: JobResult[] = []
  for (const job of jobs) results.push(await executeJob(job, ctx))
  return results
}

const outcomes = (result: JobResult): string[] =>
  (result.cases ?? []).map(c => `${c.id} ${c.status}`).sort()

/** What the four jobs must report, however the session runs them. */
function expectOutcomes(results: JobResult[]): void {
  expect(results.map(outcomes)).toEqual([
    ['one.test.js::one adds passed', 'one.test.js::one fails failed'],
    ['three.test.js::three passes passed'],
    ['two.test.js::two passes passed', 'two.test.js::two skips skipped'],
    // The retry's name pattern: only the failed test runs, the other is skipped.
    ['one.test.js::one adds skipped', 'one.test.js::one fails failed']
  ])
  const failure = results[0]?.cases?.find(c => c.status === 'failed')
  expect(failure?.line).toBe(6)
}

/** The marks file's lines: `setup <pid>` and `teardown <pid>`. */
function marksOf(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []
}

test('one jest run serves every job of the session: globalSetup and teardown once', async () => {
  const marks = join(dirs.make(), 'marks')
  const pool = newPool()
  const results = await runAll(await jobsFor([]), context(pool, marks))
  expectOutcomes(results)
  const [pid] = pool.pids()
  expect(pool.started).toBe(1)
  expect(marksOf(marks)).toEqual([`setup ${pid}`])
  // jest's end of run comes when the session closes.
  await pool.close()
  expect(marksOf(marks)).toEqual([`setup ${pid}`, `teardown ${pid}`])
})

test('a runner of the suite own: one jest run per job, the same outcomes', async () => {
  const marks = join(dirs.make(), 'marks')
  const pool = newPool()
  const results = await runAll(await jobsFor(['--runner', './my-runner.cjs']), context(pool, marks))
  expectOutcomes(results)
  const [pid] = pool.pids()
  expect(pool.started).toBe(1)
  expect(marksOf(marks)).toEqual(
    Array.from({ length: 8 }, (_, k) => (k % 2 ? 'teardown ' : 'setup ') + pid)
  )
  await pool.close()
})
