/**
 * Warm jest sessions for real: the built CLI's hidden `session jest` host, driven through the
 * executor and a SessionPool, on the jest fixture suites.
 */
import { jest } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { PlanOptions, TestItem } from '../../../src/frameworks/core/framework.js'
import { getFramework } from '../../../src/frameworks/index.js'
import type { JobResult, JobSpec } from '../../../src/protocol/types.js'
import { executeJob, type ExecuteContext } from '../../../src/worker/executor.js'
import { SessionPool } from '../../../src/worker/session/pool.js'
import { isAlive, killAll, tempDirs, waitUntil } from '../process-helpers.js'
import { sessionContext } from './session-context.js'

jest.setTimeout(180_000)

const cli = resolve('dist/cli/index.js')
const sessionCommand = [process.execPath, cli, 'session']
const suite = resolve('__tests__/fixtures/jest-suite')
const traps = resolve('__tests__/fixtures/jest-traps')
const jestFramework = getFramework('jest')
const dirs = tempDirs('squall-session-')
const leftovers: number[] = []
const pools: SessionPool[] = []

afterAll(async () => {
  await Promise.all(pools.map(p => p.close()))
  killAll(leftovers)
  dirs.cleanup()
})

function newPool(capacity = 1): SessionPool {
  const pool = new SessionPool({ capacity, killGraceMs: 1000 })
  pools.push(pool)
  return pool
}

const cacheDir = dirs.make()

function context(workDir: string, sessions?: SessionPool): ExecuteContext {
  return sessionContext({
    workDir,
    makeDir: dirs.make,
    cacheDir,
    ...(sessions ? { sessions } : {})
  })
}

function planOptions(cwd: string, overrides: Partial<PlanOptions> = {}): PlanOptions {
  return {
    cwd,
    args: [],
    timeoutMs: 120_000,
    slots: 1,
    timings: new Map(),
    failedBefore: new Set(),
    sessionCommand,
    ...overrides
  }
}

/** One warm job for exactly these files of the suite at `cwd`, in this order. */
async function oneJob(
  cwd: string,
  files: string[],
  fields: Partial<JobSpec> = {}
): Promise<JobSpec> {
  const listed = await jestFramework.list({ cwd, args: [], timeoutMs: 60_000 })
  const items = listed.filter((i: TestItem) => files.includes(i.id))
  expect(items.map(i => i.id).sort()).toEqual([...files].sort())
  const timings = new Map(items.map(i => [i.id, 1]))
  const jobs = jestFramework.plan(items, planOptions(cwd, { timings }))
  expect(jobs).toHaveLength(1)
  return { ...(jobs[0] as JobSpec), ...fields }
}

const statuses = (results: JobResult[]): Record<string, string> =>
  Object.fromEntries(results.flatMap(r => r.cases ?? []).map(c => [c.id, c.status]))

describe('warm jest sessions on the fixture suite', () => {
  test('one session runs every job, and the results equal cold runs of the same files', async () => {
    const listed = await jestFramework.list({ cwd: suite, args: [], timeoutMs: 60_000 })
    const jobs = jestFramework.plan(listed, planOptions(suite))
    expect(jobs.length).toBeGreaterThan(1)
    expect(new Set(jobs.map(j => j.session?.key)).size).toBe(1)

    const pool = newPool()
    const warm: JobResult[] = []
    const pids = new Set<number>()
    for (const job of jobs) {
      warm.push(await executeJob(job, context(suite, pool)))
      for (const pid of pool.pids()) pids.add(pid)
    }
    // Start-up paid once: one session, the same process for every job.
    expect(pool.started).toBe(1)
    expect(pids.size).toBe(1)
    leftovers.push(...pids)

    const cold: JobResult[] = []
    for (const job of jobs)
      cold.push(await executeJob({ ...job, session: undefined }, context(suite)))
    expect(statuses(warm)).toEqual(statuses(cold))
    expect(warm.map(r => r.status)).toEqual(cold.map(r => r.status))
    const all = warm.flatMap(r => r.cases ?? [])
    expect(all.filter(c => c.status === 'passed')).toHaveLength(7)
    expect(all.filter(c => c.status === 'failed').map(c => [c.id, c.line])).toEqual([
      ['sum.test.js::sum knows two and two make five', 14]
    ])
    expect(all.filter(c => c.status === 'skipped')).toHaveLength(1)
    // Each file's own wall comes back with its job, and holds at least its tests' time.
    for (const [k, result] of warm.entries()) {
      const files = jobs[k]?.framework?.tests ?? []
      expect(Object.keys(result.itemWallMs ?? {}).sort()).toEqual([...files].sort())
      for (const file of files) {
        const tests = (result.cases ?? [])
          .filter(c => c.file === file)
          .reduce((sum, c) => sum + c.durationMs, 0)
        expect(result.itemWallMs?.[file]).toBeGreaterThanOrEqual(tests)
      }
    }

    // The worker's shutdown: `exit`, and the session is gone.
    await pool.close()
    for (const pid of pids) await waitUntil(() => !isAlive(pid), `session ${pid} to exit`)
  })

  test('a file that calls process.exit crashes only its job; the next job gets a fresh session', async () => {
    const pool = newPool()
    const ctx = context(traps, pool)
    const before = await executeJob(await oneJob(traps, ['c-after.test.js']), ctx)
    expect(before.status).toBe('passed')
    const [first] = pool.pids() as [number]

    const crash = await executeJob(
      await oneJob(traps, ['a-first.test.js', 'b-exit.test.js', 'c-after.test.js']),
      ctx
    )
    expect(crash.status).toBe('error')
    // The file that finished before the exit is kept; nothing after it ran.
    expect((crash.cases ?? []).map(c => [c.id, c.status])).toEqual([
      ['a-first.test.js::runs before the file that exits', 'passed'],
      ['a-first.test.js::also runs before it', 'passed']
    ])
    expect(crash.message).toContain('session exited with code 1')
    expect(crash.message).toContain('b-exit: about to call process.exit(1)')
    await waitUntil(() => !isAlive(first), 'the crashed session to be gone')

    const after = await executeJob(await oneJob(traps, ['c-after.test.js']), ctx)
    expect(after.status).toBe('passed')
    expect(after.cases?.map(c => c.id)).toEqual(['c-after.test.js::runs after the file that exits'])
    expect(pool.started).toBe(2)
    expect(pool.pids()).not.toContain(first)
    leftovers.push(...pool.pids())
  })

  test('tests see a clean process.argv and the job environment, restored after the job', async () => {
    const pool = newPool()
    const ctx = context(traps, pool)
    const first = await executeJob(
      await oneJob(traps, ['argv.test.js', 'env.test.js'], { env: { SQUALL_FIXTURE_ENV: 'one' } }),
      ctx
    )
    expect(first.status).toBe('passed')
    expect(first.cases?.map(c => c.name).sort()).toEqual([
      'process.argv carries no flags',
      'sees SQUALL_FIXTURE_ENV=one, tmpdir in the job dir: true'
    ])
    const second = await executeJob(await oneJob(traps, ['env.test.js']), ctx)
    expect(second.cases?.map(c => c.name)).toEqual([
      'sees SQUALL_FIXTURE_ENV=unset, tmpdir in the job dir: true'
    ])
    expect(pool.started).toBe(1)
    leftovers.push(...pool.pids())
  })

  test('a timeout kills the session with its whole group', async () => {
    const pool = newPool()
    const ctx = context(traps, pool)
    const warmUp = await executeJob(await oneJob(traps, ['a-first.test.js']), ctx)
    expect(warmUp.status).toBe('passed')
    const pidFile = join(dirs.make(), 'pids')
    const result = await executeJob(
      await oneJob(traps, ['hang.test.js'], {
        timeoutMs: 4000,
        env: { SQUALL_FIXTURE_HANG: '1', SQUALL_FIXTURE_PIDFILE: pidFile }
      }),
      ctx
    )
    expect(result.status).toBe('timed-out')
    const pids = readFileSync(pidFile, 'utf8').split(' ').map(Number)
    leftovers.push(...pids)
    expect(pids).toHaveLength(2)
    for (const pid of pids) await waitUntil(() => !isAlive(pid), `process ${pid} to be killed`)
    expect(pool.pids()).toEqual([])
  })
})
