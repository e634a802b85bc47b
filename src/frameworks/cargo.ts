/**
 * The `cargo` framework: test executables built once on the runner (cargo-build.ts), run
 * per batch with `--exact <names…>` in the package directory (as `cargo test` does). The
 * output is libtest's stable plain format, saved in the job's directory and read by a pure
 * parser (cargo-libtest.ts); the JSON format needs a nightly toolchain.
 *
 * Durations: stable libtest prints no per-test times, so cases carry 0 ms unless the user
 * asked for `--report-time` (unstable), and timing history splits a job's time evenly over
 * its tests (no `itemDurations`).
 */
import { join, posix } from 'node:path'
import type { JobSpec, TestCaseResult } from '../protocol/types.js'
import { addUnreported, loggedRunScript, narrowJob, planBatchJobs } from './batch-jobs.js'
import type { BatchJobRecipe } from './batch-jobs.js'
import { splitCargoArgs } from './cargo-args.js'
import type { CargoItemData } from './cargo-build.js'
import { listCargoTests } from './cargo-build.js'
import { parseLibtestOutput } from './cargo-libtest.js'
import type { Framework, JobExecution, ListOptions, PlanOptions, TestItem } from './framework.js'
import { registerFramework } from './registry.js'
import { readReport } from './tool-process.js'

/** What one cargo job needs: its executable plus the user's options for it. */
export interface CargoJobData extends CargoItemData {
  options: string[]
}

const LOG = 'cargo-test.log'
// `cargo test` runs each executable with CARGO_MANIFEST_DIR set; some tests read it at run time.
const SCRIPT = loggedRunScript(LOG, 'CARGO_MANIFEST_DIR="$(pwd)"; export CARGO_MANIFEST_DIR')

function recipe(args: readonly string[]): BatchJobRecipe<CargoJobData> {
  const options = splitCargoArgs(args).binary
  return {
    framework: 'cargo',
    // The executable starts in milliseconds; the worker's per-job work adds more.
    startupMs: 200,
    defaultMs: 50,
    groupOf: item => String(item.data?.target ?? ''),
    dataOf: item => ({ ...(item.data as CargoItemData), options }),
    command: (data, tests) => {
      const names = tests.map(id => nameOf(id, data.target))
      const argv = [
        'sh',
        '-c',
        SCRIPT,
        'cargo-test',
        binaryFrom(data.cwd, data.binary),
        '--exact',
        ...data.options,
        ...names
      ]
      return { argv, cwd: data.cwd }
    },
    describe: data => data.target
  }
}

/** The test's name inside its executable: the id without `<target>::`. */
function nameOf(id: string, target: string): string {
  return id.startsWith(`${target}::`) ? id.slice(target.length + 2) : id
}

function binaryFrom(cwd: string, binary: string): string {
  const path = posix.relative(cwd, binary)
  return path.startsWith('.') || path.startsWith('/') ? path : `./${path}`
}

async function parse(execution: JobExecution): Promise<TestCaseResult[]> {
  const data = execution.job.framework?.data as CargoJobData | undefined
  if (!data) return []
  const text = await readReport(join(execution.jobDir, LOG))
  const cases = parseLibtestOutput(text ?? '').map(
    ({ name, file, durationMs, ...o }): TestCaseResult => ({
      id: `${data.target}::${name}`,
      name,
      suite: data.target,
      ...o,
      durationMs: durationMs ?? 0,
      ...(file !== undefined ? { file: workspaceFile(data.root, file) } : {})
    })
  )
  return addUnreported(cases, execution, id => ({
    name: nameOf(id, data.target),
    suite: data.target
  }))
}

/** A panic location (relative to the workspace root) as a path relative to the suite root. */
function workspaceFile(root: string, file: string): string {
  return file.startsWith('/') ? file : posix.normalize(posix.join(root, file))
}

/** The framework itself. */
export const cargoFramework: Framework = {
  name: 'cargo',
  list: (options: ListOptions) => listCargoTests(options.cwd, options.args),
  plan: (items: TestItem[], options: PlanOptions): JobSpec[] =>
    planBatchJobs(items, options, recipe(options.args)),
  parse,
  // The command is rebuilt from the job's own data: the retry runs the same executable the same way.
  retryJob: (job, failedTests) => narrowJob(recipe([]), job, failedTests),
  // Exactly those tests: the same narrowing as a retry of failed tests.
  narrowToItems: (job, items) => narrowJob(recipe([]), job, items),
  layerPaths: (items: TestItem[]) => [
    ...new Set(items.map(item => (item.data as CargoItemData | undefined)?.binary).filter(isString))
  ]
}

function isString(value: unknown): value is string {
  return typeof value === 'string'
}

registerFramework(cargoFramework)
