/**
 * Twirp over JSON, the way the results service speaks it: errors are `{ code, msg }` with the
 * HTTP status Twirp assigns to the code; answers are snake_case with int64 as strings.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** The Twirp error codes the emulator answers with, and their HTTP status. */
export const twirpStatus = {
  invalid_argument: 400,
  malformed: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  failed_precondition: 412,
  resource_exhausted: 429,
  internal: 500,
  unavailable: 503
} as const

/** A Twirp error code. */
export type TwirpCode = keyof typeof twirpStatus

/** An error a handler throws to answer with a Twirp error. */
export class TwirpError extends Error {
  override name = 'TwirpError'
  constructor(
    readonly code: TwirpCode,
    msg: string
  ) {
    super(msg)
  }
  get status(): number {
    return twirpStatus[this.code]
  }
}

/** A decoded JSON request body: field names in either case, as proto3 JSON allows. */
export type Fields = Record<string, unknown>

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())
}

/** The value of a field given by its proto name, sent as snake_case or camelCase. */
export function field(body: Fields, name: string): unknown {
  if (name in body) return body[name]
  return body[camel(name)]
}

/** A string field; absent means '' like proto3. Wrapper types may come as `{ value }`. */
export function stringField(body: Fields, name: string): string {
  const value = unwrap(field(body, name))
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string') throw new TwirpError('malformed', `${name} must be a string`)
  return value
}

/** An optional wrapper field (StringValue / Int64Value): undefined when absent. */
export function optionalField(body: Fields, name: string): string | undefined {
  const value = unwrap(field(body, name))
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  throw new TwirpError('malformed', `${name} must be a string`)
}

/** An int64 field: proto3 JSON sends it as a decimal string, numbers are accepted too. */
export function int64Field(body: Fields, name: string): bigint {
  const value = unwrap(field(body, name))
  if (value === undefined || value === null || value === '') return 0n
  if ((typeof value === 'string' && /^-?\d+$/.test(value)) || Number.isSafeInteger(value)) {
    return BigInt(value as string | number)
  }
  throw new TwirpError('malformed', `${name} must be an int64 (a decimal string)`)
}

/** A repeated string field. */
export function stringListField(body: Fields, name: string): string[] {
  const value = field(body, name)
  if (value === undefined || value === null) return []
  if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) {
    throw new TwirpError('malformed', `${name} must be a list of strings`)
  }
  return value as string[]
}

function unwrap(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'value' in value) {
    return (value as { value: unknown }).value
  }
  return value
}

const maxBodyBytes = 1024 * 1024

/** Reads and parses a JSON request body; a Twirp `malformed` error when it is not JSON. */
export async function readJson(req: IncomingMessage): Promise<Fields> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > maxBodyBytes) throw new TwirpError('malformed', 'request body is too large')
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') return {}
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new TwirpError('malformed', 'request body is not valid JSON')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TwirpError('malformed', 'request body must be a JSON object')
  }
  return body as Fields
}

/** Writes a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text)
  })
  res.end(text)
}

/** Writes a Twirp error answer. */
export function sendTwirpError(res: ServerResponse, error: TwirpError): void {
  sendJson(res, error.status, { code: error.code, msg: error.message })
}
