/**
 * Shared by the pytest, go and cargo framework tests: fixture copies in temp dirs, a
 * toolchain check that fails loudly, and a planned job run the way the worker runs it
 * (`job.argv` or `sh -c job.command` in `job.cwd` under the suite root, a fresh
 * $SQUALL_JOB_DIR), then parsed by the framework.
 */
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Framework, JobExecution } from '../../../src/frameworks/core/framework.js'
import type { JobSpec, TestCaseResult } from '../../../src/protocol/types.js'

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

/** What running one job gave. */
export interface JobRun {
  execution: JobExecution
  cases: TestCaseResult[]
}

/** Runs `job` under `root` like the worker, then the framework's `parse`. */
export async function runAndParse(
  framework: Framework,
  job: JobSpec,
  root: string,
  env: Record<string, string> = {}
): Promise<JobRun> {
  const jobDir = tempDir('job')
  const argv = job.argv ?? ['sh', '-c', job.command ?? 'false']
  const started = Date.now()
  const { code, signal, stdout, stderr } = await new Promise<{
    code: number | null
    signal: string | null
    stdout: string
    stderr: string
  }>((done, fail) => {
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd: resolve(root, job.cwd ?? '.'),
      env: { ...process.env, ...job.env, ...env, SQUALL_JOB_DIR: jobDir },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('error', fail)
    child.on('close', (c, s) => done({ code: c, signal: s, stdout: out, stderr: err }))
  })
  const execution: JobExecution = {
    job,
    jobDir,
    exitCode: code,
    signal,
    timedOut: false,
    durationMs: Date.now() - started,
    stdout: { text: stdout, truncatedBytes: 0 },
    stderr: { text: stderr, truncatedBytes: 0 }
  }
  const cases = (await framework.parse?.(execution)) ?? []
  return { execution, cases }
}

/** Runs every job; the cases of all of them, sorted by id. */
export async function runAll(
  framework: Framework,
  jobs: JobSpec[],
  root: string,
  env: Record<string, string> = {}
): Promise<TestCaseResult[]> {
  const cases: TestCaseResult[] = []
  for (const job of jobs) cases.push(...(await runAndParse(framework, job, root, env)).cases)
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
