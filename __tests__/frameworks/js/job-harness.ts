/** Runs a planned jest/vitest job the way the worker does: `sh -c`, a fresh $SQUALL_JOB_DIR. */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { JobExecution } from '../../../src/frameworks/core/framework.js'
import type { JobSpec } from '../../../src/protocol/types.js'

/** Job directories made by `runJob`, removed by `removeJobDirs`. */
const made: string[] = []

/** The environment of a job: ours, minus what the test runner set for itself. */
function jobEnv(extra: Record<string, string>, jobDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra, SQUALL_JOB_DIR: jobDir }
  delete env.JEST_WORKER_ID
  delete env.NODE_OPTIONS
  return env
}

/** Spawns `job.command` under `sh -c` in `cwd` and waits for it. */
export function runJob(
  job: Pick<JobSpec, 'command'> & Partial<JobSpec>,
  cwd: string,
  env: Record<string, string> = {}
): Promise<JobExecution> {
  const jobDir = mkdtempSync(join(tmpdir(), 'squall-js-job-'))
  made.push(jobDir)
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', job.command ?? 'false'], {
      cwd,
      env: jobEnv({ ...job.env, ...env }, jobDir),
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code, signal) =>
      resolve({
        job: {
          id: 'job',
          name: 'job',
          timeoutMs: 60_000,
          labels: [],
          attempt: 1,
          layers: [],
          ...job
        },
        jobDir,
        exitCode: code,
        signal,
        timedOut: false,
        durationMs: Date.now() - started,
        stdout: { text: stdout, truncatedBytes: 0 },
        stderr: { text: stderr, truncatedBytes: 0 }
      })
    )
  })
}

export function removeJobDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/** Test files under `dir` whose names end with `suffix`, relative, sorted. */
export function testFilesUnder(dir: string, suffix: string, prefix = ''): string[] {
  const found: string[] = []
  for (const name of readdirSync(join(dir, prefix))) {
    const rel = prefix ? `${prefix}/${name}` : name
    if (name === 'node_modules') continue
    if (statSync(join(dir, rel)).isDirectory()) found.push(...testFilesUnder(dir, suffix, rel))
    else if (name.endsWith(suffix)) found.push(rel)
  }
  return found.sort()
}
