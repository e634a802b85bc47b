import type { JobResult, JobSpec } from '../../src/protocol/types.js'
import type { Outcome } from '../../src/runner/events.js'
import {
  computeOutcomes,
  decideOutcome,
  jobMessage,
  kindCounts,
  runNotices,
  summarize,
  type JobAttempts
} from '../../src/runner/outcomes.js'
import { job, result, testCase } from './build.js'

/** A job with one attempt per given result (attempt numbers 1, 2, …). */
function entry(spec: JobSpec, results: Partial<JobResult>[]): JobAttempts {
  return {
    job: spec,
    attempts: results.map((r, i) => {
      const attemptSpec = { ...spec, attempt: i + 1 }
      return { job: attemptSpec, result: result(attemptSpec, r) }
    })
  }
}

const outcomesOf = (entries: JobAttempts[]): Record<string, Outcome> =>
  Object.fromEntries(computeOutcomes(entries).map(t => [t.id, t.outcome]))

describe('decideOutcome', () => {
  test.each<[Outcome[], Outcome]>([
    [['passed'], 'passed'],
    [['failed'], 'failed'],
    [['failed', 'passed'], 'flaky'],
    [['timed-out', 'passed'], 'flaky'],
    [['error', 'error', 'passed'], 'flaky'],
    [['passed', 'failed'], 'failed'],
    [['failed', 'timed-out'], 'timed-out'],
    [['cancelled'], 'cancelled'],
    [['skipped'], 'skipped'],
    [['failed', 'skipped'], 'failed'],
    [['skipped', 'passed'], 'passed']
  ])('%j → %s', (statuses, outcome) => {
    expect(decideOutcome(statuses)).toBe(outcome)
  })
})

describe('computeOutcomes: jobs without cases', () => {
  test('the job is the test; statuses map to outcomes of the same name', () => {
    const entries = [
      entry(job('pass'), [{ status: 'passed' }]),
      entry(job('fail'), [{ status: 'failed' }]),
      entry(job('slow'), [{ status: 'timed-out' }]),
      entry(job('broken'), [{ status: 'error', message: 'spawn sh ENOENT' }]),
      entry(job('stopped'), [{ status: 'cancelled' }]),
      entry(job('flaky'), [{ status: 'failed' }, { status: 'passed' }])
    ]
    expect(outcomesOf(entries)).toEqual({
      pass: 'passed',
      fail: 'failed',
      slow: 'timed-out',
      broken: 'error',
      stopped: 'cancelled',
      flaky: 'flaky'
    })
  })

  test('attempts keep workers, messages and output; duration is the last attempt', () => {
    const [test] = computeOutcomes([
      entry(job('flaky', { name: 'Flaky one' }), [
        {
          status: 'failed',
          worker: 'w1',
          durationMs: 30,
          exitCode: 1,
          stdout: { text: 'trying\n', truncatedBytes: 0 },
          stderr: { text: 'expected 2, got 3\n', truncatedBytes: 0 }
        },
        { status: 'passed', worker: 'w2', durationMs: 20 }
      ])
    ])
    expect(test).toEqual({
      id: 'flaky',
      name: 'Flaky one',
      outcome: 'flaky',
      durationMs: 20,
      attempts: [
        {
          attempt: 1,
          worker: 'w1',
          status: 'failed',
          durationMs: 30,
          message: 'exit code 1: expected 2, got 3',
          output: 'trying\n\nexpected 2, got 3\n'
        },
        { attempt: 2, worker: 'w2', status: 'passed', durationMs: 20 }
      ]
    })
  })
})

describe('computeOutcomes: jobs with cases', () => {
  // The planned item is `a`; its cases are `a::<name>` (a file and its tests).
  const spec = job('file-a', { framework: { name: 'x', tests: ['a'] } })

  test('each case is a test; failed in attempt 1 and passed in a narrowed retry is flaky', () => {
    const got = computeOutcomes([
      entry(spec, [
        {
          status: 'failed',
          cases: [
            testCase('a::one', 'passed', { file: 'a.test.ts', line: 3, suite: 'A' }),
            testCase('a::two', 'failed', { message: 'boom' }),
            testCase('a::three', 'skipped')
          ]
        },
        { status: 'passed', cases: [testCase('a::two', 'passed', { durationMs: 7 })] }
      ])
    ])
    expect(got.map(t => [t.id, t.outcome])).toEqual([
      ['a::one', 'passed'],
      ['a::two', 'flaky'],
      ['a::three', 'skipped']
    ])
    expect(got[0]).toMatchObject({ file: 'a.test.ts', line: 3, suite: 'A' })
    expect(got[1]?.attempts.map(a => [a.attempt, a.status, a.message])).toEqual([
      [1, 'failed', 'boom'],
      [2, 'passed', undefined]
    ])
    expect(got[1]?.durationMs).toBe(7)
  })

  test('a case that fails on its last attempt fails', () => {
    expect(
      outcomesOf([
        entry(spec, [
          { status: 'failed', cases: [testCase('a::two', 'failed')] },
          { status: 'failed', cases: [testCase('a::two', 'failed')] }
        ])
      ])
    ).toEqual({ 'a::two': 'failed' })
  })

  test('a job-level failure no case explains becomes a test of the job', () => {
    expect(
      outcomesOf([
        entry(spec, [{ status: 'timed-out', cases: [testCase('a::one', 'passed')] }]),
        entry(job('file-b'), [
          { status: 'failed', exitCode: 1, cases: [testCase('b::one', 'passed')] }
        ])
      ])
    ).toEqual({ 'a::one': 'passed', 'file-a': 'timed-out', 'b::one': 'passed', 'file-b': 'failed' })
  })

  test('a timeout that a retry recovers from is a flaky job test', () => {
    expect(
      outcomesOf([
        entry(spec, [
          { status: 'timed-out' },
          { status: 'passed', cases: [testCase('a::one', 'passed')] }
        ])
      ])
    ).toEqual({ 'a::one': 'passed', 'file-a': 'flaky' })
  })

  test('a passing job with an empty case list still counts as one test', () => {
    expect(outcomesOf([entry(spec, [{ status: 'passed', cases: [] }])])).toEqual({
      'file-a': 'passed'
    })
  })
})

describe('computeOutcomes: planned items never vanish', () => {
  const files = ['a.test.js', 'b.test.js', 'c.test.js']
  const batch = job('batch', {
    name: 'jest a.test.js and 2 more',
    framework: { name: 'jest', tests: files }
  })
  const crash: Partial<JobResult> = {
    status: 'error',
    message: 'session exited with code 1',
    stderr: { text: 'b: about to call process.exit(1)\n', truncatedBytes: 0 },
    cases: [testCase('a.test.js::one', 'passed', { file: 'a.test.js' })]
  }
  /** The attempt of a child job that ran only `tests` again. */
  const child = (
    id: string,
    tests: string[],
    r: Partial<JobResult>
  ): JobAttempts['attempts'][number] => {
    const spec = job(id, { attempt: 2, framework: { name: 'jest', tests } })
    return { job: spec, result: result(spec, r) }
  }

  test('items a crash left unreported are error tests with its message and output', () => {
    const got = computeOutcomes([entry(batch, [crash])])
    expect(got.map(t => [t.id, t.outcome])).toEqual([
      ['a.test.js::one', 'passed'],
      ['b.test.js', 'error'],
      ['c.test.js', 'error']
    ])
    const b = got[1]
    expect(b).toMatchObject({ name: 'b.test.js', file: 'b.test.js', durationMs: 0 })
    expect(b?.attempts).toHaveLength(1)
    expect(b?.attempts[0]?.status).toBe('error')
    expect(b?.attempts[0]?.message).toContain('session exited with code 1')
    expect(b?.attempts[0]?.message).toContain('b: about to call process.exit(1)')
    expect(b?.attempts[0]?.output).toContain('b: about to call process.exit(1)')
  })

  test('after isolated retries the culprit is the only error; the rest are plain results', () => {
    const planned = entry(batch, [crash])
    planned.attempts.push(
      child('batch~1', ['b.test.js'], { status: 'error', message: 'session exited with code 1' }),
      child('batch~2', ['c.test.js'], {
        status: 'passed',
        cases: [testCase('c.test.js::after', 'passed', { file: 'c.test.js' })]
      })
    )
    const got = computeOutcomes([planned])
    expect(got.map(t => [t.id, t.outcome])).toEqual([
      ['a.test.js::one', 'passed'],
      // Not flaky: it never failed, it was only not reached.
      ['c.test.js::after', 'passed'],
      ['b.test.js', 'error']
    ])
    expect(got[2]?.attempts.map(a => [a.attempt, a.status])).toEqual([
      [1, 'error'],
      [2, 'error']
    ])
  })

  test('a crash that no item reproduces on its own stays a flaky test of the job', () => {
    const planned = entry(batch, [crash])
    planned.attempts.push(
      child('batch~1', ['b.test.js'], {
        status: 'passed',
        cases: [testCase('b.test.js::one', 'passed', { file: 'b.test.js' })]
      }),
      child('batch~2', ['c.test.js'], {
        status: 'passed',
        cases: [testCase('c.test.js::one', 'passed', { file: 'c.test.js' })]
      })
    )
    expect(outcomesOf([planned])).toEqual({
      'a.test.js::one': 'passed',
      'b.test.js::one': 'passed',
      'c.test.js::one': 'passed',
      batch: 'flaky'
    })
  })

  test('cancelled items stay cancelled; an unreported item of a passing job is not an error', () => {
    expect(
      outcomesOf([
        entry(job('stopped', { framework: { name: 'jest', tests: ['s.test.js'] } }), [
          { status: 'cancelled' }
        ]),
        entry(job('quiet', { framework: { name: 'jest', tests: ['q.test.js'] } }), [
          { status: 'passed' }
        ])
      ])
    ).toEqual({ 's.test.js': 'cancelled', quiet: 'passed' })
  })

  test('a job that is its own item (a command) stays the test of its status', () => {
    const command = job('lint', { framework: { name: 'commands', tests: ['lint'] } })
    expect(outcomesOf([entry(command, [{ status: 'timed-out' }])])).toEqual({ lint: 'timed-out' })
  })

  test('subtests and cases by file report their item; test ids are not files', () => {
    const got = computeOutcomes([
      entry(
        job('go', { framework: { name: 'go', tests: ['pkg::TestA', 'pkg::TestB', 'pkg::TestC'] } }),
        [
          {
            status: 'timed-out',
            cases: [
              testCase('pkg::TestA/sub', 'passed'),
              testCase('other id', 'passed', { file: 'pkg::TestB' })
            ]
          }
        ]
      )
    ])
    expect(got.map(t => [t.id, t.outcome])).toEqual([
      ['pkg::TestA/sub', 'passed'],
      ['other id', 'passed'],
      ['pkg::TestC', 'error']
    ])
    expect(got[2]?.file).toBeUndefined()
  })

  test('a test seen only as skipped in a narrowed retry is an artefact, not a test', () => {
    // A property test puts a fresh random seed in its name: the retry by name matches
    // nothing and reports the new name as skipped.
    const spec = job('props', { framework: { name: 'vitest', tests: ['p.test.ts'] } })
    expect(
      outcomesOf([
        entry(spec, [
          {
            status: 'failed',
            cases: [
              testCase('p.test.ts::prop (with seed=1)', 'failed', { file: 'p.test.ts' }),
              testCase('p.test.ts::plain', 'passed', { file: 'p.test.ts' })
            ]
          },
          {
            status: 'passed',
            cases: [testCase('p.test.ts::prop (with seed=2)', 'skipped', { file: 'p.test.ts' })]
          }
        ])
      ])
    ).toEqual({ 'p.test.ts::prop (with seed=1)': 'failed', 'p.test.ts::plain': 'passed' })
  })

  test('a skipped test of a file first reached by a retry is a real skipped test', () => {
    const planned = entry(batch, [crash])
    planned.attempts.push(
      child('batch~1', ['b.test.js'], {
        status: 'passed',
        cases: [
          testCase('b.test.js::one', 'passed', { file: 'b.test.js' }),
          testCase('b.test.js::later', 'skipped', { file: 'b.test.js' })
        ]
      }),
      child('batch~2', ['c.test.js'], { status: 'error', message: 'killed by SIGKILL' })
    )
    expect(outcomesOf([planned])).toEqual({
      'a.test.js::one': 'passed',
      'b.test.js::one': 'passed',
      'b.test.js::later': 'skipped',
      'c.test.js': 'error'
    })
  })
})

describe('summarize', () => {
  const entries = [
    entry(job('p'), [{ status: 'passed', worker: 'w1', durationMs: 100 }]),
    entry(job('f'), [{ status: 'failed', worker: 'w2', durationMs: 50 }]),
    entry(job('fl'), [
      { status: 'failed', worker: 'w1', durationMs: 10 },
      { status: 'passed', worker: 'w2', durationMs: 20 }
    ]),
    entry(job('t'), [{ status: 'timed-out', worker: 'w1', durationMs: 1000 }]),
    entry(job('e'), [{ status: 'error', worker: '', startedAt: 0, durationMs: 0 }])
  ]

  test('counts, utilisation and exit code 1 when a test failed', () => {
    const tests = computeOutcomes(entries)
    const summary = summarize({
      startedAt: 1000,
      finishedAt: 3500,
      entries,
      tests,
      failOnFlaky: false,
      slots: new Map([
        ['w1', 2],
        ['w3', 4]
      ])
    })
    expect(summary).toEqual({
      startedAt: 1000,
      durationMs: 2500,
      jobs: 5,
      tests: 5,
      passed: 1,
      failed: 1,
      flaky: 1,
      skipped: 0,
      errored: 2,
      exitCode: 1,
      workers: [
        { id: 'w1', jobs: 3, busyMs: 1110, slots: 2 },
        { id: 'w2', jobs: 2, busyMs: 70, slots: 1 },
        // Joined and never ran anything: still listed, with zero busy time.
        { id: 'w3', jobs: 0, busyMs: 0, slots: 4 }
      ]
    })
  })

  test('flaky passes unless failOnFlaky', () => {
    const flakyOnly = [entries[0] as JobAttempts, entries[2] as JobAttempts]
    const tests = computeOutcomes(flakyOnly)
    const base = { startedAt: 0, finishedAt: 1, entries: flakyOnly, tests, slots: new Map() }
    expect(summarize({ ...base, failOnFlaky: false }).exitCode).toBe(0)
    expect(summarize({ ...base, failOnFlaky: true }).exitCode).toBe(1)
  })

  test('an empty run passes', () => {
    expect(
      summarize({
        startedAt: 5,
        finishedAt: 5,
        entries: [],
        tests: [],
        failOnFlaky: true,
        slots: new Map()
      })
    ).toMatchObject({ jobs: 0, tests: 0, exitCode: 0, workers: [] })
  })
})

describe('summarize: kinds', () => {
  test("the tests a framework names beyond their outcome are counted within that outcome's count", () => {
    const entries = [
      entry(job('py'), [
        {
          status: 'failed',
          exitCode: 1,
          cases: [
            testCase('plain', 'passed'),
            testCase('known bug', 'skipped', { kind: 'xfail', message: 'xfail: known bug' }),
            testCase('no reason', 'skipped', { kind: 'xfail', message: 'xfail' }),
            testCase('fixed', 'passed', { kind: 'xpass' }),
            testCase('later', 'skipped', { kind: 'todo' }),
            testCase('throws', 'passed', { kind: 'fails' }),
            testCase('does not throw', 'failed', { kind: 'fails' })
          ]
        }
      ])
    ]
    const tests = computeOutcomes(entries)
    const base = { startedAt: 0, finishedAt: 1, entries, tests, failOnFlaky: false }
    const summary = summarize({ ...base, slots: new Map() })
    expect(summary).toMatchObject({ passed: 3, failed: 1, skipped: 3 })
    expect(summary.kinds).toEqual({
      passed: { xpass: 1, fails: 1 },
      failed: { fails: 1 },
      skipped: { xfail: 2, todo: 1 }
    })
    expect(kindCounts(tests.filter(t => t.kind === undefined))).toBeUndefined()
  })
})

describe('runNotices', () => {
  test('each distinct notice once, in the order first said, with how many jobs said it', () => {
    const coverage = 'coverage is on'
    const entries = [
      entry(job('a'), [{ notices: [coverage] }]),
      // A retried job says it twice: one job.
      entry(job('b'), [{ notices: [coverage, 'other'] }, { notices: [coverage] }]),
      entry(job('c'), [{}])
    ]
    expect(runNotices(entries)).toEqual([`${coverage} (2 of 3 jobs)`, 'other (1 of 3 jobs)'])
    expect(runNotices(entries.slice(0, 2))).toEqual([coverage, 'other (1 of 2 jobs)'])
    expect(runNotices([entries[2] as JobAttempts])).toEqual([])
  })
})

describe('jobMessage', () => {
  const base = job('x')
  test.each<[Partial<JobResult>, string | undefined]>([
    [{ status: 'passed' }, undefined],
    [{ status: 'failed', exitCode: 2 }, 'exit code 2'],
    [{ status: 'failed', exitCode: null, signal: 'SIGSEGV' }, 'killed by SIGSEGV'],
    [{ status: 'timed-out', message: 'timed out after 1 s' }, 'timed out after 1 s'],
    [
      { status: 'failed', exitCode: 1, stdout: { text: 'last words\n\n', truncatedBytes: 0 } },
      'exit code 1: last words'
    ]
  ])('%j → %s', (r, message) => {
    expect(jobMessage(result(base, r))).toBe(message)
  })
})
