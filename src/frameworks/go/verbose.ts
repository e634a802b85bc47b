/**
 * Reads a Go test binary's `-test.v` output into per-test results: every test and subtest
 * (`TestFoo/case_1`, nested too) is its own outcome, as `go test -json` reports them; a
 * parent's output also holds its subtests' lines. Pure; never throws. Lines framed with
 * `\x16` (the `-test.v=test2json` form of newer Go) read the same.
 */
import { posix } from 'node:path'
import type { TestCaseStatus } from '../../protocol/types.js'

/** What the output says about one test or subtest. */
export interface GoTestOutcome {
  /** As Go names it: `TestFoo`, `TestFoo/case_1` (spaces as `_`, repeats as `#01`). */
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
/** After its indentation (four spaces per level) is taken off. */
const RESULT = /^--- (PASS|FAIL|SKIP): (\S+) \((\d+(?:\.\d+)?)s\)\s*$/
/** `    calc_test.go:22: message` (t.Log, t.Error, t.Skip; full path with -test.fullpath). */
const LOG_LOCATION = /^\s+((?:\S*\/)?[^\s/]+\.go):(\d+): ?(.*)$/
/** `\t/abs/dir/calc_test.go:22 +0x27` in a panic's stack. */
const FRAME_LOCATION = /^\t(\S*_test\.go):(\d+)(?: \+0x[0-9a-f]+)?\s*$/
/** Lines the binary prints for the whole run, not for a test. */
const RUN_LINES = /^(PASS|FAIL|ok\s.*|FAIL\s.*|exit status \d+|testing: warning: no tests to run)$/

const STATUS: Record<string, TestCaseStatus> = { PASS: 'passed', FAIL: 'failed', SKIP: 'skipped' }

/** A line of output and the test it belongs to. */
interface Line {
  text: string
  from: Tracked
}

interface Tracked {
  name: string
  /** Its own lines and its subtests' (markers and result lines of subtests included). */
  lines: Line[]
  /** Tracked tests whose names are prefixes of this one's, outermost first. */
  ancestors: Tracked[]
  status?: TestCaseStatus
  durationMs: number
  /** Still waiting for `=== CONT` after `=== PAUSE`: it has not really started. */
  paused: boolean
}

/**
 * Outcomes of the tests and subtests the output mentions, in the order they started. The
 * lines are attributed the way `go test -json` attributes them: result lines may be
 * indented four spaces per level, and an indented one counts only right after the result
 * line of the level above (Go prints a parent's subtests' results after its own); any
 * other line belongs to the test last named by a marker or a result line, or, when
 * indented and right after result lines, to the test of that level.
 *
 * A top-level test that started and has no result line (a panic or a kill stopped the
 * binary) is failed with what it printed, and so is the subtest that was running; one
 * paused and never resumed is left out (it never ran), and so are other subtests with no
 * result (`go test -json` reports nothing for them either; their parent's failure holds
 * their output). `pkgDir` (relative to the suite root) prefixes file names.
 */
export function parseGoVerbose(text: string, pkgDir: string): GoTestOutcome[] {
  const tests = new Map<string, Tracked>()
  const track = (name: string): Tracked => {
    let t = tests.get(name)
    if (!t) {
      t = { name, lines: [], ancestors: ancestorsOf(name, tests), durationMs: 0, paused: false }
      tests.set(name, t)
    }
    return t
  }
  /** Results just read, by level (`go test -json`'s pending reports). */
  let reported: Tracked[] = []
  let current: Tracked | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.startsWith(FRAME) ? raw.slice(1) : raw
    const marker = MARKER.exec(line)
    if (marker) {
      const t = track(marker[2] as string)
      if (marker[1] === 'PAUSE') t.paused = true
      else if (marker[1] === 'CONT' || marker[1] === 'NAME') t.paused = false
      for (const a of t.ancestors) a.lines.push({ text: line, from: t })
      reported = []
      current = t
      continue
    }
    const { level, rest } = indentation(line)
    const result = RESULT.exec(rest)
    if (result && level <= reported.length) {
      const t = track(result[2] as string)
      t.status = STATUS[result[1] as string]
      t.durationMs = Math.round(Number(result[3]) * 1000)
      t.paused = false
      for (const a of t.ancestors) a.lines.push({ text: line, from: t })
      reported = [...reported.slice(0, level), t]
      current = t
      continue
    }
    if (RUN_LINES.test(line)) continue
    const owner = level > 0 && level <= reported.length ? reported[level - 1] : current
    if (owner === undefined) continue
    const entry = { text: line, from: owner }
    owner.lines.push(entry)
    for (const a of owner.ancestors) a.lines.push(entry)
  }
  // Go prints a parent's subtests' results only when the parent ends: after a crash, the
  // subtests that finished look like those that did not. Only the one the output was last
  // in (and its parents) is known to have been running.
  const running = new Set(current ? [current, ...current.ancestors] : [])
  const out: GoTestOutcome[] = []
  for (const t of tests.values()) {
    const subtest = t.name.includes('/')
    if (t.status === undefined && (t.paused || (subtest && !running.has(t)))) continue
    out.push(outcome(t, pkgDir))
  }
  return out
}

/** Leading groups of four spaces, and the rest of the line. */
function indentation(line: string): { level: number; rest: string } {
  let level = 0
  while (line.startsWith('    ', level * 4)) level++
  return { level, rest: line.slice(level * 4) }
}

/** `A` and `A/b` for `A/b/c`, those that are tracked (`t.Run("x/y")` names have gaps). */
function ancestorsOf(name: string, tests: ReadonlyMap<string, Tracked>): Tracked[] {
  const parts = name.split('/')
  const out: Tracked[] = []
  for (let i = 1; i < parts.length; i++) {
    const t = tests.get(parts.slice(0, i).join('/'))
    if (t) out.push(t)
  }
  return out
}

function outcome(t: Tracked, pkgDir: string): GoTestOutcome {
  const lines = t.lines.map(l => l.text)
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === '') lines.pop()
  const status = t.status ?? 'failed'
  const result: GoTestOutcome = {
    name: t.name,
    status,
    durationMs: t.durationMs,
    output: lines.join('\n')
  }
  // A parent's failure is told by its own lines and its failed subtests', not by what its
  // passing subtests logged.
  const telling = t.lines
    .filter(l => l.from === t || l.from.status === 'failed' || l.from.status === undefined)
    .map(l => l.text)
  const where = locate(telling)
  if (where && status !== 'passed') {
    result.file = posix.join(pkgDir, posix.basename(where.file))
    result.line = where.line
  }
  const panic = telling.find(l => l.startsWith('panic: '))
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
