/**
 * Sessions started ahead that were asked to list the suite: a worker whose session cannot
 * start says so beside the listing file (the runner stops waiting and lists by itself), and
 * `--warm-session` carries the file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { failedMarker } from '../../../src/frameworks/core/session-listing.js'
import { SessionPool } from '../../../src/worker/session/pool.js'
import { parseWarmSession, prewarmSessions } from '../../../src/worker/session/prewarm.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'squall-prewarm-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

async function until(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 20_000) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 20))
  }
}

test('a session started ahead that cannot start leaves the failed marker', async () => {
  const pool = new SessionPool({ capacity: 2, killGraceMs: 100 })
  const listFile = join(dir, 'listing.json')
  const started = prewarmSessions(
    pool,
    { key: 'k', argv: [join(dir, 'no-such-interpreter')], listFile },
    { workDir: dir, env: process.env, outputCapBytes: 4096 },
    'local-1'
  )
  expect(started).toBe(true)
  await until(() => existsSync(failedMarker(listFile)), 'the failed marker')
  expect(readFileSync(failedMarker(listFile), 'utf8')).toMatch(/\S/)
  expect(existsSync(listFile)).toBe(false)
  await pool.close()
})

test('without a shared working directory nothing starts and the marker says so', async () => {
  const pool = new SessionPool({ capacity: 1, killGraceMs: 100 })
  const listFile = join(dir, 'listing.json')
  const started = prewarmSessions(
    pool,
    { key: 'k', argv: [process.execPath], listFile },
    { workDir: undefined, env: process.env, outputCapBytes: 4096 },
    'local-1'
  )
  expect(started).toBe(false)
  await until(() => existsSync(failedMarker(listFile)), 'the failed marker')
  expect(pool.size).toBe(0)
})

test('--warm-session carries the listing file and rejects a wrong one', () => {
  expect(parseWarmSession('{"key":"k","argv":["x"],"listFile":"/tmp/l.json"}')).toEqual({
    key: 'k',
    argv: ['x'],
    listFile: '/tmp/l.json'
  })
  expect(() => parseWarmSession('{"key":"k","argv":["x"],"listFile":3}')).toThrow(/listFile\?/)
})
