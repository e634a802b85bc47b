/**
 * Timing history: `.squall/timings.json` under the suite root. The last few durations of each
 * item and whether it failed last time; planning sizes batches and orders jobs from it.
 * A missing or broken file never stops a run: it only means no history.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { median } from '../frameworks/batching.js'

/** Samples kept per item. */
export const MAX_SAMPLES = 5
/** A sample above this many medians is contention, not the test: it counts as this many. */
export const OUTLIER_FACTOR = 3

/** The file's shape, version 1. */
export interface TimingsFile {
  version: 1
  items: Record<string, { samples: number[]; failed: boolean }>
}

interface Entry {
  samples: number[]
  failed: boolean
}

/** `<cwd>/.squall/timings.json`. */
export function defaultTimingsPath(cwd: string): string {
  return join(cwd, '.squall', 'timings.json')
}

/** History of durations and failures per item id. */
export class TimingStore {
  private readonly entries = new Map<string, Entry>()
  /** Set by `load` when the file was there but unreadable or malformed (it was ignored). */
  warning?: string

  /** A store with no history (history disabled). */
  static empty(): TimingStore {
    return new TimingStore()
  }

  /** Missing file → empty store; corrupt file → empty store with `warning` set; never throws. */
  static async load(path: string): Promise<TimingStore> {
    const store = new TimingStore()
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        store.warning = `timing history ${path} could not be read (${(error as Error).message}); planning without it`
      }
      return store
    }
    const problem = store.readJson(text)
    if (problem) store.warning = `timing history ${path} ignored: ${problem}`
    return store
  }

  /** Expected ms per item: the median of its samples. */
  expected(): Map<string, number> {
    const out = new Map<string, number>()
    for (const [id, entry] of this.entries) {
      if (entry.samples.length > 0) out.set(id, median(entry.samples))
    }
    return out
  }

  /** Items whose last recorded run failed. */
  failedBefore(): Set<string> {
    const out = new Set<string>()
    for (const [id, entry] of this.entries) if (entry.failed) out.add(id)
    return out
  }

  /** Adds a sample (damped against contention) and sets the item's failed flag. */
  record(id: string, ms: number, failed: boolean): void {
    if (!Number.isFinite(ms) || ms < 0) return
    const entry = this.entries.get(id) ?? { samples: [], failed }
    entry.failed = failed
    if (entry.samples.length > 0) {
      // One slow run on a busy machine must not triple the item's estimate for five runs.
      const cap = median(entry.samples) * OUTLIER_FACTOR
      if (ms > cap) ms = cap
    }
    entry.samples.push(Math.round(ms))
    if (entry.samples.length > MAX_SAMPLES)
      entry.samples.splice(0, entry.samples.length - MAX_SAMPLES)
    this.entries.set(id, entry)
  }

  /** Sets the failed flag without a duration (the attempt did not yield one). */
  setFailed(id: string, failed: boolean): void {
    const entry = this.entries.get(id)
    if (entry) entry.failed = failed
    else if (failed) this.entries.set(id, { samples: [], failed })
  }

  /** The file's content. */
  toJSON(): TimingsFile {
    const items: TimingsFile['items'] = {}
    for (const id of [...this.entries.keys()].sort()) {
      const entry = this.entries.get(id) as Entry
      items[id] = { samples: [...entry.samples], failed: entry.failed }
    }
    return { version: 1, items }
  }

  /** Atomic: written to a temp file beside `path`, then renamed over it; parents created. */
  async save(path: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true })
    const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
    try {
      await writeFile(temp, `${JSON.stringify(this.toJSON(), null, 1)}\n`)
      await rename(temp, path)
    } catch (error) {
      await rm(temp, { force: true })
      throw error
    }
  }

  /** Fills the store from file text; returns what was wrong, if anything. */
  private readJson(text: string): string | undefined {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      return `not valid JSON (${(error as Error).message})`
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return 'expected an object with "version" and "items"'
    }
    const { version, items } = value as { version?: unknown; items?: unknown }
    if (version !== 1) return `unknown version ${JSON.stringify(version)}; expected 1`
    if (typeof items !== 'object' || items === null || Array.isArray(items)) {
      return '"items" must be an object'
    }
    let skipped = 0
    for (const [id, raw] of Object.entries(items as Record<string, unknown>)) {
      const entry = readEntry(raw)
      if (entry) this.entries.set(id, entry)
      else skipped++
    }
    return skipped > 0 ? `${skipped} malformed item(s) skipped` : undefined
  }
}

function readEntry(raw: unknown): Entry | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined
  const { samples, failed } = raw as { samples?: unknown; failed?: unknown }
  if (!Array.isArray(samples)) return undefined
  if (!samples.every(s => typeof s === 'number' && Number.isFinite(s) && s >= 0)) return undefined
  return { samples: (samples as number[]).slice(-MAX_SAMPLES), failed: failed === true }
}
