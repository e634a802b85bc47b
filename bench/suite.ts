/**
 * What the frameworks bench needs from a generated suite: where it lives, the work it holds
 * (for the lower bound), and the commands of the framework's own runs with their counts.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** Test outcomes as a framework's own report counts them (skipped: skipped, todo, xfail…). */
export interface Counts {
  passed: number
  failed: number
  skipped: number
}

/** One process to start in the suite root: argv and extra environment. */
export interface Command {
  argv: string[]
  env?: Record<string, string>
}

/** A generated suite of one framework. */
export interface BenchSuite {
  /** jest, vitest or pytest: also squall's `--framework`. */
  framework: string
  /** The suite root (inside the repository, so it finds the project's tools). */
  dir: string
  /** Tests the suite holds, files, and a word on its shape, for the log. */
  describe: string
  /**
   * Unavoidable work of one cold run, ms: test bodies plus per-file costs paid once per file
   * (a cold transform). Start-up is counted apart, once per slot (see lower-bound.ts).
   */
  workMs: number
  /** The longest unit a worker cannot split (a file for jest/vitest, a test for pytest), ms. */
  longestUnitMs: number
  /** Environment every run of the suite gets, squall's included (e.g. which interpreter). */
  env?: Record<string, string>
  /** A line for the notes under the table (e.g. the interpreter chosen), if any. */
  note?: string
  /** Arguments after `--` for squall, and what every own run adds (e.g. `--no-cache`). */
  passThrough: string[]
  /** The framework's start-up: one process running one trivial test file. */
  probe(): Command
  /** Why the framework's own 2-way run cannot run here, or undefined when it can. */
  ownUnavailable(): string | undefined
  /** The framework's own 2-way run, writing its report to `report`. */
  own(report: string): Command
  /** Counts from the report `own` wrote. */
  ownCounts(report: string): Counts
  /** Shard `index` (1-based) of `total`, the way the framework's `--shard` splits it. */
  shard(index: number, total: number): Command
  /** Removes caches the framework keeps between runs, so every measured run starts cold. */
  clearCaches(): void
  /** What the framework pays per unit (ms): one process running `units` empty units. */
  perUnitProbe(): { command: Command; units: number }
  /** Units in the suite (files for jest and vitest, tests for pytest), for the per-unit cost. */
  units: number
  /** Tests in the suite. */
  tests: number
}

/** The suites SQUALL_BENCH_SUITES names (comma-separated), else all of `known`, in order. */
export function wantedSuites(known: readonly string[]): string[] {
  const wanted = (process.env.SQUALL_BENCH_SUITES ?? known.join(','))
    .split(',')
    .map(s => s.trim())
    .filter(Boolean)
  const unknown = wanted.filter(name => !known.includes(name))
  if (unknown.length > 0)
    throw new Error(
      `SQUALL_BENCH_SUITES: unknown ${unknown.join(', ')}; expected ${known.join(', ')}`
    )
  return wanted
}

/** SQUALL_BENCH_SCALE (default 1): suite size, e.g. 0.2 for a quick end-to-end check. */
export function benchScale(): number {
  const raw = process.env.SQUALL_BENCH_SCALE
  if (raw === undefined || raw === '') return 1
  const scale = Number(raw)
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new Error(`SQUALL_BENCH_SCALE=${raw}: expected a positive number such as 0.2 or 1`)
  }
  return scale
}

/** A fresh directory under build/ of the repository (where the project's tools resolve). */
export function freshSuiteDir(name: string): string {
  // Built at run time so the bundler does not take it for an asset to relocate.
  const dir = join(process.cwd(), ...['build', `bench-${name}`])
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  return dir
}

/** Files in the per-file probe of jest and vitest (empty tests, one process). */
export const PROBE_FILES = 40

/** Writes the per-file probe: `PROBE_FILES` files of one empty test under `probe-many/`. */
export function putProbeFiles(dir: string, source: string): void {
  for (let i = 0; i < PROBE_FILES; i++)
    put(dir, `probe-many/f${String(i).padStart(2, '0')}.test.js`, source)
}

/** Writes `text` to `dir/path`, creating parent directories. */
export function put(dir: string, path: string, text: string): void {
  const full = join(dir, path)
  mkdirSync(dirname(full), { recursive: true })
  writeFileSync(full, text)
}

/** `ms` split over `count` tests, whole milliseconds, at least 1 each. */
export function splitMs(ms: number, count: number): number[] {
  const each = Math.max(1, Math.floor(ms / count))
  return Array.from({ length: count }, () => each)
}

/** The JavaScript of a busy wait of `ms` wall-clock milliseconds (CPU-bound, like real work). */
export function jsBurn(name: string): string {
  return `function ${name}(ms) {
  const until = Date.now() + ms
  let x = 0
  while (Date.now() < until) for (let i = 0; i < 1000; i++) x = (x * 31 + i) % 1000003
  return x
}`
}
