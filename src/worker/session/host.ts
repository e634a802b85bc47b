/**
 * The session side of the control channel, for hosts that run inside node (jest, vitest):
 * owns fd 3, the ready handshake, the job's environment and a clean `process.argv`, so a
 * framework host only loads its framework once and runs one request at a time.
 *
 * A host that fails to run a job writes why to stderr and exits 1: the worker treats that as
 * a crash (job `error` with the output's tail) and starts a fresh session for the next job.
 */
import { Socket } from 'node:net'
import { trace } from '../../trace.js'
import { createInterface } from 'node:readline'
import type { TestCaseResult } from '../../protocol/types.js'
import { CONTROL_FD, encodeLine, parseWorkerLine, type SessionMessage } from './messages.js'

/** One job as a host sees it. */
export interface HostJob {
  /** `<id>#<attempt>`. */
  id: string
  jobDir: string
  /** The framework-owned request the runner planned (`job.session.request`). */
  request: unknown
  /** Streams one finished test to the worker at once: a later crash loses nothing sent. */
  emitCase(result: TestCaseResult): void
  /** A diagnostic line for the worker's log. */
  log(text: string): void
  /** The framework's own wall of one item (a test file) of the job, ms; sent with `done`. */
  itemWallMs(item: string, ms: number): void
  /** Something the run's summary should say once (JobResult.notices); sent with `done`. */
  notice(text: string): void
}

/** What a framework host plugs into `runSessionHost`. */
export interface SessionHandler {
  /** Loads the framework (and collects, where that is costly) once, before `ready`. */
  start(): Promise<void>
  /**
   * Runs one job with the job's environment already in `process.env` and `process.argv` set
   * to `testArgv`; resolves when its tests ended (failures are cases, not rejections).
   */
  run(job: HostJob): Promise<{ note?: string } | undefined>
  /** What tests see as `process.argv` (e.g. `[node, <framework bin>]`); default `[node]`. */
  testArgv?(): string[]
  /** Called on `exit` before the process ends. */
  close?(): Promise<void>
}

/** Serves the worker on fd 3 until it says `exit` or closes the channel; never returns. */
export async function runSessionHost(handler: SessionHandler): Promise<never> {
  const began = performance.now()
  const channel = new Socket({ fd: CONTROL_FD, readable: true, writable: true })
  // Writes go out in order, so the last one's callback means every case before it is out.
  let flushed: Promise<void> = Promise.resolve()
  const send = (message: SessionMessage): Promise<void> =>
    (flushed = new Promise(resolve => {
      channel.write(encodeLine(message), () => resolve())
    }))
  // Nothing of the host's own command line reaches tests, not even while loading.
  process.argv = cleanArgv(handler)
  try {
    await handler.start()
  } catch (error) {
    // The open channel would keep us alive: say why and end, the worker reports the output.
    process.stderr.write(`squall session: could not start: ${describe(error)}\n`)
    process.exit(1)
  }
  let startupMs = Math.round(performance.now() - began)
  await send({ t: 'ready', pid: process.pid, startupMs })

  const lines = createInterface({ input: channel, crlfDelay: Infinity })
  for await (const line of lines) {
    const message = parseWorkerLine(line)
    if (!message) continue
    if (message.t === 'exit') break
    trace(`session: job ${message.job} received`)
    const sessionEnv = { ...process.env }
    replaceEnv(message.env)
    process.argv = cleanArgv(handler)
    let note: string | undefined
    const itemWallMs: Record<string, number> = {}
    const notices = new Set<string>()
    try {
      const ended = await handler.run({
        id: message.job,
        jobDir: message.jobDir,
        request: message.request,
        emitCase: result => void send({ t: 'case', job: message.job, case: result }),
        log: text => void send({ t: 'log', text }),
        itemWallMs: (item, ms) => {
          if (Number.isFinite(ms) && ms >= 0)
            itemWallMs[item] = Math.round((itemWallMs[item] ?? 0) + ms)
        },
        notice: text => void notices.add(text)
      })
      note = ended?.note
    } catch (error) {
      process.stderr.write(`squall session: the job failed in the host: ${describe(error)}\n`)
      // Cases already streamed must reach the worker before the crash does.
      await flushed
      process.exit(1)
    } finally {
      replaceEnv(sessionEnv)
      // A framework may leave a failing exit code behind; the next job starts clean.
      process.exitCode = undefined
    }
    trace(`session: job ${message.job} ran`)
    // The job's output reaches the worker's pipes before its `done` does (see OUTPUT_SETTLE_MS).
    await flushOutput()
    await send({
      t: 'done',
      job: message.job,
      // The first job reports the session's start-up, so timing can keep it apart from tests.
      ...(startupMs > 0 ? { startupMs } : {}),
      rssBytes: process.memoryUsage.rss(),
      ...(note ? { note } : {}),
      ...(Object.keys(itemWallMs).length > 0 ? { itemWallMs } : {}),
      ...(notices.size > 0 ? { notices: [...notices] } : {})
    })
    startupMs = 0
  }
  await handler.close?.().catch(() => undefined)
  channel.end()
  process.exit(0)
}

/** Makes `process.env` exactly `env` (keys missing from it are removed). */
export function replaceEnv(env: Record<string, string | undefined>): void {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key]
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  }
}

/** How long `flushOutput` waits at most for output still queued in this process. */
const FLUSH_MS = 200

/**
 * Resolves once what was written to stdout and stderr so far is handed to the OS (at once
 * where pipes are written synchronously, as on Linux). It reads the streams' queues rather
 * than waiting for a write's callback: a framework may have replaced `write` (jest's default
 * reporter buffers it for its status line, and never calls back).
 */
async function flushOutput(): Promise<void> {
  const queued = (): boolean =>
    process.stdout.writableLength > 0 || process.stderr.writableLength > 0
  for (let waited = 0; queued() && waited < FLUSH_MS; waited += 5) {
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error)
}

function cleanArgv(handler: SessionHandler): string[] {
  return handler.testArgv?.() ?? [process.execPath]
}
