import { predictedVsActual, workerChoiceMarkdown } from '../../src/report/worker-choice.js'

test('the table marks the chosen count; no history gives the reason alone', () => {
  const markdown = workerChoiceMarkdown({
    workers: 2,
    reason: 'the fewest workers within 10 % of the best',
    predictedMs: 60_000,
    table: [
      { workers: 1, wallMs: 120_000, runnerMinutes: 4 },
      { workers: 2, wallMs: 60_000, runnerMinutes: 3 }
    ]
  })
  expect(markdown).toContain('**2 worker(s)**: the fewest workers within 10 % of the best.')
  expect(markdown).toContain('| 1 | 120.0 s | 4.0 |')
  expect(markdown).toContain('| 2 ◀ | 60.0 s | 3.0 |')
  const none = workerChoiceMarkdown({ workers: 4, reason: 'no timing history', table: [] })
  expect(none).not.toContain('|')
})

test('predicted next to actual, with their ratio', () => {
  expect(predictedVsActual(60_000, 66_000)).toBe(
    'Wall time: predicted 60.0 s by workers: auto, actual 66.0 s (actual ÷ predicted 1.10).'
  )
})
