import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  MAX_TEST_ARG_BYTES,
  addUnreported,
  caseDurations,
  narrowJob,
  planBatchJobs
} from '../../../src/frameworks/core/batch-jobs.js'
import type { BatchJobRecipe } from '../../../src/frameworks/core/batch-jobs.js'
import type { JobExecution, PlanOptions, TestItem } from '../../../src/frameworks/core/framework.js'
import { jobPayload, string } from '../../../src/frameworks/core/payload.js'
import { loggedRunScript } from '../../../src/frameworks/core/test-binaries.js'
import type { JobSpec } from '../../../src/protocol/types.js'

type Data = { binary: string }

const recipe: BatchJobRecipe<Data> = {
  framework: 'fake',
  payload: jobPayload<Data>({ binary: string }),
  startupMs: 100,
  defaultMs: 10,
  dataOf: item => ({ binary: String(item.data?.binary) }),
  command: (data, tests) => ({
    argv: [data.binary, ...tests],
    cwd: data.binary === 'a' ? '.' : 'sub'
  }),
  describe: data => [data.binary]
}

function items(count: number, binary: string, idLength = 8): TestItem[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${binary}::${String(i).padStart(idLength, '0')}`,
    name: String(i),
    data: { binary }
  }))
}

function options(overrides: Partial<PlanOptions> = {}): PlanOptions {
  return {
    cwd: '/x',
    args: [],
    timeoutMs: 5000,
    slots: 2,
    timings: new Map(),
    failedBefore: new Set(),
    ...overrides
  }
}

test('every item in exactly one job; a job never mixes binaries; ids are stable digests', () => {
  const all = [...items(30, 'a'), ...items(7, 'b')]
  const jobs = planBatchJobs(all, options({ timings: new Map(all.map(i => [i.id, 200])) }), recipe)
  expect(jobs.flatMap(j => j.framework?.tests ?? []).sort()).toEqual(all.map(i => i.id).sort())
  for (const job of jobs) {
    const binary = (job.framework?.data as Data).binary
    expect(job.framework?.tests?.every(id => id.startsWith(`${binary}::`))).toBe(true)
    expect(job.argv).toEqual([binary, ...(job.framework?.tests ?? [])])
    expect(job.cwd).toBe(binary === 'a' ? undefined : 'sub')
    expect(job.expectedMs).toBe(100 + 200 * (job.framework?.tests?.length ?? 0))
    expect(job.id).toMatch(/^fake-[0-9a-f]{12}$/)
  }
  expect(new Set(jobs.map(j => j.id)).size).toBe(jobs.length)
  expect(
    planBatchJobs(
      [...all].reverse(),
      options({ timings: new Map(all.map(i => [i.id, 200])) }),
      recipe
    )
  ).toEqual(jobs)
})

test('jobs stay under the argument cap however many tests fit the time budget', () => {
  const many = items(3000, 'a', 60)
  const jobs = planBatchJobs(
    many,
    options({ slots: 1, timings: new Map(many.map(i => [i.id, 0])) }),
    recipe
  )
  expect(jobs.length).toBeGreaterThan(1)
  for (const job of jobs) {
    const bytes = (job.framework?.tests ?? []).reduce(
      (sum, id) => sum + Buffer.byteLength(id) + 9,
      0
    )
    expect(bytes).toBeLessThanOrEqual(MAX_TEST_ARG_BYTES)
  }
})

test('failedBefore marks the job; narrowJob keeps id and data and runs only failed tests', () => {
  const all = items(3, 'b')
  const [job] = planBatchJobs(all, options({ failedBefore: new Set([all[1]!.id]) }), recipe)
  expect(job?.failedBefore).toBe(true)
  const retry = narrowJob(recipe, job!, [all[2]!.id, 'elsewhere::x'])
  expect(retry).toMatchObject({
    id: job!.id,
    argv: ['b', all[2]!.id],
    cwd: 'sub',
    framework: { tests: [all[2]!.id] }
  })
  expect(narrowJob(recipe, job!, ['elsewhere::x'])).toBe(job)
})

test('caseDurations reads the job own cases only', () => {
  const job = { framework: { name: 'fake', tests: ['a', 'b'] } } as JobSpec
  const result = {
    cases: [
      { id: 'a', name: 'a', status: 'passed', durationMs: 5 },
      { id: 'z', name: 'z', status: 'passed', durationMs: 9 }
    ]
  } as never
  expect(caseDurations(job, result)).toEqual(new Map([['a', 5]]))
})

describe('addUnreported', () => {
  const execution = (overrides: Partial<JobExecution>): JobExecution => ({
    job: { framework: { name: 'fake', tests: ['a', 'b', 'c'] } } as JobSpec,
    jobDir: '/nowhere',
    exitCode: 0,
    signal: null,
    timedOut: false,
    durationMs: 1234,
    stdout: { text: '', truncatedBytes: 0 },
    stderr: { text: '', truncatedBytes: 0 },
    ...overrides
  })
  const found = [{ id: 'a', name: 'a', status: 'failed' as const, durationMs: 1 }]

  test('a clean exit adds nothing', () => {
    expect(addUnreported(found, execution({}), id => ({ name: id }))).toEqual(found)
  })

  test('a crash, a kill or a timeout turns each unreported test into an error that says why', () => {
    const crash = addUnreported(found, execution({ exitCode: 2 }), id => ({ name: `n-${id}` }))
    expect(crash.map(c => [c.id, c.status, c.name])).toEqual([
      ['a', 'failed', 'a'],
      ['b', 'error', 'n-b'],
      ['c', 'error', 'n-c']
    ])
    expect(crash[1]?.message).toContain('exit code 2')
    expect(
      addUnreported([], execution({ timedOut: true, exitCode: null }), id => ({ name: id }))[0]
        ?.message
    ).toContain('timed out')
    expect(
      addUnreported([], execution({ signal: 'SIGKILL', exitCode: null }), id => ({ name: id }))[0]
        ?.message
    ).toContain('SIGKILL')
  })
})

describe('loggedRunScript', () => {
  const dir = mkdtempSync(join(tmpdir(), 'squall-script-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test("keeps the command's exit status, shows its output and saves a copy of both streams", () => {
    const run = spawnSync(
      'sh',
      ['-c', loggedRunScript('out.log'), 'x', 'sh', '-c', 'echo to-out; echo to-err >&2; exit 7'],
      {
        env: { ...process.env, SQUALL_JOB_DIR: dir },
        encoding: 'utf8'
      }
    )
    expect(run.status).toBe(7)
    expect(run.stdout).toBe('to-out\nto-err\n')
    expect(readFileSync(join(dir, 'out.log'), 'utf8')).toBe('to-out\nto-err\n')
  })

  test('a command that cannot start fails the job; arguments arrive untouched', () => {
    const missing = spawnSync('sh', ['-c', loggedRunScript('m.log'), 'x', './no-such-binary'], {
      env: { ...process.env, SQUALL_JOB_DIR: dir }
    })
    expect(missing.status).toBe(127)
    const odd = spawnSync(
      'sh',
      ['-c', loggedRunScript('o.log', 'A=1; export A'), 'x', 'printf', '%s|', '$A', 'a b', '"q"'],
      {
        env: { ...process.env, SQUALL_JOB_DIR: dir },
        encoding: 'utf8'
      }
    )
    expect(odd.stdout).toBe('$A|a b|"q"|')
  })

  test('without SQUALL_JOB_DIR it refuses to run', () => {
    const env = { ...process.env }
    delete env.SQUALL_JOB_DIR
    const run = spawnSync('sh', ['-c', loggedRunScript('x.log'), 'x', 'true'], {
      env,
      encoding: 'utf8'
    })
    expect(run.status).not.toBe(0)
    expect(run.stderr).toContain('SQUALL_JOB_DIR is not set')
  })
})
