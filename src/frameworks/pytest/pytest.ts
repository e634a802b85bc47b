/**
 * The `pytest` framework: lists node ids with `pytest --collect-only` (squall's plugin writes
 * them, and the modules skipped or broken at collection, as JSON), runs batches of node ids in
 * a warm pytest session per worker slot (collected once; see python/squall_pytest.py) or, as
 * the cold fallback, in one pytest process per job whose JUnit XML gives the results.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UsageError } from '../../errors.js'
import type { JobSpec, SessionSpec, TestCaseResult, WarmSessionSpec } from '../../protocol/types.js'
import { awaitSessionListing } from '../core/session-listing.js'
import { addUnreported, caseDurations, narrowJob, planBatchJobs } from '../core/batch-jobs.js'
import type { BatchJobRecipe } from '../core/batch-jobs.js'
import type {
  Framework,
  JobExecution,
  ListOptions,
  PlanOptions,
  TestItem
} from '../core/framework.js'
import { collectArgs, splitPytestArgs } from './args.js'
import { junitAddress, pytestItem } from './collect.js'
import { parsePytestJunit } from './junit.js'
import { PYTEST_PLUGIN, pytestPluginEnv } from './plugin.js'
import { PYTEST_SESSION_ARGS } from './session.js'
import { jobPayload, strings } from '../core/payload.js'
import { sessionKey } from '../core/session-key.js'
import { outputTail, readReport, runTool } from '../core/tool-process.js'
import { sessionArgsEnv } from '../core/session-args.js'

/** A pytest job's payload, the same for every job of a run. */
export interface PytestPayload extends Record<string, unknown> {
  /** The user's options (not paths), for every job. */
  options: string[]
}

const payload = jobPayload<PytestPayload>({ options: strings })

/** What a job asks a warm pytest session to run. */
export interface PytestSessionRequest {
  /** Node ids (a module's path for a module skipped or broken at collection). */
  tests: string[]
}

/** Where squall's plugin writes a listing (both when listing and in a session started ahead). */
const PYTEST_LIST_ENV = 'SQUALL_PYTEST_LIST'

/** pytest exits 5 when nothing was collected: an empty suite, not an error. */
const NO_TESTS_COLLECTED = 5
/** pytest exits 2 when collection had errors (the listing still names every module). */
const INTERRUPTED = 2
const REPORT = 'junit.xml'
const HINT = "the pytest framework runs 'python3 -m pytest': install Python 3 and pytest"

/**
 * The job's script. Node ids go as separate arguments (`"$@"`), so nothing needs quoting and
 * the argv, not one `sh -c` string, bounds their size. Our report options come last so they
 * win over the user's; the cache plugin is off because parallel jobs would race on it. A
 * module that fails to collect is reported as its own error, not a reason to skip the batch.
 */
const SCRIPT = [
  'exec python3 -m pytest "$@" -p no:cacheprovider --continue-on-collection-errors',
  `--junitxml="\${SQUALL_JOB_DIR:?SQUALL_JOB_DIR is not set}/${REPORT}"`,
  '-o junit_family=xunit1 -o junit_logging=all -o junit_log_passing_tests=false'
].join(' ')

/**
 * Per job, a warm session costs a message and an environment swap, not an interpreter start
 * and a collection: jobs can be a few tests.
 */
const SESSION_JOB_MS = 50

function recipe(options: string[], session = false): BatchJobRecipe<PytestPayload> {
  return {
    framework: 'pytest',
    payload,
    // Cold: an interpreter start plus imports and collection, a few hundred ms.
    startupMs: session ? SESSION_JOB_MS : 500,
    defaultMs: 100,
    groupOf: item => item.file ?? '',
    dataOf: () => ({ options }),
    command: (data, tests) => ({ argv: ['sh', '-c', SCRIPT, 'pytest', ...data.options, ...tests] }),
    describe: (_data, tests) => tests.map(id => pytestItem(id).file ?? '')
  }
}

/** What squall's plugin writes when listing. */
interface PluginListing {
  tests: string[]
  /** Modules skipped (`importorskip`, `skip(allow_module_level=True)`) or broken at collection. */
  problems: { id: string; outcome: 'skipped' | 'error' }[]
}

/**
 * Runs `pytest --collect-only -q` with the user's arguments and squall's plugin: node ids
 * become items, and so does each module skipped or broken at collection (its path as the id),
 * so it is reported as pytest reports it instead of vanishing.
 */
async function list(options: ListOptions): Promise<TestItem[]> {
  if (options.sessionListing) {
    // A warm session writes its listing only when its collection got as far as
    // `--collect-only` accepts; without one, pytest lists and reports any problem itself.
    const text = await awaitSessionListing(options.sessionListing)
    const listing = text === undefined ? undefined : parseListing(text)
    if (listing) return listingItems(listing)
  }
  const args = splitPytestArgs(options.args)
  const dir = await mkdtemp(join(tmpdir(), 'squall-pytest-list-'))
  try {
    const file = join(dir, 'list.json')
    const result = await runTool(
      'python3',
      [
        '-m',
        'pytest',
        '--collect-only',
        '-q',
        '-p',
        PYTEST_PLUGIN,
        '-p',
        'no:cacheprovider',
        ...collectArgs(args)
      ],
      {
        cwd: options.cwd,
        hint: HINT,
        env: pytestPluginEnv(process.env, { [PYTEST_LIST_ENV]: file })
      }
    )
    const listing = await readListing(file)
    const broken = listing?.problems.some(p => p.outcome === 'error') ?? false
    if (result.code === NO_TESTS_COLLECTED && !listing?.problems.length) return []
    const fine = result.code === 0 || result.code === NO_TESTS_COLLECTED
    if (!listing || !(fine || (result.code === INTERRUPTED && broken))) {
      throw new UsageError(
        `pytest --collect-only failed (exit code ${String(result.code)}) in ${options.cwd}:\n${outputTail(result)}`
      )
    }
    return listingItems(listing)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Node ids become items, and so does each module skipped or broken at collection. */
function listingItems(listing: PluginListing): TestItem[] {
  return [...new Set([...listing.tests, ...listing.problems.map(p => p.id)])].map(pytestItem)
}

async function readListing(file: string): Promise<PluginListing | undefined> {
  try {
    return parseListing(await readFile(file, 'utf8'))
  } catch {
    return undefined
  }
}

function parseListing(text: string): PluginListing | undefined {
  try {
    const value = JSON.parse(text) as Partial<PluginListing>
    if (!Array.isArray(value.tests) || !Array.isArray(value.problems)) return undefined
    return { tests: value.tests, problems: value.problems }
  } catch {
    return undefined
  }
}

function plan(items: TestItem[], options: PlanOptions): JobSpec[] {
  const args = splitPytestArgs(options.args)
  if (!options.sessionCommand) return planBatchJobs(items, options, recipe(args.options))
  const jobs = planBatchJobs(items, options, recipe(args.options, true), true)
  const session = pytestSession(options.cwd, options.args, options.sessionCommand)
  return jobs.map(job => withSession(job, session))
}

/** The warm session of a run: the same for every job, and known before listing. */
function pytestSession(cwd: string, userArgs: string[], sessionCommand: string[]): WarmSessionSpec {
  const args = splitPytestArgs(userArgs)
  // The session collects what the listing collected, so it knows every node id of every job.
  const sessionArgs = [...args.options, ...args.paths]
  return {
    key: sessionKey('pytest', { python: 'python3', args: sessionArgs, cwd }),
    argv: [...sessionCommand, 'pytest'],
    env: sessionArgsEnv(PYTEST_SESSION_ARGS, sessionArgs)
  }
}

/** The job with a warm session to run in; its plain argv stays as the cold form. */
function withSession(job: JobSpec, session: Omit<SessionSpec, 'request'>): JobSpec {
  const request: PytestSessionRequest = { tests: job.framework?.tests ?? [] }
  return { ...job, session: { ...session, request } }
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
  // Exactly those tests; a warm job's session is asked for them alone.
  narrowToItems: (job, items) => {
    const narrowed = narrowJob(recipe([]), job, items)
    return narrowed.session ? withSession(narrowed, narrowed.session) : narrowed
  },
  list,
  plan,
  parse,
  // The command is rebuilt from the job's own data (its options), not from these.
  retryJob: (job, failedTests) => {
    const narrowed = narrowJob(recipe([]), job, failedTests)
    return narrowed.session ? withSession(narrowed, narrowed.session) : narrowed
  },
  itemDurations: caseDurations,
  warmSession: async ({ cwd, args, sessionCommand, listFile }) => {
    if (!sessionCommand) return undefined
    const spec = pytestSession(cwd, args, sessionCommand)
    // The session's plugin lists into the file (squall_pytest.py), just before `ready`.
    return listFile
      ? { ...spec, listFile, env: { ...spec.env, [PYTEST_LIST_ENV]: listFile } }
      : spec
  }
}
