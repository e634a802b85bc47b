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
import { UsageError } from '../../errors.js'
import type { Framework, ListOptions } from '../core/framework.js'
import { sessionKey } from '../core/session-key.js'
import { hasOption, optionWords, splitArgs, vitestGrammar } from '../js/args.js'
import { fileFramework } from '../js/file-framework.js'
import { shellWord, type JobShape, type JsPayload } from '../js/jobs.js'
import { fileId, fileItems, findLauncher, runTool } from '../js/tool.js'
import {
  VITEST_LIST_ARGS,
  VITEST_LIST_FILE,
  VITEST_SESSION_ARGS,
  type VitestSessionRequest
} from './session.js'
import { sessionArgsEnv } from '../core/session-args.js'

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
  // Choosing the kind of pool (`--pool=threads`) is not choosing how many run at once.
  const parallelism = ['fileParallelism', 'poolOptions', 'maxWorkers', 'minWorkers']
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
  extraData(files: string[], allFiles: string[]): Partial<JsPayload> {
    return { exclude: accidentalMatches(files, allFiles) }
  },
  command(files: string[], data: JsPayload): string {
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
      // No --includeTaskLocation: it costs a fifth of a suite of many small tests (a stack per
      // test); a failure's line comes from its stack, and a user who wants every line asks.
      ...options.map(shellWord),
      ...(data.namePattern !== undefined ? ['--testNamePattern', shellWord(data.namePattern)] : []),
      ...(data.exclude ?? []).flatMap(f => ['--exclude', shellWord(literalGlob(f))]),
      // A leading dash would read as a flag; `./` keeps the same filter.
      ...files.map(f => shellWord(f.startsWith('-') ? `./${f}` : f))
    ].join(' ')
  }
}

export const vitestFramework: Framework = fileFramework({
  shape,
  // In a warm session a job costs a run on an already started Vite server, not a vitest
  // start-up: jobs can be as small as one file.
  // vitest compiles -t as given.
  namePatternFlags: '',
  warmStartupMs: 200,
  reportFile: vitestReportFile,
  jobOptions: vitestJobOptions,

  async list(options) {
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

  // The session reads the user's options from its environment; jobs send only their files.
  session: (payload, command, cwd) => ({
    key: sessionKey('vitest', { options: payload.options, cwd }),
    argv: [...command, 'vitest'],
    env: sessionArgsEnv(VITEST_SESSION_ARGS, payload.options)
  }),

  // The session globs the suite anyway: with the user's filters it lists it too.
  listingEnv: (listFile, args) => ({
    [VITEST_LIST_FILE]: listFile,
    ...sessionArgsEnv(VITEST_LIST_ARGS, args)
  }),

  request: (files, payload): VitestSessionRequest => ({
    files,
    ...(payload.namePattern !== undefined ? { namePattern: payload.namePattern } : {})
  })
})

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
