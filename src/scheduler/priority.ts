/** The order jobs leave the queue in, and a queue kept in that order. */
import type { JobSpec } from '../protocol/types.js'

/** A queued job with what ordering needs. */
export interface Queued {
  spec: JobSpec
  /** Submission order, for stability. */
  seq: number
}

/**
 * Negative when `a` goes first: unknown durations first (they may be long), then longest
 * expected first, then jobs that failed before, then submission order.
 */
export function compareQueued(a: Queued, b: Queued): number {
  const ua = a.spec.expectedMs === undefined
  const ub = b.spec.expectedMs === undefined
  if (ua !== ub) return ua ? -1 : 1
  const ea = a.spec.expectedMs ?? 0
  const eb = b.spec.expectedMs ?? 0
  if (ea !== eb) return eb - ea
  const fa = a.spec.failedBefore === true
  const fb = b.spec.failedBefore === true
  if (fa !== fb) return fa ? -1 : 1
  return a.seq - b.seq
}

/** An array kept sorted by compareQueued; insertion by binary search. */
export class PriorityQueue<T extends Queued> {
  private items: T[] = []

  get length(): number {
    return this.items.length
  }

  insert(item: T): void {
    let lo = 0
    let hi = this.items.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareQueued(this.items[mid] as T, item) <= 0) lo = mid + 1
      else hi = mid
    }
    this.items.splice(lo, 0, item)
  }

  remove(item: T): boolean {
    const index = this.items.indexOf(item)
    if (index < 0) return false
    this.items.splice(index, 1)
    return true
  }

  /** In priority order. */
  values(): readonly T[] {
    return this.items
  }
}
