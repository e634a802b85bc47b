import {
  deadlineMargin,
  fitsBeforeDeadline,
  MAX_DEADLINE_MARGIN_MS,
  MIN_DEADLINE_MARGIN_MS,
  pastLastStart
} from '../../src/worker/deadline.js'

describe('deadline policy', () => {
  test('the margin is the job timeout within [30 s, 10 min]', () => {
    expect(deadlineMargin({ timeoutMs: 1000 })).toBe(MIN_DEADLINE_MARGIN_MS)
    expect(deadlineMargin({ timeoutMs: 120_000 })).toBe(120_000)
    expect(deadlineMargin({ timeoutMs: 7_200_000 })).toBe(MAX_DEADLINE_MARGIN_MS)
  })

  test('a fixed margin overrides the job timeout', () => {
    expect(deadlineMargin({ timeoutMs: 7_200_000 }, 5000)).toBe(5000)
    expect(deadlineMargin({ timeoutMs: 1 }, 0)).toBe(0)
  })

  test('a job fits when its margin ends by the deadline', () => {
    const job = { timeoutMs: 60_000 }
    expect(fitsBeforeDeadline(job, 0, undefined)).toBe(true)
    expect(fitsBeforeDeadline(job, 1000, 61_000)).toBe(true)
    expect(fitsBeforeDeadline(job, 1001, 61_000)).toBe(false)
  })

  test('past the last start nothing can start', () => {
    expect(pastLastStart(0, undefined)).toBe(false)
    expect(pastLastStart(0, MIN_DEADLINE_MARGIN_MS)).toBe(false)
    expect(pastLastStart(1, MIN_DEADLINE_MARGIN_MS)).toBe(true)
    expect(pastLastStart(100, 100, 0)).toBe(false)
    expect(pastLastStart(101, 100, 0)).toBe(true)
  })
})
