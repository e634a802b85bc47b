/**
 * What a reader of the run's artifacts can learn: `squall run --transport artifacts` against an
 * emulator this test holds, every blob read while the run goes and after it. Job env values,
 * test output and job names never appear in plaintext, and after the run only the empty
 * `closed` marker is left.
 */
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob'
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { emulatorEnv, type Emulator } from '../../../src/emulator/index.js'
import {
  devAccountKey,
  devAccountName,
  resultsContainer
} from '../../../src/emulator/blob-signer.js'
import { makeTempDir, runCliProcess } from '../../helpers/cli.js'
import { clientFor, emulator } from './helpers.js'

let emu: Emulator
let temp: { dir: string; remove: () => void }
beforeAll(async () => {
  emu = await emulator({ jobs: 1 })
  temp = makeTempDir()
})
afterAll(async () => {
  temp?.remove()
  await emu?.stop()
})

/** Every blob of the results container: name → bytes. */
async function readAllBlobs(): Promise<Map<string, Buffer>> {
  const container = new BlobServiceClient(
    `${emu.azuriteUrl}/${devAccountName}`,
    new StorageSharedKeyCredential(devAccountName, devAccountKey)
  ).getContainerClient(resultsContainer)
  const blobs = new Map<string, Buffer>()
  for await (const item of container.listBlobsFlat()) {
    try {
      blobs.set(item.name, await container.getBlobClient(item.name).downloadToBuffer())
    } catch {
      // Deleted between the listing and the read: it was read on an earlier pass, or is gone.
    }
  }
  return blobs
}

test('the run leaves no job env value, output or name readable, and no stream behind', async () => {
  const mark = randomBytes(6).toString('hex')
  const envValue = `envvalue${mark}`
  const outputLine = `printed${mark}`
  const jobName = `jobname${mark}`
  const jobs = [
    // Fails, so its output is reported (and so travels up the worker's stream).
    {
      name: 'prints',
      command: `echo "$MARKED"; echo ${outputLine}; exit 1`,
      env: { MARKED: envValue }
    },
    { name: jobName, command: 'sleep 2' },
    ...Array.from({ length: 4 }, (_, i) => ({ name: `filler ${i}`, command: 'sleep 1' }))
  ]
  writeFileSync(join(temp.dir, 'jobs.json'), JSON.stringify(jobs))
  const out = join(temp.dir, 'out.json')

  // Read every blob over and over while the run goes: what any reader could have seen.
  const seen = new Map<string, Buffer>()
  let running = true
  const watcher = (async () => {
    while (running) {
      for (const [name, bytes] of await readAllBlobs()) {
        if (bytes.length >= (seen.get(name)?.length ?? 0)) seen.set(name, bytes)
      }
      await new Promise(r => setTimeout(r, 200))
    }
  })()
  let result
  try {
    result = await runCliProcess(
      [
        'run',
        '--transport',
        'artifacts',
        '--workers',
        '2',
        '--slots',
        '1',
        '--jobs',
        'jobs.json',
        '--json',
        out,
        '--no-timings'
      ],
      // One job token for every process: the store is this test's emulator.
      { cwd: temp.dir, env: emulatorEnv(emu, 0), timeoutMs: 150_000 }
    )
  } finally {
    running = false
    await watcher
  }
  expect(result.code).toBe(1)
  // The marked values did travel: the job saw its env and its output came back.
  const report = readFileSync(out, 'utf8')
  expect(report).toContain(outputLine)
  expect(report).toContain(envValue)
  expect(report).toContain(jobName)

  // Stream blobs with data were read while the run went, and none holds a marked value.
  const withData = [...seen.values()].filter(b => b.length > 0)
  expect(withData.length).toBeGreaterThanOrEqual(4)
  const all = Buffer.concat([...seen.values()])
  for (const secret of [envValue, outputLine, jobName, mark]) {
    expect(all.includes(Buffer.from(secret))).toBe(false)
  }
  expect(all.includes(Buffer.from('"type"'))).toBe(false)

  // After the run: only the closed marker, empty.
  const left = await clientFor(emu, 0).listArtifacts()
  expect(left.map(a => a.name)).toEqual([expect.stringMatching(/^squall-.*-closed$/)])
  const blobs = await readAllBlobs()
  expect([...blobs.values()].map(b => b.length)).toEqual([0])
}, 200_000)
