/**
 * One jest run for the whole life of a session, fed job by job. jest's `runCLI` reads the
 * config, builds the file map, loads the reporters and finds the tests once; its scheduler
 * then hands every test to the project's runner. The session names a runner of ours instead
 * (written next to jest's cache, as the reporter is): it keeps the tests jest found and,
 * each time the session asks, runs a job's files through jest's own runner, in band, with
 * the scheduler's reporters hearing every result as in any jest run. So a job costs its
 * files, not a jest start; the listing is what jest found; `globalSetup` and
 * `globalTeardown` run once per session, as once per jest run.
 *
 * Only for jest's own runner (`jest-runner`, 28 on, which speaks events): a config naming
 * another runner, or asking for what a long run would change (bail, coverage, open
 * handles), keeps one `runCLI` per job (see session.ts).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileId } from '../js/tool.js'

/** The part of jest's `Test` we use: its absolute path (the rest goes back to jest as is). */
interface JestTest {
  path: string
}

/** Runs `tests` through jest's runner with the run's global config, changed by `changes`. */
type RunTests = (tests: JestTest[], changes: Record<string, unknown>) => Promise<void>

/** What our runner finds on `globalThis` (jest loads it by path, in this process). */
interface Hub {
  /** jest's own runner, which runs each job's tests. */
  innerRunner: string
  /** Called once with every test jest found; resolves when the session closes. */
  serve(tests: JestTest[], run: RunTests): Promise<void>
}

const hubKey = Symbol.for('squall.jest-session.hub')

/** The runner jest loads for the session's run (CommonJS: jest requires it by path). */
const runnerSource = `'use strict'
// Written by squall's jest session: jest hands it every test once; it runs them job by job,
// as the session asks, through jest's own runner, and passes that runner's events on.
const hub = () => globalThis[Symbol.for('squall.jest-session.hub')]
const events = [
  'test-file-start',
  'test-file-success',
  'test-file-failure',
  'test-case-start',
  'test-case-result'
]
module.exports = class SquallSessionRunner {
  constructor(globalConfig, context) {
    this.globalConfig = globalConfig
    this.context = context
    this.listeners = new Map()
    this.supportsEventEmitters = true
    this.isSerial = true
  }
  on(name, listener) {
    const set = this.listeners.get(name) || new Set()
    this.listeners.set(name, set)
    set.add(listener)
    return () => set.delete(listener)
  }
  async runTests(tests, watcher) {
    const loaded = require(hub().innerRunner)
    const Inner = loaded.default || loaded
    await hub().serve(tests, async (some, changes) => {
      const inner = new Inner({ ...this.globalConfig, ...changes }, this.context)
      const off = events.map(name =>
        inner.on(name, async payload => {
          for (const listener of [...(this.listeners.get(name) || [])]) await listener(payload)
        })
      )
      try {
        await inner.runTests(some, watcher, { serial: true })
      } finally {
        for (const stop of off) stop()
      }
    })
  }
}
`

/** A session's jest run, serving jobs. */
export interface SuiteRun {
  /** Whether jest found this file (an id relative to the suite root) in the run. */
  has(file: string): boolean
  /** Runs these files (ids), with jest's name pattern when given; resolves when all reported. */
  run(files: readonly string[], namePattern?: string): Promise<void>
  /** False once the run ended on its own (it failed): jobs then need a `runCLI` each. */
  alive(): boolean
  /** Ends the run: jest's reporters finish and `globalTeardown` runs. */
  close(): Promise<void>
}

/** How the run went before its first job. */
export type SuiteStart =
  | { ok: true; files: string[]; run: SuiteRun }
  /** jest ended without handing us tests: it found none (listing empty). */
  | { ok: false; files: string[] }

/** How long `close` waits for jest's end of run (reporters, globalTeardown). */
const CLOSE_MS = 30_000

/**
 * Starts `runCLI` (jest's, with our runner already in its argv: see `runnerArgv`) and waits
 * until jest hands over its tests or ends. Rejects when jest does (a config error, say).
 */
export async function startSuiteRun(
  cwd: string,
  innerRunner: string,
  runCLI: () => Promise<unknown>
): Promise<SuiteStart> {
  let release = (): void => undefined
  const released = new Promise<void>(resolve => (release = resolve))
  let served: (value: { tests: JestTest[]; run: RunTests }) => void = () => undefined
  const serving = new Promise<{ tests: JestTest[]; run: RunTests }>(resolve => (served = resolve))
  const hub: Hub = {
    innerRunner,
    serve(tests, run) {
      served({ tests, run })
      return released
    }
  }
  const global = globalThis as Record<symbol, unknown>
  global[hubKey] = hub
  let ended = false
  const running = runCLI().finally(() => {
    ended = true
    release()
  })
  const first = await Promise.race([serving, running.then(() => undefined)])
  if (!first) return { ok: false, files: [] }
  // A later failure of jest's run is heard by `alive` and `close`, never left unhandled.
  running.catch(() => undefined)
  const byFile = new Map<string, JestTest>()
  for (const test of first.tests) byFile.set(fileId(cwd, test.path), test)
  const files = [...new Set(first.tests.map(t => t.path))]
  const run: SuiteRun = {
    has: file => byFile.has(file),
    alive: () => !ended,
    async run(some, namePattern) {
      const tests = some.map(file => {
        const test = byFile.get(file)
        if (!test) throw new Error(`jest's run of this session has no test file ${file}`)
        return test
      })
      await first.run(tests, namePattern !== undefined ? { testNamePattern: namePattern } : {})
    },
    async close() {
      release()
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        running.catch(() => undefined),
        new Promise(resolve => (timer = setTimeout(resolve, CLOSE_MS)))
      ])
      clearTimeout(timer)
    }
  }
  return { ok: true, files, run }
}

/** Writes our runner into `dir` (once per cache dir) and returns its path. */
export function writeRunner(dir: string): Promise<string> {
  return writeModule(dir, 'squall-session-runner.cjs', runnerSource)
}

/** Writes `source` to `dir/name`; a rename keeps concurrent slots from reading half a file. */
export async function writeModule(dir: string, name: string, source: string): Promise<string> {
  await mkdir(dir, { recursive: true })
  const path = join(dir, name)
  const temp = `${path}.${process.pid}.tmp`
  await writeFile(temp, source)
  await rename(temp, path)
  return path
}

/** The parts of jest's config we read to decide whether the session's run can serve jobs. */
interface ReadConfigs {
  (
    argv: Record<string, unknown>,
    projects: string[]
  ): Promise<{
    globalConfig: Record<string, unknown>
    configs: { runner?: unknown }[]
  }>
}

/**
 * jest's own runner for the suite when one run can serve every job, or why not. Reads the
 * config as jest will (its `readConfigs`, from the jest-config beside `@jest/core`).
 */
export async function runnerForSuiteRun(
  jestRequire: NodeJS.Require,
  argv: Record<string, unknown>,
  projects: string[]
): Promise<{ runner: string } | { why: string }> {
  let readConfigs: ReadConfigs | undefined
  try {
    const core = createRequire(jestRequire.resolve('@jest/core'))
    readConfigs = (core('jest-config') as { readConfigs?: ReadConfigs }).readConfigs
  } catch {
    // below
  }
  if (typeof readConfigs !== 'function') return { why: 'no readConfigs in jest-config' }
  const { globalConfig, configs } = await readConfigs(argv, projects)
  const runners = new Set(configs.map(c => c.runner))
  const [runner] = runners
  if (runners.size !== 1 || typeof runner !== 'string')
    return { why: 'projects with other runners' }
  if (!/[\\/]jest-runner[\\/]build[\\/]index\.js$/.test(runner))
    return { why: `the config's runner is ${runner}` }
  for (const [option, on] of [
    ['bail', Number(globalConfig.bail) > 0],
    ['collectCoverage', globalConfig.collectCoverage === true],
    ['detectOpenHandles', globalConfig.detectOpenHandles === true]
  ] as const) {
    if (on) return { why: `${option} is on (jest would apply it to the whole session)` }
  }
  const loaded = jestRequire(runner) as { default?: unknown }
  const Inner = (loaded.default ?? loaded) as { prototype?: { on?: unknown } }
  if (typeof Inner.prototype?.on !== 'function') return { why: 'jest-runner before 28 (no events)' }
  return { runner }
}
