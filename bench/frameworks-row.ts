/** One table row of the frameworks section: figures in fixed-width fields, targets checked. */
import type { Counts } from './suite.js'
import { fixed, type Row } from './table.js'

/** One measured configuration; `note` replaces the figures when it could not run. */
export interface Measured {
  label: string
  wallMs?: number
  /** Squall's first-job-to-last-job span; the wall for the framework's own runs. */
  makespanMs?: number
  counts?: Counts
  /** The fastest and slowest wall over the rounds, when there was more than one. */
  rangeMs?: [number, number]
  /**
   * A squall run: with history or not; with history, the first run's (median) wall, in how
   * many rounds the second run was at least as fast as that round's first, and the median of
   * the rounds' differences (second − first).
   */
  squall?: {
    history: boolean
    firstWallMs?: number
    rounds?: { notSlower: number; pairs: number; medianDeltaMs?: number }
  }
  /** Exit codes of the run's processes, for the log. */
  exitCodes?: (number | null)[]
  note?: string
}

/** The `figure` column's words for the `value` fields. */
export const FIGURES = 'wall (range) · ×own · mk÷LB · mk÷LB₀ · counts p/f/s'

/** Targets from the issue: squall within 1.10× of the framework's own 2-way run, … */
const OWN_RATIO = 1.1
/** … within 1.05 of the lower bound with history, and the second run not slower. */
const BOUND_RATIO = 1.05

export function row(
  framework: string,
  m: Measured,
  own: Measured | undefined,
  bounds: { ms: number; withoutUnitCostMs: number }
): Row {
  const base = { section: 'frameworks', case: `${framework}: ${m.label}`, figure: FIGURES }
  if (m.note !== undefined || m.wallMs === undefined) return { ...base, value: m.note ?? 'n/a' }
  const ownWall = own?.note === undefined ? own?.wallMs : undefined
  const ratio = ownWall !== undefined ? m.wallMs / ownWall : undefined
  const span = m.makespanMs ?? m.wallMs
  const toBound = span / bounds.ms
  const value = [
    `${fixed(m.wallMs / 1000, 1)} s`.padStart(8),
    (m.rangeMs ? `(${fixed(m.rangeMs[0] / 1000, 1)}–${fixed(m.rangeMs[1] / 1000, 1)})` : '').padEnd(
      11
    ),
    (ratio !== undefined ? `${fixed(ratio, 2)}×` : 'n/a').padStart(6),
    fixed(toBound, 3).padStart(6),
    fixed(span / bounds.withoutUnitCostMs, 3).padStart(6),
    countsCell(m, own)
  ].join('  ')
  return { ...base, value, target: m.squall ? targets(m, ratio, toBound) : undefined }
}

function countsCell(m: Measured, own: Measured | undefined): string {
  if (!m.counts) return '—'
  const text = (c: Counts): string => `${c.passed}/${c.failed}/${c.skipped}`
  if (m === own || !m.squall) return `${text(m.counts)} (reference)`
  if (!own?.counts) return `${text(m.counts)} (no reference)`
  const same =
    m.counts.passed === own.counts.passed &&
    m.counts.failed === own.counts.failed &&
    m.counts.skipped === own.counts.skipped
  return same ? `✓ ${text(m.counts)}` : `✗ ${text(m.counts)} vs ${text(own.counts)}`
}

function targets(m: Measured, ratio: number | undefined, toBound: number): string {
  const mark = (ok: boolean | undefined): string => (ok === undefined ? '?' : ok ? '✓' : '✗')
  const parts = [
    `≤${fixed(OWN_RATIO, 2)}× own ${mark(ratio === undefined ? undefined : ratio <= OWN_RATIO)}`
  ]
  if (m.squall?.history) {
    parts.push(`mk÷LB ≤${fixed(BOUND_RATIO, 2)} ${mark(toBound <= BOUND_RATIO)}`)
    const first = m.squall.firstWallMs
    const verdict = mark(
      first === undefined || m.wallMs === undefined ? undefined : m.wallMs <= first
    )
    const rounds = m.squall.rounds
    const delta =
      rounds?.medianDeltaMs !== undefined
        ? `, Δ ${rounds.medianDeltaMs > 0 ? '+' : rounds.medianDeltaMs < 0 ? '−' : '±'}${fixed(Math.abs(rounds.medianDeltaMs) / 1000, 2)} s`
        : ''
    const tally =
      rounds && rounds.pairs > 1 ? ` (${rounds.notSlower}/${rounds.pairs} rounds${delta})` : ''
    parts.push(`≤ first ${verdict}${tally}`)
  }
  return parts.join(', ')
}
