/** The emulator's wire format and limits, spoken to directly over HTTP. */
import { BlobClient } from '@azure/storage-blob'
import { mintRuntimeToken } from '../../src/results-store/index.js'
import { startEmulator, type Emulator, type EmulatorJob } from '../../src/emulator/index.js'
import { twirp } from './helpers.js'

let emulator: Emulator
let job0: EmulatorJob
let job1: EmulatorJob

beforeAll(async () => {
  emulator = await startEmulator({ jobs: 2 })
  ;[job0, job1] = emulator.jobs
})

afterAll(async () => {
  await emulator?.stop()
})

function ids(job: EmulatorJob): Record<string, string> {
  return {
    workflow_run_backend_id: job.ids.workflowRunBackendId,
    workflow_job_run_backend_id: job.ids.workflowJobRunBackendId
  }
}

const artifact = (method: string, job: EmulatorJob | undefined, body: unknown) =>
  twirp(emulator.resultsUrl, 'ArtifactService', method, job?.token, body)

async function createAndFinalize(job: EmulatorJob, name: string, size = '0'): Promise<string> {
  const created = await artifact('CreateArtifact', job, { ...ids(job), name, version: 4 })
  expect(created.status).toBe(200)
  const finalized = await artifact('FinalizeArtifact', job, { ...ids(job), name, size })
  expect(finalized.status).toBe(200)
  return finalized.body['artifact_id'] as string
}

test('answers are snake_case with ok: true and int64 as strings', async () => {
  const created = await artifact('CreateArtifact', job0, {
    ...ids(job0),
    name: 'wire-1',
    version: 7
  })
  expect(created.status).toBe(200)
  expect(Object.keys(created.body).sort()).toEqual(['ok', 'signed_upload_url'])
  expect(created.body['ok']).toBe(true)
  expect(created.body['signed_upload_url']).toMatch(
    /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/.*sig=/
  )

  // camelCase requests are accepted too, as proto3 JSON allows.
  const finalized = await artifact('FinalizeArtifact', job0, {
    workflowRunBackendId: job0.ids.workflowRunBackendId,
    workflowJobRunBackendId: job0.ids.workflowJobRunBackendId,
    name: 'wire-1',
    size: '1234',
    hash: 'sha256:abc'
  })
  expect(finalized.body['ok']).toBe(true)
  expect(finalized.body['artifact_id']).toMatch(/^\d+$/)

  const listed = await artifact('ListArtifacts', job0, { ...ids(job0), name_filter: 'wire-1' })
  expect(listed.body).toEqual({
    artifacts: [
      {
        workflow_run_backend_id: job0.ids.workflowRunBackendId,
        workflow_job_run_backend_id: job0.ids.workflowJobRunBackendId,
        database_id: finalized.body['artifact_id'],
        name: 'wire-1',
        size: '1234',
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
        digest: 'sha256:abc'
      }
    ]
  })
})

test('a name is unique in the run: 409 from another job too', async () => {
  await createAndFinalize(job0, 'dup-name')
  const again = await artifact('CreateArtifact', job1, {
    ...ids(job1),
    name: 'dup-name',
    version: 4
  })
  expect(again.status).toBe(409)
  expect(again.body).toEqual({ code: 'already_exists', msg: expect.any(String) })
})

test.each([
  ['empty', ''],
  ['too long', 'x'.repeat(257)],
  ['slash', 'a/b'],
  ['backslash', 'a\\b'],
  ['colon', 'a:b'],
  ['question mark', 'a?b'],
  ['newline', 'a\nb']
])('a bad name (%s) is 400 invalid_argument', async (_label, name) => {
  const res = await artifact('CreateArtifact', job0, { ...ids(job0), name, version: 4 })
  expect(res.status).toBe(400)
  expect(res.body['code']).toBe('invalid_argument')
})

test('a 256-character name is accepted', async () => {
  const res = await artifact('CreateArtifact', job0, {
    ...ids(job0),
    name: 'n'.repeat(256),
    version: 4
  })
  expect(res.status).toBe(200)
})

test('tokens: missing 401, forged 401, another run 403, another job 403', async () => {
  const body = { ...ids(job0), name: 'auth-test', version: 4 }
  expect((await artifact('CreateArtifact', undefined, body)).status).toBe(401)

  const forged = mintRuntimeToken(job0.ids, 'not-the-secret')
  const res = await twirp(emulator.resultsUrl, 'ArtifactService', 'CreateArtifact', forged, body)
  expect(res.status).toBe(401)
  expect(res.body['code']).toBe('unauthenticated')

  const otherRun = await artifact('CreateArtifact', job0, {
    ...body,
    workflow_run_backend_id: 'other-run'
  })
  expect(otherRun.status).toBe(403)
  expect(otherRun.body['code']).toBe('permission_denied')

  // One job cannot create or finalize in another job's name.
  expect((await artifact('CreateArtifact', job1, body)).status).toBe(403)
})

test('not found: finalize of an unknown name, signed URL of an unfinalized artifact', async () => {
  const fin = await artifact('FinalizeArtifact', job0, {
    ...ids(job0),
    name: 'never-created',
    size: '1'
  })
  expect(fin.status).toBe(404)
  expect(fin.body['code']).toBe('not_found')

  await artifact('CreateArtifact', job0, { ...ids(job0), name: 'pending', version: 4 })
  const url = await artifact('GetSignedArtifactURL', job0, { ...ids(job0), name: 'pending' })
  expect(url.status).toBe(404)
  const listed = await artifact('ListArtifacts', job0, { ...ids(job0), name_filter: 'pending' })
  expect(listed.body).toEqual({ artifacts: [] })
})

test('unknown routes are 404 bad_route', async () => {
  const res = await artifact('NoSuchMethod', job0, {})
  expect(res.status).toBe(404)
  expect(res.body['code']).toBe('bad_route')
})

test('ListArtifacts is run-wide across jobs, with name and id filters', async () => {
  const idA = await createAndFinalize(job0, 'runwide-a')
  const idB = await createAndFinalize(job1, 'runwide-b')
  const all = await artifact('ListArtifacts', job1, ids(job1))
  const names = (all.body['artifacts'] as Array<Record<string, string>>).map(a => a.name)
  expect(names).toEqual(expect.arrayContaining(['runwide-a', 'runwide-b']))

  const byId = await artifact('ListArtifacts', job1, { ...ids(job1), id_filter: idA })
  const found = byId.body['artifacts'] as Array<Record<string, string>>
  expect(found.map(a => [a.name, a.workflow_job_run_backend_id])).toEqual([
    ['runwide-a', job0.ids.workflowJobRunBackendId]
  ])
  const byName = await artifact('ListArtifacts', job0, { ...ids(job0), name_filter: 'runwide-b' })
  expect(
    (byName.body['artifacts'] as Array<Record<string, string>>).map(a => a.database_id)
  ).toEqual([idB])

  // The signed URL is asked with the artifact's own job id, as the client does.
  const url = await artifact('GetSignedArtifactURL', job1, {
    workflow_run_backend_id: job1.ids.workflowRunBackendId,
    workflow_job_run_backend_id: job0.ids.workflowJobRunBackendId,
    name: 'runwide-a'
  })
  expect(url.status).toBe(200)
  expect(Object.keys(url.body)).toEqual(['signed_url'])
  const wrongJob = await artifact('GetSignedArtifactURL', job1, { ...ids(job1), name: 'runwide-a' })
  expect(wrongJob.status).toBe(404)
})

test('an append-blob stream: create, finalize at once, append, read from an offset', async () => {
  emulator.resetCounters()
  const created = await artifact('CreateArtifact', job0, {
    ...ids(job0),
    name: 'stream-up',
    version: 4
  })
  const writer = new BlobClient(created.body['signed_upload_url'] as string).getAppendBlobClient()
  await writer.create()
  await artifact('FinalizeArtifact', job0, { ...ids(job0), name: 'stream-up', size: '0' })

  const signed = await artifact('GetSignedArtifactURL', job1, {
    ...ids(job1),
    workflow_job_run_backend_id: job0.ids.workflowJobRunBackendId,
    name: 'stream-up'
  })
  const url = signed.body['signed_url'] as string
  // Like Azure, a range on an empty blob, or one starting at its end, is 416 InvalidRange.
  const empty = await fetch(url, { headers: { range: 'bytes=0-' } })
  expect(empty.status).toBe(416)
  expect(empty.headers.get('x-ms-error-code')).toBe('InvalidRange')
  expect(empty.headers.get('content-range')).toBe('bytes */0')
  await empty.arrayBuffer()

  await writer.appendBlock(Buffer.from('hello '), 6)
  const first = await fetch(url, { headers: { range: 'bytes=0-' } })
  expect(first.status).toBe(206)
  expect(await first.text()).toBe('hello ')
  const etag = first.headers.get('etag') ?? ''
  expect(first.headers.get('content-disposition')).toContain('filename="stream-up.zip"')

  const unchanged = await fetch(url, { headers: { range: 'bytes=6-', 'if-none-match': etag } })
  expect(unchanged.status).toBe(304)
  await unchanged.arrayBuffer()

  await writer.appendBlock(Buffer.from('world'), 5)
  const next = await fetch(url, { headers: { range: 'bytes=6-', 'if-none-match': etag } })
  expect(next.status).toBe(206)
  expect(await next.text()).toBe('world')

  const past = await fetch(url, { headers: { range: 'bytes=11-' } })
  expect(past.status).toBe(416)
  expect(past.headers.get('content-range')).toBe('bytes */11')
  await past.arrayBuffer()

  // The download URL is read-only.
  const write = await new BlobClient(url)
    .getAppendBlobClient()
    .appendBlock(Buffer.from('x'), 1)
    .then(
      () => 'written',
      (e: { statusCode?: number }) => e.statusCode
    )
  expect(write).toBe(403)

  const c = emulator.counters()
  expect(c['blob:CreateAppendBlob']).toBe(1)
  expect(c['blob:AppendBlock']).toBe(3)
  expect(c['blob:GetBlobRange']).toBe(5)
  expect(c['blob-status:206']).toBe(2)
  expect(c['blob-status:304']).toBe(1)
  expect(c['blob-status:416']).toBe(2)
})

test('a job passing 500 created artifacts gets 429 resource_exhausted', async () => {
  const job = emulator.mintJob()
  for (let batch = 0; batch < 10; batch++) {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        artifact('CreateArtifact', job, { ...ids(job), name: `many-${batch * 50 + i}`, version: 4 })
      )
    )
    expect(results.map(r => r.status)).toEqual(Array(50).fill(200))
  }
  const over = await artifact('CreateArtifact', job, { ...ids(job), name: 'many-500', version: 4 })
  expect(over.status).toBe(429)
  expect(over.body['code']).toBe('resource_exhausted')
  expect(emulator.counters()[`artifacts-created:${job.ids.workflowJobRunBackendId}`]).toBe(500)
  // Other jobs are not affected.
  expect(
    (await artifact('CreateArtifact', job1, { ...ids(job1), name: 'after-limit', version: 4 }))
      .status
  ).toBe(200)
})
