/**
 * The unmodified @actions/artifact client against the emulator and a real Azurite, configured
 * only through the environment the runner would export.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DefaultArtifactClient } from '@actions/artifact'
import { emulatorEnv, startEmulator, type Emulator } from '../../src/emulator/index.js'
import { quietStdout, withEnv } from './helpers.js'

let emulator: Emulator
let dir: string
let restoreStdout: () => void

beforeAll(async () => {
  restoreStdout = quietStdout()
  emulator = await startEmulator({ jobs: 2 })
  dir = mkdtempSync(join(tmpdir(), 'squall-artifact-client-'))
})

afterAll(async () => {
  await emulator?.stop()
  rmSync(dir, { recursive: true, force: true })
  restoreStdout()
})

test('upload, list, get, download with digest check, delete', async () => {
  const source = join(dir, 'src')
  mkdirSync(source)
  writeFileSync(join(source, 'a.txt'), 'alpha\n')
  writeFileSync(join(source, 'b.bin'), Buffer.alloc(100_000, 7))
  const client = new DefaultArtifactClient()

  const uploaded = await withEnv(emulatorEnv(emulator, 0), () =>
    client.uploadArtifact('results-1', [join(source, 'a.txt'), join(source, 'b.bin')], source)
  )
  expect(uploaded.id).toBeGreaterThan(0)
  expect(uploaded.size).toBeGreaterThan(0)
  expect(uploaded.digest).toMatch(/^[0-9a-f]{64}$/)

  // Another job of the same run sees it: ListArtifacts is run-wide.
  await withEnv(emulatorEnv(emulator, 1), async () => {
    const { artifacts } = await client.listArtifacts()
    expect(artifacts.map(a => a.name)).toEqual(['results-1'])
    expect(artifacts[0]).toMatchObject({ id: uploaded.id, size: uploaded.size })
    expect(artifacts[0].createdAt).toBeInstanceOf(Date)
    expect(artifacts[0].digest).toBe(`sha256:${uploaded.digest}`)

    const { artifact } = await client.getArtifact('results-1')
    expect(artifact.id).toBe(uploaded.id)

    const out = join(dir, 'out')
    const downloaded = await client.downloadArtifact(artifact.id, {
      path: out,
      expectedHash: artifact.digest
    })
    expect(downloaded.digestMismatch).toBe(false)
    expect(readFileSync(join(out, 'a.txt'), 'utf8')).toBe('alpha\n')
    expect(readFileSync(join(out, 'b.bin')).equals(Buffer.alloc(100_000, 7))).toBe(true)

    const wrong = await client.downloadArtifact(artifact.id, {
      path: join(dir, 'out2'),
      expectedHash: `sha256:${'0'.repeat(64)}`
    })
    expect(wrong.digestMismatch).toBe(true)
  })

  const deleted = await withEnv(emulatorEnv(emulator, 0), () => client.deleteArtifact('results-1'))
  expect(deleted.id).toBe(uploaded.id)
  await withEnv(emulatorEnv(emulator, 1), async () => {
    expect((await client.listArtifacts()).artifacts).toEqual([])
    await expect(client.getArtifact('results-1')).rejects.toThrow(/not found/i)
  })

  const counters = emulator.counters()
  expect(counters['twirp:CreateArtifact']).toBe(1)
  expect(counters['twirp:FinalizeArtifact']).toBe(1)
  expect(counters['twirp:DeleteArtifact']).toBe(1)
  expect(counters['blob:GetBlob']).toBe(2)
  expect(counters[`artifacts-created:${emulator.jobs[0].ids.workflowJobRunBackendId}`]).toBe(1)
})

test('a raw file (skipArchive) keeps its name and bytes', async () => {
  const file = join(dir, 'report.json')
  const content = JSON.stringify({ hello: 'world' })
  writeFileSync(file, content)
  const client = new DefaultArtifactClient()
  await withEnv(emulatorEnv(emulator, 0), async () => {
    const up = await client.uploadArtifact('ignored', [file], dir, { skipArchive: true })
    expect(up.digest).toBe(createHash('sha256').update(content).digest('hex'))
    const out = join(dir, 'raw-out')
    const down = await client.downloadArtifact(up.id!, {
      path: out,
      expectedHash: `sha256:${up.digest}`
    })
    expect(down.digestMismatch).toBe(false)
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe(content)
  })
})

test('a second upload of the same name in the run is refused', async () => {
  const file = join(dir, 'dup.txt')
  writeFileSync(file, 'x')
  const client = new DefaultArtifactClient()
  await withEnv(emulatorEnv(emulator, 0), () => client.uploadArtifact('dup', [file], dir))
  await expect(
    withEnv(emulatorEnv(emulator, 1), () => client.uploadArtifact('dup', [file], dir))
  ).rejects.toThrow(/409/)
})

test('a re-run attempt lists and downloads what attempt 1 uploaded, and cannot reuse its name', async () => {
  const source = join(dir, 'attempts')
  mkdirSync(source)
  writeFileSync(join(source, 'results.json'), '{"attempt":1}\n')
  const client = new DefaultArtifactClient()
  const first = emulator.jobs[0]!
  await withEnv(emulatorEnv(emulator, 0), () =>
    client.uploadArtifact('from-attempt-1', [join(source, 'results.json')], source)
  )
  // A job of attempt 2: its token names another run backend id, as on GitHub.
  const rerun = emulator.mintJob(2)
  expect(rerun.ids.workflowRunBackendId).not.toBe(first.ids.workflowRunBackendId)
  await withEnv(rerun.env, async () => {
    const { artifacts } = await client.listArtifacts()
    const listed = artifacts.find(a => a.name === 'from-attempt-1')
    expect(listed).toBeDefined()
    const out = join(dir, 'attempts-out')
    const downloaded = await client.downloadArtifact(listed!.id, { path: out })
    expect(downloaded.digestMismatch).toBe(false)
    expect(readFileSync(join(out, 'results.json'), 'utf8')).toBe('{"attempt":1}\n')
    await expect(
      client.uploadArtifact('from-attempt-1', [join(source, 'results.json')], source)
    ).rejects.toThrow(/409|already exists/)
  })
})
