/**
 * The lower bound a 2-way run of a suite cannot beat, counting one framework start-up per
 * slot: every slot starts the framework once (S, the wall of running one trivial file), then
 * the work is shared: LB = S + max(longest unit + c, (work + units × c) ÷ slots).
 * Work is what the generator put in: test bodies plus per-file costs paid once per file in a
 * cold run (the slow transform); a unit is what one worker cannot split (a file for
 * jest/vitest, a test for pytest); c is what the framework itself pays per unit whoever runs
 * it (a file's fresh environment and module registry; a test's set-up and report), measured
 * by a probe of many empty units in one process, minus the start-up probe.
 */

export interface BoundInput {
  startupMs: number
  workMs: number
  longestUnitMs: number
  units: number
  perUnitMs: number
  slots: number
}

export function lowerBoundMs(b: BoundInput): number {
  const shared = (b.workMs + b.units * b.perUnitMs) / b.slots
  return b.startupMs + Math.max(b.longestUnitMs + b.perUnitMs, shared)
}

/** The legend printed under the table. */
export const boundLegend = [
  'LB (lower bound) = S + max(longest unit + c, (work + units × c) ÷ 2 slots): S = the',
  '  framework start-up, the fastest of 2 runs of one trivial file (one start-up per slot);',
  '  work = test bodies + the slow transform once per file (every run starts with the transform',
  '  cache cleared); unit = a file (jest, vitest) or a test (pytest); c = the framework’s own',
  '  cost per unit: the fastest of 2 runs of many empty units in one process (jest, vitest: 40',
  '  files; pytest: 1000 tests), minus S, per unit. mk÷LB₀: the same without c (c = 0).',
  'mk÷LB: squall: first job start to last job end (from --json) ÷ LB; the framework runs and',
  '  shards: wall ÷ LB. ×own: wall ÷ the framework’s own 2-way wall. counts: passed/failed/',
  '  skipped, ✓ when squall’s --json summary equals the framework’s own report.'
]
