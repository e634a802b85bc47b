import type { Framework } from '../../src/frameworks/core/framework.js'
import type { JobSpec } from '../../src/protocol/types.js'
import { failedCaseIds, nextAttempt, nextAttempts } from '../../src/runner/retry.js'
import { job, result, testCase } from './build.js'

const plain = { retries: 2, framework: {} }

describe('nextAttempt', () => {
  test.each(['failed', 'timed-out', 'error'] as const)(
    'a %s attempt with attempts left runs again elsewhere',
    status => {
      const spec = job('a')
      const next = nextAttempt(spec, result(spec, { status, worker: 'w1' }), plain)
      expect(next).toEqual({ ...spec, attempt: 2, failedBefore: true, avoidWorkers: ['w1'] })
    }
  )

  test('passed and cancelled attempts are final', () => {
    const spec = job('a')
    expect(nextAttempt(spec, result(spec, { status: 'passed' }), plain)).toBeUndefined()
    expect(nextAttempt(spec, result(spec, { status: 'cancelled' }), plain)).toBeUndefined()
  })

  test('no retries left: final', () => {
    const third = job('a', { attempt: 3 })
    expect(nextAttempt(third, result(third, { status: 'failed' }), plain)).toBeUndefined()
    const first = job('a')
    expect(
      nextAttempt(first, result(first, { status: 'failed' }), { retries: 0, framework: {} })
    ).toBeUndefined()
  })

  test('a job that never reached a worker is not retried', () => {
    const spec = job('a', { labels: ['gpu'] })
    const r = result(spec, {
      status: 'error',
      worker: '',
      startedAt: 0,
      message: 'no worker offers gpu'
    })
    expect(nextAttempt(spec, r, plain)).toBeUndefined()
  })

  test('every earlier worker is avoided', () => {
    const second = job('a', { attempt: 2, avoidWorkers: ['w1'] })
    const next = nextAttempt(second, result(second, { status: 'failed', worker: 'w2' }), plain, [
      'w1'
    ])
    expect(next?.avoidWorkers).toEqual(['w1', 'w2'])
    expect(next?.attempt).toBe(3)
  })

  test('with retryJob only the failing cases run again', () => {
    const calls: [JobSpec, string[]][] = []
    const framework: Pick<Framework, 'retryJob'> = {
      retryJob: (j, failed) => {
        calls.push([j, failed])
        return { ...j, id: 'renamed', argv: ['run', ...failed] }
      }
    }
    const spec = job('a', { argv: ['run', 'all'] })
    const r = result(spec, {
      status: 'failed',
      cases: [
        testCase('t1', 'passed'),
        testCase('t2', 'failed'),
        testCase('t3', 'error'),
        testCase('t4', 'skipped')
      ]
    })
    const next = nextAttempt(spec, r, { retries: 1, framework })
    expect(calls).toEqual([[spec, ['t2', 't3']]])
    // The id stays the job's whatever the framework did: results must match the job.
    expect(next).toMatchObject({ id: 'a', argv: ['run', 't2', 't3'], attempt: 2 })
  })

  test('an unexplained failure or a timeout reruns the whole job', () => {
    const framework: Pick<Framework, 'retryJob'> = {
      retryJob: () => {
        throw new Error('must not narrow')
      }
    }
    const spec = job('a')
    const crash = result(spec, { status: 'failed', cases: [testCase('t1', 'passed')] })
    expect(nextAttempt(spec, crash, { retries: 1, framework })?.command).toBe('true')
    const slow = result(spec, { status: 'timed-out', cases: [testCase('t1', 'failed')] })
    expect(nextAttempt(spec, slow, { retries: 1, framework })?.attempt).toBe(2)
  })
})

test('failedCaseIds', () => {
  const spec = job('a')
  expect(failedCaseIds(result(spec))).toEqual([])
  expect(
    failedCaseIds(result(spec, { cases: [testCase('x', 'error'), testCase('y', 'passed')] }))
  ).toEqual(['x'])
})

describe('nextAttempts: a crash runs the items with no result one per job', () => {
  /** Narrows by keeping the asked items in `argv` and `tests`, as a framework would. */
  const framework: Pick<Framework, 'retryJob' | 'narrowToItems'> = {
    narrowToItems: (j, items) => ({
      ...j,
      name: `run ${items.join(' ')}`,
      argv: ['run', ...items],
      framework: { name: 'x', tests: items }
    }),
    retryJob: (j, failed) => ({ ...j, argv: [...(j.argv ?? []), '--only', ...failed] })
  }
  const policy = { retries: 1, framework }
  const files = ['a.js', 'b.js', 'c.js', 'd.js']
  const batch = job('batch', {
    argv: ['run', ...files],
    expectedMs: 4000,
    framework: { name: 'x', tests: files }
  })
  const crash = result(batch, {
    status: 'error',
    worker: 'w1',
    message: 'session exited with code 1',
    cases: [
      testCase('a.js::one', 'passed', { file: 'a.js' }),
      testCase('b.js::one', 'failed', { file: 'b.js' }),
      testCase('b.js::two', 'passed', { file: 'b.js' }),
      // What a framework writes for a test the crash never reached: no result either.
      testCase('d.js', 'error', { message: 'not reported' })
    ]
  })

  test('each unreported item alone, the failed ones narrowed together, the passed ones not', () => {
    const next = nextAttempts(batch, crash, policy)
    expect(next.map(j => [j.id, j.attempt, j.argv])).toEqual([
      ['batch~1', 2, ['run', 'c.js']],
      ['batch~2', 2, ['run', 'd.js']],
      ['batch~3', 2, ['run', 'b.js', '--only', 'b.js::one']]
    ])
    for (const j of next) {
      expect(j).toMatchObject({ failedBefore: true, avoidWorkers: ['w1'] })
      // The batch's estimate says nothing of one of its items.
      expect(j.expectedMs).toBeUndefined()
    }
  })

  test('a split job that crashes again splits under its own id; one item keeps its id', () => {
    const [, , failing] = nextAttempts(batch, crash, { ...policy, retries: 3 })
    const again = nextAttempts(
      failing as JobSpec,
      result(failing as JobSpec, { status: 'timed-out', worker: 'w2' }),
      { ...policy, retries: 3 }
    )
    expect(again.map(j => [j.id, j.attempt, j.argv])).toEqual([['batch~3', 3, ['run', 'b.js']]])
    const pair = { ...batch, framework: { name: 'x', tests: ['c.js', 'd.js'] }, id: 'batch~1' }
    expect(nextAttempts(pair, result(pair, { status: 'error' }), policy).map(j => j.id)).toEqual([
      'batch~1~1',
      'batch~1~2'
    ])
  })

  test('a crash after every item reported, or a plain failure, retries as one job', () => {
    const late = result(batch, {
      status: 'failed',
      signal: 'SIGSEGV',
      exitCode: null,
      cases: files.map(f => testCase(`${f}::t`, 'passed', { file: f }))
    })
    expect(nextAttempts(batch, late, policy).map(j => [j.id, j.argv])).toEqual([
      ['batch', ['run', ...files]]
    ])
    const failed = result(batch, {
      status: 'failed',
      cases: [testCase('a.js::t', 'failed', { file: 'a.js' })]
    })
    expect(nextAttempts(batch, failed, policy).map(j => [j.id, j.argv])).toEqual([
      ['batch', ['run', ...files, '--only', 'a.js::t']]
    ])
  })

  test('without narrowToItems, or with no retries left, nothing splits', () => {
    expect(
      nextAttempts(batch, crash, { retries: 1, framework: {} }).map(j => [j.id, j.argv])
    ).toEqual([['batch', ['run', ...files]]])
    expect(nextAttempts(batch, crash, { ...policy, retries: 0 })).toEqual([])
  })
})
