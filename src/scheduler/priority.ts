/** The order jobs leave the queue in, and the queue itself: one sorted list per label set. */
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

/** An array kept sorted by compareQueued (a total order, since `seq` is unique). */
export class PriorityQueue<T extends Queued> {
  private items: T[] = []

  get length(): number {
    return this.items.length
  }

  insert(item: T): void {
    this.items.splice(this.position(item), 0, item)
  }

  remove(item: T): boolean {
    const index = this.position(item)
    if (this.items[index] !== item) return false
    this.items.splice(index, 1)
    return true
  }

  /** In priority order. */
  values(): readonly T[] {
    return this.items
  }

  /** The first index whose item does not go before `item`. */
  private position(item: T): number {
    let lo = 0
    let hi = this.items.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareQueued(this.items[mid] as T, item) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/** Queued jobs that need the same labels. */
export interface LabelGroup<T extends Queued> {
  labels: readonly string[]
  jobs: PriorityQueue<T>
  /** Last time an active worker could run this group (undefined: never yet). */
  capableAt?: number
}

/**
 * The queue, split by label set: a worker looks at the head of each group it can run instead
 * of scanning every queued job, and the unrunnable check works per group.
 */
export class JobQueue<T extends Queued> {
  private readonly byLabels = new Map<string, LabelGroup<T>>()
  private size = 0

  get length(): number {
    return this.size
  }

  groups(): IterableIterator<LabelGroup<T>> {
    return this.byLabels.values()
  }

  insert(item: T): void {
    this.group(item.spec.labels).jobs.insert(item)
    this.size++
  }

  remove(item: T): boolean {
    const removed = this.group(item.spec.labels).jobs.remove(item)
    if (removed) this.size--
    return removed
  }

  private group(labels: readonly string[]): LabelGroup<T> {
    const key = labelKey(labels)
    let group = this.byLabels.get(key)
    if (!group) {
      group = { labels: [...new Set(labels)].sort(), jobs: new PriorityQueue<T>() }
      this.byLabels.set(key, group)
    }
    return group
  }
}

/** One key per label set, whatever the order or repetition of the labels. */
export function labelKey(labels: readonly string[]): string {
  return [...new Set(labels)].sort().join('\u0000')
}
