/**
 * Deep checks of what peers send, before the scheduler trusts it. The direction validators
 * (`protocol/directions.ts`) only check the envelope; a job without labels or a result
 * without an id would otherwise corrupt the scheduler's state. Each check returns what is
 * wrong, or undefined.
 */
import type { HelloMessage, ProgressEvent } from '../protocol/messages.js'
import {
  MAX_NOTICES,
  NOTICE_CHARS,
  type JobResult,
  type JobSpec,
  type JobStatus
} from '../protocol/types.js'

const statuses = new Set<JobStatus>(['passed', 'failed', 'timed-out', 'error', 'cancelled'])

const isString = (v: unknown): v is string => typeof v === 'string'
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString)
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1
const isNonNegative = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0
const field = (v: unknown, name: string): unknown =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[name] : undefined

/** What is wrong with a hello (its version is the validator's, in the handshake path). */
export function checkHello(hello: HelloMessage): string | undefined {
  if (hello.role !== 'worker' && hello.role !== 'runner' && hello.role !== 'closer') {
    return `role must be 'worker', 'runner' or 'closer', got ${JSON.stringify(hello.role)}`
  }
  if (!isString(hello.id) || hello.id.length === 0 || hello.id.length > 200) {
    return `id must be a non-empty string of at most 200 characters, got ${JSON.stringify(hello.id)}`
  }
  if (hello.role === 'worker') {
    if (hello.slots !== undefined && !isCount(hello.slots)) {
      return `slots must be a positive integer, got ${JSON.stringify(hello.slots)}`
    }
    if (hello.labels !== undefined && !isStrings(hello.labels))
      return 'labels must be an array of strings'
  }
  return undefined
}

export function checkJobRef(ref: unknown): string | undefined {
  if (!isString(field(ref, 'id'))) return 'a job reference needs a string id'
  if (!isCount(field(ref, 'attempt'))) return 'a job reference needs a positive integer attempt'
  return undefined
}

export function checkJobSpec(job: unknown): string | undefined {
  const ref = checkJobRef(job)
  if (ref) return ref
  const spec = job as Partial<JobSpec>
  const id = JSON.stringify(spec.id)
  if (!isString(spec.name)) return `job ${id}: name must be a string`
  if (spec.command === undefined && spec.argv === undefined)
    return `job ${id}: needs a command or argv`
  if (spec.command !== undefined && !isString(spec.command))
    return `job ${id}: command must be a string`
  if (spec.argv !== undefined && !isStrings(spec.argv))
    return `job ${id}: argv must be an array of strings`
  if (!isNonNegative(spec.timeoutMs) || spec.timeoutMs === 0)
    return `job ${id}: timeoutMs must be a positive number`
  if (!isStrings(spec.labels)) return `job ${id}: labels must be an array of strings`
  if (!isStrings(spec.layers)) return `job ${id}: layers must be an array of strings`
  if (spec.expectedMs !== undefined && !isNonNegative(spec.expectedMs)) {
    return `job ${id}: expectedMs must be a non-negative number when set`
  }
  if (spec.avoidWorkers !== undefined && !isStrings(spec.avoidWorkers)) {
    return `job ${id}: avoidWorkers must be an array of strings when set`
  }
  return undefined
}

export function checkJobResult(result: unknown): string | undefined {
  const ref = checkJobRef(result)
  if (ref) return ref
  const r = result as Partial<JobResult>
  if (!statuses.has(r.status as JobStatus))
    return `result for ${JSON.stringify(r.id)}: unknown status ${JSON.stringify(r.status)}`
  if (!isNonNegative(r.durationMs))
    return `result for ${JSON.stringify(r.id)}: durationMs must be a non-negative number`
  for (const stream of ['stdout', 'stderr'] as const) {
    if (!isString(field(r[stream], 'text')))
      return `result for ${JSON.stringify(r.id)}: ${stream} must carry text`
  }
  if (
    r.notices !== undefined &&
    !(
      isStrings(r.notices) &&
      r.notices.length <= MAX_NOTICES &&
      r.notices.every(n => n.length <= NOTICE_CHARS)
    )
  )
    return `result for ${JSON.stringify(r.id)}: notices must be at most ${MAX_NOTICES} strings of at most ${NOTICE_CHARS} characters`
  return undefined
}

/** Workers only report `started`; anything else in their progress is not theirs to say. */
export function checkWorkerProgress(event: unknown): string | undefined {
  const kind = field(event, 'kind')
  if (kind !== 'started')
    return `a worker may only report 'started' progress, got ${JSON.stringify(kind)}`
  return checkJobRef((event as Extract<ProgressEvent, { kind: 'started' }>).job)
}

/** Splits items into those that pass `check` and the problems of those that do not. */
export function partition<T>(
  items: readonly unknown[],
  check: (item: unknown) => string | undefined
): { good: T[]; problems: string[] } {
  const good: T[] = []
  const problems: string[] = []
  for (const item of items) {
    const problem = check(item)
    if (problem) problems.push(problem)
    else good.push(item as T)
  }
  return { good, problems }
}
