/** Runs a commands suite on a fresh local cluster of the built CLI and times it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runCluster } from '../src/cluster/run-cluster.js'
import { getFramework } from '../src/frameworks/index.js'
import type { RunEvent, RunSummary } from '../src/runner/events.js'

export interface SuiteJob {
  name: string
  argv?: string[]
  command?: string
}

export interface TimedRun {
  /** From the first job's start to the end of the run, ms. */
  makespanMs: number
  /** From cluster start to the end of the run, ms. */
  wallMs: number
  summary: RunSummary
}

/** The built CLI, so benchmarks measure what users run. */
export const cliBundle = resolve('dist/cli/index.js')

export function writeJobs(dir: string, jobs: SuiteJob[]): string {
  const path = join(dir, 'jobs.json')
  writeFileSync(path, JSON.stringify(jobs))
  return path
}

export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export async function runOnCluster(options: {
  dir: string
  /** The commands framework's jobs file; other frameworks list the suite in `dir`. */
  jobsFile?: string
  framework?: string
  args?: string[]
  workers: number
  slots: number
  timings: boolean
}): Promise<TimedRun> {
  const started = performance.now()
  let first = 0
  let last = 0
  const onEvent = (event: RunEvent): void => {
    // The clock starts with the first job, once every worker has joined (waitForWorkers):
    // process start-up is not scheduling, and the static splits do not pay it either.
    if (event.type === 'job-started' && first === 0) first = performance.now()
    if (event.type === 'run-finished') last = performance.now()
  }
  const { summary } = await runCluster({
    cluster: {
      self: [process.execPath, cliBundle],
      workers: options.workers,
      slots: options.slots,
      labels: [],
      workDir: options.dir,
      clusterId: `bench-${Date.now().toString(36)}`,
      logDir: join(options.dir, 'logs')
    },
    suite: {
      framework: getFramework(options.framework ?? 'commands'),
      cwd: options.dir,
      args: options.args ?? [],
      jobsFile: options.jobsFile,
      timeoutMs: 600_000,
      slots: options.workers * options.slots,
      retries: 0,
      failOnFlaky: false,
      waitForWorkers: options.workers,
      timingsPath: options.timings ? join(options.dir, '.squall', 'timings.json') : ''
    },
    reporters: [{ onEvent }],
    endGraceMs: 30_000
  })
  return { makespanMs: last - first, wallMs: performance.now() - started, summary }
}
