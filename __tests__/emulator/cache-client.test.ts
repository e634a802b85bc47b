/** The unmodified @actions/cache client (cache service v2) against the emulator. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as cache from '@actions/cache'
import { emulatorEnv, startEmulator, type Emulator } from '../../src/emulator/index.js'
import { quietStdout, withEnv } from './helpers.js'

let emulator: Emulator
let dir: string
let restoreStdout: () => void
const cwd = process.cwd()

beforeAll(async () => {
  restoreStdout = quietStdout()
  emulator = await startEmulator({ jobs: 2 })
  dir = mkdtempSync(join(tmpdir(), 'squall-cache-client-'))
  // Cache paths are relative to the working directory, as in a workflow.
  process.chdir(dir)
})

afterAll(async () => {
  process.chdir(cwd)
  await emulator?.stop()
  rmSync(dir, { recursive: true, force: true })
  restoreStdout()
})

function env(job: number): Record<string, string> {
  return { ...emulatorEnv(emulator, job), RUNNER_TEMP: join(dir, `tmp-${job}`) }
}

test('save, then restore by exact key, by restore-key prefix, and miss', async () => {
  mkdirSync('deps')
  writeFileSync(join('deps', 'lock.txt'), 'v1 contents')

  const id = await withEnv(env(0), () => cache.saveCache(['deps'], 'deps-linux-abc'))
  expect(id).toBeGreaterThan(0)

  // A second save of the same key and version is refused; the client reports -1.
  const again = await withEnv(env(0), () => cache.saveCache(['deps'], 'deps-linux-abc'))
  expect(again).toBe(-1)

  rmSync('deps', { recursive: true })
  const exact = await withEnv(env(1), () => cache.restoreCache(['deps'], 'deps-linux-abc'))
  expect(exact).toBe('deps-linux-abc')
  expect(readFileSync(join('deps', 'lock.txt'), 'utf8')).toBe('v1 contents')

  rmSync('deps', { recursive: true })
  const prefix = await withEnv(env(1), () =>
    cache.restoreCache(['deps'], 'deps-linux-zzz', ['deps-mac-', 'deps-linux-'])
  )
  expect(prefix).toBe('deps-linux-abc')
  expect(readFileSync(join('deps', 'lock.txt'), 'utf8')).toBe('v1 contents')

  const miss = await withEnv(env(1), () => cache.restoreCache(['deps'], 'other-key', ['other-']))
  expect(miss).toBeUndefined()

  // Another path set is another version: no hit even with the same key.
  const otherVersion = await withEnv(env(1), () =>
    cache.restoreCache(['elsewhere'], 'deps-linux-abc')
  )
  expect(otherVersion).toBeUndefined()

  const counters = emulator.counters()
  expect(counters['twirp:CreateCacheEntry']).toBe(2)
  expect(counters['twirp:FinalizeCacheEntryUpload']).toBe(1)
  expect(counters['twirp:GetCacheEntryDownloadURL']).toBe(4)
  expect(counters['twirp-error:CreateCacheEntry:already_exists']).toBe(1)
})

test('a newer entry wins a restore-key match', async () => {
  mkdirSync('gen', { recursive: true })
  writeFileSync(join('gen', 'f'), 'old')
  await withEnv(env(0), () => cache.saveCache(['gen'], 'gen-1'))
  writeFileSync(join('gen', 'f'), 'new')
  await withEnv(env(0), () => cache.saveCache(['gen'], 'gen-2'))
  rmSync('gen', { recursive: true })
  const hit = await withEnv(env(1), () => cache.restoreCache(['gen'], 'gen-9', ['gen-']))
  expect(hit).toBe('gen-2')
  expect(readFileSync(join('gen', 'f'), 'utf8')).toBe('new')
})
