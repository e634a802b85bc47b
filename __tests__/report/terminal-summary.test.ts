import { renderSummary } from '../../src/report/terminal-summary.js'
import { summary, tests } from './recorded-run.js'

test('tests a framework left out on purpose are counted on the totals line', () => {
  const text = renderSummary({ ...summary, leftOut: { benchmarks: 3 } }, tests, { slowest: 0 })
  expect(text).toContain(
    '8 tests in 5 jobs, 42.1s on 3 workers; of the failed: 1 timed out, 1 errored; left out: 3 benchmarks'
  )
  expect(renderSummary(summary, tests, { slowest: 0 })).not.toContain('left out')
})
