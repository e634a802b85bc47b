import type { Framework } from '../../src/frameworks/framework.js'
import type { JobSpec } from '../../src/protocol/types.js'
import { failedCaseIds, nextAttempt } from '../../src/runner/retry.js'
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
