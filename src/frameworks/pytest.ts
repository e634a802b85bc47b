/**
 * The `pytest` framework: lists node ids with `pytest --collect-only -q`, runs batches of
 * node ids in one pytest process per job, and reads per-test results from the JUnit XML that
 * pytest writes into the job's directory.
 */
import { join } from 'node:path'
import { UsageError } from '../errors.js'
import type { JobSpec, TestCaseResult } from '../protocol/types.js'
import { addUnreported, caseDurations, narrowJob, planBatchJobs } from './batch-jobs.js'
import type { BatchJobRecipe } from './batch-jobs.js'
import type { Framework, JobExecution, ListOptions, PlanOptions, TestItem } from './framework.js'
import { collectArgs, splitPytestArgs } from './pytest-args.js'
import { junitAddress, parseCollectOutput, pytestItem } from './pytest-collect.js'
import { parsePytestJunit } from './pytest-junit.js'
import { registerFramework } from './registry.js'
import { outputTail, readReport, runTool } from './tool-process.js'

/** What every pytest job of a run shares. */
export interface PytestJobData extends Record<string, unknown> {
  /** The user's options (not paths), for every job. */
  options: string[]
}

/** pytest exits 5 when nothing was collected: an empty suite, not an error. */
const NO_TESTS_COLLECTED = 5
const REPORT = 'junit.xml'
const HINT = "the pytest framework runs 'python3 -m pytest': install Python 3 and pytest"

/**
 * The job's script. Node ids go as separate arguments (`"$@"`), so nothing needs quoting and
 * the argv, not one `sh -c` string, bounds their size. Our report options come last so they
 * win over the user's; the cache plugin is off because parallel jobs would race on it.
 */
const SCRIPT = [
  'exec python3 -m pytest "$@" -p no:cacheprovider',
  `--junitxml="\${SQUALL_JOB_DIR:?SQUALL_JOB_DIR is not set}/${REPORT}"`,
  '-o junit_family=xunit1 -o junit_logging=all -o junit_log_passing_tests=false'
].join(' ')

function recipe(options: string[]): BatchJobRecipe<PytestJobData> {
  return {
    framework: 'pytest',
    // An interpreter start plus imports and collection: a few hundred ms.
    startupMs: 500,
    defaultMs: 100,
    groupOf: item => item.file ?? '',
    dataOf: () => ({ options }),
    command: (data, tests) => ({ argv: ['sh', '-c', SCRIPT, 'pytest', ...data.options, ...tests] }),
    describe: (_data, tests) => {
      const files = new Set(tests.map(id => pytestItem(id).file))
      const first = pytestItem(tests[0] ?? '').file ?? ''
      return files.size > 1 ? `${first} +${files.size - 1} files` : first
    }
  }
}

/** Runs `pytest --collect-only -q` with the user's arguments; node ids become items. */
async function list(options: ListOptions): Promise<TestItem[]> {
  const args = splitPytestArgs(options.args)
  const result = await runTool(
    'python3',
    ['-m', 'pytest', '--collect-only', '-q', '-p', 'no:cacheprovider', ...collectArgs(args)],
    { cwd: options.cwd, hint: HINT }
  )
  if (result.code === NO_TESTS_COLLECTED) return []
  if (result.code !== 0) {
    throw new UsageError(
      `pytest --collect-only failed (exit code ${String(result.code)}) in ${options.cwd}:\n${outputTail(result)}`
    )
  }
  return parseCollectOutput(result.stdout).map(pytestItem)
}

function plan(items: TestItem[], options: PlanOptions): JobSpec[] {
  return planBatchJobs(items, options, recipe(splitPytestArgs(options.args).options))
}

async function parse(execution: JobExecution): Promise<TestCaseResult[]> {
  const tests = execution.job.framework?.tests ?? []
  const xml = await readReport(join(execution.jobDir, REPORT))
  const cases = xml === undefined ? [] : parsePytestJunit(xml, tests)
  return addUnreported(cases, execution, id => {
    const { classname, name } = junitAddress(id)
    const file = pytestItem(id).file
    return { name, ...(classname ? { suite: classname } : {}), ...(file ? { file } : {}) }
  })
}

/** The framework itself. */
export const pytestFramework: Framework = {
  name: 'pytest',
  // Exactly those node ids: the same narrowing as a retry of failed tests.
  narrowToItems: (job, items) => narrowJob(recipe([]), job, items),
  list,
  plan,
  parse,
  // The command is rebuilt from the job's own data (its options), not from these.
  retryJob: (job, failedTests) => narrowJob(recipe([]), job, failedTests),
  itemDurations: caseDurations
}

registerFramework(pytestFramework)
