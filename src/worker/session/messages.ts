/**
 * The control channel between a worker and a warm framework session: newline-delimited JSON
 * on the session's fd 3, one object per line, `t` naming the type. Shared by both ends.
 */
import { MAX_NOTICES, NOTICE_CHARS, type TestCaseResult } from '../../protocol/types.js'

/** The descriptor the session host finds its control channel on. */
export const CONTROL_FD = 3

/**
 * The file in the job's directory a worker names as `casesFile`: a session may append its
 * `case` lines there instead of sending them on the channel, and the worker reads it when the
 * job ends (done or crashed). A channel message per test wakes the worker per test, which on
 * a busy machine costs more than a short test; a file append does not, and survives a crash
 * of the session as well.
 */
export const CASES_FILE = 'squall-session-cases.jsonl'

/** session → worker */
export type SessionMessage =
  | { t: 'ready'; pid: number; startupMs: number }
  | { t: 'case'; job: string; case: TestCaseResult }
  | {
      t: 'done'
      job: string
      startupMs?: number
      rssBytes?: number
      note?: string
      /** What the run's summary should say once (JobResult.notices). */
      notices?: string[]
      /** The framework's own wall of each item the job ran, ms (see JobResult.itemWallMs). */
      itemWallMs?: Record<string, number>
    }
  | { t: 'log'; text: string }

/** worker → session */
export type WorkerMessage =
  | {
      t: 'run'
      /** `<id>#<attempt>` of the job. */
      job: string
      /** The job's fresh directory ($SQUALL_JOB_DIR). */
      jobDir: string
      /** The job's complete environment: the host sets exactly this for the job, then restores. */
      env: Record<string, string>
      request: unknown
      /** Where the session may append its `case` lines instead (see CASES_FILE). */
      casesFile?: string
    }
  | { t: 'exit' }

/** One line of the channel: the object, newline-terminated. */
export function encodeLine(message: SessionMessage | WorkerMessage): string {
  return `${JSON.stringify(message)}\n`
}

/** A line from a session, or undefined when it is not a message we know (ignored, not fatal). */
export function parseSessionLine(line: string): SessionMessage | undefined {
  const value = parseObject(line)
  if (!value) return undefined
  switch (value.t) {
    case 'ready':
      return typeof value.pid === 'number' ? (value as SessionMessage) : undefined
    case 'case':
      return typeof value.job === 'string' && isCase(value.case)
        ? (value as SessionMessage)
        : undefined
    case 'done': {
      if (typeof value.job !== 'string') return undefined
      // A malformed timing map costs only the timing, never the job's end.
      const { itemWallMs, notices, ...rest } = value
      const said = sessionNotices(notices)
      return {
        ...(rest as SessionMessage),
        ...(isItemWallMs(itemWallMs) ? { itemWallMs } : {}),
        ...(said.length > 0 ? { notices: said } : {})
      }
    }
    case 'log':
      return typeof value.text === 'string' ? (value as SessionMessage) : undefined
    default:
      return undefined
  }
}

/** A line from the worker, or undefined when it is not a message we know. */
export function parseWorkerLine(line: string): WorkerMessage | undefined {
  const value = parseObject(line)
  if (!value) return undefined
  if (value.t === 'exit') return { t: 'exit' }
  if (
    value.t === 'run' &&
    typeof value.job === 'string' &&
    typeof value.jobDir === 'string' &&
    typeof value.env === 'object' &&
    value.env !== null
  ) {
    return value as WorkerMessage
  }
  return undefined
}

function parseObject(line: string): Record<string, unknown> | undefined {
  if (line.trim() === '') return undefined
  try {
    const value: unknown = JSON.parse(line)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

function isItemWallMs(value: unknown): value is Record<string, number> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every(ms => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0)
  )
}

function isCase(value: unknown): value is TestCaseResult {
  if (typeof value !== 'object' || value === null) return false
  const c = value as Record<string, unknown>
  return typeof c.id === 'string' && typeof c.name === 'string' && typeof c.status === 'string'
}

/** A session's notices as a result may carry them: strings only, the first few, cut short. */
export function sessionNotices(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  return value
    .filter((n): n is string => typeof n === 'string' && n !== '')
    .slice(0, MAX_NOTICES)
    .map(n => n.slice(0, NOTICE_CHARS))
}
