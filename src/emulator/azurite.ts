/**
 * Azurite's blob service as a child process on a free port, in memory, in a temp dir; killed
 * on stop and on process exit so no emulator leaves an orphan behind.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve as resolvePath } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A running Azurite blob service. */
export interface AzuriteProcess {
  /** http://127.0.0.1:<port>, the service root (account name goes in the path). */
  url: string
  port: number
  pid: number
  stop(): Promise<void>
}

/** Options for `startAzurite`. */
export interface AzuriteOptions {
  host?: string
  /** 0 (default) lets Azurite pick a free port and we read it from its output. */
  port?: number
  /** The azurite-blob entry script; found in node_modules when absent. */
  script?: string
  log?: (msg: string) => void
  startTimeoutMs?: number
}

const entry = join('node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js')

/**
 * The azurite-blob entry script: given, from SQUALL_AZURITE_SCRIPT, or found in a
 * node_modules above this module or the working directory. Looked up on disk rather than
 * resolved, so it works the same from sources and from a bundle.
 */
export function findAzuriteScript(given?: string): string {
  const explicit = given ?? process.env['SQUALL_AZURITE_SCRIPT']
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`Azurite script '${explicit}' does not exist`)
    return explicit
  }
  for (const start of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    for (let dir = resolvePath(start); ; dir = dirname(dir)) {
      const candidate = join(dir, entry)
      if (existsSync(candidate)) return candidate
      if (dirname(dir) === dir) break
    }
  }
  throw new Error(
    'Azurite is not installed: expected node_modules/azurite (npm install azurite@3.35)'
  )
}

const live = new Set<ChildProcess>()
let exitHookInstalled = false

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  // Synchronous kill on exit: the only moment left to reap children of a dying process.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL')
  })
}

/** Starts Azurite and resolves once it listens. */
export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteProcess> {
  const host = options.host ?? '127.0.0.1'
  const dir = mkdtempSync(join(tmpdir(), 'squall-azurite-'))
  const args = [
    findAzuriteScript(options.script),
    '--blobHost',
    host,
    '--blobPort',
    String(options.port ?? 0),
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--inMemoryPersistence',
    '--loose',
    '--silent'
  ]
  // --location cannot go with --inMemoryPersistence, so the temp dir is the working directory.
  const child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  live.add(child)
  installExitHook()
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  const cleanup = (): void => {
    live.delete(child)
    rmSync(dir, { recursive: true, force: true })
  }
  void exited.then(cleanup)

  let output = ''
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new Error(`Azurite did not start within ${options.startTimeoutMs ?? 30000} ms: ${output}`)
      )
    }, options.startTimeoutMs ?? 30000)
    const onData = (data: Buffer): void => {
      output += data.toString()
      const m = /successfully listens on https?:\/\/[^:\s]+:(\d+)/.exec(output)
      if (m) {
        clearTimeout(timer)
        child.stdout?.off('data', onData)
        child.stderr?.off('data', onData)
        resolve(Number(m[1]))
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('error', e => {
      clearTimeout(timer)
      reject(e)
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`Azurite exited (${signal ?? code}) before it listened: ${output.trim()}`))
    })
  }).catch(async (e: unknown) => {
    child.kill('SIGKILL')
    await exited
    throw e
  })
  options.log?.(`azurite blob service on http://${host}:${port} (pid ${child.pid})`)
  // Keep draining its output so a full pipe never blocks it.
  child.stdout?.resume()
  child.stderr?.resume()

  return {
    url: `http://${host}:${port}`,
    port,
    pid: child.pid ?? -1,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
  }
}
