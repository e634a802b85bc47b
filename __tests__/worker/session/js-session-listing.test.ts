/**
 * A jest or vitest session started ahead on the runner's machine lists the suite (the built
 * CLI's `session`, started by `prewarmSessions` as a local worker does): the runner reads
 * exactly what the framework's own listing gives, the user's filters applied, and the jobs
 * then take that session. Where the session cannot tell (vitest's `--changed`), it says so
 * beside the file and the runner lists by itself.
 */
import { jest } from '@jest/globals'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { failedMarker } from '../../../src/frameworks/core/session-listing.js'
import { getFramework } from '../../../src/frameworks/index.js'
import type { JobSpec } from '../../../src/protocol/types.js'
import { executeJob } from '../../../src/worker/executor.js'
import { SessionPool } from '../../../src/worker/session/pool.js'
import { prewarmSessions } from '../../../src/worker/session/prewarm.js'
import { tempDirs, waitUntil } from '../process-helpers.js'
import { sessionContext } from './session-context.js'

jest.setTimeout(180_000)

const sessionCommand = [process.execPath, resolve('dist/cli/index.js'), 'session']
const dirs = tempDirs('squall-session-listing-')
const pools: SessionPool[] = []

afterAll(async () => {
  await Promise.all(pools.map(p => p.close()))
  dirs.cleanup()
})

/**
 * Starts the session a local worker would for `args`, asked to list into a file; resolves
 * with what the runner then lists, the runner's own listing, and the marker's presence.
 */
async function listBoth(name: string, cwd: string, args: string[]) {
  const framework = getFramework(name)
  const own = await framework.list({ cwd, args, timeoutMs: 60_000 })
  const listFile = join(dirs.make(), 'session-listing.json')
  const spec = await framework.warmSession?.({ cwd, args, sessionCommand, listFile })
  expect(spec?.listFile).toBe(listFile)
  const pool = new SessionPool({ capacity: 1, killGraceMs: 1000 })
  pools.push(pool)
  const ctx = sessionContext({ workDir: cwd, makeDir: dirs.make, sessions: pool })
  expect(prewarmSessions(pool, spec as NonNullable<typeof spec>, ctx, 'w1')).toBe(true)
  const fromSession = await framework.list({
    cwd,
    args,
    timeoutMs: 60_000,
    sessionListing: { file: listFile, alive: () => true }
  })
  return { framework, own, fromSession, listFile, pool, ctx }
}

describe.each([
  {
    name: 'jest',
    root: '__tests__/fixtures/jest-global-setup',
    filters: [[], ['tw'], ['--testPathPatterns', 'one|two']]
  },
  {
    name: 'vitest',
    root: '__tests__/fixtures/vitest-suite',
    filters: [[], ['sum'], ['more/']]
  }
])('$name', ({ name, root, filters }) => {
  const cwd = resolve(root)

  test.each(filters)('a session started ahead lists as the framework does: %j', async (...args) => {
    const { framework, own, fromSession, listFile, pool, ctx } = await listBoth(name, cwd, args)
    expect(own.length).toBeGreaterThan(0)
    expect(fromSession).toEqual(own)
    expect(existsSync(listFile)).toBe(true)
    expect(existsSync(failedMarker(listFile))).toBe(false)
    // The first job takes the session that listed.
    const [job] = framework.plan(own, {
      cwd,
      args,
      timeoutMs: 120_000,
      slots: 1,
      timings: new Map(),
      failedBefore: new Set(),
      sessionCommand
    })
    const result = await executeJob(job as JobSpec, ctx)
    expect(result.cases?.length).toBeGreaterThan(0)
    await waitUntil(() => pool.size > 0, 'the session')
    expect(pool.started).toBe(1)
    await pool.close()
  })
})

test('jest: a filter that matches nothing is a listing of none, as jest --listTests says', async () => {
  const cwd = resolve('__tests__/fixtures/jest-global-setup')
  const { own, fromSession, pool } = await listBoth('jest', cwd, ['--', 'nothing-matches'])
  expect(own).toEqual([])
  expect(fromSession).toEqual([])
  await pool.close()
})

test('vitest: --changed is for vitest list alone: the session says so, the runner lists', async () => {
  const cwd = resolve('__tests__/fixtures/vitest-suite')
  const { own, fromSession, listFile, pool } = await listBoth('vitest', cwd, ['--changed', 'HEAD'])
  await waitUntil(() => existsSync(failedMarker(listFile)), 'the marker beside the listing')
  expect(existsSync(listFile)).toBe(false)
  expect(fromSession).toEqual(own)
  await pool.close()
})

test('jest: a session asked to list without the jobs options says so beside the file', async () => {
  const cwd = resolve('__tests__/fixtures/jest-global-setup')
  const listFile = join(dirs.make(), 'session-listing.json')
  const spec = await getFramework('jest').warmSession?.({ cwd, args: [], sessionCommand, listFile })
  const env = { ...spec?.env }
  delete env.SQUALL_JEST_SESSION_ARGS
  const pool = new SessionPool({ capacity: 1, killGraceMs: 1000 })
  pools.push(pool)
  const ctx = sessionContext({ workDir: cwd, makeDir: dirs.make, sessions: pool })
  expect(prewarmSessions(pool, { ...(spec as NonNullable<typeof spec>), env }, ctx, 'w1')).toBe(
    true
  )
  // The runner stops waiting at once and lists by itself, instead of until the workers end.
  await waitUntil(() => existsSync(failedMarker(listFile)), 'the marker beside the listing')
  expect(existsSync(listFile)).toBe(false)
  await pool.close()
})
