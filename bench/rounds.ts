/**
 * Rounds of the frameworks bench: every compared configuration runs once per round, rounds
 * one after the other, and each row reports its median run. On a shared machine one run of
 * ~20 s varies by a few hundred ms; a median of interleaved rounds keeps that drift out of
 * the comparisons (×own, second run against the first).
 */

/** SQUALL_BENCH_ROUNDS (default 3): how many rounds the frameworks bench runs. */
export function benchRounds(): number {
  const raw = process.env.SQUALL_BENCH_ROUNDS
  if (raw === undefined || raw === '') return 3
  const rounds = Number(raw)
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new Error(`SQUALL_BENCH_ROUNDS=${raw}: expected a whole number of rounds, 1 or more`)
  }
  return rounds
}

/**
 * The median of the runs that have a wall time, by wall time (the slower middle one of an
 * even count, so two rounds never flatter); undefined when none has one.
 */
export function medianRun<T extends { wallMs?: number }>(runs: readonly T[]): T | undefined {
  return upperMiddle(
    runs.filter(r => r.wallMs !== undefined),
    r => r.wallMs as number
  )
}

/** The middle of `values` ordered by `key`, the larger middle one of an even count. */
function upperMiddle<T>(values: readonly T[], key: (value: T) => number): T | undefined {
  const sorted = [...values].sort((a, b) => key(a) - key(b))
  return sorted[Math.floor(sorted.length / 2)]
}

/**
 * Of the rounds where both runs have a wall time, how many had the second run (with the
 * history the first left) at least as fast as the first, and the median of the differences
 * (second − first, ms; the larger middle one of an even count, so two rounds never flatter):
 * a tie shows as a difference within the machine's noise, not as a verdict either way.
 */
export function pairsNotSlower(
  first: readonly (number | undefined)[],
  again: readonly (number | undefined)[]
): { notSlower: number; pairs: number; medianDeltaMs?: number } {
  const deltas: number[] = []
  first.forEach((f, i) => {
    const a = again[i]
    if (f === undefined || a === undefined) return
    deltas.push(a - f)
  })
  const medianDeltaMs = upperMiddle(deltas, d => d)
  return {
    notSlower: deltas.filter(d => d <= 0).length,
    pairs: deltas.length,
    ...(medianDeltaMs !== undefined ? { medianDeltaMs } : {})
  }
}
