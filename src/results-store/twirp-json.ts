/**
 * Reading Twirp JSON answers of the results service: proto field names (snake_case, or the
 * lowerCamel form proto3 JSON allows), int64 as strings, an explicit `ok: true`.
 */
import { ResultsServiceError } from './errors.js'

/** Twirp answers are JSON objects; fields we read are checked where read. */
export type Fields = Record<string, unknown>

/** One artifact as ListArtifacts reports it (finalized ones only). */
export interface ArtifactEntry {
  name: string
  /** database_id, an int64 kept as a string. */
  id: string
  /** Size in bytes as given at finalize time, an int64 kept as a string. */
  size: string
  workflowRunBackendId: string
  /** The job that created it: GetSignedArtifactURL needs it. */
  workflowJobRunBackendId: string
  createdAt?: string
}

export function parseJson(text: string): Fields | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Fields)
      : undefined
  } catch {
    return undefined
  }
}

export function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

export function malformed(method: string, detail: string): ResultsServiceError {
  return new ResultsServiceError({
    method,
    status: 200,
    attempts: 1,
    detail: `malformed answer: ${detail}`
  })
}

export function requireOk(method: string, body: Fields): void {
  if (body['ok'] !== true) throw malformed(method, 'it does not say ok: true')
}

/** A field by its proto name; proto3 JSON allows the lowerCamel form too. */
function pick(body: Fields, name: string): unknown {
  if (name in body) return body[name]
  return body[name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())]
}

export function stringOf(method: string, body: Fields, name: string): string {
  const value = pick(body, name)
  if (typeof value === 'string' && value !== '') return value
  if (typeof value === 'number') return String(value)
  throw malformed(method, `${name} is missing`)
}

export function toEntry(raw: unknown): ArtifactEntry {
  const a = (typeof raw === 'object' && raw !== null ? raw : {}) as Fields
  const str = (name: string): string => {
    const value = pick(a, name)
    return value === undefined || value === null ? '' : String(value)
  }
  return {
    name: str('name'),
    id: str('database_id'),
    size: str('size') || '0',
    workflowRunBackendId: str('workflow_run_backend_id'),
    workflowJobRunBackendId: str('workflow_job_run_backend_id'),
    ...(str('created_at') ? { createdAt: str('created_at') } : {})
  }
}
