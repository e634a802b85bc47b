/**
 * A framework's job payload: what `JobSpec.framework.data` holds for that framework's jobs
 * (the binary to run, the user's options…), enough to rebuild the job's command for a retry
 * and to read its report. Jobs cross the wire as JSON (runner → broker → worker), so a payload
 * is never cast back: each framework reads it through its own checker, and a field of the
 * wrong type is a ProtocolError that names the framework, the field and what was expected.
 */
import { ProtocolError } from '../../errors.js'
import type { JobSpec } from '../../protocol/types.js'

/** Any framework's payload: a JSON object, as `JobSpec.framework.data` carries it. */
export type FrameworkPayload = Record<string, unknown>

/** Checks one decoded value; `path` names it in the error. */
export type Check<T> = (value: unknown, path: string) => T

function wrong(path: string, expected: string, value: unknown): ProtocolError {
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
  return new ProtocolError(`job payload field '${path}': expected ${expected}, got ${got}`)
}

export const string: Check<string> = (value, path) => {
  if (typeof value !== 'string') throw wrong(path, 'a string', value)
  return value
}

export const strings: Check<string[]> = (value, path) => {
  if (!Array.isArray(value) || !value.every(v => typeof v === 'string'))
    throw wrong(path, 'an array of strings', value)
  return value as string[]
}

/** The field may be absent (undefined). */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (value, path) => (value === undefined ? undefined : check(value, path))
}

/** An object with these fields, each checked; absent optional fields stay absent. */
export function object<T>(fields: { [K in keyof T]-?: Check<T[K]> }): Check<T> {
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw wrong(path, 'an object', value)
    const record = value as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const [key, check] of Object.entries(fields) as [string, Check<unknown>][]) {
      const field = check(record[key], `${path}.${key}`)
      if (field !== undefined) out[key] = field
    }
    return out as T
  }
}

/** How one framework's payload is read back from a job. */
export interface JobPayload<P extends FrameworkPayload> {
  /**
   * The payload of `job`, checked; undefined when the job carries none (a job planned
   * without one, e.g. by hand). Throws ProtocolError when it is malformed.
   */
  read(job: Pick<JobSpec, 'framework'>): P | undefined
}

/** The reader of a payload with `fields`; errors name the job's framework (`go.data.flags`). */
export function jobPayload<P extends FrameworkPayload>(fields: {
  [K in keyof P]-?: Check<P[K]>
}): JobPayload<P> {
  const check = object<P>(fields)
  return {
    read: job => {
      const data = job.framework?.data
      return data === undefined ? undefined : check(data, `${job.framework?.name ?? '?'}.data`)
    }
  }
}
