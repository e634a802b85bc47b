/**
 * The user's jest arguments, as the listing, the jobs and a warm session each need them, and
 * the session's own environment variables that carry them.
 */
import { hasOption, jestGrammar, optionWords, splitArgs } from '../js/args.js'

/** The session's variable carrying the jobs' options (JSON array): see `jestJobOptions`. */
export const JEST_SESSION_ARGS = 'SQUALL_JEST_SESSION_ARGS'

/**
 * With a listing to write (a session started ahead on the runner's machine): the file, and
 * the user's whole arguments (JSON array), filters included, that the listing applies.
 */
export const JEST_LIST_FILE = 'SQUALL_JEST_LIST_FILE'
export const JEST_LIST_ARGS = 'SQUALL_JEST_LIST_ARGS'

/** Options that decide which files run: the listing applies them, jobs run exact files. */
const filters = new Set([
  'runTestsByPath',
  'findRelatedTests',
  'onlyChanged',
  'onlyFailures',
  'changedSince',
  'lastCommit',
  'changedFilesWithAncestor',
  'shard',
  'testPathPatterns',
  // jest 29 and before
  'testPathPattern'
])

/** Options a job sets itself, or that would change which files run: out of the jobs' options. */
const ownedByJobs = new Set([
  ...filters,
  'json',
  'outputFile',
  'listTests',
  'watch',
  'watchAll',
  'showConfig'
])

/** The user's options for a job: filters and job-owned options out. */
export function jestJobOptions(args: string[]): string[] {
  const { options } = splitArgs(args, jestGrammar)
  const kept = optionWords(options, ownedByJobs)
  // The cluster runs one job per slot: a job running in band keeps the machine's load even.
  if (!hasOption(options, ['maxWorkers', 'runInBand', 'workerThreads'])) kept.push('--maxWorkers=1')
  if (!hasOption(options, ['ci'])) kept.unshift('--ci')
  return kept
}

/** The words of the user's `args` that choose files: filter options, then `--` and paths. */
export function jestFilterWords(args: string[]): string[] {
  const { options, positionals } = splitArgs(args, jestGrammar)
  const kept = options.filter(o => filters.has(o.name.replace(/^no-/, ''))).flatMap(o => o.words)
  return positionals.length > 0 ? [...kept, '--', ...positionals] : kept
}
