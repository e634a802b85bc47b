/**
 * Waiting for a listing a warm session writes: its text once the file is there, and
 * undefined (the runner then lists by itself) once a worker says its session did not start
 * or no worker that could write it runs any more.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  awaitSessionListing,
  failedMarker,
  writeSessionListing
} from '../../../src/frameworks/core/session-listing.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'squall-session-listing-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

test('waits for the file and gives its text', async () => {
  const file = join(dir, 'listing.json')
  const waiting = awaitSessionListing({ file, alive: () => true })
  setTimeout(() => writeFileSync(file, '{"tests":[],"problems":[]}'), 100)
  await expect(waiting).resolves.toBe('{"tests":[],"problems":[]}')
})

test("a worker's marker ends the wait without a listing", async () => {
  const file = join(dir, 'listing.json')
  const waiting = awaitSessionListing({ file, alive: () => true })
  setTimeout(() => writeFileSync(failedMarker(file), 'the session exited\n'), 100)
  await expect(waiting).resolves.toBeUndefined()
})

test('no worker left: no listing, unless it was written just before they ended', async () => {
  const file = join(dir, 'listing.json')
  await expect(awaitSessionListing({ file, alive: () => false })).resolves.toBeUndefined()
  let running = true
  const waiting = awaitSessionListing({ file, alive: () => running })
  setTimeout(() => {
    writeFileSync(file, 'written last')
    running = false
  }, 100)
  await expect(waiting).resolves.toBe('written last')
})

test('markers written at once by several failed sessions are never seen half written', async () => {
  const file = join(dir, 'listing.json')
  const marker = failedMarker(file)
  const whys = Array.from({ length: 20 }, (_, i) => `session ${i} exited`)
  const seen: string[] = []
  let writing = true
  // A reader as eager as the runner's: whatever it finds must be a whole reason.
  const reader = (async () => {
    while (writing) {
      if (existsSync(marker)) {
        try {
          seen.push(readFileSync(marker, 'utf8'))
        } catch {
          // gone between the check and the read: nothing seen
        }
      }
      await new Promise(resolve => setImmediate(resolve))
    }
  })()
  await Promise.all(whys.map(why => writeSessionListing(file, undefined, why)))
  writing = false
  await reader
  seen.push(readFileSync(marker, 'utf8'))
  for (const text of seen) expect(whys.map(why => `${why}\n`)).toContain(text)
  // No temporary file is left behind.
  expect(readdirSync(dir).sort()).toEqual(['listing.json.failed'])
})
