/**
 * The pure, runner-side logic the jest and vitest frameworks share: batches of test files as
 * jobs, narrowed retries and per-file durations.
 */
import { createHash } from 'node:crypto'
import type { JobResult, JobSpec } from '../../protocol/types.js'
import { estimateDurations, planBatches } from '../core/batching.js'
import type { MeasuredStartup, PlanOptions, TestItem } from '../core/framework.js'
import { jobName } from '../core/job-name.js'
import { jobPayload, optional, string, strings } from '../core/payload.js'
import { escapeRegExp, planSplits, type SplitPart } from './split.js'

/** Quotes a word for `sh -c` when it needs it. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

export { escapeRegExp } from './split.js'

/** How a framework builds one job's command from its files. */
export interface JobShape {
  framework: string
  /** Estimated start-up cost of one job, ms. */
  startupMs: number
  /** Estimate for a file with no history, ms. */
  defaultMs: number
  /** The `sh -c` command for these files; `data` is what the job carries. */
  command(files: string[], data: JsPayload): string
  /** Extra data for a batch (e.g. files to exclude); optional. */
  extraData?(files: string[], allFiles: string[]): Partial<JsPayload>
}

/** The payload of a jest/vitest job, enough to rebuild its command for a retry. */
export interface JsPayload extends Record<string, unknown> {
  launcher: string[]
  /** The user's options, filters and conflicting options taken out. */
  options: string[]
  /** Anchored full-name pattern when a retry runs only some tests. */
  namePattern?: string
  /** Files that a filter of this job would also match and that must not run (vitest). */
  exclude?: string[]
  /**
   * Set on the part of a split file (see split.ts): the part's own pattern, which its retries
   * keep when they run the part whole, and which tells its tests from the other parts'.
   */
  partPattern?: string
}

/** Reads a jest/vitest job's payload back (jest and vitest jobs carry the same fields). */
export const jsPayload = jobPayload<JsPayload>({
  launcher: strings,
  options: strings,
  namePattern: optional(string),
  exclude: optional(strings),
  partPattern: optional(string)
})

/**
 * The shape with the start-up measured in earlier runs instead of its default: a cold job's
 * (`coldMs`) or, for a warm session's jobs, a job's own cost (`warmJobMs`; the session's
 * start-up is paid once per slot, not per job).
 */
export function measuredShape(
  shape: JobShape,
  startup: MeasuredStartup | undefined,
  warm: boolean
): JobShape {
  const measured = warm ? startup?.warmJobMs : startup?.coldMs
  return measured === undefined ? shape : { ...shape, startupMs: measured }
}

/**
 * Batches of files → jobs; a file that history shows dominating the suite is split by test
 * name into parts, one job each (see split.ts), unless the user filters tests by name.
 */
export function planFileJobs(
  items: TestItem[],
  options: PlanOptions,
  shape: JobShape,
  userOptions: string[]
): JobSpec[] {
  const launcher = (items[0]?.data?.launcher as string[] | undefined) ?? [
    'npx',
    '--no-install',
    shape.framework
  ]
  const sizing = {
    slots: options.slots,
    timings: options.timings,
    startupMs: shape.startupMs,
    defaultMs: shape.defaultMs,
    maxItemsPerBatch: 100
  }
  const splits =
    options.testTimings && !filtersByName(options.args)
      ? planSplits(estimateDurations(items, sizing), options.testTimings, sizing)
      : new Map<string, SplitPart[]>()
  const batches = planBatches(
    items.filter(item => !splits.has(item.id)),
    sizing
  )
  const allFiles = items.map(item => item.id)
  const used = new Set<string>()
  const planned = batches.map(batch => {
    const files = batch.items.map(item => item.id)
    const data: JsPayload = {
      launcher,
      options: userOptions,
      ...shape.extraData?.(files, allFiles)
    }
    let id = `${shape.framework}-${digest(files)}`
    for (let n = 2; used.has(id); n++) id = `${shape.framework}-${digest(files)}-${n}`
    used.add(id)
    const job: JobSpec = {
      id,
      name: jobName(shape.framework, files, files.length, 'file'),
      command: shape.command(files, data),
      timeoutMs: options.timeoutMs,
      labels: [],
      expectedMs: batch.estimated ? undefined : Math.round(batch.expectedMs),
      attempt: 1,
      failedBefore: files.some(f => options.failedBefore.has(f)) || undefined,
      layers: [],
      framework: { name: shape.framework, tests: files, data }
    }
    return { job, ms: batch.expectedMs }
  })
  for (const [file, parts] of splits) {
    for (const part of parts) {
      const data: JsPayload = {
        launcher,
        options: userOptions,
        ...shape.extraData?.([file], allFiles),
        namePattern: part.pattern,
        partPattern: part.pattern
      }
      const ms = shape.startupMs + part.expectedMs
      const job: JobSpec = {
        id: `${shape.framework}-${digest([file])}-part-${part.index}-of-${part.of}`,
        name: `${shape.framework} ${file} (part ${part.index} of ${part.of})`,
        command: shape.command([file], data),
        timeoutMs: options.timeoutMs,
        labels: [],
        expectedMs: Math.round(ms),
        attempt: 1,
        failedBefore: options.failedBefore.has(file) || undefined,
        layers: [],
        framework: {
          name: shape.framework,
          tests: [file],
          data,
          part: { index: part.index, of: part.of }
        }
      }
      planned.push({ job, ms })
    }
  }
  // Longest first, as the batches came (a stable sort keeps their order among equals).
  return planned.sort((a, b) => b.ms - a.ms).map(entry => entry.job)
}

/** True when the user's arguments filter tests by name (`-t`, `--testNamePattern`): no split. */
function filtersByName(args: readonly string[]): boolean {
  return args.some(
    a => /^(?:-t|--testNamePattern|--test-name-pattern)(?:=|$)/.test(a) || /^-t./.test(a)
  )
}

function digest(files: string[]): string {
  return createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 10)
}

/** Longest listed file that a case id (`<file>::<name>`, or a file id) belongs to. */
export function fileOfCase(
  id: string,
  files: readonly string[]
): { file: string; name?: string } | undefined {
  if (files.includes(id)) return { file: id }
  const owner = files.filter(f => id.startsWith(`${f}::`)).sort((a, b) => b.length - a.length)[0]
  return owner === undefined ? undefined : { file: owner, name: id.slice(owner.length + 2) }
}

/** Beyond this many characters a name pattern is not worth the risk: rerun whole files. */
const maxPatternLength = 4000

/**
 * The retry for a job: only the files holding failed tests, and only those tests (an
 * anchored pattern over their full names) when every failure is a single test. A file that
 * failed as a whole reruns whole. Unknown ids leave the job as it was.
 */
export function retryFileJob(job: JobSpec, failedTests: string[], shape: JobShape): JobSpec {
  const data = jsPayload.read(job)
  const files = job.framework?.tests ?? []
  if (!data || files.length === 0) return job
  const owners = failedTests.map(id => fileOfCase(id, files))
  if (owners.length === 0 || owners.some(o => o === undefined)) return job
  const chosen = files.filter(f => owners.some(o => o?.file === f))
  const names = [...new Set(owners.map(o => o?.name))]
  let namePattern: string | undefined
  if (names.every(n => n !== undefined)) {
    namePattern = `^(?:${names.map(n => escapeRegExp(n as string)).join('|')})$`
    if (namePattern.length > maxPatternLength) namePattern = undefined
  }
  // The job's own files join the candidates for exclusion: a retry runs fewer of them.
  const known = [...new Set([...files, ...(data.exclude ?? [])])]
  const retryData: JsPayload = { ...data, ...shape.extraData?.(chosen, known) }
  // A part of a split file that reruns whole runs its own tests, not the other parts'.
  namePattern ??= data.partPattern
  if (namePattern !== undefined) retryData.namePattern = namePattern
  else delete retryData.namePattern
  return {
    ...job,
    name: jobName(shape.framework, chosen, chosen.length, 'file', true),
    command: shape.command(chosen, retryData),
    framework: { ...job.framework, name: shape.framework, tests: chosen, data: retryData }
  }
}

/**
 * The job narrowed to exactly `files` (of its own), each run whole: no name pattern (but a
 * split part's own). Unknown files are left out; none of its own leaves the job as it was.
 */
export function narrowFileJob(job: JobSpec, files: string[], shape: JobShape): JobSpec {
  const data = jsPayload.read(job)
  const own = job.framework?.tests ?? []
  const chosen = own.filter(f => files.includes(f))
  if (!data || chosen.length === 0) return job
  const known = [...new Set([...own, ...(data.exclude ?? [])])]
  const { namePattern: _namePattern, ...kept } = data
  const narrowed: JsPayload = { ...kept, ...shape.extraData?.(chosen, known) }
  // A part of a split file runs whole as its own tests.
  if (data.partPattern !== undefined) narrowed.namePattern = data.partPattern
  return {
    ...job,
    name: jobName(shape.framework, chosen, chosen.length, 'file', true),
    command: shape.command(chosen, narrowed),
    framework: { ...job.framework, name: shape.framework, tests: chosen, data: narrowed }
  }
}

/**
 * Per-file durations for timing history: the file's own wall as the framework measured it
 * (its environment, loading and transforms as well as its tests: a cost paid per file, so
 * planning must see it on the file), else the sum of its tests' own durations. What the job
 * spent beyond its files (start-up) is history's start-up sample, not the files': spread over
 * them it made small files look slow.
 */
export function fileDurations(job: JobSpec, result: JobResult): Map<string, number> {
  const files = job.framework?.tests ?? []
  if (files.length === 0 || result.cases === undefined) return new Map()
  const own = new Map(files.map(f => [f, 0]))
  for (const c of result.cases) {
    if (c.file !== undefined && own.has(c.file) && Number.isFinite(c.durationMs))
      own.set(c.file, (own.get(c.file) ?? 0) + c.durationMs)
  }
  const walls = result.itemWallMs ?? {}
  return new Map(
    [...own].map(([file, ms]) => {
      const wall = walls[file]
      // A wall shorter than its tests is a clock we cannot trust; the tests' sum stands.
      return [file, Math.round(wall !== undefined && wall >= ms ? wall : ms)]
    })
  )
}
