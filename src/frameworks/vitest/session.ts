/**
 * The vitest session host: one `createVitest('test', …)` from the suite's own `vitest/node`,
 * started once (a warm Vite server and transform cache), then each job runs its files with
 * `runTestSpecifications` on that instance, in vitest's own pool and isolation. Each file's
 * results go to the worker as soon as the file ends, in the json reporter's shape, read by the
 * same code as a cold job's report (js/report.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { PER_JOB_VARIABLES } from '../../worker/job-dir.js'
import type { HostJob, SessionHandler } from '../../worker/session/host.js'
import { casesFromReport, matchFile } from '../js/report.js'
import { coverageNotice } from '../core/coverage-notice.js'
import { takeSessionArgs } from '../core/session-args.js'
import { writeSessionListing } from '../core/session-listing.js'
import { splitArgs, vitestGrammar } from '../js/args.js'

/** The session's own variable carrying the user's vitest options (JSON array of words). */
export const VITEST_SESSION_ARGS = 'SQUALL_VITEST_SESSION_ARGS'

/**
 * With a listing to write (a session started ahead on the runner's machine): the file, and
 * the user's whole arguments (JSON array), filters included, that the listing applies.
 */
export const VITEST_LIST_FILE = 'SQUALL_VITEST_LIST_FILE'
export const VITEST_LIST_ARGS = 'SQUALL_VITEST_LIST_ARGS'

/**
 * Options that choose files by more than the config and path filters (changed files, a
 * shard, test names): `vitest list` applies them, the session's instance does not have them.
 */
const listedByVitestOnly = ['changed', 'shard', 'testNamePattern', 'related']

/** What a vitest job asks its session to run (`job.session.request`). */
export interface VitestSessionRequest {
  /** Test files, relative to the suite root. */
  files: string[]
  /** Anchored full-name pattern when a retry runs only some tests. */
  namePattern?: string
}

/** The parts of a vitest task we read (`File`, `Suite`, `Test` from @vitest/runner). */
interface Task {
  type: string
  name: string
  mode: string
  fails?: boolean
  filepath?: string
  suite?: Task
  tasks?: Task[]
  location?: { line: number; column: number }
  result?: { state?: string; duration?: number; errors?: { message?: string; stack?: string }[] }
  /** A file's phases before its tests (vitest's module diagnostic), ms. */
  prepareDuration?: number
  environmentLoad?: number
  setupDuration?: number
  collectDuration?: number
}

/** The parts of the `Vitest` instance we call (vitest 3.2's node API). */
interface VitestApi {
  /** The resolved config; we read whether coverage is on and where it reports. */
  config?: { coverage?: { enabled?: boolean; reportsDirectory?: string } }
  init(): Promise<void>
  globTestSpecifications(filters?: string[]): Promise<unknown[]>
  /** The config's test files matching `filters`, as `vitest list --filesOnly` lists them. */
  getRelevantTestSpecifications?(filters?: string[]): Promise<{ moduleId?: unknown }[]>
  getModuleSpecifications(moduleId: string): unknown[]
  runTestSpecifications(specs: unknown[], allTestsRun?: boolean): Promise<unknown>
  setGlobalTestNamePattern(pattern: string | RegExp): void
  resetGlobalTestNamePattern(): void
  close(): Promise<void>
}

interface VitestNode {
  createVitest(mode: 'test', options: Record<string, unknown>): Promise<VitestApi>
  parseCLI(argv: string[]): { options: Record<string, unknown> }
}

/** The json reporter's status words for a task's state or mode. */
const statusWords: Record<string, string> = {
  pass: 'passed',
  fail: 'failed',
  skip: 'skipped',
  todo: 'todo',
  run: 'pending',
  only: 'pending',
  queued: 'pending'
}

/**
 * A file's own cost as vitest's module diagnostic splits it: preparing its worker, loading its
 * environment, setup files, collecting (importing and transforming) and running its tests.
 */
function fileWallMs(task: Task): number {
  const phases = [
    task.prepareDuration,
    task.environmentLoad,
    task.setupDuration,
    task.collectDuration,
    task.result?.duration
  ]
  return phases.reduce<number>((sum, ms) => sum + (typeof ms === 'number' && ms > 0 ? ms : 0), 0)
}

/** The environment as the test pool would capture it, as one comparable string. */
function poolEnvironmentKey(env: NodeJS.ProcessEnv): string {
  return JSON.stringify(
    Object.entries(env)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  )
}

/** The vitest host for the suite at `cwd`; the user's options come in VITEST_SESSION_ARGS. */
export function vitestSessionHandler(cwd: string): SessionHandler {
  let vitest: VitestApi | undefined
  let vitestBin = ''
  let sink: ((file: Task) => void) | undefined
  /** The session's TMPDIR for tests, removed when it ends. */
  let sessionTmp = ''
  /** The environment the running pool was created with. */
  let poolEnv: string | undefined
  return {
    async start() {
      sessionTmp = await mkdtemp(join(tmpdir(), 'squall-vitest-'))
      const words = takeSessionArgs(VITEST_SESSION_ARGS)
      const listFile = process.env[VITEST_LIST_FILE]
      delete process.env[VITEST_LIST_FILE]
      const listArgs = takeSessionArgs(VITEST_LIST_ARGS)
      const suite = createRequire(join(cwd, 'package.json'))
      let pkg: string
      try {
        pkg = suite.resolve('vitest/package.json')
      } catch {
        throw new Error(`vitest is not installed in ${cwd} (vitest/package.json not found)`)
      }
      vitestBin = join(dirname(pkg), 'vitest.mjs')
      const node = (await import(
        /* webpackIgnore: true */ pathToFileURL(join(dirname(pkg), 'dist', 'node.js')).href
      )) as VitestNode
      const { options } = node.parseCLI(['vitest', ...words])
      // Ours on top of the user's: the default reporter still prints, ours streams files.
      const reporter = {
        onTestModuleEnd(module: { task: Task }): void {
          sink?.(module.task)
        }
      }
      vitest = await node.createVitest('test', {
        ...options,
        root: cwd,
        watch: false,
        reporters: ['default', reporter]
      })
      // Reporters (and coverage) once; then the specification cache, so every job maps its
      // files to specifications without globbing again.
      await vitest.init()
      await vitest.globTestSpecifications()
      if (listFile !== undefined) {
        const files = await sessionListing(vitest, listArgs).catch(() => undefined)
        await writeSessionListing(listFile, files)
      }
    },

    testArgv() {
      return [process.execPath, vitestBin]
    },

    async run(job: HostJob) {
      const api = vitest as VitestApi
      const request = job.request as VitestSessionRequest
      const files = request.files
      const seen = new Set<string>()
      sink = task => {
        const path = (task.filepath ?? '').replace(/\\/g, '/')
        const file = matchFile(path, files)
        seen.add(file)
        for (const c of casesFromReport([fileEntry(task)], [file])) job.emitCase(c)
        job.itemWallMs(file, fileWallMs(task))
      }
      const specs = files.flatMap(f => api.getModuleSpecifications(resolve(cwd, f)))
      if (request.namePattern !== undefined) api.setGlobalTestNamePattern(request.namePattern)
      // vitest's pool captures the environment once, when it is created. The host has made
      // process.env the job's; less the per-job variables it is the same for most jobs, and
      // those keep the warm pool (its tests see the session's TMPDIR and no other per-job
      // variable), as the files of vitest's own run share one. A job whose environment
      // differs gets a pool of its own.
      for (const key of PER_JOB_VARIABLES) delete process.env[key]
      process.env.TMPDIR = sessionTmp
      const env = poolEnvironmentKey(process.env)
      if (poolEnv !== undefined && env !== poolEnv) await closePool(api)
      poolEnv = env
      try {
        if (specs.length > 0) await api.runTestSpecifications(specs, false)
      } finally {
        sink = undefined
        api.resetGlobalTestNamePattern()
      }
      const coverage = api.config?.coverage
      if (coverage?.enabled === true)
        job.notice(coverageNotice('vitest', coverage.reportsDirectory ?? 'coverage/'))
      // A planned file vitest did not run (not a test file here, filtered out) cannot vanish.
      const missing = files.filter(f => !seen.has(f))
      for (const c of casesFromReport([], missing)) job.emitCase(c)
      return undefined
    },

    async close() {
      await vitest?.close()
      if (sessionTmp) await rm(sessionTmp, { recursive: true, force: true })
    }
  }
}

/**
 * Ends the instance's test pool (its worker processes or threads). vitest creates the pool on
 * the first run with the environment of that moment and keeps it; a job with another
 * environment must start workers with its own. The Vite server, with its transform cache,
 * stays warm.
 */
async function closePool(api: VitestApi): Promise<void> {
  // `pool` is not part of vitest's public types; it is the field every run creates on demand.
  const internal = api as unknown as { pool?: { close?: () => Promise<void> } }
  await internal.pool?.close?.()
  internal.pool = undefined
}

/** One file's entry as vitest's json reporter writes it. */
function fileEntry(file: Task): Record<string, unknown> {
  const tests = testsOf(file)
  const failed = file.result?.state === 'fail' || tests.some(t => t.result?.state === 'fail')
  return {
    name: file.filepath,
    status: failed ? 'failed' : 'passed',
    message: file.result?.errors?.[0]?.message ?? '',
    assertionResults: tests.map(test => {
      const ancestors: string[] = []
      for (let s = test.suite; s && s.type !== 'file' && s !== file; s = s.suite) {
        ancestors.unshift(s.name)
      }
      return {
        ancestorTitles: ancestors,
        fullName: [...ancestors, test.name].filter(Boolean).join(' '),
        status: statusWords[test.result?.state ?? test.mode] ?? 'skipped',
        title: test.name,
        duration: test.result?.duration,
        failureMessages: (test.result?.errors ?? []).map(e => e.stack ?? e.message ?? ''),
        location: test.location ?? null,
        ...(test.fails ? { fails: true } : {})
      }
    })
  }
}

function testsOf(task: Task): Task[] {
  if (task.type === 'test') return [task]
  return (task.tasks ?? []).flatMap(testsOf)
}

/**
 * The files `vitest list --filesOnly <args>` would list, from the session's instance (the same
 * config and options): the path filters of `args` applied. Undefined when only vitest's own
 * listing can tell (see `listedByVitestOnly`) or when nothing matched (vitest then says why).
 */
async function sessionListing(api: VitestApi, args: string[]): Promise<string[] | undefined> {
  const { options, positionals } = splitArgs(args, vitestGrammar)
  if (options.some(o => listedByVitestOnly.includes(o.name.replace(/^no-/, '')))) return undefined
  if (typeof api.getRelevantTestSpecifications !== 'function') return undefined
  const specs = await api.getRelevantTestSpecifications(positionals)
  const files = [
    ...new Set(specs.map(s => s.moduleId).filter((id): id is string => typeof id === 'string'))
  ]
  return files.length > 0 ? files : undefined
}
