/**
 * The jest session host: loads the suite's own jest once and runs each job on the job's
 * exact files, in band. Where it can (jest's own runner, 28 on), one jest run lives as long
 * as the session and serves every job (suite-run.ts): config, file map and reporters are
 * read once, and with a listing to write, what that run found is the suite's listing. Else
 * each job is one `runCLI`. Every test file's results are streamed as soon as that file
 * finishes (a reporter of ours forwards them), so a file that kills the process later loses
 * nothing already sent.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type { HostJob, SessionHandler } from '../../worker/session/host.js'
import { hasOption, jestGrammar, optionWords, splitArgs } from '../js/args.js'
import { casesFromReport, matchFile } from '../js/report.js'
import { coverageNotice } from '../core/coverage-notice.js'
import { takeSessionArgs } from '../core/session-args.js'
import { writeSessionListing } from '../core/session-listing.js'
import { JEST_LIST_ARGS, JEST_LIST_FILE, JEST_SESSION_ARGS, jestFilterWords } from './options.js'
import {
  runnerForSuiteRun,
  startSuiteRun,
  writeModule,
  writeRunner,
  type SuiteRun
} from './suite-run.js'

/** What a jest job asks its session to run (`job.session.request`). */
export interface JestSessionRequest {
  /** Test files, relative to the suite root. */
  files: string[]
  /** The user's options as `jestJobOptions` keeps them. */
  options: string[]
  /** Anchored full-name pattern when a retry runs only some tests. */
  namePattern?: string
}

/** The parts of jest's per-file result we read (its `TestResult`). */
interface FileResult {
  testFilePath: string
  numFailingTests: number
  failureMessage?: string | null
  testExecError?: { message?: string } | null
  testResults: unknown[]
  /** When jest began the file (its environment, loading, transforms) and when it ended. */
  perfStats?: { start?: number; end?: number }
}

/** The coverage settings of jest's global config that the session reads. */
interface CoverageConfig {
  collectCoverage?: boolean
  coverageDirectory?: string
}

/** Turns words of jest's command line into the argv object `runCLI` takes. */
type BuildArgv = (words: string[]) => Promise<Record<string, unknown>>

/** The parts of the `jest` package we call (`buildArgv` is exported there from jest 30 on). */
interface JestApi {
  runCLI(argv: Record<string, unknown>, projects: string[]): Promise<unknown>
  buildArgv?: BuildArgv
  getVersion?(): string
}

/** Where our reporter finds the running job: reporters are loaded by path, in this process. */
const sinkKey = Symbol.for('squall.jest-session.sink')

/** Our reporter, written next to jest's cache: it forwards each file's result to the sink. */
const reporterSource = `'use strict'
// Written by squall's jest session: hands each finished test file to the session host.
module.exports = class SquallSessionReporter {
  onTestFileResult(test, result) {
    const sink = globalThis[Symbol.for('squall.jest-session.sink')]
    if (typeof sink === 'function') sink(result)
  }
}
`

/**
 * Options the session decides: it runs in band (tests in this warm process) and sets its own
 * name pattern on retries; worker options would only start child processes of their own.
 */
const ownedBySession = new Set([
  'maxWorkers',
  'runInBand',
  'workerThreads',
  'workerIdleMemoryLimit',
  'testNamePattern'
])

/** The jest host for the suite at `cwd` (the session's working directory). */
export function jestSessionHandler(cwd: string): SessionHandler {
  let jest: JestApi | undefined
  let buildArgv: BuildArgv | undefined
  let jestBin = ''
  let reporter = ''
  let cacheDir = ''
  /** The jobs' options the session's run was started with (JEST_SESSION_ARGS). */
  let runOptions: string[] | undefined
  let suiteRun: SuiteRun | undefined

  /** jest's argv for `options`, run in band by this process, reporting to us too. */
  const sessionWords = (options: string[]): string[] => {
    const split = splitArgs(options, jestGrammar).options
    return [
      ...optionWords(split, ownedBySession),
      '--runInBand',
      // No --testLocationInResults (see jest.ts): a failure's line comes from its stack.
      ...(hasOption(split, ['cacheDirectory']) ? [] : ['--cacheDirectory', cacheDir]),
      // The user's reporters (or jest's default) still print; ours is added to them.
      '--reporters',
      ...(hasOption(split, ['reporters']) ? [] : ['default']),
      reporter
    ]
  }

  /**
   * Starts the session's jest run for the jobs' `options` (and the listing's filters), or
   * says why jobs will each need a `runCLI`. Returns the files jest found when it got that far.
   */
  const startRun = async (
    jestRequire: NodeJS.Require,
    options: string[],
    listArgs: string[] | undefined
  ): Promise<{ files?: string[]; why?: string }> => {
    const words = [
      ...sessionWords(options),
      // No test found is a listing of none, not a failure that ends this process.
      '--passWithNoTests',
      ...(listArgs ? jestFilterWords(listArgs) : [])
    ]
    const argv = await (buildArgv as BuildArgv)(words)
    const projects = projectsOf(argv, cwd)
    const chosen = await runnerForSuiteRun(jestRequire, argv, projects)
    if ('why' in chosen) return { why: chosen.why }
    const ours = await writeRunner(cacheDir)
    const started = await startSuiteRun(cwd, chosen.runner, () =>
      (jest as JestApi).runCLI({ ...argv, runner: ours }, projects)
    )
    if (started.ok) suiteRun = started.run
    return { files: started.files }
  }

  return {
    async start() {
      const suite = createRequire(join(cwd, 'package.json'))
      let main: string
      try {
        main = suite.resolve('jest')
      } catch {
        throw new Error(`jest is not installed in ${cwd} (require.resolve('jest') failed)`)
      }
      jest = suite(main) as JestApi
      const own = createRequire(main)
      buildArgv = findBuildArgv(jest, own)
      jestBin = resolveOr(own, 'jest/bin/jest', join(dirname(main), '..', 'bin', 'jest.js'))
      cacheDir = join(process.env.SQUALL_CACHE_DIR ?? tmpdir(), 'jest')
      reporter = await writeModule(cacheDir, 'squall-session-reporter.cjs', reporterSource)
      // Taken out of the environment before anything of the suite's can see them.
      const hasOptions = process.env[JEST_SESSION_ARGS] !== undefined
      const options = takeSessionArgs(JEST_SESSION_ARGS)
      const listFile = process.env[JEST_LIST_FILE]
      delete process.env[JEST_LIST_FILE]
      const listArgs = takeSessionArgs(JEST_LIST_ARGS)
      // As in every job (see run): configs read it.
      if (process.env.NODE_ENV === undefined) process.env.NODE_ENV = 'test'
      let outcome: { files?: string[]; why?: string }
      if (!hasOptions) outcome = { why: `no ${JEST_SESSION_ARGS}: the jobs' options are unknown` }
      else {
        try {
          outcome = await startRun(own, options, listFile !== undefined ? listArgs : undefined)
        } catch (error) {
          // Each job's own runCLI meets the same problem and reports it with the job.
          outcome = { why: error instanceof Error ? error.message : String(error) }
        }
      }
      if (outcome.files) runOptions = options
      else if (hasOptions)
        process.stderr.write(`squall session: one jest run per job: ${outcome.why ?? ''}\n`)
      if (listFile !== undefined) await writeSessionListing(listFile, outcome.files, outcome.why)
    },

    testArgv() {
      // What `jest` run by hand shows its tests, less the arguments (ours, not the suite's).
      return jestBin ? [process.execPath, jestBin] : [process.execPath]
    },

    async run(job: HostJob) {
      // What jest's own bin does before anything loads: suites rely on it (configs, app code).
      if (process.env.NODE_ENV === undefined) process.env.NODE_ENV = 'test'
      const request = job.request as JestSessionRequest
      const files = request.files
      const seen = new Set<string>()
      const global = globalThis as Record<symbol, unknown>
      global[sinkKey] = (result: FileResult) => {
        const path = result.testFilePath.replace(/\\/g, '/')
        const file = matchFile(path, files)
        seen.add(file)
        for (const c of casesFromReport([fileEntry(result)], [file])) job.emitCase(c)
        const { start, end } = result.perfStats ?? {}
        if (typeof start === 'number' && typeof end === 'number' && start > 0 && end >= start)
          job.itemWallMs(file, end - start)
      }
      try {
        const served =
          suiteRun?.alive() === true &&
          sameWords(request.options, runOptions) &&
          files.every(f => suiteRun?.has(f))
        if (served) await suiteRun?.run(files, request.namePattern)
        else {
          const { collectCoverage, coverageDirectory } = await runOnce(request)
          if (collectCoverage === true)
            job.notice(coverageNotice('jest', String(coverageDirectory ?? 'coverage/')))
        }
      } finally {
        delete global[sinkKey]
      }
      // A planned file jest never reported (filtered out by the config, say) cannot vanish.
      const missing = files.filter(f => !seen.has(f))
      for (const c of casesFromReport([], missing)) job.emitCase(c)
      return undefined
    },

    async close() {
      await suiteRun?.close()
    }
  }

  /**
   * The job as one jest run of its own: `runCLI` on exactly its files. Its global config's
   * coverage settings (a session's jest run never has coverage on: see suite-run.ts).
   */
  async function runOnce(request: JestSessionRequest): Promise<CoverageConfig> {
    const words = [
      ...sessionWords(request.options),
      ...(request.namePattern !== undefined ? ['--testNamePattern', request.namePattern] : []),
      '--runTestsByPath',
      '--',
      ...request.files.map(f => resolve(cwd, f))
    ]
    const argv = await (buildArgv as BuildArgv)(words)
    const ran = (await (jest as JestApi).runCLI(argv, projectsOf(argv, cwd))) as {
      globalConfig?: CoverageConfig
    } | null
    return ran?.globalConfig ?? {}
  }
}

/** The projects jest runs for `argv`: the ones it names, else the suite root. */
function projectsOf(argv: Record<string, unknown>, cwd: string): string[] {
  return Array.isArray(argv.projects) && argv.projects.length > 0
    ? (argv.projects as string[])
    : [cwd]
}

function sameWords(a: readonly string[], b: readonly string[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((word, i) => word === b[i])
}

/** The shape of one entry of jest's `--json` report, from a file's result. */
function fileEntry(result: FileResult): Record<string, unknown> {
  const failed = result.numFailingTests > 0 || Boolean(result.testExecError)
  return {
    name: result.testFilePath,
    status: failed ? 'failed' : 'passed',
    message: result.failureMessage ?? result.testExecError?.message ?? '',
    assertionResults: result.testResults
  }
}

/**
 * jest's own parser of its command line. Jest 30 exports it from `jest`; jest 27 to 29 keep it
 * in `jest-cli` (`build/run.js`, or `build/cli/index.js` before 29), behind an exports map that
 * only a file path gets past. Without it the session cannot start (the job reports why).
 */
function findBuildArgv(api: JestApi, jestRequire: NodeJS.Require): BuildArgv {
  if (typeof api.buildArgv === 'function') return api.buildArgv
  const version = typeof api.getVersion === 'function' ? api.getVersion() : 'unknown'
  let cliDir: string
  try {
    cliDir = dirname(jestRequire.resolve('jest-cli/package.json'))
  } catch {
    throw new Error(`jest ${version}: neither jest nor jest-cli exports buildArgv`)
  }
  for (const file of ['build/run.js', 'build/cli/index.js']) {
    const path = join(cliDir, file)
    if (!existsSync(path)) continue
    const cli = jestRequire(path) as { buildArgv?: unknown }
    if (typeof cli.buildArgv === 'function') return cli.buildArgv as BuildArgv
  }
  throw new Error(`jest ${version}: jest-cli at ${cliDir} exports no buildArgv`)
}

function resolveOr(req: NodeJS.Require, id: string, fallback: string): string {
  try {
    return req.resolve(id)
  } catch {
    return fallback
  }
}
