/**
 * The `go` framework: one test binary per package, built once on the runner (build.ts),
 * run per batch of top-level tests in the package directory (as `go test` does) with
 * `-test.v`, whose output is saved in the job's directory and read by a pure parser
 * (verbose.ts). Reading `-test.v` ourselves needs no Go toolchain on the workers (only
 * the shipped binaries) and works with every Go version that has `-test.paniconexit0` (1.16+).
 */
import type { JobSpec, TestCaseResult } from '../../protocol/types.js'
import { caseDurations, narrowJob, planBatchJobs, type BatchJobRecipe } from '../core/batch-jobs.js'
import type { Framework, JobExecution } from '../core/framework.js'
import { jobPayload, optional, string, strings } from '../core/payload.js'
import * as binaries from '../core/test-binaries.js'
import { runPattern, splitGoArgs, subtestPattern } from './args.js'
import { listGoTests, type GoItemData } from './build.js'
import { parseGoVerbose } from './verbose.js'

/** A go job's payload: its package's binary plus the user's flags for the binary. */
export interface GoPayload extends GoItemData {
  flags: string[]
  /** A `-test.run` subtest pattern: the user's, or a retry's failed subtests. */
  subtests?: string
}

const payload = jobPayload<GoPayload>({
  pkg: string,
  pkgDir: string,
  binary: string,
  flags: strings,
  subtests: optional(string)
})

const LOG = 'go-test.log'
const SCRIPT = binaries.loggedRunScript(LOG)

function recipe(args: readonly string[]): BatchJobRecipe<GoPayload> {
  const { binaryFlags, subtests } = splitGoArgs(args)
  return binaries.binaryRecipe({
    framework: 'go',
    payload,
    group: 'pkg',
    dataOf: item => {
      const data = item.data as GoItemData
      const out: GoPayload = {
        pkg: data.pkg,
        pkgDir: data.pkgDir,
        binary: data.binary,
        flags: binaryFlags
      }
      if (subtests !== undefined) out.subtests = subtests
      return out
    },
    command: (data, tests) => {
      const names = tests.map(id => id.slice(id.lastIndexOf('::') + 2))
      const run = `-test.run=${runPattern(names, data.subtests)}`
      const args = ['-test.paniconexit0', '-test.v', ...data.flags, run]
      return binaries.binaryCommand(SCRIPT, 'go-test', data.pkgDir, data.binary, args)
    }
  })
}

async function parse(execution: JobExecution): Promise<TestCaseResult[]> {
  const data = payload.read(execution.job)
  if (!data) return []
  const read = await binaries.casesFromLog(execution, LOG, data.pkg, text =>
    parseGoVerbose(text, data.pkgDir).map(({ output, ...o }) => ({
      ...o,
      ...(output ? { output } : {})
    }))
  )
  return read.cases
}

/**
 * The job narrowed to its failed top-level tests (the job's items; a failed subtest names
 * its top-level test). When they are all under one top-level test and only some of its
 * subtests failed, the retry runs that test with just those subtests (`-test.run
 * '^(TestFoo)$/^(case_1)$'`). Failures under several top-level tests rerun those tests
 * whole: one `-test.run` pattern cannot give each its own subtests on every Go version
 * (top-level `|` in patterns is recent). So does a user's own subtest filter, kept as is.
 * The command is rebuilt from the job's own data: the retry runs the same binary the same way.
 */
export function retryGoJob(job: JobSpec, failedTests: string[]): JobSpec {
  const data = payload.read(job)
  const tops = new Set(job.framework?.tests ?? [])
  const topOf = (id: string): string => {
    const sep = id.indexOf('/', id.lastIndexOf('::') + 2)
    return sep >= 0 ? id.slice(0, sep) : id
  }
  const failedTops = [...new Set(failedTests.map(topOf))].filter(id => tops.has(id))
  const [only] = failedTops
  if (data === undefined || data.subtests !== undefined || failedTops.length !== 1 || !only)
    return narrowJob(recipe([]), job, failedTops)
  const failed = new Set(failedTests)
  const subtests = failedTests
    .filter(id => id.startsWith(`${only}/`))
    // Only the deepest failures: a parent fails because of them.
    .filter(id => ![...failed].some(other => other.startsWith(`${id}/`)))
    .map(id => id.slice(only.length + 1))
  if (subtests.length === 0) return narrowJob(recipe([]), job, failedTops)
  const narrowed = { ...data, subtests: subtestPattern(subtests) }
  return narrowJob(recipe([]), { ...job, framework: { ...job.framework!, data: narrowed } }, [only])
}

/** The framework itself. */
export const goFramework: Framework = {
  name: 'go',
  list: listGoTests,
  plan: (items, options) => planBatchJobs(items, options, recipe(options.args)),
  parse,
  retryJob: retryGoJob,
  // Exactly those tests: the same narrowing as a retry of failed tests.
  narrowToItems: (job, items) => narrowJob(recipe([]), job, items),
  itemDurations: caseDurations,
  layerPaths: binaries.binaryPaths
}
