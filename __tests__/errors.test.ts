/** The one mapping from how a piece ended to its documented exit code. */
import {
  ClusterError,
  ExitCode,
  InterruptedError,
  ReportError,
  UsageError,
  exitCodeFor
} from '../src/errors.js'

test('the documented codes', () => {
  expect(ExitCode).toEqual({ ok: 0, testsFailed: 1, usage: 2, cluster: 3, interrupted: 130 })
})

test.each([
  [{ kind: 'run', testsFailed: false }, 0],
  [{ kind: 'run', testsFailed: true }, 1],
  // Results are in, but the broker ended badly: a cluster failure unless tests failed.
  [{ kind: 'run', testsFailed: false, brokerFailed: true }, 3],
  [{ kind: 'run', testsFailed: true, brokerFailed: true }, 1],
  [{ kind: 'worker', end: 'finished' }, 0],
  [{ kind: 'worker', end: 'closed' }, 0],
  [{ kind: 'worker', end: 'lost' }, 3],
  [{ kind: 'worker', end: 'no-broker', required: true }, 3],
  [{ kind: 'worker', end: 'no-broker', required: false }, 0],
  [{ kind: 'broker', ok: true }, 0],
  [{ kind: 'broker', ok: false }, 3],
  [{ kind: 'error', error: new UsageError('input x') }, 2],
  [{ kind: 'error', error: new ClusterError('lost') }, 3],
  [{ kind: 'error', error: new Error('bug') }, 3],
  // A stop signal ends a run the way shells report it: 128 + the signal's number.
  [{ kind: 'error', error: new InterruptedError('SIGINT') }, 130],
  [{ kind: 'error', error: new InterruptedError('SIGTERM') }, 143],
  [{ kind: 'error', error: new InterruptedError('SIGHUP') }, 129],
  // A report that could not be written is the run's output failing, not the user's input.
  [{ kind: 'error', error: new ReportError(['junit.xml: EACCES']) }, 3],
  [{ kind: 'error', error: 'thrown text' }, 3]
] as const)('%j ends with %i', (ending, code) => {
  expect(exitCodeFor(ending)).toBe(code)
})
