/**
 * Shared by the framework tests: fixture copies in temp dirs, a toolchain check that fails
 * loudly, and planned jobs run by the worker's own `executeJob` (a fresh $SQUALL_JOB_DIR,
 * `job.cwd` under the suite root, the framework found in the table by the job's name and its
 * `parse` reading the report), so the tests go down the path a worker takes.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { JobResult, JobSpec, TestCaseResult } from '../../src/protocol/types.js'
import { DEFAULT_OUTPUT_CAP_BYTES, executeJob } from '../../src/worker/executor.js'

const temps: string[] = []

/** A fresh copy of `__tests__/fixtures/<name>` (builds and caches stay out of the tree). */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `squall-${name}-`))
  temps.push(dir)
  cpSync(resolve('__tests__/fixtures', name), dir, { recursive: true })
  return dir
}

/** A fresh empty temp dir, removed by `cleanUp`. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `squall-${prefix}-`))
  temps.push(dir)
  return dir
}

export function cleanUp(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/**
 * Throws (failing the suite with a clear message) when `command args…` cannot run: a missing
 * toolchain must never turn into silently skipped tests.
 */
export function requireToolchain(what: string, command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' })
  if (result.error || result.status !== 0) {
    throw new Error(
      `${what} is required by these tests but '${[command, ...args].join(' ')}' failed: ` +
        `${result.error?.message ?? result.stderr}. Install it (see scripts/install-toolchains.sh).`
    )
  }
  return result.stdout.trim()
}

/** What running one job gave: the worker's result and its cases (none when it had none). */
export interface JobRun {
  result: JobResult
  cases: TestCaseResult[]
}

/** A job as tests write it: a command or an argv, the rest defaulted. */
export type TestJob = Partial<JobSpec> & Pick<JobSpec, 'framework'>

/** The environment jobs start from: ours, minus what the test runner set for itself. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.JEST_WORKER_ID
  delete env.NODE_OPTIONS
  return env
}

/**
 * Runs `job` once with `root` as the worker's directory, as the worker does (cold: no session
 * pool). `env` goes on top of the job's own environment.
 */
export async function runJob(
  job: TestJob,
  root: string,
  env: Record<string, string> = {}
): Promise<JobRun> {
  const spec: JobSpec = {
    id: 'job',
    name: 'job',
    timeoutMs: 120_000,
    labels: [],
    attempt: 1,
    layers: [],
    ...job,
    env: { ...job.env, ...env }
  }
  const result = await executeJob(spec, {
    workerId: 'test-worker',
    workDir: root,
    jobsRoot: tempDir('jobs'),
    cacheDir: tempDir('cache'),
    outputCapBytes: DEFAULT_OUTPUT_CAP_BYTES,
    killGraceMs: 1000,
    env: baseEnv()
  })
  return { result, cases: result.cases ?? [] }
}

/** Runs every job; the cases of all of them, sorted by id. */
export async function runAll(
  jobs: JobSpec[],
  root: string,
  env: Record<string, string> = {}
): Promise<TestCaseResult[]> {
  const cases: TestCaseResult[] = []
  for (const job of jobs) cases.push(...(await runJob(job, root, env)).cases)
  return cases.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** `id → status` of cases, for comparing runs. */
export function statusById(
  cases: readonly Pick<TestCaseResult, 'id' | 'status'>[]
): Record<string, string> {
  return Object.fromEntries(cases.map(c => [c.id, c.status]))
}

/** Plan options with no history. */
export function planOptions(root: string, args: string[] = [], slots = 2) {
  return {
    cwd: root,
    args,
    timeoutMs: 120_000,
    slots,
    timings: new Map<string, number>(),
    failedBefore: new Set<string>()
  }
}

/** Test files under `dir` whose names end with `suffix`, relative, sorted. */
export function testFilesUnder(dir: string, suffix: string, prefix = ''): string[] {
  const found: string[] = []
  for (const name of readdirSync(join(dir, prefix))) {
    const rel = prefix ? `${prefix}/${name}` : name
    if (name === 'node_modules') continue
    if (statSync(join(dir, rel)).isDirectory()) found.push(...testFilesUnder(dir, suffix, rel))
    else if (name.endsWith(suffix)) found.push(rel)
  }
  return found.sort()
}
