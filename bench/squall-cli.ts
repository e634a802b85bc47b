/**
 * Runs `squall run` of the built CLI as a user would (only documented flags) and reads its
 * `--json` summary: wall time, makespan (first job start to last job end) and the counts.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { runAll } from './processes.js'
import type { BenchSuite, Counts } from './suite.js'

export interface SquallRun {
  wallMs: number
  /** The run's own duration (its JSON summary's `durationMs`: listing to the end). */
  durationMs: number
  /** From the first job's start to the last job's end, from the JSON summary's attempts. */
  makespanMs: number
  counts: Counts
  exitCode: number | null
}

interface JsonSummary {
  summary: { passed: number; failed: number; errored: number; skipped: number; durationMs: number }
  jobs: { startedAt: number; durationMs: number }[]
}

/**
 * `squall run --framework <suite> --workers W --slots K` in the suite root. `history` false
 * starts from no timing history (`.squall/` removed first); true keeps what the last run left.
 */
export async function runSquall(
  suite: Pick<BenchSuite, 'dir' | 'framework' | 'env' | 'passThrough'>,
  workers: number,
  slots: number,
  history: boolean,
  label: string,
  flags: string[] = []
): Promise<SquallRun> {
  if (!history) rmSync(join(suite.dir, '.squall'), { recursive: true, force: true })
  const json = join(suite.dir, 'out', `${label}.json`)
  rmSync(json, { force: true })
  // Built at run time so the bundler does not take it for an asset to relocate.
  const cli = resolve(...['dist', 'cli', 'index.js'])
  const argv = [
    process.execPath,
    cli,
    'run',
    '--framework',
    suite.framework,
    '--workers',
    String(workers),
    '--slots',
    String(slots),
    '--cwd',
    suite.dir,
    '--json',
    json,
    ...flags,
    ...(suite.passThrough.length > 0 ? ['--', ...suite.passThrough] : [])
  ]
  const timed = await runAll(
    [{ argv, env: suite.env }],
    suite.dir,
    join(suite.dir, 'out', `${label}.log`)
  )
  const exitCode = timed.codes[0] ?? null
  if (!existsSync(json)) {
    throw new Error(`squall run (${label}) wrote no JSON summary (exit ${exitCode}); see its log`)
  }
  const report = JSON.parse(readFileSync(json, 'utf8')) as JsonSummary
  const s = report.summary
  const started = report.jobs.filter(j => j.startedAt > 0)
  const makespanMs =
    started.length > 0
      ? Math.max(...started.map(j => j.startedAt + j.durationMs)) -
        Math.min(...started.map(j => j.startedAt))
      : s.durationMs
  return {
    wallMs: timed.wallMs,
    durationMs: s.durationMs,
    makespanMs,
    counts: { passed: s.passed, failed: s.failed + s.errored, skipped: s.skipped },
    exitCode
  }
}
