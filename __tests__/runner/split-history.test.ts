/**
 * History and outcomes of files split by test name: per-test durations kept only for long
 * files (and read back, old files still readable), a split file's sample the sum of its
 * parts, and a part with nothing of its own left to run adding no test.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jestFramework } from '../../src/frameworks/jest/jest.js'
import type { JobSpec } from '../../src/protocol/types.js'
import { recordRun } from '../../src/runner/history.js'
import { computeOutcomes, type JobAttempts } from '../../src/runner/outcomes.js'
import { TimingStore } from '../../src/runner/timings.js'
import { job, result, testCase } from './build.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'squall-split-history-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const BIG = 'big.test.js'

function fileJob(id: string, files: string[], part?: { index: number; of: number }): JobSpec {
  return job(id, { framework: { name: 'jest', tests: files, ...(part ? { part } : {}) } })
}

function entry(spec: JobSpec, cases: [string, string, number][]): JobAttempts {
  const r = result(spec, {
    cases: cases.map(([file, name, ms]) =>
      testCase(`${file}::${name}`, 'passed', { file, name, durationMs: ms })
    )
  })
  return { job: spec, attempts: [{ job: spec, result: r }] }
}

test('a split file records the sum of its parts, and its tests; small files keep none', async () => {
  const store = TimingStore.empty()
  const small = Array.from({ length: 30 }, (_, i) => `f${i}.test.js`)
  recordRun(store, jestFramework, [
    entry(fileJob('p1', [BIG], { index: 1, of: 2 }), [
      [BIG, 'a', 3000],
      [BIG, 'b', 1000]
    ]),
    entry(fileJob('p2', [BIG], { index: 2, of: 2 }), [
      [BIG, 'c', 2500],
      [BIG, 'd', 1500]
    ]),
    entry(
      fileJob('rest', small),
      small.flatMap(f => [
        [f, 'x', 50],
        [f, 'y', 50]
      ]) as [string, string, number][]
    )
  ])
  expect(store.expected().get(BIG)).toBe(8000)
  expect(store.expected().get('f0.test.js')).toBe(100)
  expect(store.testTimes()).toEqual(
    new Map([
      [
        BIG,
        new Map([
          ['a', 3000],
          ['b', 1000],
          ['c', 2500],
          ['d', 1500]
        ])
      ]
    ])
  )

  const path = join(dir, 'timings.json')
  await store.save(path)
  const saved = JSON.parse(readFileSync(path, 'utf8')) as { version: number; tests: unknown }
  expect(saved.version).toBe(2)
  expect(saved.tests).toEqual({ [BIG]: { a: 3000, b: 1000, c: 2500, d: 1500 } })
  const loaded = await TimingStore.load(path)
  expect(loaded.testTimes()).toEqual(store.testTimes())
  expect(loaded.warning).toBeUndefined()
})

test('a file that is no longer long forgets its tests', () => {
  const store = TimingStore.empty()
  store.setTestTimes(BIG, new Map([['a', 10]]))
  const others = Array.from({ length: 40 }, (_, i) => `f${i}.test.js`)
  recordRun(store, jestFramework, [
    entry(fileJob('all', [BIG, ...others]), [
      [BIG, 'a', 10],
      [BIG, 'b', 10],
      ...others.map(f => [f, 'x', 100] as [string, string, number])
    ])
  ])
  expect(store.testTimes().size).toBe(0)
})

test('version 1 and 2 files without per-test times still read; a malformed entry is dropped', async () => {
  const path = join(dir, 'timings.json')
  writeFileSync(path, JSON.stringify({ version: 1, items: { a: { samples: [5], failed: false } } }))
  const v1 = await TimingStore.load(path)
  expect(v1.expected().get('a')).toBe(5)
  expect(v1.testTimes().size).toBe(0)
  writeFileSync(
    path,
    JSON.stringify({
      version: 2,
      startup: {},
      items: { a: { samples: [5], failed: false } },
      tests: { 'a.test.js': { x: 'slow' }, 'b.test.js': { y: 3, z: 4 } }
    })
  )
  const v2 = await TimingStore.load(path)
  expect(v2.warning).toBeUndefined()
  expect([...v2.testTimes().keys()]).toEqual(['b.test.js'])
})

test('a part that passed with none of its own tests left adds no test; a whole job still does', () => {
  const empty = fileJob('p1', [BIG], { index: 1, of: 2 })
  const full = fileJob('p2', [BIG], { index: 2, of: 2 })
  const outcomes = computeOutcomes([
    { job: empty, attempts: [{ job: empty, result: result(empty, { cases: [] }) }] },
    entry(full, [[BIG, 'renamed test', 10]])
  ])
  expect(outcomes.map(t => t.id)).toEqual([`${BIG}::renamed test`])
  const whole = fileJob('whole', [BIG])
  expect(
    computeOutcomes([
      { job: whole, attempts: [{ job: whole, result: result(whole, { cases: [] }) }] }
    ]).map(t => t.id)
  ).toEqual(['whole'])
})
