/** One attempt's key and the result of an attempt that never ran. */
import { jobKey, notRunResult, refOf } from '../../src/protocol/job-ref.js'

test('an attempt is keyed id#attempt, whatever else the object carries', () => {
  expect(jobKey({ id: 'a', attempt: 2 })).toBe('a#2')
  expect(refOf({ id: 'a', attempt: 2, worker: 'w' } as { id: string; attempt: number })).toEqual({
    id: 'a',
    attempt: 2
  })
})

test('a not-run result carries no output, no exit and the reason', () => {
  const result = notRunResult(
    { id: 'a', attempt: 1 },
    { worker: '', status: 'cancelled', message: 'why' }
  )
  expect(result).toEqual({
    id: 'a',
    attempt: 1,
    worker: '',
    status: 'cancelled',
    exitCode: null,
    signal: null,
    durationMs: 0,
    startedAt: 0,
    stdout: { text: '', truncatedBytes: 0 },
    stderr: { text: '', truncatedBytes: 0 },
    message: 'why'
  })
})
