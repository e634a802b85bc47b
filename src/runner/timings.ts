/**
 * Timing history: `.squall/timings.json` under the suite root. The last few durations of each
 * item (its tests' own time) and whether it failed last time, and apart from them the
 * measured start-up cost of each framework's jobs; planning sizes batches and orders jobs
 * from both. Start-up is kept apart because spreading it over a job's items inflates small
 * items, which makes more, smaller jobs, each paying the start-up again.
 * Files long enough to be split by test name (jest, vitest) also keep their tests' last
 * durations (`tests`, optional: older files and readers without it stay valid).
 * A missing or broken file never stops a run: it only means no history. Version 1 files
 * (items only) are still read.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { median } from '../frameworks/core/batching.js'
import type { MeasuredStartup } from '../frameworks/core/framework.js'

/** Samples kept per item. */
export const MAX_SAMPLES = 5
/** A sample above this many medians is contention, not the test: it counts as this many. */
export const OUTLIER_FACTOR = 3

/** The kinds of start-up cost measured per framework (see MeasuredStartup). */
export const STARTUP_KINDS = ['coldMs', 'sessionMs', 'warmJobMs', 'itemMs', 'runMs'] as const
export type StartupKind = (typeof STARTUP_KINDS)[number]

/** The file's shape, version 2 (version 1 had no `startup`). */
export interface TimingsFile {
  version: 2
  /** Per framework, one sample per run and kind: the median over that run's jobs, ms. */
  startup: Record<string, Partial<Record<StartupKind, number[]>>>
  items: Record<string, { samples: number[]; failed: boolean }>
  /**
   * Per quarantined test (an entry of the quarantine file): how many runs in a row it passed.
   * Optional, so files without it (and readers that do not know it) stay valid.
   */
  streaks?: Record<string, number>
  /**
   * Per test file (jest, vitest) long enough that planning may split it by test name: its
   * tests' durations in the last run that ran it, by full name, ms. Optional like `streaks`.
   */
  tests?: Record<string, Record<string, number>>
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
  /** `<framework>\u0000<kind>` → samples (one per run). */
  private readonly startups = new Map<string, number[]>()
  /** Quarantine entry → runs in a row it passed. */
  private readonly streaks = new Map<string, number>()
  /** File → test full name → ms (see TimingsFile.tests). */
  private readonly tests = new Map<string, Map<string, number>>()
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

  /** A framework's measured start-up costs: the median of each kind's samples. */
  startup(framework: string): MeasuredStartup {
    const out: MeasuredStartup = {}
    for (const kind of STARTUP_KINDS) {
      const samples = this.startups.get(startupKey(framework, kind))
      if (samples && samples.length > 0) out[kind] = median(samples)
    }
    return out
  }

  /** Adds one run's start-up sample of a kind, damped against contention like an item's. */
  recordStartup(framework: string, kind: StartupKind, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return
    const key = startupKey(framework, kind)
    const samples = this.startups.get(key) ?? []
    this.startups.set(key, addSample(samples, ms))
  }

  /** Runs in a row a quarantined test passed (0 when unknown). */
  passStreak(id: string): number {
    return this.streaks.get(id) ?? 0
  }

  /** The quarantine entries that have a pass streak. */
  streakIds(): string[] {
    return [...this.streaks.keys()]
  }

  /** Sets a quarantined test's pass streak; undefined forgets it (no longer quarantined). */
  setPassStreak(id: string, runs: number | undefined): void {
    if (runs === undefined) this.streaks.delete(id)
    else this.streaks.set(id, Math.max(0, Math.floor(runs)))
  }

  /** Per file, its tests' last durations by full name (files that may need a split only). */
  testTimes(): Map<string, Map<string, number>> {
    return new Map([...this.tests].map(([file, names]) => [file, new Map(names)]))
  }

  /** Sets a file's per-test durations; undefined forgets them. */
  setTestTimes(file: string, names: ReadonlyMap<string, number> | undefined): void {
    if (names === undefined || names.size === 0) this.tests.delete(file)
    else this.tests.set(file, new Map([...names].map(([name, ms]) => [name, Math.round(ms)])))
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
    entry.samples = addSample(entry.samples, ms)
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
    const startup: TimingsFile['startup'] = {}
    for (const key of [...this.startups.keys()].sort()) {
      const [framework, kind] = key.split('\u0000') as [string, StartupKind]
      startup[framework] = { ...startup[framework], [kind]: [...(this.startups.get(key) ?? [])] }
    }
    const file: TimingsFile = { version: 2, startup, items }
    if (this.streaks.size > 0)
      file.streaks = Object.fromEntries([...this.streaks].sort(([a], [b]) => (a < b ? -1 : 1)))
    if (this.tests.size > 0) {
      file.tests = Object.fromEntries(
        [...this.tests]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([f, names]) => [f, Object.fromEntries(names)])
      )
    }
    return file
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
    const { version, items, startup, streaks, tests } = value as {
      version?: unknown
      items?: unknown
      startup?: unknown
      streaks?: unknown
      tests?: unknown
    }
    if (version !== 1 && version !== 2) {
      return `unknown version ${JSON.stringify(version)}; expected 1 or 2`
    }
    if (typeof items !== 'object' || items === null || Array.isArray(items)) {
      return '"items" must be an object'
    }
    // Version 1 had no start-up: planning uses the frameworks' defaults until a run measures it.
    if (version === 2) this.readStartup(startup)
    this.readStreaks(streaks)
    this.readTests(tests)
    let skipped = 0
    for (const [id, raw] of Object.entries(items as Record<string, unknown>)) {
      const entry = readEntry(raw)
      if (entry) this.entries.set(id, entry)
      else skipped++
    }
    return skipped > 0 ? `${skipped} malformed item(s) skipped` : undefined
  }

  /** Keeps the well-formed pass streaks; anything else is dropped (the streak starts again). */
  private readStreaks(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return
    for (const [id, runs] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof runs === 'number' && Number.isInteger(runs) && runs >= 0)
        this.streaks.set(id, runs)
    }
  }

  /** Keeps each file's well-formed per-test durations; a file with any malformed one is dropped. */
  private readTests(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return
    for (const [file, names] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof names !== 'object' || names === null || Array.isArray(names)) continue
      const entries = Object.entries(names as Record<string, unknown>)
      if (entries.every(([, ms]) => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0))
        this.tests.set(file, new Map(entries as [string, number][]))
    }
  }

  /** Keeps the well-formed start-up samples; anything else is dropped (defaults stand in). */
  private readStartup(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null) return
    for (const [framework, kinds] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof kinds !== 'object' || kinds === null) continue
      for (const kind of STARTUP_KINDS) {
        const samples = readSamples((kinds as Record<string, unknown>)[kind])
        if (samples && samples.length > 0) this.startups.set(startupKey(framework, kind), samples)
      }
    }
  }
}

function startupKey(framework: string, kind: StartupKind): string {
  return `${framework}\u0000${kind}`
}

/** The samples with `ms` added, damped and capped at MAX_SAMPLES. */
function addSample(samples: readonly number[], ms: number): number[] {
  if (samples.length > 0) {
    // One slow run on a busy machine must not triple an estimate for five runs.
    const cap = median(samples) * OUTLIER_FACTOR
    if (ms > cap) ms = cap
  }
  return [...samples, Math.round(ms)].slice(-MAX_SAMPLES)
}

function readSamples(raw: unknown): number[] | undefined {
  if (!Array.isArray(raw)) return undefined
  if (!raw.every(s => typeof s === 'number' && Number.isFinite(s) && s >= 0)) return undefined
  return (raw as number[]).slice(-MAX_SAMPLES)
}

function readEntry(raw: unknown): Entry | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined
  const { samples, failed } = raw as { samples?: unknown; failed?: unknown }
  const kept = readSamples(samples)
  return kept ? { samples: kept, failed: failed === true } : undefined
}
