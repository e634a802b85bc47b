import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commandsFramework } from '../../src/frameworks/commands/commands.js'
import type { Framework } from '../../src/frameworks/core/framework.js'
import { recordRun } from '../../src/runner/history.js'
import { MAX_SAMPLES, TimingStore, defaultTimingsPath } from '../../src/runner/timings.js'
import { job, result, testCase } from './build.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'squall-timings-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('TimingStore', () => {
  test('a missing file is an empty history without a warning', async () => {
    const store = await TimingStore.load(join(dir, 'nope', 'timings.json'))
    expect(store.expected().size).toBe(0)
    expect(store.warning).toBeUndefined()
  })

  test.each([
    ['{not json', /ignored: not valid JSON/],
    ['[]', /ignored: expected an object with "version" and "items"/],
    ['{"version": 3, "items": {}}', /ignored: unknown version 3; expected 1 or 2/],
    ['{"version": 1, "items": []}', /ignored: "items" must be an object/]
  ])('a corrupt file %j is an empty history with a warning', async (text, warning) => {
    const path = join(dir, 'timings.json')
    writeFileSync(path, text)
    const store = await TimingStore.load(path)
    expect(store.expected().size).toBe(0)
    expect(store.warning).toMatch(warning)
    expect(store.warning).toContain(path)
  })

  test('malformed items are skipped, good ones kept', async () => {
    const path = join(dir, 'timings.json')
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        items: {
          good: { samples: [10, 30, 20], failed: true },
          bad: { samples: ['x'] },
          worse: 7
        }
      })
    )
    const store = await TimingStore.load(path)
    expect(store.expected()).toEqual(new Map([['good', 20]]))
    expect(store.failedBefore()).toEqual(new Set(['good']))
    expect(store.warning).toMatch(/2 malformed item\(s\) skipped/)
  })

  test('an unreadable path (a directory) warns instead of crashing', async () => {
    const store = await TimingStore.load(dir)
    expect(store.expected().size).toBe(0)
    expect(store.warning).toMatch(/could not be read/)
  })

  test('expected is the median of the last samples; failed follows the last record', () => {
    const store = TimingStore.empty()
    for (const ms of [100, 120, 110, 130, 90, 105, 115]) store.record('a', ms, false)
    expect(store.toJSON().items.a?.samples).toHaveLength(MAX_SAMPLES)
    expect(store.toJSON().items.a?.samples).toEqual([110, 130, 90, 105, 115])
    expect(store.expected().get('a')).toBe(110)
    store.record('a', 100, true)
    expect(store.failedBefore()).toEqual(new Set(['a']))
    store.record('a', 100, false)
    expect(store.failedBefore()).toEqual(new Set())
  })

  test('an outlier counts as three times the median', () => {
    const store = TimingStore.empty()
    store.record('a', 100, false)
    store.record('a', 100, false)
    store.record('a', 5000, false)
    expect(store.toJSON().items.a?.samples).toEqual([100, 100, 300])
    // A real slowdown still moves the estimate, run by run, until it is the new normal.
    const seen: number[] = []
    for (let run = 0; run < 12; run++) {
      store.record('a', 5000, false)
      seen.push(store.expected().get('a') as number)
    }
    expect(seen).toEqual([...seen].sort((x, y) => x - y))
    expect(seen[0]).toBeLessThan(5000)
    expect(seen[seen.length - 1]).toBe(5000)
  })

  test('ignores nonsense durations', () => {
    const store = TimingStore.empty()
    store.record('a', Number.NaN, false)
    store.record('a', -1, true)
    expect(store.toJSON().items).toEqual({})
  })

  test('save writes atomically (no temp file left), creating parents, and loads back', async () => {
    const path = defaultTimingsPath(join(dir, 'suite'))
    expect(path).toBe(join(dir, 'suite', '.squall', 'timings.json'))
    const store = TimingStore.empty()
    store.record('b', 20, true)
    store.record('a', 10, false)
    await store.save(path)
    expect(readdirSync(join(dir, 'suite', '.squall'))).toEqual(['timings.json'])
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      version: 2,
      startup: {},
      items: { a: { samples: [10], failed: false }, b: { samples: [20], failed: true } }
    })
    // Overwrite in place: the reader sees either the old or the new file, never half.
    store.record('a', 30, false)
    await store.save(path)
    const again = await TimingStore.load(path)
    expect(again.warning).toBeUndefined()
    expect(again.expected()).toEqual(
      new Map([
        ['a', 20],
        ['b', 20]
      ])
    )
  })

  test('a failed save leaves the old file and no temp file', async () => {
    const sub = join(dir, 'ro')
    const path = join(sub, 'timings.json')
    const store = TimingStore.empty()
    store.record('a', 1, false)
    await store.save(path)
    chmodSync(sub, 0o500)
    try {
      store.record('a', 2, false)
      // Root ignores directory permissions; only assert the failure where it can happen.
      const failed = await store.save(path).then(
        () => false,
        () => true
      )
      if (failed) expect(JSON.parse(readFileSync(path, 'utf8')).items.a.samples).toEqual([1])
      expect(readdirSync(sub).filter(f => f.endsWith('.tmp'))).toEqual([])
    } finally {
      chmodSync(sub, 0o700)
    }
  })
})

describe('recordRun', () => {
  test('without itemDurations a job duration is split evenly over its tests', () => {
    const store = TimingStore.empty()
    const spec = job('batch', { framework: { name: 'x', tests: ['a', 'b', 'c', 'd'] } })
    recordRun(store, {}, [
      { job: spec, attempts: [{ job: spec, result: result(spec, { durationMs: 400 }) }] }
    ])
    expect(store.expected()).toEqual(
      new Map([
        ['a', 100],
        ['b', 100],
        ['c', 100],
        ['d', 100]
      ])
    )
  })

  test('uses itemDurations when the framework has it', () => {
    const framework: Pick<Framework, 'itemDurations'> = {
      itemDurations: (_job, r) =>
        new Map((r.cases ?? []).map(c => [c.file as string, c.durationMs]))
    }
    const spec = job('batch', { framework: { name: 'x', tests: ['f1', 'f2'] } })
    const r = result(spec, {
      cases: [
        testCase('f1::t', 'passed', { file: 'f1', durationMs: 70 }),
        testCase('f2::t', 'passed', { file: 'f2', durationMs: 30 })
      ]
    })
    const store = TimingStore.empty()
    recordRun(store, framework, [{ job: spec, attempts: [{ job: spec, result: r }] }])
    expect(store.expected()).toEqual(
      new Map([
        ['f1', 70],
        ['f2', 30]
      ])
    )
  })

  test('one sample per item per run (the first attempt), failed when any attempt failed it', () => {
    const first = job('batch', { framework: { name: 'x', tests: ['f1', 'f2'] } })
    const retry = { ...first, attempt: 2, framework: { name: 'x', tests: ['f2'] } }
    const store = TimingStore.empty()
    recordRun(store, {}, [
      {
        job: first,
        attempts: [
          {
            job: first,
            result: result(first, {
              status: 'failed',
              durationMs: 1000,
              cases: [
                testCase('f1::a', 'passed', { file: 'f1' }),
                testCase('f2::b', 'failed', { file: 'f2' })
              ]
            })
          },
          { job: retry, result: result(retry, { durationMs: 50 }) }
        ]
      }
    ])
    expect(store.expected()).toEqual(
      new Map([
        ['f1', 500],
        ['f2', 500]
      ])
    )
    // Only the file whose case failed is marked, not the whole batch.
    expect(store.failedBefore()).toEqual(new Set(['f2']))
  })

  test('an attempt that never ran records no duration but still marks failure', () => {
    const spec = job('lonely')
    const store = TimingStore.empty()
    recordRun(store, commandsFramework, [
      {
        job: spec,
        attempts: [
          {
            job: spec,
            result: result(spec, { status: 'error', worker: '', startedAt: 0, durationMs: 0 })
          }
        ]
      }
    ])
    expect(store.expected().size).toBe(0)
    expect(store.failedBefore()).toEqual(new Set(['lonely']))
  })
})

describe('start-up apart from item time', () => {
  const cases = (file: string, ms: number[]): ReturnType<typeof testCase>[] =>
    ms.map((d, i) => testCase(`${file}::t${i}`, 'passed', { file, durationMs: d }))

  test("a cold job's start-up is its wall time less its cases, the median over the run's jobs", () => {
    const store = TimingStore.empty()
    const run = [
      [14_000 + 300, cases('a', [100, 200])],
      [15_000 + 50, cases('b', [50])],
      // A job held up on a busy machine does not move the median.
      [90_000 + 10, cases('c', [10])]
    ] as const
    recordRun(
      store,
      { name: 'jest' },
      run.map(([durationMs, list], i) => {
        const spec = job(`j${i}`, { framework: { name: 'jest', tests: [list[0]?.file ?? ''] } })
        return {
          job: spec,
          attempts: [{ job: spec, result: result(spec, { durationMs, cases: [...list] }) }]
        }
      })
    )
    expect(store.startup('jest')).toEqual({ coldMs: 15_000 })
    expect(store.startup('vitest')).toEqual({})
  })

  test('a warm job reports the session start-up it paid; the others only their own cost', () => {
    const store = TimingStore.empty()
    const session = { key: 'k', argv: ['squall', 'session', 'jest'], request: {} }
    const entries = [0, 1, 2].map(i => {
      const spec = job(`w${i}`, { session, framework: { name: 'jest', tests: ['f'] } })
      const paid = i === 0 ? { sessionStartupMs: 9000 } : {}
      const r = result(spec, { durationMs: (i === 0 ? 9000 : 0) + 400 + 100, ...paid })
      return { job: spec, attempts: [{ job: spec, result: { ...r, cases: cases('f', [100]) } }] }
    })
    recordRun(store, { name: 'jest' }, entries)
    expect(store.startup('jest')).toEqual({ sessionMs: 9000, warmJobMs: 400 })
  })

  test("with itemDurations, the items' times count (nested cases such as subtests not twice)", () => {
    const store = TimingStore.empty()
    const spec = job('go', { framework: { name: 'go', tests: ['p::T'] } })
    const r = result(spec, {
      durationMs: 1000,
      cases: [
        testCase('p::T', 'passed', { durationMs: 300 }),
        testCase('p::T/sub', 'passed', { durationMs: 300 })
      ]
    })
    const framework = { name: 'go', itemDurations: () => new Map([['p::T', 300]]) }
    recordRun(store, framework, [{ job: spec, attempts: [{ job: spec, result: r }] }])
    expect(store.startup('go')).toEqual({ coldMs: 700 })
  })

  test('crashed, timed-out and case-less jobs say nothing about start-up', () => {
    const store = TimingStore.empty()
    const spec = job('x', { framework: { name: 'jest', tests: ['f'] } })
    recordRun(store, { name: 'jest' }, [
      {
        job: spec,
        attempts: [
          { job: spec, result: result(spec, { status: 'timed-out', cases: cases('f', [1]) }) }
        ]
      },
      { job: spec, attempts: [{ job: spec, result: result(spec, { durationMs: 5000 }) }] }
    ])
    expect(store.startup('jest')).toEqual({})
  })

  test('one sample per run, damped like an item, saved and read back (version 2)', async () => {
    const store = TimingStore.empty()
    store.recordStartup('vitest', 'coldMs', 30_000)
    store.recordStartup('vitest', 'coldMs', 500_000)
    expect(store.toJSON().startup).toEqual({ vitest: { coldMs: [30_000, 90_000] } })
    const path = join(dir, 'timings.json')
    await store.save(path)
    const again = await TimingStore.load(path)
    expect(again.warning).toBeUndefined()
    expect(again.startup('vitest')).toEqual({ coldMs: 60_000 })
  })

  test('a version 1 file is read: items kept, no start-up measured yet', async () => {
    const path = join(dir, 'timings.json')
    writeFileSync(
      path,
      JSON.stringify({ version: 1, items: { a: { samples: [10, 30, 20], failed: false } } })
    )
    const store = await TimingStore.load(path)
    expect(store.warning).toBeUndefined()
    expect(store.expected()).toEqual(new Map([['a', 20]]))
    expect(store.startup('jest')).toEqual({})
    expect(store.toJSON().version).toBe(2)
  })

  test('malformed start-up samples are dropped, the rest kept', async () => {
    const path = join(dir, 'timings.json')
    writeFileSync(
      path,
      JSON.stringify({
        version: 2,
        startup: { jest: { coldMs: ['x'], sessionMs: [100, 300] }, go: 7 },
        items: {}
      })
    )
    const store = await TimingStore.load(path)
    expect(store.startup('jest')).toEqual({ sessionMs: 200 })
    expect(store.startup('go')).toEqual({})
  })
})

describe('cost per item and the run apart', () => {
  const session = { key: 'k', argv: ['squall', 'session', 'jest'], request: {} }

  test("warm jobs of different sizes: a job's own cost and a cost per file, apart", () => {
    const store = TimingStore.empty()
    // Each file's tests take 100 ms; each job pays 300 ms and 150 ms per file (a transform).
    const entries = [1, 2, 4, 6].map((files, i) => {
      const tests = Array.from({ length: files }, (_, k) => `j${i}f${k}.test.js`)
      const spec = job(`j${i}`, { session, framework: { name: 'jest', tests } })
      const cases = tests.map(f => testCase(`${f}::t`, 'passed', { file: f, durationMs: 100 }))
      const r = result(spec, { durationMs: 300 + files * (150 + 100), cases })
      return { job: spec, attempts: [{ job: spec, result: r }] }
    })
    recordRun(store, { name: 'jest' }, entries, 1200)
    expect(store.startup('jest')).toEqual({ warmJobMs: 300, itemMs: 150, runMs: 1200 })
  })

  test('the new kinds survive a save and a load', async () => {
    const store = TimingStore.empty()
    store.recordStartup('pytest', 'itemMs', 2)
    store.recordStartup('pytest', 'runMs', 2100)
    const path = join(dir, 'timings.json')
    await store.save(path)
    expect((await TimingStore.load(path)).startup('pytest')).toEqual({ itemMs: 2, runMs: 2100 })
  })
})
