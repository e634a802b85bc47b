/**
 * Reads the JSON report jest writes (and vitest's json reporter, which copies its shape) into
 * per-test results. Never throws: a missing or broken report gives undefined, and a file that
 * is planned but absent from a report becomes an error case so it cannot vanish.
 */
import { readFile } from 'node:fs/promises'
import type { TestCaseResult, TestCaseStatus } from '../../protocol/types.js'

/** One assertion result, as both tools write it (fields we read; all optional in practice). */
interface AssertionJson {
  fullName?: unknown
  title?: unknown
  ancestorTitles?: unknown
  status?: unknown
  duration?: unknown
  failureMessages?: unknown
  location?: { line?: unknown } | null
  /** vitest's `test.fails` (written by squall's vitest session, not by the json reporter). */
  fails?: unknown
}

/** One test file's entry. */
interface FileJson {
  name?: unknown
  status?: unknown
  message?: unknown
  startTime?: unknown
  endTime?: unknown
  assertionResults?: unknown
}

/** Reads and parses a report file; undefined when absent or not a report. */
export async function readReport(path: string): Promise<FileJson[] | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return undefined
  }
  try {
    const value = JSON.parse(text) as { testResults?: unknown }
    return Array.isArray(value.testResults) ? (value.testResults as FileJson[]) : undefined
  } catch {
    return undefined
  }
}

/**
 * Test results for the planned `files` (ids relative to the suite root) from a report's
 * entries, whose names are absolute paths on the machine that ran them.
 */
export function casesFromReport(entries: FileJson[], files: readonly string[]): TestCaseResult[] {
  const cases: TestCaseResult[] = []
  const seen = new Set<string>()
  // Two tests with the same full name (in one file, or one file in two projects) still need
  // distinct ids.
  const ids = new Map<string, number>()
  for (const entry of entries) {
    const path = typeof entry.name === 'string' ? entry.name.replace(/\\/g, '/') : ''
    const file = matchFile(path, files)
    seen.add(file)
    const assertions = Array.isArray(entry.assertionResults)
      ? (entry.assertionResults as AssertionJson[])
      : []
    let anyFailed = false
    for (const a of assertions) {
      const result = caseOf(a, file, path)
      const n = (ids.get(result.id) ?? 0) + 1
      ids.set(result.id, n)
      if (n > 1) result.id = `${result.id} (${n})`
      if (result.status === 'failed') anyFailed = true
      cases.push(result)
    }
    const message = stripAnsi(text(entry.message)).trim()
    if (entry.status === 'failed' && !anyFailed) {
      // The file failed on its own: it did not load, had no tests, or a hook outside tests threw.
      cases.push({
        id: file,
        name: file,
        suite: file,
        file,
        ...lineOf(message, file, path),
        status: 'error',
        durationMs: 0,
        message: firstLine(message) ?? 'the test file failed outside its tests',
        ...(message ? { output: message } : {})
      })
    }
  }
  for (const file of files) {
    if (seen.has(file)) continue
    cases.push({
      id: file,
      name: file,
      suite: file,
      file,
      status: 'error',
      durationMs: 0,
      message: `${file} was planned in this job but is missing from the report`
    })
  }
  return cases
}

function caseOf(a: AssertionJson, file: string, path: string): TestCaseResult {
  const name = fullName(a)
  const status = statusOf(a.status)
  const failures = Array.isArray(a.failureMessages)
    ? a.failureMessages.map(m => stripAnsi(text(m)).trimEnd()).filter(m => m !== '')
    : []
  const output = failures.join('\n\n')
  const declared = typeof a.location?.line === 'number' ? a.location.line : undefined
  // For a failure, the line of the failing expectation beats the line the test starts on.
  const failedAt = status === 'failed' ? lineOf(output, file, path).line : undefined
  const line = failedAt ?? declared
  const duration = typeof a.duration === 'number' && a.duration >= 0 ? Math.round(a.duration) : 0
  return {
    id: `${file}::${name}`,
    name,
    suite: file,
    file,
    ...(line !== undefined ? { line } : {}),
    status,
    ...(a.status === 'todo' ? { kind: 'todo' as const } : {}),
    ...(a.fails === true && status === 'passed' ? { kind: 'fails' as const } : {}),
    durationMs: duration,
    ...(status === 'failed' ? { message: firstLine(output) ?? 'failed' } : {}),
    ...(output ? { output } : {})
  }
}

function fullName(a: AssertionJson): string {
  if (typeof a.fullName === 'string' && a.fullName !== '') return a.fullName
  const ancestors = Array.isArray(a.ancestorTitles) ? a.ancestorTitles.map(text) : []
  return [...ancestors, text(a.title)].filter(t => t !== '').join(' ')
}

function statusOf(status: unknown): TestCaseStatus {
  if (status === 'passed') return 'passed'
  if (status === 'failed') return 'failed'
  // pending, skipped, todo, disabled, focused-out: the test did not run.
  return 'skipped'
}

/**
 * The planned file a report path names: the longest id the path ends with, since paths are
 * absolute on the worker (and may go through symlinks) while ids are relative.
 */
export function matchFile(path: string, files: readonly string[]): string {
  const found = files
    .filter(f => path === f || path.endsWith(`/${f}`))
    .sort((a, b) => b.length - a.length)[0]
  return found ?? path
}

/** The line of the first stack frame in `file`, if any. */
export function lineOf(message: string, file: string, path: string): { line?: number } {
  const frame = /(?:\(|\s|^)(?:file:\/\/)?([^\s()]+?):(\d+):(\d+)\)?\s*$/
  for (const raw of message.split('\n')) {
    const m = frame.exec(raw.trim().replace(/\\/g, '/'))
    if (!m) continue
    const where = m[1] as string
    if (where === path || where === file || where.endsWith(`/${file}`))
      return { line: Number(m[2]) }
  }
  return {}
}

/** Removes terminal colour and cursor codes. */
export function stripAnsi(value: string): string {
  // eslint-disable-next-line no-control-regex -- matching escape codes is the point
  return value.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '')
}

function firstLine(value: string): string | undefined {
  return value
    .split('\n')
    .map(l => l.trim())
    .find(l => l !== '' && !/^●/.test(l))
}

function text(value: unknown): string {
  return typeof value === 'string'
    ? value
    : value === undefined || value === null
      ? ''
      : String(value)
}
