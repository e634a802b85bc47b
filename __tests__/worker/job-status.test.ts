import type { TestCaseResult } from '../../src/protocol/types.js'
import { decideStatus } from '../../src/worker/job-status.js'

const exited = (exitCode: number | null, signal: string | null = null) => ({
  exitCode,
  signal,
  timedOut: false,
  cancelled: false
})
const context = { timeoutMs: 1500, command: 'npm' }
const testCase = (status: TestCaseResult['status']): TestCaseResult => ({
  id: `t-${status}`,
  name: status,
  status,
  durationMs: 1
})

describe('decideStatus', () => {
  test('exit 0 passes, any other exit fails', () => {
    expect(decideStatus(exited(0), context)).toEqual({ status: 'passed' })
    expect(decideStatus(exited(1), context)).toEqual({ status: 'failed' })
    expect(decideStatus(exited(127), context)).toEqual({ status: 'failed' })
  })

  test('a signal we did not send fails and names the signal', () => {
    expect(decideStatus(exited(null, 'SIGSEGV'), context)).toEqual({
      status: 'failed',
      message: 'killed by SIGSEGV'
    })
  })

  test('our time limit wins over the exit, and the message says the limit', () => {
    const verdict = decideStatus({ ...exited(null, 'SIGTERM'), timedOut: true }, context)
    expect(verdict.status).toBe('timed-out')
    expect(verdict.message).toContain('1.5s')
  })

  test('a cancel gives its reason', () => {
    const verdict = decideStatus(
      { ...exited(null, 'SIGTERM'), cancelled: true },
      { ...context, cancelReason: 'run aborted' }
    )
    expect(verdict).toEqual({ status: 'cancelled', message: 'cancelled: run aborted' })
  })

  test('a failed spawn is an error naming the command', () => {
    const verdict = decideStatus({ ...exited(null), spawnError: 'spawn npm ENOENT' }, context)
    expect(verdict.status).toBe('error')
    expect(verdict.message).toContain('npm')
    expect(verdict.message).toContain('ENOENT')
  })

  test('failing cases turn an exit 0 into a failure', () => {
    const verdict = decideStatus(exited(0), context, [testCase('passed'), testCase('failed')])
    expect(verdict.status).toBe('failed')
    expect(verdict.message).toContain('1 test(s) failed')
    expect(decideStatus(exited(0), context, [testCase('error')]).status).toBe('failed')
    expect(decideStatus(exited(0), context, [testCase('passed'), testCase('skipped')]).status).toBe(
      'passed'
    )
  })

  test('passing cases do not turn a non-zero exit into a pass', () => {
    expect(decideStatus(exited(2), context, [testCase('passed')]).status).toBe('failed')
  })
})

test('time limits in messages are printed the one way durations are', () => {
  const limit = (timeoutMs: number): string | undefined =>
    decideStatus({ ...exited(null, 'SIGTERM'), timedOut: true }, { ...context, timeoutMs }).message
  expect(limit(250)).toContain('after 250ms')
  expect(limit(1500)).toContain('after 1.5s')
  expect(limit(90_000)).toContain('after 1m 30s')
})
