/**
 * The `jest` framework: the project's own jest lists the test files (`--listTests`, so its
 * config and the user's filters apply), jobs run batches of files by exact path with a JSON
 * report in the job directory, and retries run only the failed tests (by full name).
 */
import { join } from 'node:path'
import type { JobResult, JobSpec, SessionSpec, TestCaseResult } from '../protocol/types.js'
import type { Framework, JobExecution, ListOptions, PlanOptions, TestItem } from './framework.js'
import { hasOption, jestGrammar, optionWords, splitArgs } from './js-args.js'
import { casesFromReport, readReport } from './js-report.js'
import {
  fileDurations,
  measuredShape,
  narrowFileJob,
  planFileJobs,
  retryFileJob,
  shellWord,
  type JobShape,
  type JsJobData
} from './js-jobs.js'
import type { JestSessionRequest } from './jest-session.js'
import { fileId, fileItems, findLauncher, runTool } from './js-tool.js'
import { registerFramework } from './registry.js'
import { sessionKey } from './session-key.js'

/** The report each job writes into its directory. */
export const jestReportFile = 'jest.json'

/**
 * Options a job sets itself, or that would change which files run (the listing applied
 * them already): taken out of the user's arguments for jobs.
 */
const ownedByJobs = new Set([
  'json',
  'outputFile',
  'listTests',
  'runTestsByPath',
  'testLocationInResults',
  'watch',
  'watchAll',
  'showConfig',
  'findRelatedTests',
  'onlyChanged',
  'onlyFailures',
  'changedSince',
  'lastCommit',
  'changedFilesWithAncestor',
  'shard',
  'testPathPatterns'
])

/** The user's options for a job: filters and job-owned options out. */
export function jestJobOptions(args: string[]): string[] {
  const { options } = splitArgs(args, jestGrammar)
  const kept = optionWords(options, ownedByJobs)
  // The cluster runs one job per slot: a job running in band keeps the machine's load even.
  if (!hasOption(options, ['maxWorkers', 'runInBand', 'workerThreads'])) kept.push('--maxWorkers=1')
  if (!hasOption(options, ['ci'])) kept.unshift('--ci')
  return kept
}

const shape: JobShape = {
  framework: 'jest',
  startupMs: 1500,
  defaultMs: 1000,
  command(files: string[], data: JsJobData): string {
    const options = data.namePattern === undefined ? data.options : withoutNamePattern(data.options)
    return [
      ...data.launcher.map(shellWord),
      '--json',
      '--outputFile',
      `"$SQUALL_JOB_DIR/${jestReportFile}"`,
      '--testLocationInResults',
      // A cache that outlives the job: the per-job TMPDIR (jest's default) starts cold each time.
      ...(hasCacheDirectory(options) ? [] : ['--cacheDirectory', cacheDirectoryWord]),
      ...options.map(shellWord),
      ...(data.namePattern !== undefined ? ['--testNamePattern', shellWord(data.namePattern)] : []),
      // Exact paths: nothing but these files runs, whatever their names have in common.
      '--runTestsByPath',
      '--',
      ...files.map(shellWord)
    ].join(' ')
  }
}

/** The worker's shared cache ($SQUALL_CACHE_DIR), or the job's TMPDIR on an older worker. */
const cacheDirectoryWord = '"${SQUALL_CACHE_DIR:-${TMPDIR:-/tmp}}/jest"'

function hasCacheDirectory(options: string[]): boolean {
  return hasOption(splitArgs(options, jestGrammar).options, ['cacheDirectory'])
}

/**
 * A cold job costs a whole jest start-up; in a warm session a job costs only jest's per-run
 * work (reading the config, the file map, reporters), a few hundred ms. Planning with that
 * cost makes small jobs, down to one file, which balance the slots better and lose less to
 * a crash; files much shorter than it are still grouped.
 */
const warmShape: JobShape = { ...shape, startupMs: 300 }

/** The warm session that runs `job`: its files and name pattern, and the session's key. */
function jestSession(job: JobSpec, argv: string[], key: string): SessionSpec {
  const data = job.framework?.data as JsJobData
  const request: JestSessionRequest = {
    files: job.framework?.tests ?? [],
    options: data.options,
    ...(data.namePattern !== undefined ? { namePattern: data.namePattern } : {})
  }
  return { key, argv, request }
}

/** Jobs may share a session when they run the same jest with the same options in one root. */
/** Jobs share a session when they run the same jest the same way in the same root. */
function jestSessionKey(data: Pick<JsJobData, 'launcher' | 'options'>, cwd: string): string {
  return sessionKey('jest', { launcher: data.launcher, options: data.options, cwd })
}

function withoutNamePattern(options: string[]): string[] {
  return optionWords(splitArgs(options, jestGrammar).options, new Set(['testNamePattern']))
}

export const jestFramework: Framework = {
  name: 'jest',
  itemUnit: 'file',

  async list(options: ListOptions): Promise<TestItem[]> {
    const launcher = await findLauncher(options.cwd, 'jest')
    const { stdout } = await runTool(
      launcher,
      ['--listTests', '--json', ...options.args],
      options.cwd,
      options.timeoutMs
    )
    return fileItems(
      listedFiles(stdout).map(file => fileId(options.cwd, file)),
      launcher
    )
  },

  plan(items: TestItem[], options: PlanOptions): JobSpec[] {
    const userOptions = jestJobOptions(options.args)
    const session = options.sessionCommand
    if (!session)
      return planFileJobs(items, options, measuredShape(shape, options.startup, false), userOptions)
    const warm = measuredShape(warmShape, options.startup, true)
    return planFileJobs(items, options, warm, userOptions).map(job => ({
      ...job,
      session: jestSession(
        job,
        [...session, 'jest'],
        jestSessionKey(job.framework?.data as JsJobData, options.cwd)
      )
    }))
  },

  async parse(execution: JobExecution): Promise<TestCaseResult[] | undefined> {
    const entries = await readReport(join(execution.jobDir, jestReportFile))
    if (!entries) return undefined
    return casesFromReport(entries, execution.job.framework?.tests ?? [])
  },

  retryJob(job: JobSpec, failedTests: string[]): JobSpec {
    const retry = retryFileJob(job, failedTests, shape)
    // The same session, asked for the narrowed files and names.
    return job.session
      ? { ...retry, session: jestSession(retry, job.session.argv, job.session.key) }
      : retry
  },

  narrowToItems(job: JobSpec, items: string[]): JobSpec {
    const narrowed = narrowFileJob(job, items, shape)
    return job.session
      ? { ...narrowed, session: jestSession(narrowed, job.session.argv, job.session.key) }
      : narrowed
  },

  // The session every job of the run will ask for: its key is the plan's (launcher, options).
  async warmSession({ cwd, args, sessionCommand }) {
    if (!sessionCommand) return undefined
    const launcher = await findLauncher(cwd, 'jest')
    const key = jestSessionKey({ launcher, options: jestJobOptions(args) }, cwd)
    return { key, argv: [...sessionCommand, 'jest'] }
  },

  itemDurations(job: JobSpec, result: JobResult): Map<string, number> {
    return fileDurations(job, result)
  }
}

/**
 * The files `jest --listTests --json` printed: the JSON array line, else every line that is
 * an absolute path (a config may print things of its own).
 */
export function listedFiles(stdout: string): string[] {
  const lines = stdout.split('\n').map(l => l.trim())
  for (const line of [...lines].reverse()) {
    if (!line.startsWith('[')) continue
    try {
      const value: unknown = JSON.parse(line)
      if (Array.isArray(value) && value.every(v => typeof v === 'string')) return value as string[]
    } catch {
      // not the list; keep looking
    }
  }
  return lines.filter(l => l.startsWith('/') || /^[A-Za-z]:[\\/]/.test(l))
}

registerFramework(jestFramework)
