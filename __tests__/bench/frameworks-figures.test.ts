/** The frameworks bench's pure parts: the lower bound, the report counts, the row's verdicts. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { row } from '../../bench/frameworks-row.js'
import { lowerBoundMs } from '../../bench/lower-bound.js'
import { dominantDurations } from '../../bench/random.js'
import { benchRounds, medianRun, pairsNotSlower } from '../../bench/rounds.js'
import { jsReportCounts } from '../../bench/suite-jest.js'
import { junitCounts } from '../../bench/suite-pytest.js'

describe('lowerBoundMs', () => {
  it('is one start-up plus the shared work when no unit dominates', () => {
    const base = { startupMs: 1000, longestUnitMs: 500, units: 100, perUnitMs: 0, slots: 2 }
    expect(lowerBoundMs({ ...base, workMs: 10_000 })).toBe(6000)
    // The framework's own cost per unit is paid for every unit, whoever runs it.
    expect(lowerBoundMs({ ...base, workMs: 10_000, perUnitMs: 10 })).toBe(6500)
  })

  it('is one start-up plus the longest unit (and its own cost) when that unit dominates', () => {
    const base = { startupMs: 1000, workMs: 10_000, longestUnitMs: 7000, units: 10, slots: 2 }
    expect(lowerBoundMs({ ...base, perUnitMs: 0 })).toBe(8000)
    expect(lowerBoundMs({ ...base, perUnitMs: 50 })).toBe(8050)
  })
})

describe('dominantDurations', () => {
  it('gives the first file its share and adds up to the total', () => {
    const d = dominantDurations(10, 0.4, 1000, 3)
    expect(d).toHaveLength(10)
    expect(d[0]).toBeCloseTo(400)
    expect(d.reduce((a, b) => a + b, 0)).toBeCloseTo(1000)
    expect(dominantDurations(10, 0.4, 1000, 3)).toEqual(d)
  })
})

describe('rounds', () => {
  it('takes the median run by wall time, the slower middle one of an even count', () => {
    const run = (label: string, wallMs?: number) => ({ label, wallMs })
    expect(medianRun([run('a', 30), run('b', 10), run('c', 20)])?.label).toBe('c')
    expect(medianRun([run('a', 10), run('b', 20)])?.label).toBe('b')
    // A run that failed (no wall) is not a figure.
    expect(medianRun([run('a'), run('b', 12), run('c')])?.label).toBe('b')
    expect(medianRun([run('a')])).toBeUndefined()
  })

  it('counts the rounds whose second run was at least as fast as their first', () => {
    expect(pairsNotSlower([10, 10, 10], [9, 10, 11])).toEqual({
      notSlower: 2,
      pairs: 3,
      medianDeltaMs: 0
    })
    // A round where either run failed is no pair.
    expect(pairsNotSlower([10, undefined, 10], [9, 8, undefined])).toEqual({
      notSlower: 1,
      pairs: 1,
      medianDeltaMs: -1
    })
    // The median difference of an even count is the larger middle one.
    expect(pairsNotSlower([10, 10, 10, 10], [9, 12, 10.5, 7])).toMatchObject({
      notSlower: 2,
      medianDeltaMs: 0.5
    })
    expect(pairsNotSlower([undefined], [3])).toEqual({ notSlower: 0, pairs: 0 })
  })

  it('reads SQUALL_BENCH_ROUNDS: 3 by default, a clear error for a bad value', () => {
    const saved = process.env.SQUALL_BENCH_ROUNDS
    try {
      delete process.env.SQUALL_BENCH_ROUNDS
      expect(benchRounds()).toBe(3)
      process.env.SQUALL_BENCH_ROUNDS = '1'
      expect(benchRounds()).toBe(1)
      process.env.SQUALL_BENCH_ROUNDS = '0'
      expect(() => benchRounds()).toThrow('SQUALL_BENCH_ROUNDS=0: expected a whole number')
      process.env.SQUALL_BENCH_ROUNDS = '2.5'
      expect(() => benchRounds()).toThrow('SQUALL_BENCH_ROUNDS=2.5')
    } finally {
      if (saved === undefined) delete process.env.SQUALL_BENCH_ROUNDS
      else process.env.SQUALL_BENCH_ROUNDS = saved
    }
  })
})

describe('report counts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'squall-bench-counts-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads pytest JUnit totals over every testsuite (skips and xfails as skipped)', () => {
    const path = join(dir, 'junit.xml')
    writeFileSync(
      path,
      '<?xml version="1.0"?><testsuites name="pytest tests">' +
        '<testsuite name="pytest" errors="1" failures="2" skipped="3" tests="20" time="1.0">' +
        '</testsuite><testsuite name="b" errors="0" failures="0" skipped="0" tests="5"></testsuite>' +
        '</testsuites>'
    )
    expect(junitCounts(path)).toEqual({ passed: 19, failed: 3, skipped: 3 })
  })

  it('reads a jest-style JSON report (pending and todo as skipped)', () => {
    const path = join(dir, 'report.json')
    writeFileSync(
      path,
      JSON.stringify({ numPassedTests: 7, numFailedTests: 1, numPendingTests: 2, numTodoTests: 1 })
    )
    expect(jsReportCounts(path)).toEqual({ passed: 7, failed: 1, skipped: 3 })
  })
})

describe('row', () => {
  const own = { label: 'own', wallMs: 10_000, counts: { passed: 5, failed: 0, skipped: 1 } }

  it('checks counts and every target of a second squall run', () => {
    const r = row(
      'jest',
      {
        label: 'squall, with history',
        wallMs: 10_500,
        makespanMs: 8_200,
        counts: { passed: 5, failed: 0, skipped: 1 },
        squall: { history: true, firstWallMs: 12_000 }
      },
      own,
      { ms: 8_000, withoutUnitCostMs: 7_000 }
    )
    expect(r.value).toContain('1.05×')
    // mk÷LB, then mk÷LB₀ (the bound without the per-unit cost).
    expect(r.value).toMatch(/1\.025\s+1\.171/)
    expect(r.value).toContain('✓ 5/0/1')
    expect(r.target).toBe('≤1.10× own ✓, mk÷LB ≤1.05 ✓, ≤ first ✓')
  })

  it('marks what misses: lost tests, a slow run, a second run slower than the first', () => {
    const r = row(
      'pytest',
      {
        label: 'squall, with history',
        wallMs: 20_000,
        makespanMs: 19_000,
        counts: { passed: 5, failed: 0, skipped: 0 },
        squall: { history: true, firstWallMs: 15_000 }
      },
      own,
      { ms: 8_000, withoutUnitCostMs: 8_000 }
    )
    expect(r.value).toContain('✗ 5/0/0 vs 5/0/1')
    expect(r.target).toBe('≤1.10× own ✗, mk÷LB ≤1.05 ✗, ≤ first ✗')
  })

  it('prints the range over the rounds and in how many the second run kept up', () => {
    const r = row(
      'vitest',
      {
        label: 'squall, with history',
        wallMs: 10_000,
        rangeMs: [9_800, 10_400],
        makespanMs: 8_000,
        counts: { passed: 5, failed: 0, skipped: 1 },
        squall: {
          history: true,
          firstWallMs: 10_100,
          rounds: { notSlower: 2, pairs: 3, medianDeltaMs: -120 }
        }
      },
      own,
      { ms: 8_000, withoutUnitCostMs: 8_000 }
    )
    expect(r.value).toMatch(/^\s*10\.0 s\s+\(9\.8–10\.4\)\s+1\.00×/)
    expect(r.target).toBe('≤1.10× own ✓, mk÷LB ≤1.05 ✓, ≤ first ✓ (2/3 rounds, Δ −0.12 s)')
  })

  it('prints the note of a run that could not happen', () => {
    const r = row('pytest', { label: 'own', note: 'n/a (apt-get install x)' }, undefined, {
      ms: 1,
      withoutUnitCostMs: 1
    })
    expect(r.value).toBe('n/a (apt-get install x)')
  })
})
