import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { JsonReporter, type JsonReport } from '../../src/report/json.js'
import { parseEvents, replay, serializeEvents } from '../../src/report/replay.js'
import { attempts, recordedRun, summary, tests } from './recorded-run.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'squall-json-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

async function written(events = recordedRun()): Promise<JsonReport> {
  const path = join(dir, 'out', 'results.json')
  await replay(events, [new JsonReporter({ path })])
  return JSON.parse(readFileSync(path, 'utf8')) as JsonReport
}

test('writes version, framework, summary and every test outcome', async () => {
  const report = await written()
  expect(report.version).toBe(1)
  expect(report.framework).toBe('jest')
  expect(report.summary).toEqual(summary)
  expect(report.tests).toEqual(JSON.parse(JSON.stringify(tests)))
})

test('lists every attempt of every job, retries included', async () => {
  const { jobs } = await written()
  const finished = recordedRun().flatMap(e => (e.type === 'job-finished' ? [e] : []))
  expect(jobs).toHaveLength(attempts.length)
  expect(jobs.map(j => [j.id, j.attempt, j.status, j.retry])).toEqual(
    finished.map(e => [e.result.id, e.result.attempt, e.result.status, e.retry])
  )
  expect(jobs[1]).toEqual({
    id: 'j-io',
    name: 'src/io.test.ts',
    attempt: 1,
    worker: 'w-2',
    status: 'failed',
    durationMs: 400,
    exitCode: 1,
    signal: null,
    message: null,
    startedAt: attempts[1]?.result.startedAt,
    retry: true
  })
  const slow = jobs.find(j => j.id === 'j-slow')
  expect(slow).toMatchObject({
    status: 'timed-out',
    exitCode: null,
    signal: 'SIGKILL',
    message: 'timed out after 5.0s'
  })
  expect(jobs.find(j => j.id === 'j-boom')).toMatchObject({
    worker: '',
    status: 'error',
    message: 'could not start: spawn jest ENOENT'
  })
})

test('a recording survives JSON Lines and replays to the same file', async () => {
  const direct = await written()
  const recorded = parseEvents(serializeEvents(recordedRun()))
  expect(await written(recorded)).toEqual(direct)
})

test('a broken recording names the line', () => {
  const text = `${serializeEvents(recordedRun().slice(0, 2))}\n{"type":\n`
  expect(() => parseEvents(text)).toThrow(/event recording line 4 is not JSON/)
  expect(() => parseEvents('{"at": 1}\n')).toThrow(/line 1 is not an event/)
})

test('no file and no report before run-finished', async () => {
  const reporter = new JsonReporter({ path: join(dir, 'never.json') })
  for (const event of recordedRun().slice(0, -1)) reporter.onEvent(event)
  expect(reporter.report()).toBeUndefined()
  await reporter.finish()
  expect(() => readFileSync(join(dir, 'never.json'))).toThrow(/ENOENT/)
})
