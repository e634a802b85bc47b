/** Job payloads are read back through their checkers: jobs cross the wire as JSON. */
import { ProtocolError } from '../../../src/errors.js'
import {
  jobPayload,
  object,
  optional,
  string,
  strings
} from '../../../src/frameworks/core/payload.js'
import { getFramework } from '../../../src/frameworks/index.js'
import type { JobSpec } from '../../../src/protocol/types.js'

type Payload = { binary: string; flags: string[]; pattern?: string; doc?: { name: string } }

const payload = jobPayload<Payload>({
  binary: string,
  flags: strings,
  pattern: optional(string),
  doc: optional(object<{ name: string }>({ name: string }))
})

const job = (data?: Record<string, unknown>): Pick<JobSpec, 'framework'> => ({
  framework: { name: 'go', tests: [], ...(data ? { data } : {}) }
})

test('a well-formed payload survives a trip through JSON, absent fields staying absent', () => {
  const sent: Payload = { binary: 'bin/t', flags: ['-x'], doc: { name: 'n' } }
  const received = JSON.parse(JSON.stringify(job(sent))) as Pick<JobSpec, 'framework'>
  const read = payload.read(received)
  expect(read).toEqual(sent)
  expect(read).not.toHaveProperty('pattern')
})

test('no payload reads as undefined', () => {
  expect(payload.read(job())).toBeUndefined()
  expect(payload.read({})).toBeUndefined()
})

test('a malformed field is a ProtocolError naming the framework, the field and what was expected', () => {
  expect(() => payload.read(job({ binary: 3, flags: [] }))).toThrow(
    new ProtocolError("job payload field 'go.data.binary': expected a string, got number")
  )
  expect(() => payload.read(job({ binary: 'b', flags: ['a', 1] }))).toThrow(
    "job payload field 'go.data.flags': expected an array of strings, got an array"
  )
  expect(() => payload.read(job({ binary: 'b', flags: [], doc: { name: null } }))).toThrow(
    "job payload field 'go.data.doc.name': expected a string, got null"
  )
})

test('a framework retrying a job with a malformed payload says which field is wrong', () => {
  const go = getFramework('go')
  const bad: JobSpec = {
    id: 'go-1',
    name: 'go',
    argv: ['true'],
    timeoutMs: 1000,
    labels: [],
    attempt: 1,
    layers: [],
    framework: { name: 'go', tests: ['p::TestA'], data: { pkg: 'p', pkgDir: 'p', binary: 7 } }
  }
  expect(() => go.retryJob?.(bad, ['p::TestA'])).toThrow("'go.data.binary'")
})
