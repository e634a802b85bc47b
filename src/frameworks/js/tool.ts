/**
 * The runner-side I/O the jest and vitest frameworks share: finding the project's own binary
 * and running it to list test files.
 */
import { execFile } from 'node:child_process'
import { access, constants } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { UsageError } from '../../errors.js'
import type { TestItem } from '../core/framework.js'

/**
 * The command that starts the tool: `node_modules/.bin/<tool>` relative to the suite root
 * (the same on every worker of the same checkout), or `npx --no-install <tool>`.
 */
export async function findLauncher(cwd: string, tool: string): Promise<string[]> {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const bin = join(dir, 'node_modules', '.bin', tool)
    if (await executable(bin)) {
      const rel = relative(resolve(cwd), bin).split(sep).join('/')
      return [rel.startsWith('.') ? rel : `./${rel}`]
    }
    if (dirname(dir) === dir) return ['npx', '--no-install', tool]
  }
}

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Output of a listing command that exited 0. */
export interface ToolOutput {
  stdout: string
  stderr: string
}

/**
 * Runs the tool for listing. A failure is a UsageError: the suite's configuration, filters or
 * installation are what the user has to fix; the message carries the tool's own words.
 */
export function runTool(
  launcher: string[],
  args: string[],
  cwd: string,
  timeoutMs: number
): Promise<ToolOutput> {
  const [first, ...rest] = launcher as [string, ...string[]]
  // The launcher is relative to the suite root; spawning resolves it against our own cwd.
  const file = first.includes('/') ? resolve(cwd, first) : first
  return new Promise((done, fail) => {
    execFile(
      file,
      [...rest, ...args],
      {
        cwd,
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, FORCE_COLOR: '0' }
      },
      (error, stdout, stderr) => {
        if (!error) return done({ stdout, stderr })
        const tail = stderr.trim().split('\n').slice(-15).join('\n') || stdout.trim().slice(-2000)
        const how = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'was not found' : 'failed'
        fail(
          new UsageError(
            `listing tests in ${cwd}: \`${[...launcher, ...args].join(' ')}\` ${how}${tail ? `:\n${tail}` : ` (${error.message})`}`
          )
        )
      }
    )
  })
}

/** A file path as a test id: relative to the suite root, forward slashes. */
export function fileId(cwd: string, file: string): string {
  const abs = isAbsolute(file) ? file : resolve(cwd, file)
  return relative(resolve(cwd), abs).split(sep).join('/')
}

/** Items for a list of test files (ids sorted, duplicates dropped). */
export function fileItems(files: string[], launcher: string[]): TestItem[] {
  return [...new Set(files)].sort().map(id => ({ id, name: id, file: id, data: { launcher } }))
}
