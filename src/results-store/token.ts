/**
 * The Actions runtime token (`ACTIONS_RUNTIME_TOKEN`): a JWT whose `scp` claim carries the
 * backend ids of the run and the job, as `Actions.Results:<run>:<job>`. The artifact client
 * reads them from there, so do we; the emulator mints and verifies such tokens itself.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** The ids the results service keys artifacts by: one per workflow run, one per job. */
export interface BackendIds {
  workflowRunBackendId: string
  workflowJobRunBackendId: string
}

const resultsScope = 'Actions.Results'
const defaultTtlSeconds = 6 * 60 * 60

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url')
}

/** Decodes base64url or standard base64, padded or not (both are seen in the wild). */
function decodeSegment(segment: string): Buffer {
  return Buffer.from(segment.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
}

function sign(input: string, secret: string): string {
  return createHmac('sha256', secret).update(input).digest('base64url')
}

/** The `scp` claim the client parses: scopes separated by spaces. */
export function runtimeScope(ids: BackendIds): string {
  for (const id of [ids.workflowRunBackendId, ids.workflowJobRunBackendId]) {
    if (!id || /[\s:]/.test(id)) {
      throw new Error(
        `backend id '${id}' is not valid: expected a non-empty id without ':' or spaces`
      )
    }
  }
  return `Actions.ExperimentalGenerateArtifacts ${resultsScope}:${ids.workflowRunBackendId}:${ids.workflowJobRunBackendId}`
}

/** Mints an HS256 runtime token for one job, valid for `ttlSeconds` (default 6 hours). */
export function mintRuntimeToken(
  ids: BackendIds,
  secret: string,
  ttlSeconds = defaultTtlSeconds
): string {
  const now = Math.floor(Date.now() / 1000)
  const header = { typ: 'JWT', alg: 'HS256' }
  const payload = {
    scp: runtimeScope(ids),
    iss: 'squall-emulator',
    aud: 'squall-emulator',
    nbf: now - 60,
    iat: now,
    exp: now + ttlSeconds
  }
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`
  return `${unsigned}.${sign(unsigned, secret)}`
}

interface Claims {
  scp?: unknown
  exp?: unknown
  nbf?: unknown
}

function decodeClaims(token: string): Claims {
  const parts = token.split('.')
  if (parts.length !== 3) {
    throw new Error(`runtime token is malformed: expected a JWT of 3 parts, got ${parts.length}`)
  }
  let claims: unknown
  try {
    claims = JSON.parse(decodeSegment(parts[1]).toString('utf8'))
  } catch {
    throw new Error('runtime token is malformed: its payload is not base64url JSON')
  }
  if (typeof claims !== 'object' || claims === null) {
    throw new Error('runtime token is malformed: its payload is not a JSON object')
  }
  return claims as Claims
}

/** The backend ids in a token's `scp` claim, read the way the artifact client reads them. */
function idsFromClaims(claims: Claims): BackendIds {
  if (typeof claims.scp !== 'string' || claims.scp === '') {
    throw new Error('runtime token has no scp claim: expected one with Actions.Results:<run>:<job>')
  }
  for (const scope of claims.scp.split(' ')) {
    const parts = scope.split(':')
    if (parts[0] !== resultsScope) continue
    if (parts.length !== 3 || !parts[1] || !parts[2]) {
      throw new Error(
        `runtime token scope '${scope}' is malformed: expected Actions.Results:<run>:<job>`
      )
    }
    return { workflowRunBackendId: parts[1], workflowJobRunBackendId: parts[2] }
  }
  throw new Error(
    'runtime token has no Actions.Results scope: expected Actions.Results:<run>:<job>'
  )
}

/** Reads the backend ids from a runtime token without checking its signature (client side). */
export function parseRuntimeToken(token: string): BackendIds {
  return idsFromClaims(decodeClaims(token))
}

/**
 * Checks a token's signature and lifetime, then returns its backend ids (emulator side).
 * Throws an Error saying which check failed.
 */
export function verifyRuntimeToken(token: string, secret: string, nowMs = Date.now()): BackendIds {
  const claims = decodeClaims(token)
  const [header, payload, signature] = token.split('.')
  let alg: unknown
  try {
    alg = (JSON.parse(decodeSegment(header).toString('utf8')) as { alg?: unknown }).alg
  } catch {
    throw new Error('runtime token is malformed: its header is not base64url JSON')
  }
  if (alg !== 'HS256') throw new Error(`runtime token algorithm '${String(alg)}' is not HS256`)
  const expected = Buffer.from(sign(`${header}.${payload}`, secret))
  const actual = Buffer.from(signature)
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new Error('runtime token signature is not valid')
  }
  const now = nowMs / 1000
  if (typeof claims.exp === 'number' && now >= claims.exp) {
    throw new Error(`runtime token expired at ${new Date(claims.exp * 1000).toISOString()}`)
  }
  if (typeof claims.nbf === 'number' && now < claims.nbf) {
    throw new Error('runtime token is not valid yet')
  }
  return idsFromClaims(claims)
}
