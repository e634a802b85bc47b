/**
 * jest and vitest are one framework shape: files listed by the project's own tool, batches
 * of files as jobs (cold, or in a warm session that is asked for the job's files), a JSON
 * report per job, retries of only the failed tests and per-file durations. Each brings what
 * differs: its command, listing, options and session; this builds the rest once.
 */
import { join } from 'node:path'
import type { JobSpec, SessionSpec, TestCaseResult } from '../../protocol/types.js'
import type { Framework, ListOptions, TestItem } from '../core/framework.js'
import {
  fileDurations,
  jsPayload,
  measuredShape,
  narrowFileJob,
  planFileJobs,
  retryFileJob,
  type JobShape,
  type JsPayload
} from './jobs.js'
import { casesFromReport, readReport } from './report.js'
import { runsUnder } from './split.js'
import { awaitSessionListing } from '../core/session-listing.js'
import { fileId, fileItems, findLauncher } from './tool.js'

/** What jest or vitest brings to `fileFramework`. */
export interface FileFrameworkSpec {
  /** How a cold job runs; its `framework` is the framework's name. */
  shape: JobShape
  /** A warm session's job cost beyond its tests, ms, when no run has measured it. */
  warmStartupMs: number
  /** The report each job writes into its directory. */
  reportFile: string
  list(options: ListOptions): Promise<TestItem[]>
  /** The user's options for a job: filters and job-owned options out. */
  jobOptions(args: string[]): string[]
  /** The warm session (but its request) that jobs with `payload` share. */
  session(
    payload: Pick<JsPayload, 'launcher' | 'options'>,
    command: string[],
    cwd: string
  ): Omit<SessionSpec, 'request'>
  /**
   * The session's environment that makes it write the suite's listing into `listFile` for
   * the user's `args` (filters included), when its session can list.
   */
  listingEnv?(listFile: string, args: string[]): Record<string, string>
  /** What a job of `files` asks its session to run. */
  request(files: string[], payload: JsPayload): unknown
  /** The flags the framework compiles a name pattern with (jest `i`, vitest none). */
  namePatternFlags: string
}

/** The framework of `spec`. */
export function fileFramework(spec: FileFrameworkSpec): Framework {
  const { shape } = spec
  /** A warm job's session asked for the job's own files (its cold command stays). */
  const retarget = (job: JobSpec): JobSpec => {
    const payload = jsPayload.read(job)
    if (!job.session || !payload) return job
    const request = spec.request(job.framework?.tests ?? [], payload)
    return { ...job, session: { ...job.session, request } }
  }
  return {
    name: shape.framework,
    itemUnit: 'file',
    async list(options) {
      if (options.sessionListing && spec.listingEnv) {
        // What the session found with the same arguments (the framework's own listing else).
        const text = await awaitSessionListing(options.sessionListing)
        const files = text === undefined ? undefined : listingFiles(text)
        if (files) {
          const launcher = await findLauncher(options.cwd, shape.framework)
          return fileItems(
            files.map(file => fileId(options.cwd, file)),
            launcher
          )
        }
      }
      return spec.list(options)
    },

    plan(items, options) {
      const userOptions = spec.jobOptions(options.args)
      const command = options.sessionCommand
      if (!command)
        return planFileJobs(
          items,
          options,
          measuredShape(shape, options.startup, false),
          userOptions
        )
      const warm = measuredShape({ ...shape, startupMs: spec.warmStartupMs }, options.startup, true)
      return planFileJobs(items, options, warm, userOptions).map(job => {
        const payload = jsPayload.read(job) as JsPayload
        return retarget({
          ...job,
          session: { ...spec.session(payload, command, options.cwd), request: null }
        })
      })
    },

    async parse(execution) {
      const entries = await readReport(join(execution.jobDir, spec.reportFile))
      if (!entries) return undefined
      // A split part's report holds the file's other tests too: the runner drops them
      // (planned-items.ts partResult), for warm sessions' streamed cases alike.
      return casesFromReport(entries, execution.job.framework?.tests ?? [])
    },

    // The same session, asked for the narrowed files (and names).
    retryJob: (job, failedTests) => retarget(retryFileJob(job, failedTests, shape)),
    // Exactly those files, each whole.
    narrowToItems: (job, items) => retarget(narrowFileJob(job, items, shape)),
    itemDurations: fileDurations,
    partRuns(job, test) {
      const part = jsPayload.read(job)?.partPattern
      return part === undefined || partCases([test], part, spec.namePatternFlags).length > 0
    },

    // The session every job of the run will ask for: its key is the plan's (launcher, options).
    async warmSession({ cwd, args, sessionCommand, listFile }) {
      if (!sessionCommand) return undefined
      const launcher = await findLauncher(cwd, shape.framework)
      const session = spec.session(
        { launcher, options: spec.jobOptions(args) },
        sessionCommand,
        cwd
      )
      if (listFile === undefined || !spec.listingEnv) return session
      return {
        ...session,
        listFile,
        env: { ...session.env, ...spec.listingEnv(listFile, args) }
      }
    }
  }
}

/**
 * A split part's own cases: the framework reports the file's other tests as skipped (the
 * pattern left them out), and the other parts report them. A case of the file itself (the
 * file failed outside its tests) stays.
 */
export function partCases<T extends Pick<TestCaseResult, 'id' | 'name' | 'file'>>(
  cases: T[],
  pattern: string,
  flags: string
): T[] {
  return cases.filter(c => c.id === c.file || runsUnder(pattern, c.name, flags))
}

/** The files of a session's listing (a JSON array of paths), or undefined for anything else. */
function listingFiles(text: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(text)
    if (Array.isArray(value) && value.every(v => typeof v === 'string')) return value as string[]
  } catch {
    // not a listing: the framework lists itself
  }
  return undefined
}
