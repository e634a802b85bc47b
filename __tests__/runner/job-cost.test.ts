import { fitJobCost, MAX_FIT_JOBS } from '../../src/runner/job-cost.js'

test('no jobs: no fit', () => {
  expect(fitJobCost([])).toBeUndefined()
})

test('jobs of one size: the median per job, nothing per item', () => {
  const fit = fitJobCost([
    { items: 4, overheadMs: 900 },
    { items: 4, overheadMs: 1000 },
    { items: 4, overheadMs: 20_000 }
  ])
  expect(fit).toEqual({ perJobMs: 1000, perItemMs: 0 })
})

test('a cost per item (a transform per file) is found apart from the cost per job', () => {
  // 300 ms per job and 150 ms per file, as a cold jest cache pays.
  const points = [1, 2, 3, 5, 8].map(items => ({ items, overheadMs: 300 + 150 * items }))
  expect(fitJobCost(points)).toEqual({ perJobMs: 300, perItemMs: 150 })
})

test('one job held up on a busy machine moves neither part', () => {
  const points = [1, 2, 3, 4, 5, 6].map(items => ({ items, overheadMs: 200 + 100 * items }))
  points[2] = { items: 3, overheadMs: 60_000 }
  expect(fitJobCost(points)).toEqual({ perJobMs: 200, perItemMs: 100 })
})

test('neither part is negative', () => {
  // Bigger jobs costing less is noise: nothing per item, the median per job.
  expect(
    fitJobCost([
      { items: 1, overheadMs: 900 },
      { items: 10, overheadMs: 0 }
    ])
  ).toEqual({ perJobMs: 450, perItemMs: 0 })
  const fit = fitJobCost([
    { items: 1, overheadMs: 500 },
    { items: 2, overheadMs: 500 + 400 },
    { items: 3, overheadMs: 500 + 800 }
  ])
  expect(fit).toEqual({ perJobMs: 100, perItemMs: 400 })
})

test(`more than ${MAX_FIT_JOBS} jobs: a spread of them is fitted, the same answer`, () => {
  const points = Array.from({ length: 5000 }, (_, i) => ({
    items: 1 + (i % 50),
    overheadMs: 40 + 2 * (1 + (i % 50))
  }))
  expect(fitJobCost(points)).toEqual({ perJobMs: 40, perItemMs: 2 })
})
