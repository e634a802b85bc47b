/**
 * frameworks: generated jest, pytest and vitest suites (bench/suite-*.ts), each run in one go
 * on this machine's 2 cores: the framework's own 2-way run, the suite split the way
 * `--shard 1/2` and `2/2` would be (both shards at once), and `squall run` with 1 worker × 2
 * slots and 2 workers × 1 slot, each from no history and again with the history the first run
 * left. Every measured run starts with the framework's caches cleared (squall's jest cache too).
 * SQUALL_BENCH_ROUNDS (default 3) rounds run every configuration once each; a row is the median.
 * SQUALL_BENCH_SCALE scales the suites (0.2 for a quick check); SQUALL_BENCH_SUITES picks some
 * (e.g. `jest,pytest`).
 */
import { join } from 'node:path'
import { row, type Measured } from './frameworks-row.js'
import { boundLegend, lowerBoundMs } from './lower-bound.js'
import { fastestOf, runAll } from './processes.js'
import { benchRounds, medianRun, pairsNotSlower } from './rounds.js'
import { runSquall } from './squall-cli.js'
import { benchScale, type BenchSuite, type Counts, wantedSuites } from './suite.js'
import { jestSuite } from './suite-jest.js'
import { pytestSuite } from './suite-pytest.js'
import { vitestSuite } from './suite-vitest.js'
import { fixed, type Row } from './table.js'

const SLOTS = 2
type Make = (scale: number) => BenchSuite
const suites: Record<string, Make> = {
  jest: jestSuite,
  pytest: pytestSuite,
  vitest: vitestSuite
}

export async function frameworksBench(
  log: (line: string) => void
): Promise<{ rows: Row[]; notes: string[] }> {
  const scale = benchScale()
  const rounds = benchRounds()
  const wanted = wantedSuites(Object.keys(suites))
  const rows: Row[] = []
  const suiteNotes: string[] = []
  const mismatches: string[] = []
  const started = performance.now()
  for (const name of wanted) {
    const suite = (suites[name] as Make)(scale)
    if (suite.note !== undefined) suiteNotes.push(`${suite.framework}: ${suite.note}`)
    rows.push(...(await benchSuite(suite, rounds, log, mismatches)))
  }
  // The section is sized for about 18 minutes on two idle cores (3 rounds): this says how it went.
  const minutes = fixed((performance.now() - started) / 60_000, 1)
  log(`frameworks: ${minutes} min`)
  return {
    rows,
    notes: [
      ...mismatches.map(m => `!!! ${m}`),
      `SQUALL_BENCH_SCALE=${scale}, SQUALL_BENCH_ROUNDS=${rounds}, the section took ${minutes} min`,
      'each figure is the median of the rounds (each round runs every configuration once, the',
      '  shards only in the first), the range in brackets; ≤ first: the medians, in how many',
      '  rounds the run with history was at least as fast as that round’s first run, and Δ the',
      '  median of the rounds’ differences (with history − first)',
      ...suiteNotes,
      ...boundLegend
    ]
  }
}

async function benchSuite(
  suite: BenchSuite,
  rounds: number,
  log: (line: string) => void,
  mismatches: string[]
): Promise<Row[]> {
  const out = (name: string): string => join(suite.dir, 'out', name)
  log(`frameworks: ${suite.framework}: ${suite.describe}`)
  suite.clearCaches()
  const startup = await fastestOf(2, suite.probe(), suite.dir, out('probe.log'))
  const many = suite.perUnitProbe()
  const probe = await fastestOf(2, many.command, suite.dir, out('probe.log'))
  const perUnitMs = Math.max(0, (probe.wallMs - startup.wallMs) / many.units)
  const input = { ...suite, startupMs: startup.wallMs, slots: SLOTS }
  const bounds = {
    ms: lowerBoundMs({ ...input, perUnitMs }),
    withoutUnitCostMs: lowerBoundMs({ ...input, perUnitMs: 0 })
  }
  log(
    `  start-up ${fixed(startup.wallMs / 1000, 2)} s, per unit ${fixed(perUnitMs, 2)} ms ` +
      `(${suite.units} units), work ${fixed(suite.workMs / 1000, 1)} s, ` +
      `LB ${fixed(bounds.ms / 1000, 2)} s, LB₀ ${fixed(bounds.withoutUnitCostMs / 1000, 2)} s`
  )
  const ownName = ownLabel(suite)
  /** Every run of each configuration, by label, in round order (a failed one has a note). */
  const runs = new Map<string, Measured[]>()
  const reference = (): Measured | undefined => medianRun(runs.get(ownName) ?? [])
  const attempt = async (
    label: string,
    round: number,
    run: () => Promise<Omit<Measured, 'label'>>
  ): Promise<void> => {
    suite.clearCaches()
    const tag = rounds > 1 ? ` (round ${round}/${rounds})` : ''
    let m: Measured
    try {
      m = { label, ...(await run()) }
      const codes = m.exitCodes?.join(', ') ?? ''
      log(`  ${label}${tag}: ${m.note ?? `${fixed((m.wallMs ?? 0) / 1000, 2)} s (exit ${codes})`}`)
      const mismatch = countMismatch(m, reference())
      if (mismatch) {
        log(
          `  !!! ${suite.framework}: ${label}${tag}: COUNTS DIFFER from the framework's own: ${mismatch}`
        )
        mismatches.push(`${suite.framework}: ${label}${tag}: counts differ: ${mismatch}`)
      }
    } catch (error) {
      log(`  ${label}${tag}: ${String(error)}`)
      m = { label, note: `error: ${String(error).slice(0, 60)}` }
    }
    runs.set(label, [...(runs.get(label) ?? []), m])
  }
  const shapes = (
    [
      [1, 2],
      [2, 1]
    ] as const
  ).map(([workers, slots]) => {
    const shape = `squall --workers ${workers} --slots ${slots}`
    return { workers, slots, first: `${shape}, first run`, again: `${shape}, with history` }
  })
  /** The first run's label of each run with history. */
  const firstOf = new Map(shapes.map(s => [s.again, s.first]))
  // Rounds interleave the configurations, so a slow minute of the machine hits all alike.
  for (let round = 1; round <= rounds; round++) {
    await attempt(ownName, round, async () => {
      const missing = suite.ownUnavailable()
      if (missing !== undefined) return { note: `n/a (${missing})` }
      const report = out(suite.framework === 'pytest' ? 'own.xml' : 'own.json')
      const timed = await runAll([suite.own(report)], suite.dir, out('own.log'))
      const { wallMs, codes } = timed
      return { wallMs, makespanMs: wallMs, counts: suite.ownCounts(report), exitCodes: codes }
    })
    // The static split is a reference, not a target: one round.
    if (round === 1) {
      await attempt(SHARDS, round, async () => {
        const timed = await runAll(
          [suite.shard(1, 2), suite.shard(2, 2)],
          suite.dir,
          out('shards.log')
        )
        return { wallMs: timed.wallMs, makespanMs: timed.wallMs, exitCodes: timed.codes }
      })
    }
    for (const { workers, slots, first, again } of shapes) {
      const name = `squall-${workers}x${slots}`
      await attempt(first, round, async () => {
        const r = await runSquall(suite, workers, slots, false, `${name}-first`)
        return { ...r, exitCodes: [r.exitCode], squall: { history: false } }
      })
      await attempt(again, round, async () => {
        const r = await runSquall(suite, workers, slots, true, `${name}-again`)
        return { ...r, exitCodes: [r.exitCode], squall: { history: true } }
      })
    }
  }
  const own = reference()
  const rows: Row[] = []
  for (const [label, all] of runs) {
    const median = medianRun(all) ?? (all[0] as Measured)
    const walls = all.map(m => m.wallMs)
    const spread = walls.filter((ms): ms is number => ms !== undefined)
    let m: Measured =
      spread.length > 1
        ? { ...median, rangeMs: [Math.min(...spread), Math.max(...spread)] }
        : median
    if (m.squall?.history) {
      const firsts = runs.get(firstOf.get(label) ?? '') ?? []
      m = {
        ...m,
        squall: {
          history: true,
          firstWallMs: medianRun(firsts)?.wallMs,
          rounds: pairsNotSlower(
            firsts.map(f => f.wallMs),
            walls
          )
        }
      }
    }
    rows.push(row(suite.framework, m, own, bounds))
  }
  return rows
}

const SHARDS = '--shard 1/2 + 2/2 at once (slower)'

/** squall's counts against the framework's own run, as words when they differ. */
function countMismatch(m: Measured, own: Measured | undefined): string | undefined {
  if (!m.squall || !m.counts || !own?.counts) return undefined
  const text = (c: Counts): string => `${c.passed}/${c.failed}/${c.skipped}`
  return text(m.counts) === text(own.counts)
    ? undefined
    : `squall ${text(m.counts)} vs own ${text(own.counts)} (passed/failed/skipped)`
}

function ownLabel(suite: BenchSuite): string {
  if (suite.framework === 'jest') return 'jest --maxWorkers=2 (own)'
  if (suite.framework === 'pytest') return 'pytest -n 2 (own, xdist)'
  return 'vitest run, 2 threads (own)'
}
