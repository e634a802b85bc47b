/**
 * The `cargo` framework: test executables built once on the runner (build.ts), run
 * per batch with `--exact <names…>` in the package directory (as `cargo test` does). The
 * output is libtest's stable plain format, saved in the job's directory and read by a pure
 * parser (libtest.ts); the JSON format needs a nightly toolchain.
 *
 * Doc tests are compiled by rustdoc when they run, so they need cargo and the source where
 * they run: a job per library runs `cargo test --doc -p <package>` in the suite root, on any
 * worker (workers run in the suite's checkout; the first doc-test job on a machine builds
 * the library if that machine's target directory lacks it). Executables' jobs require the
 * `os:`/`arch:` labels of the platform they were built for (every worker offers its own);
 * doc-test jobs require no label, since rustdoc builds them for wherever they run. A doc-test
 * job first checks that cargo is there and, if not, each of its doc tests fails as an error
 * that says so (never a silent gap). All of a library's doc tests share one job: rustdoc
 * splits name filters at spaces and doc-test names have spaces, so no filter can pick one
 * doc test; a retry runs them all again.
 *
 * Durations: stable libtest prints no per-test times, so cases carry 0 ms unless the user
 * asked for `--report-time` (unstable), and timing history splits a job's time evenly over
 * its tests (no `itemDurations`).
 */
import { posix } from 'node:path'
import type { JobSpec, TestCaseResult } from '../../protocol/types.js'
import { buildJob, narrowJob, planBatchJobs, type BatchJobRecipe } from '../core/batch-jobs.js'
import { estimateDurations } from '../core/batching.js'
import type { Framework, JobExecution, PlanOptions, TestItem } from '../core/framework.js'
import { jobPayload, object, optional, string, strings } from '../core/payload.js'
import * as binaries from '../core/test-binaries.js'
import { splitCargoArgs } from './args.js'
import { listCargoTests, type CargoItemData, type DoctestData } from './build.js'
import { parseLibtestOutput } from './libtest.js'

/** A cargo job's payload: its executable plus the user's options for it. */
export interface CargoPayload extends CargoItemData {
  options: string[]
}

const payload = jobPayload<CargoPayload>({
  binary: string,
  cwd: string,
  root: string,
  target: string,
  doctest: optional(object<DoctestData>({ package: string, cargo: strings, testArgs: strings })),
  options: strings
})

const LOG = 'cargo-test.log'
// `cargo test` runs each executable with CARGO_MANIFEST_DIR set; some tests read it at run time.
const SCRIPT = binaries.loggedRunScript(
  LOG,
  'CARGO_MANIFEST_DIR="$(pwd)"; export CARGO_MANIFEST_DIR'
)
/** What a doc-test job says, in its log too, when the worker has no cargo. */
const NO_CARGO = 'squall: doc tests run with cargo where they run, and this worker has none'
const DOC_SCRIPT = binaries.loggedRunScript(
  LOG,
  [
    // The runner honours $CARGO; so does the worker.
    'if [ -n "${CARGO:-}" ]; then shift; set -- "$CARGO" "$@"; fi',
    'if ! command -v "$1" >/dev/null 2>&1; then',
    `  echo "${NO_CARGO} ('$1' is not on PATH): install Rust on the workers" | tee "\${SQUALL_JOB_DIR:?}/${LOG}"`,
    '  exit 127',
    'fi'
  ].join('\n')
)

function recipe(args: readonly string[]): BatchJobRecipe<CargoPayload> {
  const options = splitCargoArgs(args).binary
  return binaries.binaryRecipe({
    framework: 'cargo',
    payload,
    group: 'target',
    dataOf: item => ({ ...(item.data as CargoItemData), options }),
    command: (data, tests) => {
      if (data.doctest) return docCommand(data.doctest)
      const names = tests.map(id => nameOf(id, data.target))
      const args = ['--exact', ...data.options, ...names]
      return binaries.binaryCommand(SCRIPT, 'cargo-test', data.cwd, data.binary, args)
    }
  })
}

/** Every doc test of one library, as `cargo test` runs them. */
function docCommand(doctest: DoctestData): { argv: string[]; cwd?: string } {
  const cargo = ['test', '--doc', '-p', doctest.package, ...doctest.cargo]
  const argv = ['sh', '-c', DOC_SCRIPT, 'cargo-doctest', 'cargo', ...cargo]
  return { argv: [...argv, '--', ...doctest.testArgs] }
}

/** The test's name inside its executable: the id without `<target>::`. */
function nameOf(id: string, target: string): string {
  return id.startsWith(`${target}::`) ? id.slice(target.length + 2) : id
}

async function parse(execution: JobExecution): Promise<TestCaseResult[]> {
  const data = payload.read(execution.job)
  if (!data) return []
  const { cases, text } = await binaries.casesFromLog(execution, LOG, data.target, log =>
    parseLibtestOutput(log).map(({ file, line, durationMs, ...o }) => {
      // A doc test's panic points into the code rustdoc wrapped; its name says where it is.
      const where = data.doctest ? docLocation(o.name) : { file, line }
      return {
        ...o,
        durationMs: durationMs ?? 0,
        ...(where.file !== undefined ? { file: workspaceFile(data.root, where.file) } : {}),
        ...(where.line !== undefined ? { line: where.line } : {})
      }
    })
  )
  const noCargo = data.doctest && text?.startsWith(NO_CARGO) ? text.trim() : undefined
  return noCargo ? cases.map(c => (c.status === 'error' ? { ...c, message: noCargo } : c)) : cases
}

/** `src/lib.rs - add (line 5)` (also `- Type::method`, `- module`) is at `src/lib.rs:5`. */
function docLocation(name: string): { file?: string; line?: number } {
  const match = /^(.+?) - .*\(line (\d+)\)$/.exec(name)
  return match ? { file: match[1] as string, line: Number(match[2]) } : {}
}

/** A panic location (relative to the workspace root) as a path relative to the suite root. */
function workspaceFile(root: string, file: string): string {
  return file.startsWith('/') ? file : posix.normalize(posix.join(root, file))
}

/** The framework itself. */
export const cargoFramework: Framework = {
  name: 'cargo',
  list: listCargoTests,
  plan,
  parse,
  // The command is rebuilt from the job's own data: the retry runs the same executable the
  // same way. Doc tests cannot be picked one by one: their job runs again whole.
  retryJob: (job, failedTests) =>
    payload.read(job)?.doctest ? job : narrowJob(recipe([]), job, failedTests),
  // Exactly those tests, as a retry narrows; doc tests cannot be picked one by one.
  narrowToItems: (job, items) =>
    payload.read(job)?.doctest ? job : narrowJob(recipe([]), job, items),
  layerPaths: binaries.binaryPaths
}

/** Executables' tests in batches; each library's doc tests in one job of their own. */
function plan(items: TestItem[], options: PlanOptions): JobSpec[] {
  const own = recipe(options.args)
  const isDoc = (item: TestItem): boolean => (item.data as CargoItemData).doctest !== undefined
  const jobs = planBatchJobs(
    items.filter(item => !isDoc(item)),
    options,
    own
  )
  const docs = items.filter(isDoc)
  const estimates = estimateDurations(docs, {
    slots: options.slots,
    timings: options.timings,
    startupMs: own.startupMs,
    defaultMs: own.defaultMs
  })
  const byTarget = new Map<string, TestItem[]>()
  for (const item of docs) {
    const target = String(item.data?.target)
    byTarget.set(target, [...(byTarget.get(target) ?? []), item])
  }
  for (const group of byTarget.values()) {
    const job = buildJob(
      own,
      own.dataOf(group[0] as TestItem),
      group.map(i => i.id),
      options.timeoutMs
    )
    const work = group.reduce((sum, item) => sum + (estimates.get(item.id) ?? 0), 0)
    job.expectedMs = Math.round(own.startupMs + work)
    if (group.some(item => options.failedBefore.has(item.id))) job.failedBefore = true
    jobs.push(job)
  }
  return jobs
}
