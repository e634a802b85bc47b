/**
 * The worker side of warm sessions with a frameworkless host (fixtures/session-host): reuse by
 * key, eviction, the memory bound, crashes, start-up failures, cancel and shutdown.
 */
import { resolve } from 'node:path'
import type { JobSpec, SessionSpec } from '../../../src/protocol/types.js'
import { executeJob, type ExecuteContext } from '../../../src/worker/executor.js'
import { SessionPool, type SessionPoolOptions } from '../../../src/worker/session/pool.js'
import { isAlive, killAll, tempDirs, waitUntil } from '../process-helpers.js'

const fakeHost = resolve('__tests__/fixtures/session-host/fake-host.mjs')
const dirs = tempDirs('squall-pool-')
const leftovers: number[] = []
const pools: SessionPool[] = []

afterAll(async () => {
  await Promise.all(pools.map(p => p.close()))
  killAll(leftovers)
  dirs.cleanup()
})

function newPool(options: Partial<SessionPoolOptions> = {}): SessionPool {
  const pool = new SessionPool({ capacity: 1, killGraceMs: 1000, ...options })
  pools.push(pool)
  return pool
}

function context(sessions: SessionPool): ExecuteContext {
  const dir = dirs.make()
  return {
    workerId: 'w1',
    workDir: dir,
    jobsRoot: `${dir}/jobs`,
    outputCapBytes: 64 * 1024,
    killGraceMs: 1000,
    cacheDir: `${dir}/cache`,
    sessions
  }
}

let n = 0
function job(
  request: unknown,
  session: Partial<SessionSpec> = {},
  fields: Partial<JobSpec> = {}
): JobSpec {
  n++
  return {
    id: `j${n}`,
    name: `j${n}`,
    // The cold form must never run here: it would fail the job.
    command: 'exit 99',
    timeoutMs: 30_000,
    labels: [],
    attempt: 1,
    layers: [],
    session: { key: 'fake', argv: [process.execPath, fakeHost], request, ...session },
    ...fields
  }
}

const passing = { cases: [{ id: 'a', status: 'passed' }] }

/** The live sessions' pids, remembered for cleanup. */
function pidsOf(pool: SessionPool): number[] {
  const pids = pool.pids()
  leftovers.push(...pids)
  return pids
}

describe('SessionPool through the executor', () => {
  test('jobs of one key share a session; the cases decide the status', async () => {
    const pool = newPool()
    const ctx = context(pool)
    const ok = await executeJob(job(passing), ctx)
    expect(ok).toMatchObject({ status: 'passed', cases: [{ id: 'a', status: 'passed' }] })
    const [pid] = pidsOf(pool)
    const bad = await executeJob(
      job({ cases: [{ id: 'b', status: 'failed', message: 'nope' }], print: 'said on stderr' }),
      ctx
    )
    expect(bad.status).toBe('failed')
    expect(bad.cases?.map(c => c.id)).toEqual(['b'])
    // Output is the job's own, not the session's whole history.
    expect(bad.stderr.text).toBe('said on stderr\n')
    expect(pidsOf(pool)).toEqual([pid])
    expect(pool.started).toBe(1)
  })

  test('only the job that started the session reports its start-up', async () => {
    const pool = newPool()
    const ctx = context(pool)
    const first = await executeJob(job(passing, { key: 'startup' }), ctx)
    const second = await executeJob(job(passing, { key: 'startup' }), ctx)
    pidsOf(pool)
    // The fixture host says `ready` with startupMs 1.
    expect(first.sessionStartupMs).toBe(1)
    expect(second.status).toBe('passed')
    expect(second.sessionStartupMs).toBeUndefined()
    expect(pool.started).toBe(1)
  })

  test('a full pool evicts an idle session of another key', async () => {
    const pool = newPool({ capacity: 1 })
    const ctx = context(pool)
    await executeJob(job(passing, { key: 'one' }), ctx)
    const [first] = pidsOf(pool) as [number]
    await executeJob(job(passing, { key: 'two' }), ctx)
    const [second] = pidsOf(pool) as [number]
    expect(second).not.toBe(first)
    await waitUntil(() => !isAlive(first), 'the evicted session to exit')
    expect(pool.size).toBe(1)
  })

  test('a session over the memory bound after a job is retired', async () => {
    const pool = newPool({ memoryBytes: 1000 })
    const ctx = context(pool)
    await executeJob(job({ ...passing, rssBytes: 5000 }), ctx)
    expect(pool.pids()).toEqual([])
    await executeJob(job(passing), ctx)
    expect(pool.started).toBe(2)
    pidsOf(pool)
  })

  test('a crash mid-job is an error that keeps the cases sent and quotes the output', async () => {
    const pool = newPool()
    const ctx = context(pool)
    const result = await executeJob(
      job({ cases: [{ id: 'a', status: 'passed' }], print: 'about to die', exit: 3 }),
      ctx
    )
    expect(result.status).toBe('error')
    expect(result.cases?.map(c => c.id)).toEqual(['a'])
    expect(result.message).toContain('exited with code 3')
    expect(result.message).toContain('about to die')
    expect(pool.pids()).toEqual([])
    const next = await executeJob(job(passing), ctx)
    expect(next.status).toBe('passed')
    expect(pool.started).toBe(2)
    pidsOf(pool)
  })

  test("cases a session appends to the job's cases file count, crash or not", async () => {
    const pool = newPool()
    const ctx = context(pool)
    const filed = await executeJob(
      job({
        cases: [
          { id: 'a', status: 'passed' },
          { id: 'b', status: 'failed' }
        ],
        toFile: true
      }),
      ctx
    )
    expect(filed.status).toBe('failed')
    expect(filed.cases?.map(c => c.id)).toEqual(['a', 'b'])
    const crashed = await executeJob(
      job({ cases: [{ id: 'c', status: 'passed' }], toFile: true, exit: 3 }),
      ctx
    )
    expect(crashed.status).toBe('error')
    expect(crashed.cases?.map(c => c.id)).toEqual(['c'])
    pidsOf(pool)
  })

  test('a process the session moved out of its group dies with the session', async () => {
    if (process.platform !== 'linux') return
    const pool = newPool()
    const result = await executeJob(job({ ...passing, escape: true, exit: 3 }), context(pool))
    const pid = Number(/escaped pid (\d+)/.exec(result.stderr.text)?.[1])
    expect(pid).toBeGreaterThan(0)
    leftovers.push(pid)
    expect(result.status).toBe('error')
    await waitUntil(() => !isAlive(pid), 'the escaped sleep to die')
    expect(isAlive(pid)).toBe(false)
  })

  test('a session that cannot start is an error carrying its start-up output', async () => {
    const pool = newPool()
    const result = await executeJob(
      job(passing, {
        argv: [
          process.execPath,
          '-e',
          'console.error("cannot load the framework"); process.exit(2)'
        ]
      }),
      context(pool)
    )
    expect(result.status).toBe('error')
    expect(result.message).toContain('could not start')
    expect(result.message).toContain('exited 2')
    expect(result.message).toContain('cannot load the framework')
    expect(result.stderr.text).toContain('cannot load the framework')
  })

  test('a session not ready within the start-up deadline is killed', async () => {
    const pool = newPool({ startTimeoutMs: 1500 })
    const result = await executeJob(
      job(passing, { env: { SQUALL_FAKE_HOST_NOT_READY: '1' } }),
      context(pool)
    )
    expect(result.status).toBe('error')
    expect(result.message).toContain('not ready within')
    const pid = Number(/fake host pid (\d+)/.exec(result.stdout.text)?.[1])
    leftovers.push(pid)
    expect(pid).toBeGreaterThan(0)
    await waitUntil(() => !isAlive(pid), 'the unready session to be killed')
  })

  test('cancelling a job kills its session', async () => {
    const pool = newPool()
    const ctx = context(pool)
    await executeJob(job(passing), ctx)
    const [pid] = pidsOf(pool) as [number]
    const abort = new AbortController()
    setTimeout(() => abort.abort('stop now'), 300)
    const result = await executeJob(job({ wait: 60_000 }), ctx, abort.signal)
    expect(result.status).toBe('cancelled')
    expect(result.message).toContain('stop now')
    await waitUntil(() => !isAlive(pid), 'the cancelled session to be killed')
  })

  test('a session started ahead is taken by the first job of its key', async () => {
    const pool = newPool({ capacity: 2 })
    const ctx = context(pool)
    const launch = { key: 'ahead', argv: [process.execPath, fakeHost], cwd: ctx.workDir as string }
    void pool.prewarm({ ...launch, env: process.env }, 1024)
    expect(pool.size).toBe(2)
    await waitUntil(() => pool.pids().length === 2, 'both sessions to be ready')
    const started = pidsOf(pool)
    const [a, b] = await Promise.all([
      executeJob(job(passing, { key: 'ahead' }), ctx),
      executeJob(job(passing, { key: 'ahead' }), ctx)
    ])
    expect([a.status, b.status]).toEqual(['passed', 'passed'])
    expect(pool.started).toBe(2)
    expect(pidsOf(pool).sort()).toEqual([...started].sort())
    // Started ahead and ready before they came: neither job paid a start-up.
    expect(a.sessionStartupMs).toBeUndefined()
    expect(b.sessionStartupMs).toBeUndefined()
  })

  test('a job of another key replaces a session started ahead in a full pool', async () => {
    const pool = newPool({ capacity: 1 })
    const ctx = context(pool)
    void pool.prewarm(
      {
        key: 'guess',
        argv: [process.execPath, fakeHost],
        cwd: ctx.workDir as string,
        env: process.env
      },
      1024
    )
    const result = await executeJob(job(passing, { key: 'other' }), ctx)
    expect(result.status).toBe('passed')
    expect(result.sessionStartupMs).toBe(1)
    expect(pool.started).toBe(2)
    await waitUntil(() => pool.size === 1, 'the session started ahead to be given up')
    pidsOf(pool)
  })

  test('closing the pool ends idle sessions', async () => {
    const pool = newPool()
    await executeJob(job(passing), context(pool))
    const [pid] = pidsOf(pool) as [number]
    await pool.close()
    expect(isAlive(pid)).toBe(false)
    const late = await executeJob(job(passing), context(pool))
    expect(late.status).toBe('error')
    expect(late.message).toContain('shutting down')
  })
})
