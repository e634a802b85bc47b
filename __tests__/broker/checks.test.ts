/** The broker's checks of what a worker reports: a result's notices. */
import { checkJobResult } from '../../src/broker/checks.js'
import { MAX_NOTICES, NOTICE_CHARS, emptyOutput } from '../../src/protocol/types.js'

const result = (extra: Record<string, unknown> = {}) => ({
  id: 'j',
  attempt: 1,
  worker: 'w',
  status: 'passed',
  exitCode: 0,
  signal: null,
  durationMs: 5,
  startedAt: 1,
  stdout: emptyOutput,
  stderr: emptyOutput,
  ...extra
})

test('a result may carry a few short notices, and nothing else there', () => {
  expect(checkJobResult(result())).toBeUndefined()
  expect(checkJobResult(result({ notices: ['coverage is on'] }))).toBeUndefined()
  expect(checkJobResult(result({ notices: ['x'.repeat(NOTICE_CHARS)] }))).toBeUndefined()
  for (const notices of [
    'coverage is on',
    [3],
    ['x'.repeat(NOTICE_CHARS + 1)],
    Array.from({ length: MAX_NOTICES + 1 }, (_, i) => `n${i}`)
  ]) {
    expect(checkJobResult(result({ notices }))).toMatch(/^result for "j": notices must be/)
  }
})
