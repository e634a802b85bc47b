/**
 * The `vitest` framework: the project's own vitest lists the test files (`vitest list`, so
 * its config and the user's filters apply), jobs run batches of files with the json reporter
 * writing into the job directory, and retries run only the failed tests (by full name).
 *
 * vitest reads file arguments as substring filters: `sum.test.ts` also picks up
 * `checksum.test.ts`. Each job therefore excludes the listed files its filters would catch
 * by accident, so exactly its own files run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UsageError } from '../errors.js'
import type { JobResult, JobSpec, SessionSpec, TestCaseResult } from '../protocol/types.js'
import type { Framework, JobExecution, ListOptions, PlanOptions, TestItem } from './framework.js'
import { hasOption, optionWords, splitArgs, vitestGrammar } from './js-args.js'
import { casesFromReport, readReport } from './js-report.js'
import {
  fileDurations,
  measuredShape,
  planFileJobs,
  narrowFileJob,
  retryFileJob,
  shellWord,
  type JobShape,
  type JsJobData
} from './js-jobs.js'
import { fileId, fileItems, findLauncher, runTool } from './js-tool.js'
import { registerFramework } from './registry.js'
import { sessionKey } from './session-key.js'
import { VITEST_SESSION_ARGS, type VitestSessionRequest } from './vitest-session.js'

/** The report each job writes into its directory. */
export const vitestReportFile = 'vitest.json'

/** Options a job sets itself, or that would change which files run (the listing applied them). */
const ownedByJobs = new Set([
  'reporter',
  'outputFile',
  'outputFile.json',
  'json',
  'filesOnly',
  'watch',
  'run',
  'changed',
  'shard',
  'includeTaskLocation',
  'mergeReports'
])

/** The user's options for a job: filters and job-owned options out. */
export function vitestJobOptions(args: string[]): string[] {
  const { options } = splitArgs(args, vitestGrammar)
  const kept = optionWords(
    options.filter(o => !o.name.startsWith('outputFile.')),
    ownedByJobs
  )
  // The cluster runs one job per slot: one test file at a time keeps the machine's load even.
  const parallelism = ['fileParallelism', 'pool', 'poolOptions', 'maxWorkers', 'minWorkers']
  if (!options.some(o => parallelism.some(p => o.name.replace(/^no-/, '').startsWith(p)))) {
    kept.push('--no-file-parallelism')
  }
  return kept
}

/** Listed files, other than the batch's, that the batch's file filters would also match. */
export function accidentalMatches(files: string[], allFiles: string[]): string[] {
  const own = new Set(files)
  const filters = files.map(f => f.toLowerCase())
  return allFiles.filter(g => !own.has(g) && filters.some(f => g.toLowerCase().includes(f)))
}

/** A file path as a glob matching only itself. */
export function literalGlob(path: string): string {
  return path.replace(/[\\*?[\]{}()!+@]/g, '\\$&')
}

const shape: JobShape = {
  framework: 'vitest',
  startupMs: 2500,
  defaultMs: 1000,
  extraData(files: string[], allFiles: string[]): Partial<JsJobData> {
    return { exclude: accidentalMatches(files, allFiles) }
  },
  command(files: string[], data: JsJobData): string {
    const options =
      data.namePattern === undefined
        ? data.options
        : optionWords(splitArgs(data.options, vitestGrammar).options, new Set(['testNamePattern']))
    return [
      ...data.launcher.map(shellWord),
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json="$SQUALL_JOB_DIR/${vitestReportFile}"`,
      '--includeTaskLocation',
      ...options.map(shellWord),
      ...(data.namePattern !== undefined ? ['--testNamePattern', shellWord(data.namePattern)] : []),
      ...(data.exclude ?? []).flatMap(f => ['--exclude', shellWord(literalGlob(f))]),
      // A leading dash would read as a flag; `./` keeps the same filter.
      ...files.map(f => shellWord(f.startsWith('-') ? `./${f}` : f))
    ].join(' ')
  }
}

/**
 * In a warm session a job costs a run on an already started Vite server, not a vitest
 * start-up: jobs can be as small as one file.
 */
const warmShape: JobShape = { ...shape, startupMs: 200 }

/** The job with a warm session to run in (its files, its retry pattern); `command` stays cold. */
function withSession(job: JobSpec, session: Omit<SessionSpec, 'request'>): JobSpec {
  const data = job.framework?.data as JsJobData | undefined
  const request: VitestSessionRequest = {
    files: job.framework?.tests ?? [],
    ...(data?.namePattern !== undefined ? { namePattern: data.namePattern } : {})
  }
  return { ...job, session: { ...session, request } }
}

export const vitestFramework: Framework = {
  name: 'vitest',
  itemUnit: 'file',

  // Exactly those files, each whole; a warm job's session is asked for them alone.
  narrowToItems: (job, items) => {
    const narrowed = narrowFileJob(job, items, shape)
    return narrowed.session ? withSession(narrowed, narrowed.session) : narrowed
  },

  async list(options: ListOptions): Promise<TestItem[]> {
    const launcher = await findLauncher(options.cwd, 'vitest')
    const split = splitArgs(options.args, vitestGrammar)
    // Only a name filter needs the tests collected (slow: every file is imported); files
    // alone come from the globs.
    const byName = hasOption(split.options, ['testNamePattern'])
    let files: string[]
    try {
      files = await listFiles(launcher, options, !byName)
    } catch (error) {
      // A file that cannot even be collected fails the whole collection; its job will say why.
      if (!byName) throw error
      files = await listFiles(launcher, options, true)
    }
    return fileItems(
      files.map(file => fileId(options.cwd, file)),
      launcher
    )
  },

  plan(items: TestItem[], options: PlanOptions): JobSpec[] {
    const userOptions = vitestJobOptions(options.args)
    const command = options.sessionCommand
    if (!command)
      return planFileJobs(items, options, measuredShape(shape, options.startup, false), userOptions)
    const session = vitestSession(options.cwd, userOptions, command)
    const warm = measuredShape(warmShape, options.startup, true)
    return planFileJobs(items, options, warm, userOptions).map(job => withSession(job, session))
  },

  async parse(execution: JobExecution): Promise<TestCaseResult[] | undefined> {
    const entries = await readReport(join(execution.jobDir, vitestReportFile))
    if (!entries) return undefined
    return casesFromReport(entries, execution.job.framework?.tests ?? [])
  },

  retryJob(job: JobSpec, failedTests: string[]): JobSpec {
    const retry = retryFileJob(job, failedTests, shape)
    return retry.session ? withSession(retry, retry.session) : retry
  },

  itemDurations(job: JobSpec, result: JobResult): Map<string, number> {
    return fileDurations(job, result)
  },

  async warmSession({ cwd, args, sessionCommand }) {
    return sessionCommand ? vitestSession(cwd, vitestJobOptions(args), sessionCommand) : undefined
  }
}

/** The warm session of a run: the same for every job, and known before listing. */
function vitestSession(
  cwd: string,
  userOptions: string[],
  command: string[]
): Omit<SessionSpec, 'request'> {
  return {
    key: sessionKey('vitest', { options: userOptions, cwd }),
    argv: [...command, 'vitest'],
    env: { [VITEST_SESSION_ARGS]: JSON.stringify(userOptions) }
  }
}

/** `vitest list --json=<file>`: the listed files (absolute), optionally without collecting. */
async function listFiles(
  launcher: string[],
  options: ListOptions,
  filesOnly: boolean
): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'squall-vitest-list-'))
  try {
    const out = join(dir, 'list.json')
    const { stderr } = await runTool(
      launcher,
      ['list', ...(filesOnly ? ['--filesOnly'] : []), `--json=${out}`, ...options.args],
      options.cwd,
      options.timeoutMs
    )
    let value: unknown
    try {
      value = JSON.parse(await readFile(out, 'utf8'))
    } catch {
      value = undefined
    }
    if (!Array.isArray(value)) {
      const tail = stderr.trim().split('\n').slice(-15).join('\n')
      throw new UsageError(
        `listing tests in ${options.cwd}: vitest list wrote no file list${tail ? `:\n${tail}` : ''}`
      )
    }
    return value
      .map(entry => (entry as { file?: unknown }).file)
      .filter((file): file is string => typeof file === 'string')
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

registerFramework(vitestFramework)
