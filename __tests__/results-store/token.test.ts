/** Runtime tokens: what the emulator mints, the artifact client's JWT decoder must read. */
import { jwtDecode } from 'jwt-decode'
import {
  mintRuntimeToken,
  parseRuntimeToken,
  verifyRuntimeToken
} from '../../src/results-store/index.js'

const ids = {
  workflowRunBackendId: 'ce7f54c7-61c7-4aae-887f-30da475f5f1a',
  workflowJobRunBackendId: 'ca395085-040a-526b-2ce8-bdc85f692774'
}

function fakeJwt(payload: unknown): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  return `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(payload)}.sig`
}

test('the scp claim carries Actions.Results:<run>:<job>, readable by jwt-decode', () => {
  const token = mintRuntimeToken(ids, 'secret')
  const claims = jwtDecode<{ scp: string; exp: number }>(token)
  expect(claims.scp.split(' ')).toContain(
    `Actions.Results:${ids.workflowRunBackendId}:${ids.workflowJobRunBackendId}`
  )
  expect(claims.exp).toBeGreaterThan(Date.now() / 1000)
  expect(parseRuntimeToken(token)).toEqual(ids)
  expect(verifyRuntimeToken(token, 'secret')).toEqual(ids)
})

test('parse finds the results scope among others, as the client does', () => {
  const token = fakeJwt({
    scp: `Actions.GenericRead:x Actions.Results:run-1:job-2 Actions.UploadArtifacts:a:b`
  })
  expect(parseRuntimeToken(token)).toEqual({
    workflowRunBackendId: 'run-1',
    workflowJobRunBackendId: 'job-2'
  })
})

test.each([
  ['not a JWT', 'abc', /3 parts/],
  ['payload not JSON', 'a.b.c', /not base64url JSON/],
  ['no scp', fakeJwt({ sub: 'x' }), /no scp claim/],
  ['no results scope', fakeJwt({ scp: 'Actions.GenericRead:x' }), /no Actions.Results scope/],
  ['results scope with two parts', fakeJwt({ scp: 'Actions.Results:only-run' }), /malformed/]
])('parse refuses a token with %s', (_label, token, message) => {
  expect(() => parseRuntimeToken(token)).toThrow(message)
})

test('verify refuses a wrong secret, a tampered payload and an expired token', () => {
  const token = mintRuntimeToken(ids, 'secret', 60)
  expect(() => verifyRuntimeToken(token, 'other')).toThrow(/signature/)
  const [h, , s] = token.split('.')
  const forged = `${h}.${Buffer.from(JSON.stringify({ scp: 'Actions.Results:a:b', exp: 9e9 })).toString('base64url')}.${s}`
  expect(() => verifyRuntimeToken(forged, 'secret')).toThrow(/signature/)
  expect(() => verifyRuntimeToken(token, 'secret', Date.now() + 61_000)).toThrow(/expired/)
})

test('mint refuses ids that would break the scope', () => {
  expect(() => mintRuntimeToken({ ...ids, workflowJobRunBackendId: 'a:b' }, 's')).toThrow(
    /backend id/
  )
  expect(() => mintRuntimeToken({ ...ids, workflowRunBackendId: '' }, 's')).toThrow(/backend id/)
})
