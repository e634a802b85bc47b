/**
 * The `jest` framework: the project's own jest lists the test files (`--listTests`, so its
 * config and the user's filters apply), jobs run batches of files by exact path with a JSON
 * report in the job directory, and retries run only the failed tests (by full name).
 */
import type { Framework } from '../core/framework.js'
import { sessionArgsEnv } from '../core/session-args.js'
import { sessionKey } from '../core/session-key.js'
import { hasOption, jestGrammar, optionWords, splitArgs } from '../js/args.js'
import { fileFramework } from '../js/file-framework.js'
import { shellWord, type JobShape, type JsPayload } from '../js/jobs.js'
import { fileId, fileItems, findLauncher, runTool } from '../js/tool.js'
import { JEST_LIST_ARGS, JEST_LIST_FILE, JEST_SESSION_ARGS, jestJobOptions } from './options.js'
import type { JestSessionRequest } from './session.js'

/** The report each job writes into its directory. */
export const jestReportFile = 'jest.json'

const shape: JobShape = {
  framework: 'jest',
  startupMs: 1500,
  defaultMs: 1000,
  command(files: string[], data: JsPayload): string {
    const options = data.namePattern === undefined ? data.options : withoutNamePattern(data.options)
    return [
      ...data.launcher.map(shellWord),
      '--json',
      '--outputFile',
      `"$SQUALL_JOB_DIR/${jestReportFile}"`,
      // No --testLocationInResults: it costs 10-15% of a suite's test time (a stack per test);
      // a failure's line comes from its stack, and a user who wants every line passes it.
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
 * A cold job costs a whole jest start-up; in a warm session a job costs handing its files to
 * the session's jest run (tens of ms: 13-70 ms measured on koa), or a `runCLI` of its own
 * where the session cannot keep one run (50-150 ms). Planning with that cost makes small
 * jobs, down to one file, which balance the slots better and lose less to a crash; files much
 * shorter than it are still grouped.
 */
const WARM_JOB_MS = 100

function withoutNamePattern(options: string[]): string[] {
  return optionWords(splitArgs(options, jestGrammar).options, new Set(['testNamePattern']))
}

export const jestFramework: Framework = fileFramework({
  shape,
  // jest-circus compiles --testNamePattern with the i flag.
  namePatternFlags: 'i',
  warmStartupMs: WARM_JOB_MS,
  reportFile: jestReportFile,
  jobOptions: jestJobOptions,

  async list(options) {
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

  // Jobs share a session when they run the same jest the same way in the same root.
  session: (payload, command, cwd) => ({
    key: sessionKey('jest', {
      launcher: payload.launcher,
      options: payload.options,
      cwd
    }),
    argv: [...command, 'jest'],
    // The host starts jest's run for the session with them, before any job asks.
    env: sessionArgsEnv(JEST_SESSION_ARGS, payload.options)
  }),

  // The session's run finds the tests anyway: with the user's filters it lists them too.
  listingEnv: (listFile, args) => ({
    [JEST_LIST_FILE]: listFile,
    ...sessionArgsEnv(JEST_LIST_ARGS, args)
  }),

  request: (files, payload): JestSessionRequest => ({
    files,
    options: payload.options,
    ...(payload.namePattern !== undefined ? { namePattern: payload.namePattern } : {})
  })
})

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
