/** Runs the built CLI bundle as a child process, the way a user does. */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const cliBundle = resolve('dist/cli/index.js')

export interface CliResult {
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
}

export function runCliProcess(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}
): Promise<CliResult> {
  if (!existsSync(cliBundle)) throw new Error(`${cliBundle} is missing: run npm run build`)
  return new Promise((resolvePromise, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env }
    // An undefined value removes the variable (an empty one would still be set).
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key]
    const child = spawn(process.execPath, [cliBundle, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolvePromise({ code, signal, stdout, stderr })
    })
  })
}

export function makeTempDir(prefix = 'squall-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
