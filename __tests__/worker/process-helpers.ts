/** Helpers for tests that run real processes: liveness, polling, temp dirs. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** True while `pid` is a live process (a zombie waiting to be reaped counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}

/** Polls `check` until it holds; throws after `timeoutMs` (generous: the machine is shared). */
export async function waitUntil(
  check: () => boolean,
  what: string,
  timeoutMs = 10_000
): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 20))
  }
}

/** Temp dirs made by a test file, removed by `cleanup()` in afterAll/afterEach. */
export function tempDirs(prefix: string): { make: () => string; cleanup: () => void } {
  const made: string[] = []
  return {
    make: () => {
      const dir = mkdtempSync(join(tmpdir(), prefix))
      made.push(dir)
      return dir
    },
    cleanup: () => {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** Kills leftovers a failing test may have left, so a failure does not leak processes. */
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

/** Pids of live processes whose environment holds `NAME=value` (Linux /proc; ours only). */
export function processesWithEnv(name: string, value: string): number[] {
  const needle = Buffer.from(`${name}=${value}\0`)
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    try {
      const environ = readFileSync(`/proc/${entry}/environ`)
      if (environ.includes(needle) && isAlive(Number(entry))) found.push(Number(entry))
    } catch {
      // gone, or not ours
    }
  }
  return found
}
