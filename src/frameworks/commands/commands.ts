/**
 * The `commands` framework: arbitrary shell commands as tests, from a JSON array or a text
 * file with one command per line. One job per command; no per-test results (no `parse`).
 */
import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { UsageError } from '../../errors.js'
import {
  envNameHint,
  labelHint,
  splitEnvNames,
  splitLabels,
  timeoutProblem,
  timeoutRange
} from '../../values.js'
import type { JobSpec } from '../../protocol/types.js'
import type { Framework, ListOptions, PlanOptions, TestItem } from '../core/framework.js'
import { readJobsFile } from './jobs-file.js'

/** One entry of a jobs file, validated. */
export interface CommandJob {
  name: string
  command?: string
  argv?: string[]
  /** Seconds, as written in the file. */
  timeout?: number
  labels?: string[]
  env?: Record<string, string>
  cwd?: string
}

/** What a commands item carries in `TestItem.data`. */
interface CommandData extends Record<string, unknown> {
  command?: string
  argv?: string[]
  timeoutMs?: number
  env?: Record<string, string>
  cwd?: string
}

const FIELDS = ['name', 'command', 'argv', 'timeout', 'labels', 'env', 'cwd']
const MAX_SLUG = 60

/**
 * Parses a jobs file's text. JSON when the first non-space character is `[` (or `{`, which is
 * refused as not an array), else one shell command per line (blank lines and `#` comments
 * skipped). A byte-order mark is ignored. `file` appears in error messages.
 */
export function parseJobsFile(text: string, file: string): CommandJob[] {
  text = text.replace(/^\ufeff/, '')
  const json = /^\s*[[{]/.test(text)
  const jobs: { job: CommandJob; where: string }[] = json ? parseJson(text, file) : parseLines(text)
  const seen = new Map<string, string>()
  for (const { job, where } of jobs) {
    const before = seen.get(job.name)
    if (before !== undefined) {
      const what = json ? 'name' : 'command'
      throw new UsageError(
        `${file}: ${before} and ${where} have the same ${what} ${JSON.stringify(job.name)}; ` +
          `each ${what} must be unique`
      )
    }
    seen.set(job.name, where)
  }
  return jobs.map(j => j.job)
}

/** Test items for parsed jobs: ids are unique slugs of the names, stable across runs. */
export function commandItems(jobs: CommandJob[]): TestItem[] {
  const ids = uniqueIds(jobs.map(j => j.name))
  return jobs.map((job, i) => {
    const data: CommandData = {}
    if (job.command !== undefined) data.command = job.command
    if (job.argv !== undefined) data.argv = job.argv
    if (job.timeout !== undefined) data.timeoutMs = Math.round(job.timeout * 1000)
    if (job.env !== undefined) data.env = job.env
    if (job.cwd !== undefined) data.cwd = job.cwd
    return {
      id: ids[i] as string,
      name: job.name,
      ...(job.labels !== undefined ? { labels: job.labels } : {}),
      data
    }
  })
}

/**
 * Lower-case ASCII words joined by dashes. The first name to claim a slug keeps it; a later
 * name with the same slug gets a suffix hashed from the name itself, so adding or moving
 * jobs does not change the ids (and timing history) of the others.
 */
export function uniqueIds(names: string[]): string[] {
  const taken = new Set<string>()
  return names.map(name => {
    let id = slug(name)
    for (let length = 6; taken.has(id); length += 2) id = `${slug(name)}-${hash(name, length)}`
    taken.add(id)
    return id
  })
}

/** A readable id for a name; a cut or empty slug carries a hash of the name so it stays unique. */
export function slug(name: string): string {
  const words = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  if (words === '') return `job-${hash(name, 8)}`
  if (words.length <= MAX_SLUG) return words
  return `${words.slice(0, MAX_SLUG).replace(/-+$/, '')}-${hash(name, 8)}`
}

function hash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length)
}

function parseLines(text: string): { job: CommandJob; where: string }[] {
  const out: { job: CommandJob; where: string }[] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    out.push({ job: { name: line, command: line }, where: `line ${index + 1}` })
  })
  return out
}

function parseJson(text: string, file: string): { job: CommandJob; where: string }[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON: ${(error as Error).message}`)
  }
  if (!Array.isArray(value)) {
    throw new UsageError(`${file}: expected a JSON array of jobs, got ${describe(value)}`)
  }
  return value.map((entry: unknown, index) => ({
    job: parseEntry(entry, file, index),
    where: `jobs[${index}]`
  }))
}

function parseEntry(entry: unknown, file: string, index: number): CommandJob {
  // `got` is already in words: describe(value), or a phrase such as "neither".
  const fail = (field: string, expected: string, got: string, name?: string): never => {
    const who = name === undefined ? '' : ` (${JSON.stringify(name)})`
    throw new UsageError(
      `${file}: jobs[${index}]${who}: ${field}: expected ${expected}, got ${got}`
    )
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return fail('entry', 'an object with "name" and "command" or "argv"', describe(entry))
  }
  const e = entry as Record<string, unknown>
  const name = typeof e.name === 'string' && e.name.trim() !== '' ? e.name : undefined
  for (const field of Object.keys(e)) {
    if (!FIELDS.includes(field))
      fail(field, `one of the fields ${FIELDS.join(', ')}`, 'an unknown field', name)
  }
  if (name === undefined) return fail('name', 'a non-empty string', describe(e.name))
  const job: CommandJob = { name }
  if ((e.command === undefined) === (e.argv === undefined)) {
    fail(
      'command/argv',
      'exactly one of "command" (a string) and "argv" (an array of strings)',
      e.command === undefined ? 'neither' : 'both',
      name
    )
  }
  if (e.command !== undefined) {
    if (typeof e.command !== 'string' || e.command.trim() === '') {
      fail('command', 'a non-empty string', describe(e.command), name)
    }
    if ((e.command as string).includes('\0'))
      fail('command', 'a string without NUL characters', 'one with a NUL', name)
    job.command = e.command as string
  }
  if (e.argv !== undefined) {
    if (!isStrings(e.argv) || e.argv.length === 0 || e.argv[0] === '') {
      fail('argv', 'a non-empty array of strings (program first)', describe(e.argv), name)
    }
    if ((e.argv as string[]).some(a => a.includes('\0')))
      fail('argv', 'strings without NUL characters', 'one with a NUL', name)
    job.argv = e.argv as string[]
  }
  if (e.timeout !== undefined) {
    if (typeof e.timeout !== 'number' || !Number.isFinite(e.timeout) || e.timeout <= 0) {
      fail('timeout', 'a positive number of seconds', describe(e.timeout), name)
    }
    if (timeoutProblem((e.timeout as number) * 1000) !== undefined)
      fail('timeout', `seconds ${timeoutRange}`, describe(e.timeout), name)
    job.timeout = e.timeout as number
  }
  if (e.labels !== undefined) {
    if (!isStrings(e.labels) || e.labels.some(l => l.trim() === '')) {
      fail('labels', 'an array of non-empty strings', describe(e.labels), name)
    }
    // The same rule as --labels and the workers' labels, or the job could never be placed.
    const { invalid } = splitLabels((e.labels as string[]).join('\n'), '\n')
    if (invalid !== undefined)
      fail('labels', `labels that match --labels`, `'${invalid}', which ${labelHint}`, name)
    job.labels = e.labels as string[]
  }
  if (e.env !== undefined) {
    const env = e.env
    if (typeof env !== 'object' || env === null || Array.isArray(env)) {
      fail('env', 'an object of string values', describe(env), name)
    }
    for (const [key, v] of Object.entries(env as object)) {
      if (splitEnvNames(key, '\n').invalid !== undefined || key.trim() !== key || key === '')
        fail(`env key ${JSON.stringify(key)}`, 'a variable name', `one that ${envNameHint}`, name)
      if (typeof v !== 'string') fail(`env.${key}`, 'a string', describe(v), name)
      if ((v as string).includes('\0'))
        fail(`env.${key}`, 'a string without NUL characters', 'one with a NUL', name)
    }
    job.env = env as Record<string, string>
  }
  if (e.cwd !== undefined) {
    if (typeof e.cwd !== 'string' || e.cwd === '')
      fail('cwd', 'a non-empty string', describe(e.cwd), name)
    if ((e.cwd as string).includes('\0'))
      fail('cwd', 'a path without NUL characters', 'one with a NUL', name)
    job.cwd = e.cwd as string
  }
  return job
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(v => typeof v === 'string')
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return `an array ${truncate(JSON.stringify(value))}`
  if (typeof value === 'object') return 'an object'
  return `${typeof value} ${truncate(JSON.stringify(value))}`
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** The framework itself. */
export const commandsFramework: Framework = {
  name: 'commands',

  async list(options: ListOptions): Promise<TestItem[]> {
    if (!options.jobsFile) throw new UsageError('--jobs is required for the commands framework')
    const text = await readJobsFile(resolve(options.cwd, options.jobsFile), options.jobsFile)
    return commandItems(parseJobsFile(text, options.jobsFile))
  },

  plan(items: TestItem[], options: PlanOptions): JobSpec[] {
    return items.map(item => {
      const data = (item.data ?? {}) as CommandData
      const job: JobSpec = {
        id: item.id,
        name: item.name,
        timeoutMs: data.timeoutMs ?? options.timeoutMs,
        labels: item.labels ?? [],
        attempt: 1,
        layers: [],
        framework: { name: 'commands', tests: [item.id] }
      }
      if (data.argv !== undefined) job.argv = data.argv
      else job.command = data.command
      if (data.env !== undefined) job.env = data.env
      if (data.cwd !== undefined) job.cwd = data.cwd
      const expected = options.timings.get(item.id)
      if (expected !== undefined) job.expectedMs = expected
      if (options.failedBefore.has(item.id)) job.failedBefore = true
      return job
    })
  }
}
