/**
 * The lower bound a 2-way run of a suite cannot beat, counting one framework start-up per
 * slot: every slot starts the framework once (S, the wall of running one trivial file), then
 * the work is shared: LB = S + max(longest unit, (work + tests × per-test cost) ÷ slots).
 * Work is what the generator put in: test bodies plus per-file costs paid once per file in a
 * cold run (the slow transform); a unit is what one worker cannot split (a file for
 * jest/vitest, a test for pytest); the per-test cost is measured (pytest: a probe of many
 * empty tests, minus the start-up probe), 0 where not measured.
 */

export interface BoundInput {
  startupMs: number
  workMs: number
  longestUnitMs: number
  tests: number
  perTestMs: number
  slots: number
}

export function lowerBoundMs(b: BoundInput): number {
  const shared = (b.workMs + b.tests * b.perTestMs) / b.slots
  return b.startupMs + Math.max(b.longestUnitMs, shared)
}

/** The legend printed under the table. */
export const boundLegend = [
  'LB (lower bound) = S + max(longest unit, (work + tests × c) ÷ 2 slots): S = the framework',
  '  start-up, the fastest of 2 runs of one trivial file (one start-up per slot); work = test',
  '  bodies + the slow transform once per file (every run starts with the transform cache',
  '  cleared); unit = a file (jest, vitest) or a test (pytest); c = per-test cost (pytest: a',
  '  probe of 1000 empty tests minus S; 0 for jest/vitest).',
  'mk÷LB: squall: first job start to last job end (from --json) ÷ LB; the framework runs and',
  '  shards: wall ÷ LB. ×own: wall ÷ the framework’s own 2-way wall. counts: passed/failed/',
  '  skipped, ✓ when squall’s --json summary equals the framework’s own report.'
]
