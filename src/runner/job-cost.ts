/**
 * A job's cost beyond its items' own time, as a fixed part per job and a part per item (a
 * file's transform, a test's set-up): fitted over one run's jobs with the Theil–Sen estimator,
 * the median of the slopes between pairs of jobs of different sizes, so a job held up on a
 * busy machine moves neither part. Jobs all of one size say nothing of the per-item part: it
 * is 0 and the fixed part is their median. Pure.
 */
import { median } from '../frameworks/core/batching.js'

/** One job: its item count and what it cost beyond its items' own time, ms. */
export interface JobCostPoint {
  items: number
  overheadMs: number
}

export interface JobCostFit {
  /** Per job, ms (≥ 0). */
  perJobMs: number
  /** Per item, ms (≥ 0). */
  perItemMs: number
}

/** Jobs a fit looks at, at most (pairs grow as the square). */
export const MAX_FIT_JOBS = 200

/** The fit; undefined without jobs. */
export function fitJobCost(points: readonly JobCostPoint[]): JobCostFit | undefined {
  if (points.length === 0) return undefined
  const used = spread(points, MAX_FIT_JOBS)
  const slopes: number[] = []
  for (let i = 0; i < used.length; i++)
    for (let j = i + 1; j < used.length; j++) {
      const a = used[i] as JobCostPoint
      const b = used[j] as JobCostPoint
      if (a.items !== b.items) slopes.push((b.overheadMs - a.overheadMs) / (b.items - a.items))
    }
  const perItemMs = slopes.length > 0 ? Math.max(0, median(slopes)) : 0
  const perJobMs = Math.max(0, median(used.map(p => p.overheadMs - perItemMs * p.items)))
  return { perJobMs, perItemMs }
}

/** At most `max` of the points, evenly spread over them. */
function spread<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points]
  return Array.from({ length: max }, (_, i) => points[Math.floor((i * points.length) / max)] as T)
}
