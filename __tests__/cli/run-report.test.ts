/**
 * `squall run` end to end with the run's picture and the quarantine: the built CLI on a small
 * commands suite writes the HTML report (timeline with the local workers' names), holds back
 * a quarantined failure (exit 0, listed apart in the terminal, JSON, JUnit and HTML), suggests
 * an entry that passed N runs in a row for removal, and still fails on any other failure.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { makeTempDir, runCliProcess } from '../helpers/cli.js'

let temp: { dir: string; remove: () => void }
beforeEach(() => {
  temp = makeTempDir()
})
afterEach(() => temp.remove())

function suite(dir: string): string {
  const jobs = [
    { name: 'passes', command: 'echo all good' },
    { name: 'known-bad', command: "echo 'expected <1>, got 2' >&2; exit 1" },
    { name: 'was-flaky', command: 'echo fine now' }
  ]
  const path = join(dir, 'jobs.json')
  writeFileSync(path, JSON.stringify(jobs))
  return path
}

const run = (args: string[]) =>
  runCliProcess(['run', '--workers', '2', '--slots', '1', '--cwd', temp.dir, ...args], {
    cwd: temp.dir,
    timeoutMs: 90_000
  })

test('a quarantined failure exits 0 and is listed apart; the HTML report draws the run', async () => {
  const jobs = suite(temp.dir)
  mkdirSync(join(temp.dir, '.squall'))
  writeFileSync(
    join(temp.dir, '.squall', 'quarantine'),
    '# known flaky\nknown-bad\nwas-flaky  # fixed?\n'
  )
  // The history says was-flaky passed the 9 runs before this one.
  writeFileSync(
    join(temp.dir, '.squall', 'timings.json'),
    JSON.stringify({ version: 2, startup: {}, items: {}, streaks: { 'was-flaky': 9 } })
  )
  const out = (name: string): string => join(temp.dir, 'out', name)
  const result = await run([
    '--jobs',
    jobs,
    '--html',
    out('report.html'),
    '--json',
    out('summary.json'),
    '--junit',
    out('junit.xml')
  ])
  expect(result.stderr).not.toMatch(/squall: /)
  expect(result.code).toBe(0)
  expect(result.stdout).toContain('Quarantined (2), not failing the run:')
  expect(result.stdout).toMatch(/FAIL\s+known-bad: exit code 1: expected <1>, got 2/)
  expect(result.stdout).toContain(
    'Passed 10 runs in a row, may leave the quarantine:\n  was-flaky (10 runs)'
  )
  expect(result.stdout).toMatch(/^2 passed, 0 failed$/m)

  const json = JSON.parse(readFileSync(out('summary.json'), 'utf8')) as {
    summary: { failed: number; exitCode: number; quarantine: { tests: number; failed: number } }
    tests: { id: string; outcome: string; quarantined?: boolean }[]
  }
  expect(json.summary).toMatchObject({
    failed: 0,
    exitCode: 0,
    quarantine: { tests: 2, failed: 1 }
  })
  expect(json.tests.find(t => t.id === 'known-bad')).toMatchObject({
    outcome: 'failed',
    quarantined: true
  })
  expect(json.tests.find(t => t.id === 'passes')?.quarantined).toBeUndefined()

  const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
    readFileSync(out('junit.xml'), 'utf8')
  ) as { testsuites: { testsuite: { testcase: Record<string, unknown>[] } } }
  const cases = junit.testsuites.testsuite.testcase
  expect(cases.find(c => c.name === 'known-bad')?.properties).toEqual({
    property: { name: 'quarantined', value: 'true' }
  })

  const history = JSON.parse(readFileSync(join(temp.dir, '.squall', 'timings.json'), 'utf8')) as {
    streaks: Record<string, number>
    items: Record<string, unknown>
  }
  expect(history.streaks).toEqual({ 'known-bad': 0, 'was-flaky': 10 })
  expect(Object.keys(history.items).sort()).toEqual(['known-bad', 'passes', 'was-flaky'])

  const html = readFileSync(out('report.html'), 'utf8')
  expect(XMLValidator.validate(html)).toBe(true)
  expect(html).toContain('<h2>Quarantined (2)</h2>')
  expect(html).toContain('expected &lt;1&gt;, got 2')
  const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'))
  // The local workers by name, and a bar for each of the three jobs.
  const workers = [...svg.matchAll(/class="w">([^<]*)</g)].map(m => m[1]).sort()
  expect(workers).toEqual(['local-1', 'local-2'])
  expect(svg.match(/<rect /g)).toHaveLength(3)
  expect(svg.match(/class="bad"/g)).toHaveLength(1)
}, 120_000)

test('a failure the quarantine does not name still exits 1', async () => {
  const jobs = suite(temp.dir)
  writeFileSync(join(temp.dir, 'q.txt'), 'was-flaky\n')
  const result = await run(['--jobs', jobs, '--quarantine', join(temp.dir, 'q.txt')])
  expect(result.code).toBe(1)
  expect(result.stdout).toContain('Failures (1):')
  expect(result.stdout).toContain('Quarantined (1), not failing the run:')
  expect(result.stdout).toMatch(/^2 passed, 1 failed$/m)
}, 120_000)

test('a missing quarantine file or an --html directory is a usage error before the run', async () => {
  const jobs = suite(temp.dir)
  const missing = await run(['--jobs', jobs, '--quarantine', join(temp.dir, 'nope')])
  expect(missing.code).toBe(2)
  expect(missing.stderr).toMatch(/--quarantine: cannot read '.*nope'/)
  const dir = await run(['--jobs', jobs, '--html', temp.dir])
  expect(dir.code).toBe(2)
  expect(dir.stderr).toContain(`--html: '${temp.dir}' is a directory; expected a file path`)
  expect(dir.stdout).not.toMatch(/passed/)
}, 120_000)
