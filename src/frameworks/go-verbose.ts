/**
 * Reads a Go test binary's `-test.v` output into per-test results for its top-level tests.
 * Subtests belong to their top-level test (their lines are in its output). Pure; never
 * throws. Lines framed with `\x16` (the `-test.v=test2json` form of newer Go) read the same.
 */
import { posix } from 'node:path'
import type { TestCaseStatus } from '../protocol/types.js'

/** What the output says about one top-level test. */
export interface GoTestOutcome {
  name: string
  status: TestCaseStatus
  durationMs: number
  /** `<pkgDir>/<file>_test.go` of the first log line or stack frame in a test file. */
  file?: string
  line?: number
  message?: string
  output: string
}

/** Newer Go frames its own lines with ^V in test2json mode. */
const FRAME = '\u0016'
const MARKER = /^=== (RUN|PAUSE|CONT|NAME)\s+(\S+)\s*$/
const RESULT = /^(\s*)--- (PASS|FAIL|SKIP): (\S+) \((\d+(?:\.\d+)?)s\)\s*$/
/** `    calc_test.go:22: message` (t.Log, t.Error, t.Skip; full path with -test.fullpath). */
const LOG_LOCATION = /^\s+((?:\S*\/)?[^\s/]+\.go):(\d+): ?(.*)$/
/** `\t/abs/dir/calc_test.go:22 +0x27` in a panic's stack. */
const FRAME_LOCATION = /^\t(\S*_test\.go):(\d+)(?: \+0x[0-9a-f]+)?\s*$/
/** Lines the binary prints for the whole run, not for a test. */
const RUN_LINES = /^(PASS|FAIL|ok\s.*|FAIL\s.*|exit status \d+|testing: warning: no tests to run)$/

const STATUS: Record<string, TestCaseStatus> = { PASS: 'passed', FAIL: 'failed', SKIP: 'skipped' }

interface Tracked {
  lines: string[]
  status?: TestCaseStatus
  durationMs: number
  /** Still waiting for `=== CONT` after `=== PAUSE`: it has not really started. */
  paused: boolean
}

/**
 * Outcomes of the top-level tests the output mentions, in the order they started. A test
 * that started and has no `--- PASS/FAIL/SKIP` line (a panic or a kill stopped the binary)
 * is failed with what it printed; one paused and never resumed is left out (it never ran).
 * `pkgDir` (relative to the suite root) prefixes file names.
 */
export function parseGoVerbose(text: string, pkgDir: string): GoTestOutcome[] {
  const tests = new Map<string, Tracked>()
  let current: Tracked | undefined
  const track = (name: string): Tracked => {
    let t = tests.get(name)
    if (!t) {
      t = { lines: [], durationMs: 0, paused: false }
      tests.set(name, t)
    }
    return t
  }
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.startsWith(FRAME) ? raw.slice(1) : raw
    const marker = MARKER.exec(line)
    if (marker) {
      const name = marker[2] as string
      const top = track(topName(name))
      if (name === topName(name)) {
        if (marker[1] === 'PAUSE') top.paused = true
        else if (marker[1] === 'CONT' || marker[1] === 'NAME') top.paused = false
      } else {
        top.lines.push(line)
      }
      current = top
      continue
    }
    const result = RESULT.exec(line)
    if (result) {
      const name = result[3] as string
      const top = track(topName(name))
      if (name === topName(name) && (result[1] as string) === '') {
        top.status = STATUS[result[2] as string]
        top.durationMs = Math.round(Number(result[4]) * 1000)
        top.paused = false
      } else {
        top.lines.push(line)
      }
      current = top
      continue
    }
    if (RUN_LINES.test(line) || current === undefined) continue
    current.lines.push(line)
  }
  const out: GoTestOutcome[] = []
  for (const [name, t] of tests) {
    if (t.status === undefined && t.paused) continue
    out.push(outcome(name, t, pkgDir))
  }
  return out
}

function outcome(name: string, t: Tracked, pkgDir: string): GoTestOutcome {
  while (t.lines.length > 0 && (t.lines[t.lines.length - 1] as string).trim() === '') t.lines.pop()
  const status = t.status ?? 'failed'
  const result: GoTestOutcome = {
    name,
    status,
    durationMs: t.durationMs,
    output: t.lines.join('\n')
  }
  const where = locate(t.lines)
  if (where && status !== 'passed') {
    result.file = posix.join(pkgDir, posix.basename(where.file))
    result.line = where.line
  }
  const panic = t.lines.find(l => l.startsWith('panic: '))
  const message =
    t.status === undefined
      ? `did not finish${panic ? `: ${panic}` : ''}`
      : status === 'passed'
        ? undefined
        : (where?.message ?? panic)
  if (message) result.message = message
  return result
}

/**
 * The first log line with a location (Go prints only the base name; test files sit directly
 * in the package directory), else the first stack frame in a test file.
 */
function locate(
  lines: readonly string[]
): { file: string; line: number; message?: string } | undefined {
  for (const line of lines) {
    const log = LOG_LOCATION.exec(line)
    if (log)
      return {
        file: log[1] as string,
        line: Number(log[2]),
        message: (log[3] as string).trim() || undefined
      }
  }
  for (const line of lines) {
    const frame = FRAME_LOCATION.exec(line)
    if (frame) return { file: frame[1] as string, line: Number(frame[2]) }
  }
  return undefined
}

function topName(name: string): string {
  const slash = name.indexOf('/')
  return slash >= 0 ? name.slice(0, slash) : name
}
