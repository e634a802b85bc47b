import { chunksOf } from '../src/chunks.js'

test('runs stay within the weight and the count, in order, and lose nothing', () => {
  const items = [3, 4, 2, 9, 1, 1, 1, 5]
  const chunks = chunksOf(items, n => n, 7, 3)
  expect(chunks).toEqual([[3, 4], [2], [9], [1, 1, 1], [5]])
  expect(chunks.flat()).toEqual(items)
})

test('an item heavier than the bound is a run of its own; nothing gives no runs', () => {
  expect(chunksOf([20, 1], n => n, 5)).toEqual([[20], [1]])
  expect(chunksOf([], () => 1, 5)).toEqual([])
})
