import { kindsLine } from '../../src/report/format.js'
import { renderSummary, resultLine } from '../../src/report/terminal-summary.js'
import { summary, tests } from './recorded-run.js'

test('tests a framework left out on purpose are counted on the totals line', () => {
  const text = renderSummary({ ...summary, leftOut: { benchmarks: 3 } }, tests, { slowest: 0 })
  expect(text).toContain(
    '8 tests in 5 jobs, 42.1s on 3 workers; of the failed: 1 timed out, 1 errored; left out: 3 benchmarks'
  )
  expect(renderSummary(summary, tests, { slowest: 0 })).not.toContain('left out')
})

test("a count's kinds follow it in the framework's words, and nothing when there are none", () => {
  const base = { ...summary, passed: 1991, failed: 0, errored: 1, flaky: 0, skipped: 25 }
  const kinds = {
    passed: { xpass: 2, fails: 1 },
    errored: { fails: 1 },
    skipped: { xfail: 1, todo: 3 }
  }
  expect(resultLine({ ...base, kinds })).toBe(
    '1991 passed (2 xpassed, 1 expected to fail), 1 failed (1 expected to fail), 25 skipped (1 xfailed, 3 todo)'
  )
  expect(resultLine(base)).toBe('1991 passed, 1 failed, 25 skipped')
  // The job summary and the HTML report say it under their table.
  expect(kindsLine({ ...base, kinds })).toBe(
    'Of the passed: 2 xpassed, 1 expected to fail. Of the skipped: 1 xfailed, 3 todo. Of the errored: 1 expected to fail.'
  )
  expect(kindsLine(base)).toBe('')
  expect(renderSummary({ ...base, kinds }, tests, { slowest: 0 })).toContain('(1 xfailed, 3 todo)')
})
