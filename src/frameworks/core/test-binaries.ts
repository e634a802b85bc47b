/**
 * What the frameworks of compiled test binaries (go, cargo) share: binaries built once on the
 * runner and shipped to workers as layers, run by a script that logs their whole output into
 * the job's directory, and per-test results read from that log by a pure parser.
 */
import { join, posix } from 'node:path'
import type { TestCaseResult } from '../../protocol/types.js'
import { addUnreported, type BatchJobRecipe } from './batch-jobs.js'
import type { FrameworkPayload } from './payload.js'
import type { JobExecution, TestItem } from './framework.js'
import { readReport } from './tool-process.js'

/** A test binary's path as seen from `cwd` (the job's working directory), for its argv. */
function binaryFrom(cwd: string, binary: string): string {
  const path = posix.relative(cwd, binary)
  return path.startsWith('.') || path.startsWith('/') ? path : `./${path}`
}

/** The test binaries items run (`data.binary`), once each: what workers elsewhere need. */
export function binaryPaths(items: TestItem[]): string[] {
  const binaries = items.map(item => item.data?.binary)
  return [...new Set(binaries.filter((b): b is string => typeof b === 'string' && b !== ''))]
}

/**
 * A POSIX sh script that runs `"$@"` with stdout and stderr merged, streams it as usual, saves
 * a copy to `$SQUALL_JOB_DIR/<logName>` (the worker's capture keeps only head and tail; the
 * parser needs all of it) and exits with the command's own status (`pipefail` is not POSIX,
 * so the status goes through a file).
 */
export function loggedRunScript(logName: string, prelude = ''): string {
  return [
    prelude,
    `log="\${SQUALL_JOB_DIR:?SQUALL_JOB_DIR is not set}/${logName}"`,
    `{ "$@" 2>&1; echo "$?" > "$log.status"; } | tee "$log"`,
    `status=1`,
    `if [ -s "$log.status" ]; then read -r status < "$log.status"; fi`,
    `exit "$status"`
  ]
    .filter(line => line !== '')
    .join('\n')
}

/** A case as a log parser reads it: named inside its binary, not yet given its id. */
export type LoggedCase = Omit<TestCaseResult, 'id' | 'suite'>

/**
 * The job's cases from its log (`<suite>::<name>` ids, the binary's target or package as
 * suite), plus an error for each of its tests the log never reported; and the log's text.
 */
export async function casesFromLog(
  execution: JobExecution,
  log: string,
  suite: string,
  parseLog: (text: string) => LoggedCase[]
): Promise<{ cases: TestCaseResult[]; text?: string }> {
  const text = await readReport(join(execution.jobDir, log))
  const found = parseLog(text ?? '').map(c => ({ id: `${suite}::${c.name}`, suite, ...c }))
  const cases = addUnreported(found, execution, id => ({
    name: id.startsWith(`${suite}::`) ? id.slice(suite.length + 2) : id,
    suite
  }))
  return text === undefined ? { cases } : { cases, text }
}

/**
 * A batch recipe for compiled test binaries, whose tests group (and jobs are named) by the
 * payload field `group` (the package, the target). A binary starts in milliseconds; the
 * worker's per-job work (fresh directory, shell, report) and the binary's own set-up add more.
 */
export function binaryRecipe<P extends FrameworkPayload>(
  recipe: Omit<BatchJobRecipe<P>, 'startupMs' | 'defaultMs' | 'groupOf' | 'describe'> & {
    group: keyof P & string
  }
): BatchJobRecipe<P> {
  const { group, ...rest } = recipe
  return {
    startupMs: 200,
    defaultMs: 50,
    groupOf: item => String(item.data?.[group] ?? ''),
    describe: data => [String(data[group])],
    ...rest
  }
}

/**
 * The job's command: `binary` (a path relative to the suite root) run with `args` in `cwd`
 * through `script` (see `loggedRunScript`); `label` is the script's `$0` in messages.
 */
export function binaryCommand(
  script: string,
  label: string,
  cwd: string,
  binary: string,
  args: string[]
): { argv: string[]; cwd: string } {
  return { argv: ['sh', '-c', script, label, binaryFrom(cwd, binary), ...args], cwd }
}
