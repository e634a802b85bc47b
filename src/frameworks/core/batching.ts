/**
 * Groups test items into batches (one job each) from expected durations. Pure and
 * deterministic: the same items and history always give the same batches, so job ids built
 * from them stay stable and timing history keeps following them.
 */
import type { TestItem, Timings } from './framework.js'

/** How to size batches. */
export interface BatchOptions {
  /** Total worker slots expected. */
  slots: number
  /** Expected ms per item id, from history. */
  timings: Timings
  /** The framework's start-up cost per job, ms. */
  startupMs: number
  /** Estimate for an item with no history and no better guess, ms. */
  defaultMs: number
  maxItemsPerBatch?: number
  /** Items that should stay together prefer the same batch (e.g. same file); optional. */
  groupOf?: (item: TestItem) => string
}

/** A planned batch, longest first in `planBatches`' output. */
export interface Batch {
  items: TestItem[]
  /** Start-up plus the items' expected durations, ms. */
  expectedMs: number
  /** True when at least one item had no history of its own. */
  estimated: boolean
}

/**
 * Expected ms per item: history, else the median of known items of the same group (file),
 * else the suite median, else defaultMs.
 */
export function estimateDurations(items: TestItem[], options: BatchOptions): Map<string, number> {
  const groupOf = options.groupOf ?? ((item: TestItem) => item.file ?? '')
  const known: number[] = []
  const knownByGroup = new Map<string, number[]>()
  for (const item of items) {
    const ms = historyOf(item, options.timings)
    if (ms === undefined) continue
    known.push(ms)
    const group = groupOf(item)
    const list = knownByGroup.get(group)
    if (list) list.push(ms)
    else knownByGroup.set(group, [ms])
  }
  const suiteMedian = known.length > 0 ? median(known) : undefined
  const out = new Map<string, number>()
  for (const item of items) {
    const own = historyOf(item, options.timings)
    const group = knownByGroup.get(groupOf(item))
    out.set(item.id, own ?? (group ? median(group) : (suiteMedian ?? options.defaultMs)))
  }
  return out
}

/**
 * Groups items into batches, larger early and smaller toward the end so the tail balances;
 * never one start-up per item when the start-up cost dominates. Output order: longest
 * expected first. Deterministic. Items whose labels differ never share a batch (a job's
 * labels bind all of it).
 */
export function planBatches(items: TestItem[], options: BatchOptions): Batch[] {
  if (items.length === 0) return []
  const estimates = estimateDurations(items, options)
  const slots = Math.max(1, Math.floor(options.slots))
  const maxItems = Math.max(1, Math.floor(options.maxItemsPerBatch ?? Number.POSITIVE_INFINITY))
  const startup = Math.max(0, options.startupMs)
  // Below a couple of start-ups a batch spends more time starting than testing.
  const floor = startup * 2
  const ordered = orderItems(items, estimates, options.groupOf)
  const total = ordered.reduce((sum, item) => sum + (estimates.get(item.id) ?? 0), 0)

  const built: Batch[] = []
  let remaining = total
  let current: TestItem[] = []
  let work = 0
  let target = 0
  let labels = ''
  const close = (): void => {
    if (current.length === 0) return
    built.push(makeBatch(current, work, startup, options.timings))
    remaining -= work
    current = []
    work = 0
  }
  for (const item of ordered) {
    const ms = estimates.get(item.id) ?? 0
    const itemLabels = labelKey(item)
    if (
      current.length > 0 &&
      (work >= target || current.length >= maxItems || itemLabels !== labels)
    ) {
      close()
    }
    if (current.length === 0) {
      // Guided self-scheduling: each batch takes a fixed share of what is left, so batches
      // shrink geometrically and the last ones are short enough to even out the finish.
      target = Math.max(floor, remaining / (slots * 4))
      labels = itemLabels
    }
    current.push(item)
    work += ms
  }
  close()
  mergeShortTail(built, startup, maxItems, options.timings)
  return built
    .map((batch, index) => ({ batch, index }))
    .sort((a, b) => b.batch.expectedMs - a.batch.expectedMs || a.index - b.index)
    .map(entry => entry.batch)
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

function historyOf(item: TestItem, timings: Timings): number | undefined {
  const ms = timings.get(item.id)
  return ms !== undefined && Number.isFinite(ms) && ms >= 0 ? ms : undefined
}

function labelKey(item: TestItem): string {
  return item.labels && item.labels.length > 0 ? [...new Set(item.labels)].sort().join('\n') : ''
}

/**
 * Longest first, keeping each label set and each group together: groups (and label sets)
 * ordered by their total, items inside a group longest first, ties by id.
 */
function orderItems(
  items: TestItem[],
  estimates: Map<string, number>,
  groupOf: ((item: TestItem) => string) | undefined
): TestItem[] {
  const ms = (item: TestItem): number => estimates.get(item.id) ?? 0
  const byId = (a: TestItem, b: TestItem): number => ms(b) - ms(a) || compareText(a.id, b.id)
  const clusters = new Map<string, TestItem[]>()
  for (const item of items) {
    // Without groupOf each item is its own group, so order is simply longest first.
    const key = `${labelKey(item)}\u0000${groupOf ? groupOf(item) : `\u0000${item.id}`}`
    const list = clusters.get(key)
    if (list) list.push(item)
    else clusters.set(key, [item])
  }
  const entries = [...clusters.entries()].map(([key, list]) => {
    list.sort(byId)
    return { key, list, total: list.reduce((sum, item) => sum + ms(item), 0) }
  })
  const labelTotals = new Map<string, number>()
  for (const entry of entries) {
    const label = entry.key.split('\u0000')[0] as string
    labelTotals.set(label, (labelTotals.get(label) ?? 0) + entry.total)
  }
  const labelOf = (key: string): string => key.split('\u0000')[0] as string
  entries.sort(
    (a, b) =>
      (labelTotals.get(labelOf(b.key)) ?? 0) - (labelTotals.get(labelOf(a.key)) ?? 0) ||
      compareText(labelOf(a.key), labelOf(b.key)) ||
      b.total - a.total ||
      compareText(a.key, b.key)
  )
  return entries.flatMap(entry => entry.list)
}

/** A last batch shorter than one start-up joins the one before it (same labels, room left). */
function mergeShortTail(built: Batch[], startup: number, maxItems: number, timings: Timings): void {
  if (built.length < 2 || startup <= 0) return
  const last = built[built.length - 1] as Batch
  const before = built[built.length - 2] as Batch
  const lastWork = last.expectedMs - startup
  if (lastWork >= startup) return
  if (before.items.length + last.items.length > maxItems) return
  if (labelKey(before.items[0] as TestItem) !== labelKey(last.items[0] as TestItem)) return
  const items = [...before.items, ...last.items]
  const work = before.expectedMs - startup + lastWork
  built.splice(built.length - 2, 2, makeBatch(items, work, startup, timings))
}

function makeBatch(items: TestItem[], work: number, startup: number, timings: Timings): Batch {
  return {
    items,
    expectedMs: startup + work,
    estimated: items.some(item => historyOf(item, timings) === undefined)
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
