/**
 * Turns batches of tests into jobs for the frameworks that run many tests per process
 * (pytest, go, cargo): the job's command, stable ids, argv-size caps, narrowed retries, and
 * results for tests a crashed run never reported. Pure.
 */
import { createHash } from 'node:crypto'
import { chunksOf } from '../../chunks.js'
import type { JobResult, JobSpec, TestCaseResult } from '../../protocol/types.js'
import { estimateDurations, planBatches } from './batching.js'
import type { BatchOptions } from './batching.js'
import type { JobExecution, PlanOptions, TestItem } from './framework.js'
import { jobName } from './job-name.js'
import type { FrameworkPayload, JobPayload } from './payload.js'

/**
 * Bytes of test names one job may put on its command line. Linux caps one argument at 128 KiB
 * (go puts every name in one `-test.run` pattern) and the whole argv at a few MiB (less on
 * other systems): 64 KiB stays well under both, and is thousands of tests.
 */
export const MAX_TEST_ARG_BYTES = 64 * 1024

/** How one framework turns items into jobs. */
export interface BatchJobRecipe<D extends FrameworkPayload> {
  framework: string
  /** The framework's start-up cost per job, ms, when no run has measured it. */
  startupMs: number
  /** A warm session's job cost beyond its tests, ms, when no run has measured it. */
  warmJobMs?: number
  /** Estimate for a test with no history, ms. */
  defaultMs: number
  /** Tests of a group prefer the same job (e.g. a file, a binary). */
  groupOf?: (item: TestItem) => string
  /** Reads the payload back from a job (a retry rebuilds the command from it). */
  payload: JobPayload<D>
  /** What the item's job needs; items whose data differ never share a job. */
  dataOf: (item: TestItem) => D
  /** The command that runs exactly `tests` (item ids) with `data`. */
  command: (data: D, tests: string[]) => { argv: string[]; cwd?: string }
  /** Where a job's tests live, for its name (e.g. the package, the files); see job-name.ts. */
  describe: (data: D, tests: string[]) => string[]
}

/**
 * A job's start-up cost for planning: measured in earlier runs, else the recipe's default.
 * A warm job (`warm`) pays only its own cost; its session's start-up is paid once per slot.
 */
export function jobStartupMs(
  recipe: Pick<BatchJobRecipe<FrameworkPayload>, 'startupMs' | 'warmJobMs'>,
  options: Pick<PlanOptions, 'startup'>,
  warm: boolean
): number {
  if (warm) return options.startup?.warmJobMs ?? recipe.warmJobMs ?? recipe.startupMs
  return options.startup?.coldMs ?? recipe.startupMs
}

/**
 * Plans jobs: batches sized from history (see batching.ts), split so that one job never
 * mixes data (binaries) nor passes more than MAX_TEST_ARG_BYTES of names. `warm`: the jobs
 * run in warm sessions.
 */
export function planBatchJobs<D extends FrameworkPayload>(
  items: TestItem[],
  options: PlanOptions,
  recipe: BatchJobRecipe<D>,
  warm = false
): JobSpec[] {
  const keyOf = (item: TestItem): string => JSON.stringify(recipe.dataOf(item))
  const startupMs = jobStartupMs(recipe, options, warm)
  const batchOptions: BatchOptions = {
    slots: options.slots,
    timings: options.timings,
    startupMs,
    defaultMs: recipe.defaultMs,
    groupOf: item => `${keyOf(item)}\u0000${recipe.groupOf?.(item) ?? ''}`
  }
  const estimates = estimateDurations(items, batchOptions)
  const jobs: JobSpec[] = []
  for (const batch of planBatches(items, batchOptions)) {
    for (const part of splitBatch(batch.items, keyOf)) {
      const tests = part.map(item => item.id)
      const data = recipe.dataOf(part[0] as TestItem)
      const work = part.reduce((sum, item) => sum + (estimates.get(item.id) ?? 0), 0)
      const job = buildJob(recipe, data, tests, options.timeoutMs)
      // Batches never mix labels (batching.ts), so the first item's are the job's.
      job.labels = [...new Set(part[0]?.labels ?? [])].sort()
      job.expectedMs = Math.round(startupMs + work)
      if (part.some(item => options.failedBefore.has(item.id))) job.failedBefore = true
      jobs.push(job)
    }
  }
  return jobs
}

/** A job for `tests` with `data`; the job id is a digest of the tests, stable across runs. */
export function buildJob<D extends FrameworkPayload>(
  recipe: BatchJobRecipe<D>,
  data: D,
  tests: string[],
  timeoutMs: number
): JobSpec {
  const { argv, cwd } = recipe.command(data, tests)
  const digest = createHash('sha256').update(tests.join('\n')).digest('hex').slice(0, 12)
  return {
    id: `${recipe.framework}-${digest}`,
    name: jobName(recipe.framework, recipe.describe(data, tests), tests.length, 'test'),
    argv,
    ...(cwd !== undefined && cwd !== '.' && cwd !== '' ? { cwd } : {}),
    timeoutMs,
    labels: [],
    attempt: 1,
    layers: [],
    framework: { name: recipe.framework, tests, data }
  }
}

/**
 * The job narrowed to the failed tests it holds (same id, data and settings), or the job
 * unchanged when none of them is its own.
 */
export function narrowJob<D extends FrameworkPayload>(
  recipe: BatchJobRecipe<D>,
  job: JobSpec,
  failedTests: string[]
): JobSpec {
  const failed = new Set(failedTests)
  const tests = (job.framework?.tests ?? []).filter(id => failed.has(id))
  const data = recipe.payload.read(job)
  if (tests.length === 0 || data === undefined) return job
  const { argv, cwd } = recipe.command(data, tests)
  const { command: _command, cwd: _cwd, ...rest } = job
  return {
    ...rest,
    name: jobName(recipe.framework, recipe.describe(data, tests), tests.length, 'test', true),
    argv,
    ...(cwd !== undefined && cwd !== '.' && cwd !== '' ? { cwd } : {}),
    framework: { ...job.framework, name: recipe.framework, tests, data }
  }
}

/** Per-test durations a job's cases report, for the job's own tests. */
export function caseDurations(job: JobSpec, result: JobResult): Map<string, number> {
  const tests = new Set(job.framework?.tests ?? [])
  const out = new Map<string, number>()
  for (const c of result.cases ?? []) {
    if (tests.has(c.id) && Number.isFinite(c.durationMs)) out.set(c.id, c.durationMs)
  }
  return out
}

/**
 * Adds an `error` result for each of the job's tests that has none, unless the run exited 0:
 * a crash, a kill or a timeout stops a batch midway, and the tests it never reached must run
 * again rather than count as passed.
 */
export function addUnreported(
  cases: TestCaseResult[],
  execution: JobExecution,
  describe: (id: string) => Omit<TestCaseResult, 'status' | 'durationMs' | 'id'>
): TestCaseResult[] {
  const cleanExit = !execution.timedOut && execution.signal === null && execution.exitCode === 0
  if (cleanExit) return cases
  const seen = new Set(cases.map(c => c.id))
  const why = execution.timedOut
    ? `not reported: the job timed out after ${execution.durationMs} ms`
    : execution.signal !== null
      ? `not reported: the job was killed by ${execution.signal}`
      : `not reported: the run ended (exit code ${String(execution.exitCode)}) before this test finished`
  const missing = (execution.job.framework?.tests ?? [])
    .filter(id => !seen.has(id))
    .map(id => ({ id, ...describe(id), status: 'error' as const, durationMs: 0, message: why }))
  return [...cases, ...missing]
}

/** Splits items into runs of the same key, each under MAX_TEST_ARG_BYTES of names. */
function splitBatch(items: TestItem[], keyOf: (item: TestItem) => string): TestItem[][] {
  const byKey = new Map<string, TestItem[]>()
  for (const item of items) {
    const key = keyOf(item)
    const list = byKey.get(key)
    if (list) list.push(item)
    else byKey.set(key, [item])
  }
  // The id holds the name the command uses, so its length bounds the name's; +1 for the
  // separator, +8 for the pointer each argument costs.
  const weigh = (item: TestItem): number => Buffer.byteLength(item.id) + 9
  return [...byKey.values()].flatMap(list => chunksOf(list, weigh, MAX_TEST_ARG_BYTES))
}
