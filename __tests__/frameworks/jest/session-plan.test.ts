/** Planning jest jobs for warm sessions: pure, no processes. */
import type { PlanOptions } from '../../../src/frameworks/core/framework.js'
import { getFramework } from '../../../src/frameworks/index.js'
import type { JestSessionRequest } from '../../../src/frameworks/jest/session.js'
import { fileItems } from '../../../src/frameworks/js/tool.js'
import type { JobSpec } from '../../../src/protocol/types.js'

const jest = getFramework('jest')
const files = Array.from({ length: 12 }, (_, i) => `t${String(i).padStart(2, '0')}.test.js`)
const items = fileItems(files, ['./node_modules/.bin/jest'])
const sessionCommand = ['/usr/bin/node', '/opt/squall/cli.js', 'session']

function options(overrides: Partial<PlanOptions> = {}): PlanOptions {
  return {
    cwd: '/suite',
    args: [],
    timeoutMs: 60_000,
    slots: 2,
    timings: new Map(files.map(f => [f, 1000])),
    failedBefore: new Set(),
    ...overrides
  }
}

const request = (job: JobSpec): JestSessionRequest => job.session?.request as JestSessionRequest

describe('jest jobs for warm sessions', () => {
  test('without a session command jobs run cold, with a cache that outlives the job', () => {
    const jobs = jest.plan(items, options())
    expect(jobs.every(j => j.session === undefined)).toBe(true)
    expect(jobs[0]?.command).toContain(
      '--cacheDirectory "${SQUALL_CACHE_DIR:-${TMPDIR:-/tmp}}/jest"'
    )
    const own = jest.plan(items, options({ args: ['--cacheDirectory', '/c'] }))
    expect(own[0]?.command).not.toContain('SQUALL_CACHE_DIR')
    expect(own[0]?.command).toContain('--cacheDirectory /c')
  })

  test('every job carries the same session, its files and the user options', () => {
    const jobs = jest.plan(items, options({ sessionCommand, args: ['--silent'] }))
    expect(new Set(jobs.map(j => j.session?.key)).size).toBe(1)
    for (const job of jobs) {
      expect(job.session?.argv).toEqual([...sessionCommand, 'jest'])
      expect(request(job).files).toEqual(job.framework?.tests)
      expect(request(job).options).toEqual(['--ci', '--silent', '--maxWorkers=1'])
      // The cold form stays, as the fallback.
      expect(job.command).toContain('--runTestsByPath')
    }
    expect(jobs.flatMap(j => request(j).files).sort()).toEqual(files)
  })

  test('warm jobs are smaller than cold ones: start-up is paid once per slot', () => {
    const cold = jest.plan(items, options())
    const warm = jest.plan(items, options({ sessionCommand }))
    expect(warm.length).toBeGreaterThan(cold.length)
    // The last jobs are single files, to even out the finish.
    expect(warm.some(j => j.framework?.tests?.length === 1)).toBe(true)
  })

  test('options, launcher or root make a different key', () => {
    const key = (o: Partial<PlanOptions>): string | undefined =>
      jest.plan(items, options({ sessionCommand, ...o }))[0]?.session?.key
    expect(key({})).toBe(key({}))
    expect(key({ args: ['--silent'] })).not.toBe(key({}))
    expect(key({ cwd: '/other' })).not.toBe(key({}))
  })

  test('a retry asks the same session for the failed files and names only', () => {
    const [job] = jest.plan(items, options({ sessionCommand, slots: 1 })) as [JobSpec]
    const [a, b] = job.framework?.tests as [string, string]
    const retry = jest.retryJob?.(job, [`${a}::adds one`, `${b}::adds (two)`]) as JobSpec
    expect(retry.session?.key).toBe(job.session?.key)
    expect(retry.session?.argv).toEqual(job.session?.argv)
    expect(request(retry).files).toEqual([a, b].sort())
    expect(request(retry).namePattern).toBe('^(?:adds one|adds \\(two\\))$')
  })

  test('narrowed to one file, a job asks the same session for that file whole', () => {
    const [job] = jest.plan(items, options({ sessionCommand, slots: 1 })) as [JobSpec]
    const [a, b] = job.framework?.tests as [string, string]
    const retry = jest.retryJob?.(job, [`${a}::adds one`, `${b}::adds two`]) as JobSpec
    const alone = jest.narrowToItems?.(retry, [b]) as JobSpec
    expect(alone.framework?.tests).toEqual([b])
    expect(alone.session?.key).toBe(job.session?.key)
    expect(alone.session?.argv).toEqual(job.session?.argv)
    expect(request(alone)).toEqual({ files: [b], options: request(job).options })
    expect(alone.command).toContain(b)
    expect(alone.command).not.toContain(a)
    expect(alone.command).not.toContain('--testNamePattern')
  })
})
