import fc from 'fast-check'
import {
  estimateDurations,
  median,
  planBatches,
  type BatchOptions
} from '../../../src/frameworks/core/batching.js'
import type { TestItem } from '../../../src/frameworks/core/framework.js'

function items(n: number, file = (i: number) => `f${i % 3}.test.ts`): TestItem[] {
  return Array.from({ length: n }, (_, i) => ({ id: `t${i}`, name: `test ${i}`, file: file(i) }))
}

function options(overrides: Partial<BatchOptions> = {}): BatchOptions {
  return { slots: 4, timings: new Map(), startupMs: 0, defaultMs: 1000, ...overrides }
}

const itemsArb = fc
  .uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 6 }),
      file: fc.constantFrom('a', 'b', 'c', 'd'),
      ms: fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: undefined }),
      label: fc.option(fc.constantFrom('gpu', 'linux'), { nil: undefined, freq: 5 })
    }),
    { selector: r => r.id, maxLength: 120 }
  )
  .map(rows => ({
    items: rows.map(r => ({
      id: r.id,
      name: r.id,
      file: r.file,
      ...(r.label ? { labels: [r.label] } : {})
    })) as TestItem[],
    timings: new Map(rows.filter(r => r.ms !== undefined).map(r => [r.id, r.ms as number]))
  }))

const optionsArb = fc.record({
  slots: fc.integer({ min: 1, max: 32 }),
  startupMs: fc.integer({ min: 0, max: 5000 }),
  defaultMs: fc.integer({ min: 1, max: 10_000 }),
  maxItemsPerBatch: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  grouped: fc.boolean()
})

describe('estimateDurations', () => {
  test('history first, then the median of the same file, then the suite median, then the default', () => {
    const list: TestItem[] = [
      { id: 'a1', name: 'a1', file: 'a' },
      { id: 'a2', name: 'a2', file: 'a' },
      { id: 'a3', name: 'a3', file: 'a' },
      { id: 'a4', name: 'a4', file: 'a' },
      { id: 'b1', name: 'b1', file: 'b' },
      { id: 'c1', name: 'c1', file: 'c' }
    ]
    const timings = new Map([
      ['a1', 100],
      ['a2', 300],
      ['b1', 1000]
    ])
    const got = estimateDurations(list, options({ timings, defaultMs: 7 }))
    expect(Object.fromEntries(got)).toEqual({
      a1: 100,
      a2: 300,
      a3: 200,
      a4: 200,
      b1: 1000,
      c1: 300
    })
  })

  test('no history at all gives the default', () => {
    const got = estimateDurations(items(3), options({ defaultMs: 42 }))
    expect([...got.values()]).toEqual([42, 42, 42])
  })

  test('groupOf overrides the file as the group', () => {
    const list: TestItem[] = [
      { id: 'x', name: 'x', file: 'same', data: { g: 1 } },
      { id: 'y', name: 'y', file: 'same', data: { g: 2 } },
      { id: 'z', name: 'z', file: 'same', data: { g: 2 } }
    ]
    const got = estimateDurations(
      list,
      options({
        timings: new Map([
          ['x', 10],
          ['y', 500]
        ]),
        groupOf: i => String(i.data?.g)
      })
    )
    // z has no history; its group (g=2) knows y only.
    expect(got.get('z')).toBe(500)
  })

  test('median of even and odd lists', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })
})

describe('planBatches properties', () => {
  test('every item lands in exactly one batch; output is deterministic and longest first', () => {
    fc.assert(
      fc.property(itemsArb, optionsArb, (suite, o) => {
        const opts = options({
          slots: o.slots,
          startupMs: o.startupMs,
          defaultMs: o.defaultMs,
          timings: suite.timings,
          ...(o.maxItemsPerBatch !== undefined ? { maxItemsPerBatch: o.maxItemsPerBatch } : {}),
          ...(o.grouped ? { groupOf: (i: TestItem) => i.file ?? '' } : {})
        })
        const batches = planBatches(suite.items, opts)
        const seen = batches.flatMap(b => b.items.map(i => i.id))
        expect(seen.slice().sort()).toEqual(suite.items.map(i => i.id).sort())
        expect(new Set(seen).size).toBe(seen.length)
        // Same input, same output; also when the input arrives in another order.
        expect(planBatches(suite.items, opts)).toEqual(batches)
        expect(planBatches([...suite.items].reverse(), opts)).toEqual(batches)
        for (let i = 1; i < batches.length; i++) {
          expect(batches[i - 1]!.expectedMs).toBeGreaterThanOrEqual(batches[i]!.expectedMs)
        }
        for (const batch of batches) {
          expect(batch.items.length).toBeGreaterThan(0)
          if (o.maxItemsPerBatch !== undefined) {
            expect(batch.items.length).toBeLessThanOrEqual(o.maxItemsPerBatch)
          }
          const labelSets = new Set(batch.items.map(i => (i.labels ?? []).join(',')))
          expect(labelSets.size).toBe(1)
          expect(batch.estimated).toBe(batch.items.some(i => !suite.timings.has(i.id)))
        }
      }),
      { numRuns: 200 }
    )
  })

  test('expectedMs is the start-up plus the estimates of the items', () => {
    fc.assert(
      fc.property(itemsArb, optionsArb, (suite, o) => {
        const opts = options({
          slots: o.slots,
          startupMs: o.startupMs,
          defaultMs: o.defaultMs,
          timings: suite.timings
        })
        const estimates = estimateDurations(suite.items, opts)
        for (const batch of planBatches(suite.items, opts)) {
          const work = batch.items.reduce((sum, i) => sum + estimates.get(i.id)!, 0)
          expect(batch.expectedMs).toBeCloseTo(o.startupMs + work, 6)
        }
      }),
      { numRuns: 100 }
    )
  })

  test('batches shrink toward the tail: uniform items give big batches early and small ones late', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 16 }),
        fc.integer({ min: 200, max: 2000 }),
        fc.integer({ min: 10, max: 500 }),
        (slots, count, each) => {
          const list = items(count)
          const timings = new Map(list.map(i => [i.id, each]))
          const batches = planBatches(list, options({ slots, timings, startupMs: 0 }))
          const sizes = batches.map(b => b.items.length)
          // Enough batches to keep every slot busy, first larger than the last.
          expect(batches.length).toBeGreaterThanOrEqual(slots)
          expect(sizes[0]!).toBeGreaterThan(sizes[sizes.length - 1]!)
          // In expectation: the first quarter of the batches is at least as long as the last quarter.
          const q = Math.max(1, Math.floor(batches.length / 4))
          const mean = (bs: typeof batches) => bs.reduce((s, b) => s + b.expectedMs, 0) / bs.length
          expect(mean(batches.slice(0, q))).toBeGreaterThanOrEqual(mean(batches.slice(-q)))
        }
      ),
      { numRuns: 50 }
    )
  })

  test('when start-up dominates, items share batches instead of paying one start-up each', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 2, max: 300 }),
        fc.integer({ min: 200, max: 5000 }),
        (slots, count, startupMs) => {
          const list = items(count)
          // Each test takes a tenth of a start-up.
          const timings = new Map(list.map(i => [i.id, startupMs / 10]))
          const batches = planBatches(list, options({ slots, timings, startupMs }))
          expect(batches.length).toBeLessThan(count)
          // Every batch carries at least about one start-up of work (the last may be smaller).
          const short = batches.filter(b => b.expectedMs - startupMs < startupMs)
          expect(short.length).toBeLessThanOrEqual(1)
        }
      ),
      { numRuns: 100 }
    )
  })
})

describe('planBatches examples', () => {
  test('an empty suite has no batches', () => {
    expect(planBatches([], options())).toEqual([])
  })

  test('an item longer than the target gets a batch of its own', () => {
    const list = items(10)
    const timings = new Map(list.map(i => [i.id, i.id === 't3' ? 100_000 : 100]))
    const batches = planBatches(list, options({ slots: 2, timings }))
    expect(batches[0]!.items.map(i => i.id)).toEqual(['t3'])
  })

  test('with groupOf, items of one file stay together when they fit', () => {
    const list = items(12, i => `f${i % 4}`)
    const timings = new Map(list.map(i => [i.id, 100]))
    const batches = planBatches(
      list,
      options({ slots: 1, timings, startupMs: 150, groupOf: i => i.file! })
    )
    for (const batch of batches) {
      const files = new Set(batch.items.map(i => i.file))
      // Target starts at 1200/4 = 300ms of work: exactly one file of three tests.
      expect(files.size).toBe(1)
    }
    expect(batches).toHaveLength(4)
  })

  test('unknown items use the default and are marked estimated', () => {
    const batches = planBatches(items(2), options({ slots: 2, defaultMs: 500 }))
    expect(batches.map(b => [b.expectedMs, b.estimated])).toEqual([
      [500, true],
      [500, true]
    ])
  })
})
