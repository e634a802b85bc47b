/** Fault injection and short URL lifetimes, over real HTTP and a real Azurite. */
import { BlobClient } from '@azure/storage-blob'
import {
  FaultInjector,
  startEmulator,
  type Emulator,
  type FaultOptions
} from '../../src/emulator/index.js'
import { BlobError, BlobHttp } from '../../src/results-store/index.js'
import { twirp } from './helpers.js'

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ jobs: 1 })
})

afterAll(async () => {
  emulator.setFaults(undefined)
  await emulator?.stop()
})

function ids(): Record<string, string> {
  const job = emulator.jobs[0]
  return {
    workflow_run_backend_id: job.ids.workflowRunBackendId,
    workflow_job_run_backend_id: job.ids.workflowJobRunBackendId
  }
}

/** One sequential ListArtifacts call per entry: its status, or 'drop' for a cut connection. */
async function outcomes(count: number): Promise<string[]> {
  const seen: string[] = []
  for (let i = 0; i < count; i++) {
    try {
      const res = await twirp(
        emulator.resultsUrl,
        'ArtifactService',
        'ListArtifacts',
        emulator.jobs[0].token,
        ids()
      )
      seen.push(String(res.status))
    } catch {
      seen.push('drop')
    }
  }
  return seen
}

const faults: FaultOptions = { seed: 1234, rate429: 0.25, rate500: 0.2, rateDrop: 0.15 }

test('the same seed gives the same faults, of every kind asked', async () => {
  emulator.setFaults(faults)
  const first = await outcomes(40)
  emulator.setFaults(faults)
  const second = await outcomes(40)
  emulator.setFaults({ ...faults, seed: 99 })
  const other = await outcomes(40)
  emulator.setFaults(undefined)

  expect(second).toEqual(first)
  expect(other).not.toEqual(first)
  expect(new Set(first)).toEqual(new Set(['200', '429', '500', 'drop']))

  // The server follows the injector's decisions exactly.
  const injector = new FaultInjector(faults)
  const expected = first.map(() => {
    const f = injector.decide('twirp', 'ListArtifacts').fault
    return f === 'none' ? '200' : f
  })
  expect(first).toEqual(expected)
})

test('faults can be limited to some methods, and turned off', async () => {
  emulator.setFaults({ seed: 1, rate500: 1, methods: ['CreateArtifact'] })
  const listed = await outcomes(3)
  expect(listed).toEqual(['200', '200', '200'])
  const created = await twirp(
    emulator.resultsUrl,
    'ArtifactService',
    'CreateArtifact',
    emulator.jobs[0].token,
    {
      ...ids(),
      name: 'faulted',
      version: 4
    }
  )
  expect(created.status).toBe(500)
  expect(created.body).toEqual({ code: 'internal', msg: expect.any(String) })
  emulator.setFaults(undefined)
  expect(await outcomes(2)).toEqual(['200', '200'])
})

test('blob faults go through the proxy when asked: 503 ServerBusy, 500, dropped', async () => {
  const created = await twirp(
    emulator.resultsUrl,
    'ArtifactService',
    'CreateArtifact',
    emulator.jobs[0].token,
    {
      ...ids(),
      name: 'blob-faults',
      version: 4
    }
  )
  const url = created.body['signed_upload_url'] as string
  await new BlobClient(url).getAppendBlobClient().create()

  emulator.resetCounters()
  emulator.setFaults({ seed: 7, rate429: 1, blob: true, methods: ['GetBlobProperties'] })
  const busy = await fetch(url, { method: 'HEAD' })
  expect(busy.status).toBe(503)
  expect(busy.headers.get('x-ms-error-code')).toBe('ServerBusy')

  emulator.setFaults({ seed: 7, rate500: 1, blob: true })
  const failed = await fetch(url, { method: 'HEAD' })
  expect(failed.status).toBe(500)
  expect(failed.headers.get('x-ms-error-code')).toBe('InternalError')

  emulator.setFaults({ seed: 7, rateDrop: 1, blob: true })
  await expect(fetch(url, { method: 'HEAD' })).rejects.toThrow()

  // Without `blob`, blob requests pass untouched even at rate 1.
  emulator.setFaults({ seed: 7, rate500: 1 })
  expect((await fetch(url, { method: 'HEAD' })).status).toBe(200)
  emulator.setFaults(undefined)

  const c = emulator.counters()
  expect(c['blob:GetBlobProperties']).toBe(4)
  expect(c['fault:blob:503']).toBe(1)
  expect(c['fault:blob:500']).toBe(1)
  expect(c['fault:blob:drop']).toBe(1)
})

test('a short-lived download URL is refused with 403 once expired', async () => {
  const body = { ...ids(), name: 'short-lived', version: 4 }
  const token = emulator.jobs[0].token
  const created = await twirp(emulator.resultsUrl, 'ArtifactService', 'CreateArtifact', token, body)
  const writer = new BlobClient(created.body['signed_upload_url'] as string).getAppendBlobClient()
  await writer.create()
  await writer.appendBlock(Buffer.from('data'), 4)
  await twirp(emulator.resultsUrl, 'ArtifactService', 'FinalizeArtifact', token, {
    ...body,
    size: '4'
  })

  // SAS expiry has a one-second grain: 3 s leaves at least 2 s for the first read.
  emulator.setUrlLifetimes({ downloadUrlTtlMs: 3000 })
  const signed = await twirp(
    emulator.resultsUrl,
    'ArtifactService',
    'GetSignedArtifactURL',
    token,
    body
  )
  emulator.setUrlLifetimes({ downloadUrlTtlMs: 10 * 60 * 1000 })
  const url = signed.body['signed_url'] as string
  const se = new Date(new URL(url).searchParams.get('se') ?? '')

  const fresh = await fetch(url)
  expect(fresh.status).toBe(200)
  expect(await fresh.text()).toBe('data')

  await new Promise(r => setTimeout(r, Math.max(0, se.getTime() - Date.now()) + 1500))
  const expired = await fetch(url)
  expect(expired.status).toBe(403)
  expect(expired.headers.get('x-ms-error-code')).toBe('AuthenticationFailed')
  await expired.arrayBuffer()

  // A new URL works again: what a reader does on a 403.
  const renewed = await twirp(
    emulator.resultsUrl,
    'ArtifactService',
    'GetSignedArtifactURL',
    token,
    body
  )
  expect((await fetch(renewed.body['signed_url'] as string)).status).toBe(200)
})

test('a lost answer comes after the work: the artifact and the appended block are there', async () => {
  const token = emulator.jobs[0].token
  const body = { ...ids(), name: 'lost-answers', version: 4 }
  emulator.resetCounters()
  // Cut connection: the client sees no answer, yet the artifact exists (a second create is 409).
  emulator.setFaults({ seed: 2, rateLost: 1, methods: ['CreateArtifact'] })
  const seen: string[] = []
  for (const name of ['lost-a', 'lost-b', 'lost-c', 'lost-d']) {
    const created = twirp(emulator.resultsUrl, 'ArtifactService', 'CreateArtifact', token, {
      ...body,
      name
    })
    seen.push(await created.then(r => String(r.status)).catch(() => 'drop'))
  }
  emulator.setFaults(undefined)
  // Half cut the connection, half answer 500; all four were applied.
  expect(new Set(seen)).toEqual(new Set(['drop', '500']))
  for (const name of ['lost-a', 'lost-b', 'lost-c', 'lost-d']) {
    const again = await twirp(emulator.resultsUrl, 'ArtifactService', 'CreateArtifact', token, {
      ...body,
      name
    })
    expect({ name, status: again.status }).toEqual({ name, status: 409 })
  }

  const created = await twirp(emulator.resultsUrl, 'ArtifactService', 'CreateArtifact', token, body)
  const url = created.body['signed_upload_url'] as string
  const http = new BlobHttp()
  const signal = (): AbortSignal => AbortSignal.timeout(10_000)
  await http.createAppendBlob(url, signal())
  emulator.setFaults({ seed: 2, rateLost: 1, blob: true, methods: ['AppendBlock'] })
  await expect(http.appendBlock(url, Buffer.from('abc'), 0, signal())).rejects.toBeInstanceOf(
    BlobError
  )
  emulator.setFaults(undefined)
  // The block landed; a repeat at the same position is refused instead of writing it twice.
  expect(await http.blobLength(url, signal())).toBe(3)
  await expect(http.appendBlock(url, Buffer.from('abc'), 0, signal())).rejects.toMatchObject({
    status: 412,
    code: 'AppendPositionConditionNotMet'
  })
  expect(await http.blobLength(url, signal())).toBe(3)
  const c = emulator.counters()
  expect((c['fault:twirp:lost-drop'] ?? 0) + (c['fault:twirp:lost-500'] ?? 0)).toBe(4)
  expect(c['fault:twirp:CreateArtifact:lost']).toBe(4)
  expect(c['fault:blob:AppendBlock:lost']).toBe(1)
})
