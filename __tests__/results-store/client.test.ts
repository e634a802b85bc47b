/** The results-service client against the emulator over real HTTP. */
import { createServer, type AddressInfo } from 'node:net'
import {
  FaultInjector,
  startEmulator,
  type Emulator,
  type FaultOptions
} from '../../src/emulator/index.js'
import { UsageError } from '../../src/errors.js'
import {
  AlreadyExistsError,
  NotFoundError,
  ResultsClient,
  ResultsServiceError,
  runtimeFromEnv
} from '../../src/results-store/index.js'

let emu: Emulator
const quick = {
  attempts: 8,
  minDelayMs: 5,
  maxDelayMs: 50,
  factor: 2,
  budgetMs: 10_000,
  timeoutMs: 5000
}

beforeAll(async () => {
  emu = await startEmulator({ jobs: 2 })
})
afterAll(async () => {
  await emu?.stop()
})

function client(job = 0, retry: Partial<typeof quick> = quick): ResultsClient {
  return ResultsClient.fromEnv(emu.jobs[job]!.env, { retry })
}

describe('runtimeFromEnv', () => {
  test('reads the URL origin, the token and the backend ids in it', () => {
    const job = emu.jobs[0]!
    const runtime = runtimeFromEnv(job.env)
    expect(runtime.resultsUrl).toBe(new URL(emu.resultsUrl).origin)
    expect(runtime.token).toBe(job.token)
    expect(runtime.ids).toEqual(job.ids)
  })

  test('names the missing or malformed variable', () => {
    const env = emu.jobs[0]!.env
    expect(() => runtimeFromEnv({ ...env, ACTIONS_RESULTS_URL: '' })).toThrow(
      /ACTIONS_RESULTS_URL is not set/
    )
    expect(() => runtimeFromEnv({ ...env, ACTIONS_RUNTIME_TOKEN: undefined })).toThrow(UsageError)
    expect(() => runtimeFromEnv({ ...env, ACTIONS_RUNTIME_TOKEN: 'nope' })).toThrow(
      /ACTIONS_RUNTIME_TOKEN: .*JWT/
    )
    expect(() => runtimeFromEnv({ ...env, ACTIONS_RESULTS_URL: 'not a url' })).toThrow(/not a URL/)
  })
})

test('create, finalize, list, get, delete; counted per method', async () => {
  const c = client(0)
  const upload = await c.createArtifact('rc-one', { mimeType: 'application/octet-stream' })
  expect(upload).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*sig=/)
  const put = await fetch(upload, {
    method: 'PUT',
    headers: { 'x-ms-blob-type': 'BlockBlob' },
    body: 'hello'
  })
  expect(put.status).toBe(201)
  const id = await c.finalizeArtifact('rc-one', 5)
  expect(id).toMatch(/^\d+$/)

  // Another job of the run sees it (List is run-wide) and reads it with the creator's job id.
  const other = client(1)
  const [entry] = await other.listArtifacts({ nameFilter: 'rc-one' })
  expect(entry).toMatchObject({
    name: 'rc-one',
    id,
    size: '5',
    workflowJobRunBackendId: emu.jobs[0]!.ids.workflowJobRunBackendId
  })
  const url = await other.getSignedArtifactUrl('rc-one', entry!.workflowJobRunBackendId)
  expect(await (await fetch(url)).text()).toBe('hello')

  expect(await c.deleteArtifact('rc-one')).toBe(id)
  expect(await other.listArtifacts({ nameFilter: 'rc-one' })).toEqual([])
  expect(c.requestCounts()).toEqual({ CreateArtifact: 1, FinalizeArtifact: 1, DeleteArtifact: 1 })
  expect(other.requestCounts()).toEqual({ ListArtifacts: 2, GetSignedArtifactURL: 1 })
})

test('409 is an AlreadyExistsError, 404 a NotFoundError, neither retried', async () => {
  const c = client(0)
  await c.createArtifact('rc-twice')
  const again = c.createArtifact('rc-twice')
  await expect(again).rejects.toBeInstanceOf(AlreadyExistsError)
  await expect(again).rejects.toMatchObject({
    method: 'CreateArtifact',
    status: 409,
    code: 'already_exists',
    attempts: 1
  })
  const missing = c.getSignedArtifactUrl('rc-never')
  await expect(missing).rejects.toBeInstanceOf(NotFoundError)
  await expect(missing).rejects.toThrow(
    /GetSignedArtifactURL failed after 1 attempt: HTTP 404 not_found/
  )
})

test('transient failures are retried until they pass', async () => {
  emu.setFaults({ seed: 3, rate429: 0.3, rate500: 0.2, rateDrop: 0.1, methods: ['ListArtifacts'] })
  try {
    const c = client(1)
    for (let i = 0; i < 10; i++) expect(Array.isArray(await c.listArtifacts())).toBe(true)
    // More requests than calls: some were retries.
    expect(c.requestCounts()['ListArtifacts']).toBeGreaterThan(10)
  } finally {
    emu.setFaults(undefined)
  }
})

test('a spent budget says which call failed, how, and how often it was tried', async () => {
  emu.setFaults({ seed: 5, rate500: 1, methods: ['ListArtifacts'] })
  try {
    const c = client(1, { ...quick, attempts: 3 })
    const call = c.listArtifacts()
    await expect(call).rejects.toBeInstanceOf(ResultsServiceError)
    await expect(call).rejects.toMatchObject({ method: 'ListArtifacts', status: 500, attempts: 3 })
    await expect(call).rejects.toThrow(/ListArtifacts failed after 3 attempts: HTTP 500/)
  } finally {
    emu.setFaults(undefined)
  }
})

test('an unreachable service fails with no answer after the retries', async () => {
  const job = emu.jobs[0]!
  // A port that was free a moment ago: nothing listens there.
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise(resolve => server.close(resolve))
  const c = new ResultsClient({
    ...runtimeFromEnv(job.env),
    resultsUrl: `http://127.0.0.1:${port}`,
    retry: { ...quick, attempts: 2 }
  })
  await expect(c.listArtifacts()).rejects.toThrow(
    /ListArtifacts failed after 2 attempts: no answer: fetch failed \(ECONNREFUSED\)/
  )
})

/** A seed whose first decision for `method` loses the answer (`how`) and whose second is clean. */
function loseFirst(method: string, how: 'lost-drop' | 'lost-500'): FaultOptions {
  for (let seed = 1; ; seed++) {
    const options = { seed, rateLost: 0.5, methods: [method] }
    const injector = new FaultInjector(options)
    const first = injector.decide('twirp', method).fault
    if (first === how && injector.decide('twirp', method).fault === 'none') return options
  }
}

describe('a write whose answer was lost', () => {
  afterEach(() => emu.setFaults(undefined))

  test.each(['lost-drop', 'lost-500'] as const)(
    'CreateArtifact (%s): the retry meets our own artifact, a 409 that says so',
    async how => {
      const c = client(0)
      emu.setFaults(loseFirst('CreateArtifact', how))
      const call = c.createArtifact(`rc-lost-create-${how}`)
      await expect(call).rejects.toBeInstanceOf(AlreadyExistsError)
      await expect(call).rejects.toMatchObject({ attempts: 2, maybeApplied: true })
      // A 409 on the first attempt is someone else's artifact: not ours.
      emu.setFaults(undefined)
      await expect(c.createArtifact(`rc-lost-create-${how}`)).rejects.toMatchObject({
        attempts: 1,
        maybeApplied: false
      })
    }
  )

  test.each(['lost-drop', 'lost-500'] as const)(
    'FinalizeArtifact (%s) resolves with the id the lost attempt made',
    async how => {
      const c = client(0)
      const name = `rc-lost-finalize-${how}`
      await c.createArtifact(name)
      emu.setFaults(loseFirst('FinalizeArtifact', how))
      const id = await c.finalizeArtifact(name, 0)
      emu.setFaults(undefined)
      expect(c.requestCounts()['FinalizeArtifact']).toBe(2)
      const [entry] = await c.listArtifacts({ nameFilter: name })
      expect(entry?.id).toBe(id)
      // A second finalize of our own (no answer lost) is still an error.
      await expect(c.finalizeArtifact(name, 0)).rejects.toThrow(/already finalized/)
    }
  )

  test('DeleteArtifact resolves (with no id) when the lost attempt deleted it', async () => {
    const c = client(0)
    await c.createArtifact('rc-lost-delete')
    await c.finalizeArtifact('rc-lost-delete', 0)
    emu.setFaults(loseFirst('DeleteArtifact', 'lost-drop'))
    expect(await c.deleteArtifact('rc-lost-delete')).toBeUndefined()
    emu.setFaults(undefined)
    expect(await c.listArtifacts({ nameFilter: 'rc-lost-delete' })).toEqual([])
    await expect(c.deleteArtifact('rc-lost-delete')).rejects.toBeInstanceOf(NotFoundError)
  })
})
