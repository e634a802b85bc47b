import { countSplit, hashSplit } from '../../src/scheduler/static-split.js'

const jobs = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `t${String(i).padStart(2, '0')}` }))

test('countSplit: contiguous shards over the sorted ids, sizes differing by at most one', () => {
  const shuffled = [...jobs(10)].reverse()
  const shards = countSplit(shuffled, 3)
  expect(shards.map(s => s.map(j => j.id))).toEqual([
    ['t00', 't01', 't02', 't03'],
    ['t04', 't05', 't06'],
    ['t07', 't08', 't09']
  ])
  expect(countSplit(jobs(2), 4).map(s => s.length)).toEqual([1, 1, 0, 0])
})

test('hashSplit: every job in exactly one shard, the same one whatever the order', () => {
  const all = jobs(50)
  const a = hashSplit(all, 4)
  const b = hashSplit([...all].reverse(), 4)
  expect(
    a
      .flat()
      .map(j => j.id)
      .sort()
  ).toEqual(all.map(j => j.id))
  const shardOf = (shards: { id: string }[][]) =>
    new Map(shards.flatMap((s, i) => s.map(j => [j.id, i] as const)))
  expect(shardOf(b)).toEqual(shardOf(a))
  expect(a.filter(s => s.length > 0).length).toBeGreaterThan(1)
})
