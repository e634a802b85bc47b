/**
 * Runs a framework's own tool (pytest, go, cargo, a test binary) on the runner side to list
 * or build a suite, and reads report files on the worker side. The only I/O the batching
 * frameworks share.
 */
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { UsageError } from '../../errors.js'

/** How a tool run ended, with all of its output. */
export interface ToolResult {
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
}

/** How to run a tool. */
export interface ToolOptions {
  cwd: string
  env?: NodeJS.ProcessEnv
  /** Killed (and an error thrown) past this; default 10 minutes: builds can be slow. */
  timeoutMs?: number
  /** Says what needs the tool and how to get it, for the message when it is missing. */
  hint: string
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000

/**
 * Runs `command args…` and resolves with its exit status and output whatever the status.
 * A missing program is a UsageError naming it and the hint; a hang past the time limit is
 * an Error.
 */
export function runTool(
  command: string,
  args: string[],
  options: ToolOptions
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    let timedOut = false
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      if (error.code === 'ENOENT') {
        reject(
          new UsageError(`cannot run '${command}': not found (cwd ${options.cwd}); ${options.hint}`)
        )
      } else {
        reject(new Error(`cannot run '${command}': ${error.message}`))
      }
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (timedOut) {
        reject(new Error(`'${[command, ...args].join(' ')}' did not finish within ${timeoutMs} ms`))
        return
      }
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8')
      })
    })
  })
}

/** The last `lines` non-empty lines of a tool's output, for error messages. */
export function outputTail(result: ToolResult, lines = 15): string {
  const text = `${result.stdout}\n${result.stderr}`
  return text
    .split(/\r?\n/)
    .filter(line => line.trim() !== '')
    .slice(-lines)
    .join('\n')
}

/** A report file's text, or undefined when it is missing or unreadable (never throws). */
export async function readReport(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return undefined
  }
}
