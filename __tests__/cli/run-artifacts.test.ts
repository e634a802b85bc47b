/**
 * `squall run --transport artifacts`: the broker and 3 workers share nothing but the emulated
 * artifact store, and the results equal the TCP transport's on the same suite.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeTempDir, runCliProcess } from '../helpers/cli.js'

let temp: { dir: string; remove: () => void }
beforeEach(() => {
  temp = makeTempDir()
})
afterEach(() => temp.remove())

interface Report {
  summary: { passed: number; failed: number; flaky: number; transport?: Record<string, number> }
  tests: { name: string; outcome: string }[]
}

test('same results over the artifact store as over TCP, with few artifacts per job', async () => {
  const jobs = [
    ...Array.from({ length: 12 }, (_, i) => ({
      name: `ok ${i}`,
      command: `sleep 0.${i % 4}; echo ${i}`
    })),
    { name: 'fails', command: 'echo nope >&2; exit 3' },
    { name: 'slow', command: 'sleep 1.5' },
    { name: 'times out', command: 'sleep 20', timeout: 1 }
  ]
  writeFileSync(join(temp.dir, 'jobs.json'), JSON.stringify(jobs))
  const run = async (transport: string): Promise<Report> => {
    const out = join(temp.dir, `${transport}.json`)
    const result = await runCliProcess(
      [
        'run',
        '--transport',
        transport,
        '--workers',
        '3',
        '--slots',
        '2',
        '--jobs',
        'jobs.json',
        '--json',
        out,
        '--no-timings'
      ],
      { cwd: temp.dir, timeoutMs: 150_000 }
    )
    expect(result.code).toBe(1)
    return JSON.parse(readFileSync(out, 'utf8')) as Report
  }
  const tcp = await run('tcp')
  const artifacts = await run('artifacts')
  const outcomes = (r: Report): Record<string, string> =>
    Object.fromEntries(r.tests.map(t => [t.name, t.outcome]))
  expect(outcomes(artifacts)).toEqual(outcomes(tcp))
  expect(outcomes(artifacts)['times out']).toBe('timed-out')
  const figures = artifacts.summary.transport ?? {}
  expect(figures.requests).toBeGreaterThan(0)
  // Each worker job creates its up stream (plus rollovers); the broker listen, closed and a down per link.
  for (const i of [1, 2, 3]) expect(figures[`artifacts.worker-${i}`]).toBeLessThanOrEqual(3)
  expect(figures['artifacts.broker']).toBeLessThanOrEqual(10)
}, 240_000)
