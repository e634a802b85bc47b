/**
 * Splitting a dominant jest/vitest file by test name, pure: when it splits, that its parts
 * run every test exactly once (known or not, under jest's `i` flag and vitest's none), how
 * the plan carries the parts, and how retries and reports of a part stay inside it.
 */
import { partCases } from '../../../src/frameworks/js/file-framework.js'
import {
  MAX_SPLIT_PATTERN,
  planSplits,
  runsUnder,
  type SplitPart
} from '../../../src/frameworks/js/split.js'
import { jestFramework } from '../../../src/frameworks/jest/jest.js'
import { vitestFramework } from '../../../src/frameworks/vitest/vitest.js'
import type { PlanOptions, TestItem } from '../../../src/frameworks/core/framework.js'
import type { JobSpec, TestCaseResult } from '../../../src/protocol/types.js'
import { jsPayload } from '../../../src/frameworks/js/jobs.js'
import { planRerun, type PreviousTest } from '../../../src/runner/rerun.js'

const BIG = 'src/big.test.js'
/** Names that trip naive patterns: regex syntax, prefixes of each other, case twins. */
const bigTests = new Map<string, number>([
  ['adds', 5000],
  ['adds 1', 4000],
  ['Case twin', 3000],
  ['case TWIN', 10],
  ['group (a|b) [x] works.*', 2500],
  ['^anchored$ \\ slash / name', 2000],
  ['multi\nline', 1500],
  ['empty-ish ?', 0]
])
const bigMs = [...bigTests.values()].reduce((a, b) => a + b, 0)

function expected(small: number, smallMs = 500): Map<string, number> {
  const out = new Map<string, number>([[BIG, bigMs]])
  for (let i = 0; i < small; i++) out.set(`src/f${i}.test.js`, smallMs)
  return out
}

const tests = new Map([[BIG, bigTests]])
const NEW_NAMES = ['a new test', 'adds 12', 'ADDS', 'Adds 1 more', 'case twin', '']

/** How many parts run `name` under `flags`. */
function runsIn(parts: SplitPart[], name: string, flags: string): number {
  return parts.filter(p => runsUnder(p.pattern, name, flags)).length
}

describe('planSplits', () => {
  test('a file over the per-slot share is split into balanced parts, longest first', () => {
    const splits = planSplits(expected(10), tests, { slots: 2, startupMs: 300 })
    const parts = splits.get(BIG) as SplitPart[]
    expect(parts.map(p => [p.index, p.of])).toEqual([
      [1, 2],
      [2, 2]
    ])
    expect(parts.reduce((s, p) => s + p.expectedMs, 0)).toBe(bigMs)
    // Longest first into the least loaded part: no part above half plus the longest test.
    for (const p of parts) expect(p.expectedMs).toBeLessThanOrEqual(bigMs / 2 + 5000)
    expect(splits.size).toBe(1)
  })

  test('every known and unknown test runs in exactly one part, under jest and vitest flags', () => {
    for (const slots of [2, 3, 4, 8]) {
      const parts = planSplits(expected(2), tests, { slots, startupMs: 0 }).get(BIG)
      expect(parts).toBeDefined()
      for (const flags of ['i', '']) {
        for (const name of [...bigTests.keys(), ...NEW_NAMES])
          expect([slots, flags, name, runsIn(parts as SplitPart[], name, flags)]).toEqual([
            slots,
            flags,
            name,
            1
          ])
      }
      // Unknown tests go to the last part; the known ones to the part that planned them.
      for (const name of ['a new test', 'adds 12'])
        expect(runsUnder((parts as SplitPart[]).at(-1)?.pattern as string, name, '')).toBe(true)
    }
  })

  test('names equal but for case share a part (disjoint under the i flag)', () => {
    const parts = planSplits(expected(0), tests, { slots: 8, startupMs: 0 }).get(BIG)
    const twins = (parts as SplitPart[]).filter(
      p => runsUnder(p.pattern, 'Case twin', '') || runsUnder(p.pattern, 'case TWIN', '')
    )
    expect(twins).toHaveLength(1)
  })

  test('parts are at most one per slot and one per group of names', () => {
    const parts = planSplits(expected(0), tests, { slots: 20, startupMs: 0 }).get(BIG)
    // 8 names, two of them case twins: 7 groups.
    expect(parts).toHaveLength(7)
  })

  test('no split when the file fits the share, on one slot, or without per-test times', () => {
    expect(planSplits(expected(60), tests, { slots: 2, startupMs: 0 }).size).toBe(0)
    expect(planSplits(expected(2), tests, { slots: 1, startupMs: 0 }).size).toBe(0)
    expect(planSplits(expected(2), new Map(), { slots: 2, startupMs: 0 }).size).toBe(0)
    const one = new Map([[BIG, new Map([['only', bigMs]])]])
    expect(planSplits(expected(2), one, { slots: 2, startupMs: 0 }).size).toBe(0)
  })

  test('no split when the start-ups it adds cost more than it saves', () => {
    // Saving: the file less its longest part (about half of 18 s); cost: one start-up / 2 slots.
    expect(planSplits(expected(2), tests, { slots: 2, startupMs: 10_000 }).size).toBe(1)
    expect(planSplits(expected(2), tests, { slots: 2, startupMs: 30_000 }).size).toBe(0)
  })

  test('no split when a pattern would be too long for a command line', () => {
    const many = new Map<string, number>()
    for (let i = 0; i < 2000; i++) many.set(`a rather long test name number ${i}`, 10)
    const exp = new Map([
      [BIG, 20_000],
      ['src/x.test.js', 100]
    ])
    expect(MAX_SPLIT_PATTERN).toBeLessThan(2000 * 35)
    expect(planSplits(exp, new Map([[BIG, many]]), { slots: 2, startupMs: 0 }).size).toBe(0)
  })
})

const items: TestItem[] = [...expected(10).keys()].map(id => ({
  id,
  name: id,
  file: id,
  data: { launcher: ['jest'] }
}))

function planOptions(extra: Partial<PlanOptions> = {}): PlanOptions {
  return {
    cwd: '/suite',
    args: [],
    timeoutMs: 60_000,
    slots: 2,
    timings: expected(10),
    testTimings: tests,
    failedBefore: new Set(),
    startup: { coldMs: 300 },
    ...extra
  }
}

describe('plans with a split file', () => {
  test('jest: the parts are jobs of the file, with the part pattern; every file once', () => {
    const jobs = jestFramework.plan(items, planOptions())
    const parts = jobs.filter(j => j.framework?.part !== undefined)
    expect(parts.map(j => j.framework?.part)).toEqual([
      { index: 1, of: 2 },
      { index: 2, of: 2 }
    ])
    for (const part of parts) {
      expect(part.framework?.tests).toEqual([BIG])
      const data = jsPayload.read(part)
      expect(data?.namePattern).toBe(data?.partPattern)
      expect(part.command).toContain('--testNamePattern')
      expect(part.name).toMatch(/^jest src\/big\.test\.js \(part \d of 2\)$/)
    }
    expect(new Set(jobs.map(j => j.id)).size).toBe(jobs.length)
    const whole = jobs.filter(j => j.framework?.part === undefined).flatMap(j => j.framework?.tests)
    expect(whole.sort()).toEqual(
      items
        .map(i => i.id)
        .filter(id => id !== BIG)
        .sort()
    )
    // Longest first.
    const ms = jobs.map(j => j.expectedMs ?? 0)
    expect(ms).toEqual([...ms].sort((a, b) => b - a))
  })

  test('vitest: the parts carry the pattern in the command and the session request', () => {
    const jobs = vitestFramework.plan(
      items,
      planOptions({ sessionCommand: ['node', 'squall', 'session'] })
    )
    const parts = jobs.filter(j => j.framework?.part !== undefined)
    expect(parts).toHaveLength(2)
    for (const part of parts) {
      const data = jsPayload.read(part)
      expect(part.command).toContain('--testNamePattern')
      expect(part.session?.request).toMatchObject({ namePattern: data?.partPattern })
    }
  })

  test('a user name filter (-t) turns splitting off', () => {
    for (const args of [['-t', 'adds'], ['--testNamePattern=adds'], ['-tadds']]) {
      const jobs = jestFramework.plan(items, planOptions({ args }))
      expect(jobs.filter(j => j.framework?.part !== undefined)).toEqual([])
    }
  })

  test('no history of tests, no split', () => {
    const jobs = jestFramework.plan(items, planOptions({ testTimings: undefined }))
    expect(jobs.some(j => j.framework?.part !== undefined)).toBe(false)
  })
})

describe('retries and reports of a part', () => {
  const part = jestFramework
    .plan(items, planOptions())
    .find(j => j.framework?.part?.index === 1) as JobSpec
  const own = jsPayload.read(part)?.partPattern as string

  test('a retry of failed tests narrows inside the part; a file failure reruns the part', () => {
    const ownName = [...bigTests.keys()].find(n => runsUnder(own, n, 'i')) as string
    const narrowed = jestFramework.retryJob?.(part, [`${BIG}::${ownName}`]) as JobSpec
    const data = jsPayload.read(narrowed)
    expect(data?.namePattern).not.toBe(own)
    expect(runsUnder(data?.namePattern as string, ownName, 'i')).toBe(true)
    expect(data?.partPattern).toBe(own)
    expect(narrowed.framework?.part).toEqual({ index: 1, of: 2 })

    const whole = jestFramework.retryJob?.(part, [BIG]) as JobSpec
    expect(jsPayload.read(whole)?.namePattern).toBe(own)
    const isolated = jestFramework.narrowToItems?.(part, [BIG]) as JobSpec
    expect(jsPayload.read(isolated)?.namePattern).toBe(own)
    expect(isolated.command).toContain('--testNamePattern')
  })

  test("a part's report keeps its own tests and the file's own failure, not the others' skips", () => {
    const cases: TestCaseResult[] = [...bigTests.keys(), 'a new test'].map(name => ({
      id: `${BIG}::${name}`,
      name,
      file: BIG,
      status: runsUnder(own, name, 'i') ? 'passed' : 'skipped',
      durationMs: 1
    }))
    cases.push({ id: BIG, name: BIG, file: BIG, status: 'error', durationMs: 0 })
    const kept = partCases(cases, own, 'i')
    expect(kept.every(c => c.status !== 'skipped' || c.id === BIG)).toBe(true)
    expect(kept.filter(c => c.status === 'passed')).toHaveLength(
      cases.filter(c => c.status === 'passed').length
    )
    expect(kept.some(c => c.id === BIG)).toBe(true)
  })
})

describe('re-running failed tests of a split file', () => {
  const jobs = jestFramework.plan(items, planOptions())
  const parts = jobs.filter(j => j.framework?.part !== undefined)
  const patternOf = (job: JobSpec): string => jsPayload.read(job)?.partPattern as string
  // The small files passed; of the big one, the `failing` tests failed.
  const previous = (failing: string[]): PreviousTest[] => [
    ...[...bigTests.keys()].map(name => ({
      id: `${BIG}::${name}`,
      name,
      file: BIG,
      outcome: failing.includes(name) ? ('failed' as const) : ('passed' as const),
      durationMs: 1
    })),
    ...items
      .filter(i => i.id !== BIG)
      .map(i => ({
        id: `${i.id}::t`,
        name: 't',
        file: i.id,
        outcome: 'passed' as const,
        durationMs: 1
      }))
  ]

  test('only the part that ran a failed test runs again, and only that test', () => {
    const [first, second] = parts as [JobSpec, JobSpec]
    const failing = [...bigTests.keys()].find(n => runsUnder(patternOf(second), n, 'i')) as string
    expect(runsUnder(patternOf(first), failing, 'i')).toBe(false)
    const plan = planRerun(
      jobs,
      { attempt: 1, framework: 'jest', tests: previous([failing]) },
      jestFramework
    )
    expect(plan.jobs.map(j => j.id)).toEqual([second.id])
    const data = jsPayload.read(plan.jobs[0] as JobSpec)
    expect(runsUnder(data?.namePattern as string, failing, 'i')).toBe(true)
    expect(
      [...bigTests.keys()].filter(n => runsUnder(data?.namePattern as string, n, 'i'))
    ).toEqual([failing])
    expect(plan.again).toBe(1)
  })

  test('a file that failed outside its tests runs again in every part, each its own tests', () => {
    const tests: PreviousTest[] = [
      ...previous([]),
      { id: BIG, name: BIG, file: BIG, outcome: 'error', durationMs: 0 }
    ]
    const plan = planRerun(jobs, { attempt: 1, framework: 'jest', tests }, jestFramework)
    expect(plan.jobs.map(j => j.id).sort()).toEqual(parts.map(p => p.id).sort())
    for (const job of plan.jobs) expect(jsPayload.read(job)?.namePattern).toBe(patternOf(job))
  })
})
