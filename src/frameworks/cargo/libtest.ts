/**
 * Reads the plain output of a Rust test binary (libtest's stable, human format) into
 * per-test outcomes: `test a::b ... ok|FAILED|ignored[, reason]` lines, then the
 * `---- a::b stdout ----` sections that hold a failure's output and its panic location.
 * Pure; never throws.
 */
import type { TestCaseStatus } from '../../protocol/types.js'

/** What the output says about one test. */
export interface LibtestOutcome {
  name: string
  status: TestCaseStatus
  /** Only with `--report-time` (unstable); stable libtest prints no per-test times. */
  durationMs?: number
  /** As the panic message gives it (relative to the workspace root, or absolute). */
  file?: string
  line?: number
  message?: string
  output?: string
}

/**
 * `test name ... ok`, `test name - should panic ... ok`, `test name ... ok <0.001s>`; doc
 * tests: `test src/lib.rs - f (line 5) - compile fail ... ok` (also `- compile` for `no_run`).
 */
const RESULT =
  /^test (.+?)(?: - (?:should panic|compile fail|compile))? \.\.\. (ok|FAILED|ignored(?:, (.*?))?)(?: <(\d+(?:\.\d+)?)s>)?\s*$/
const SECTION = /^---- (.+?) (stdout|stderr) ----\s*$/
/** Lines that end a section: the list of names that follows the sections, the summary. */
const SECTION_END = /^(failures:|successes:|test result: )/
/** `thread 'x' (123) panicked at src/lib.rs:41:9:` (Rust 1.73+), `… panicked at 'msg', src/lib.rs:41:9`. */
const PANIC =
  /^thread '(.*?)'(?: \(\d+\))? panicked at (?:'(.*)', )?(.+?):(\d+):(\d+)(?::\s*(.*))?\s*$/
/** Where a panic's message ends. */
const MESSAGE_END = /^(note: |stack backtrace:|\s*$)/

const STATUS: Record<string, TestCaseStatus> = { ok: 'passed', FAILED: 'failed' }

/** Outcomes of every test with a result line, in output order. */
export function parseLibtestOutput(text: string): LibtestOutcome[] {
  const lines = text.split(/\r?\n/)
  const outcomes = new Map<string, LibtestOutcome>()
  const sections = new Map<string, string[]>()
  let section: string[] | undefined
  for (const line of lines) {
    const header = SECTION.exec(line)
    if (header) {
      const name = header[1] as string
      section = sections.get(name) ?? []
      sections.set(name, section)
      continue
    }
    if (section && SECTION_END.test(line)) section = undefined
    if (section) {
      section.push(line)
      continue
    }
    const result = RESULT.exec(line)
    if (!result) continue
    const name = result[1] as string
    const word = result[2] as string
    const outcome: LibtestOutcome = { name, status: STATUS[word] ?? 'skipped' }
    if (word.startsWith('ignored') && result[3]) outcome.message = result[3]
    if (result[4] !== undefined) outcome.durationMs = Math.round(Number(result[4]) * 1000)
    outcomes.set(name, outcome)
  }
  for (const [name, body] of sections) {
    const outcome = outcomes.get(name)
    if (outcome) describeSection(outcome, trimBlank(body))
  }
  return [...outcomes.values()]
}

/** Output, panic location and message from a test's section. */
function describeSection(outcome: LibtestOutcome, body: string[]): void {
  if (body.length === 0) return
  outcome.output = outcome.output ? `${outcome.output}\n${body.join('\n')}` : body.join('\n')
  for (let i = 0; i < body.length; i++) {
    const panic = PANIC.exec(body[i] as string)
    if (!panic) continue
    outcome.file = panic[3] as string
    outcome.line = Number(panic[4])
    let message = panic[2] ?? panic[6] ?? ''
    if (panic[2] === undefined) {
      // Since Rust 1.73 the message follows the location, on the next lines.
      const rest: string[] = message ? [message] : []
      for (let j = i + 1; j < body.length && !MESSAGE_END.test(body[j] as string); j++)
        rest.push(body[j] as string)
      message = rest.join('\n')
    }
    if (message && outcome.status !== 'passed') outcome.message = message
    return
  }
  // No panic (e.g. `should_panic` that did not): the first line says what happened.
  if (outcome.status === 'failed') outcome.message = body.find(line => line.trim() !== '')?.trim()
}

function trimBlank(lines: string[]): string[] {
  let start = 0
  let end = lines.length
  while (start < end && (lines[start] as string).trim() === '') start++
  while (end > start && (lines[end - 1] as string).trim() === '') end--
  return lines.slice(start, end)
}
