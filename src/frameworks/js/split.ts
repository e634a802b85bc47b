/**
 * Splitting one dominant test file (jest, vitest) into jobs by test name. Pure.
 *
 * When to split: no schedule on `slots` slots finishes before the per-slot share of the work,
 * `share = Σ files' test time ÷ slots`. A file longer than that share is a job that alone
 * makes the makespan longer than the bound: the other slots run dry while it runs. Cut into
 * `k = ⌈time ÷ share⌉` parts (at most one per slot, at most one per known test), each part is
 * at most about the share, so the file no longer bounds the makespan. Each extra part pays a
 * job's start-up again, spread over the slots: the split is kept only when what it takes off
 * the longest job (`time − longest part`) exceeds that cost (`(k − 1) × start-up ÷ slots`).
 *
 * How to split exactly: jest's `--testNamePattern` and vitest's `-t` are regular expressions
 * matched against each test's full name (jest with the `i` flag, vitest without). Parts
 * `1…k−1` take anchored alternations of the names history knows (`^(?:a|b)$`); part `k` takes
 * the negation of all of them (`^(?!(?:a|b|c)$)`), so a test history does not know (new,
 * renamed) runs there, and every test matches exactly one part. Names equal but for case go
 * to the same part, so the parts stay disjoint under the `i` flag too.
 */

/** Per file, the last run's duration of each of its tests by full name, ms. */
export type TestTimings = ReadonlyMap<string, ReadonlyMap<string, number>>

/** One part of a split file. */
export interface SplitPart {
  /** 1-based; the last part also runs the tests history does not know. */
  index: number
  of: number
  /** The anchored full-name pattern of this part. */
  pattern: string
  /** The part's known tests' time, ms. */
  expectedMs: number
}

/** What a split needs to know of the plan. */
export interface SplitOptions {
  slots: number
  /** A job's cost beyond its tests, ms. */
  startupMs: number
}

/** Beyond this many characters a part's pattern is too long for a command line: no split. */
export const MAX_SPLIT_PATTERN = 32_000

/**
 * The files to split and their parts. `expected` is each listed file's expected test time
 * (history); `tests` the per-test times history kept. Files without per-test times, or with
 * fewer than two named tests, stay whole.
 */
export function planSplits(
  expected: ReadonlyMap<string, number>,
  tests: TestTimings,
  options: SplitOptions
): Map<string, SplitPart[]> {
  const out = new Map<string, SplitPart[]>()
  const slots = Math.max(1, Math.floor(options.slots))
  if (slots < 2) return out
  const total = [...expected.values()].reduce((sum, ms) => sum + ms, 0)
  const share = total / slots
  if (!(share > 0)) return out
  for (const [file, ms] of [...expected].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const names = tests.get(file)
    if (!names || ms <= share) continue
    const groups = nameGroups(names)
    const k = Math.min(slots, groups.length, Math.ceil(ms / share))
    if (k < 2) continue
    const bins = balance(groups, k)
    const longest = Math.max(...bins.map(b => b.ms))
    const known = bins.reduce((sum, b) => sum + b.ms, 0)
    if (known - longest <= ((k - 1) * Math.max(0, options.startupMs)) / slots) continue
    const parts = partsOf(bins)
    if (parts.some(p => p.pattern.length > MAX_SPLIT_PATTERN)) continue
    out.set(file, parts)
  }
  return out
}

/** Escapes text for use inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

/** Anchored alternation of `names` (full names, matched whole). */
export function namesPattern(names: readonly string[]): string {
  return `^(?:${names.map(escapeRegExp).join('|')})$`
}

/** Matches every full name except exactly `names`. */
export function otherNamesPattern(names: readonly string[]): string {
  return names.length === 0 ? '^' : `^(?!(?:${names.map(escapeRegExp).join('|')})$)`
}

/** True when the framework would run a test of this full name under `pattern`. */
export function runsUnder(pattern: string, name: string, flags: string): boolean {
  return new RegExp(pattern, flags).test(name)
}

interface Group {
  names: string[]
  ms: number
}

interface Bin {
  names: string[]
  ms: number
}

/** Names grouped case-insensitively, longest group first (ties by name). */
function nameGroups(names: ReadonlyMap<string, number>): Group[] {
  const byKey = new Map<string, Group>()
  for (const [name, ms] of names) {
    const key = name.toLowerCase()
    const group = byKey.get(key) ?? { names: [], ms: 0 }
    group.names.push(name)
    group.ms += Number.isFinite(ms) && ms > 0 ? ms : 0
    byKey.set(key, group)
  }
  return [...byKey.entries()]
    .sort(([ka, a], [kb, b]) => b.ms - a.ms || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .map(([, group]) => ({ names: [...group.names].sort(), ms: group.ms }))
}

/** Longest first into the least loaded of `k` bins (ties: the lowest bin). */
function balance(groups: readonly Group[], k: number): Bin[] {
  const bins: Bin[] = Array.from({ length: k }, () => ({ names: [], ms: 0 }))
  for (const group of groups) {
    let best = bins[0] as Bin
    for (const bin of bins) if (bin.ms < best.ms) best = bin
    best.names.push(...group.names)
    best.ms += group.ms
  }
  return bins
}

/**
 * Patterns of the bins: the lightest bin (it also takes the tests history does not know, of
 * unknown time) goes last, as the negation of the others; the others, longest first.
 */
function partsOf(bins: Bin[]): SplitPart[] {
  const ordered = [...bins].sort((a, b) => b.ms - a.ms)
  const last = ordered[ordered.length - 1] as Bin
  const named = ordered.slice(0, -1)
  const of = ordered.length
  return [
    ...named.map((bin, i) => ({
      index: i + 1,
      of,
      pattern: namesPattern(bin.names),
      expectedMs: bin.ms
    })),
    {
      index: of,
      of,
      pattern: otherNamesPattern(named.flatMap(b => b.names)),
      expectedMs: last.ms
    }
  ]
}
