/**
 * Quarantine: the list file, which tests it holds back from failing the run, the summary's
 * counts and exit code, and each entry's pass streak kept in the timing history (which stays
 * readable both ways: files without streaks, and streaks beside the older fields).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UsageError } from '../../src/errors.js'
import { renderJobSummary } from '../../src/report/job-summary.js'
import { renderSummary } from '../../src/report/terminal-summary.js'
import type { Outcome, TestOutcome } from '../../src/runner/events.js'
import { summarize } from '../../src/runner/outcomes.js'
import {
  applyQuarantine,
  parseQuarantine,
  readQuarantine,
  removable
} from '../../src/runner/quarantine.js'
import { TimingStore } from '../../src/runner/timings.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'squall-quarantine-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function test_(id: string, outcome: Outcome, file?: string): TestOutcome {
  return {
    id,
    name: id.split('::').pop() as string,
    ...(file ? { file } : {}),
    outcome,
    durationMs: 10,
    attempts: [
      {
        attempt: 1,
        worker: 'local-1',
        status: outcome === 'flaky' ? 'passed' : (outcome as 'passed'),
        durationMs: 10,
        ...(outcome === 'failed' ? { message: 'expected 1, got 2' } : {})
      }
    ]
  }
}

const summaryOf = (tests: TestOutcome[]) =>
  summarize({
    startedAt: 0,
    finishedAt: 100,
    entries: [],
    tests,
    failOnFlaky: true,
    slots: new Map()
  })

test('the file: one id per line, # comments, blank lines and repeats dropped', () => {
  const text = [
    '# known flaky, see #123',
    'src/net.test.ts::connects   # times out on CI',
    '',
    '  pkg::Test#job  ',
    'src/net.test.ts::connects',
    '\tsrc/slow.test.ts\r'
  ].join('\n')
  expect(parseQuarantine(text)).toEqual([
    'src/net.test.ts::connects',
    'pkg::Test#job',
    'src/slow.test.ts'
  ])
})

test('the default file may be missing; a file named by an option must exist', async () => {
  expect(await readQuarantine(join(dir, '.squall', 'quarantine'))).toEqual([])
  const given = readQuarantine(join(dir, 'nope'), '--quarantine')
  await expect(given).rejects.toThrow(UsageError)
  await expect(given).rejects.toThrow(/--quarantine: cannot read '.*nope'/)
  writeFileSync(join(dir, 'q'), 'a\nb\n')
  expect(await readQuarantine(join(dir, 'q'), '--quarantine')).toEqual(['a', 'b'])
})

test('a failing quarantined test does not fail the run; any other failure still does', () => {
  const tests = [
    test_('a::passes', 'passed'),
    test_('a::known', 'failed'),
    test_('b::flaky', 'flaky'),
    test_('c::new', 'failed')
  ]
  const history = TimingStore.empty()
  const held = applyQuarantine(tests, { ids: ['a::known', 'b::flaky', 'c::new'] }, history)
  expect(summaryOf(held.tests)).toMatchObject({ failed: 0, flaky: 0, passed: 1, exitCode: 0 })
  expect(held.summary).toMatchObject({ tests: 3, failed: 3 })

  const partly = applyQuarantine(tests, { ids: ['a::known', 'b::flaky'] }, history)
  expect(summaryOf(partly.tests)).toMatchObject({ failed: 1, flaky: 0, exitCode: 1 })
  expect(partly.tests.filter(t => t.quarantined).map(t => t.id)).toEqual(['a::known', 'b::flaky'])
  // Without a quarantine nothing changes.
  expect(summaryOf(applyQuarantine(tests, undefined, history).tests).failed).toBe(2)
})

test('an entry naming a file holds every test of that file', () => {
  const tests = [
    test_('src/x.test.ts::one', 'failed', 'src/x.test.ts'),
    test_('src/x.test.ts::two', 'passed', 'src/x.test.ts'),
    test_('src/y.test.ts::three', 'failed', 'src/y.test.ts')
  ]
  const { tests: marked, summary } = applyQuarantine(
    tests,
    { ids: ['src/x.test.ts'] },
    TimingStore.empty()
  )
  expect(marked.map(t => t.quarantined === true)).toEqual([true, true, false])
  expect(summary?.entries).toEqual([{ id: 'src/x.test.ts', tests: 2, streak: 0 }])
  expect(summaryOf(marked)).toMatchObject({ failed: 1, exitCode: 1 })
})

test('pass streaks: kept in the timing history, reset by a failure, suggested at N', async () => {
  const path = join(dir, '.squall', 'timings.json')
  const quarantine = { ids: ['t::q', 't::gone'], removeAfter: 3 }
  const run = async (outcome: Outcome) => {
    const history = await TimingStore.load(path)
    const out = applyQuarantine([test_('t::q', outcome)], quarantine, history)
    await history.save(path)
    return out.summary!
  }
  expect((await run('passed')).entries[0]?.streak).toBe(1)
  expect((await run('passed')).entries[0]?.streak).toBe(2)
  expect((await run('failed')).entries[0]?.streak).toBe(0)
  expect((await run('skipped')).entries[0]?.streak).toBe(0)
  for (let i = 1; i < 3; i++) expect(removable(await run('passed'))).toEqual([])
  const third = await run('passed')
  expect(removable(third)).toEqual([{ id: 't::q', tests: 1, streak: 3 }])
  // An entry that matched nothing keeps no streak to speak of.
  expect(third.entries[1]).toEqual({ id: 't::gone', tests: 0, streak: 0 })
  const file = JSON.parse(readFileSync(path, 'utf8')) as { version: number; streaks: object }
  expect(file.version).toBe(2)
  expect(file.streaks).toEqual({ 't::gone': 0, 't::q': 3 })
  // An entry taken off the list leaves the history with it.
  const later = await TimingStore.load(path)
  applyQuarantine([test_('t::q', 'passed')], { ids: ['t::q'] }, later)
  expect(later.toJSON().streaks).toEqual({ 't::q': 4 })
  applyQuarantine([], { ids: [] }, later)
  expect(later.toJSON()).not.toHaveProperty('streaks')

  // The summaries say so.
  const tests = applyQuarantine([test_('t::q', 'passed')], quarantine, await TimingStore.load(path))
  const summary = { ...summaryOf(tests.tests), quarantine: tests.summary }
  expect(renderSummary(summary, tests.tests)).toContain(
    'Passed 3 runs in a row, may leave the quarantine:\n  t::q (4 runs)'
  )
  expect(renderJobSummary(summary, tests.tests, 'jest')).toContain(
    '**May leave the quarantine** (passed 3 runs in a row): t::q (4 runs)'
  )
})

test('timing files without streaks still load, and malformed streaks are dropped', async () => {
  const path = join(dir, 'timings.json')
  writeFileSync(path, JSON.stringify({ version: 1, items: { a: { samples: [5], failed: false } } }))
  const old = await TimingStore.load(path)
  expect(old.warning).toBeUndefined()
  expect(old.passStreak('x')).toBe(0)
  expect(old.toJSON()).not.toHaveProperty('streaks')
  writeFileSync(
    path,
    JSON.stringify({
      version: 2,
      startup: {},
      items: { a: { samples: [5], failed: false } },
      streaks: { good: 4, bad: -1, worse: 'x', frac: 1.5 }
    })
  )
  const store = await TimingStore.load(path)
  expect(store.warning).toBeUndefined()
  expect(store.expected().get('a')).toBe(5)
  expect(store.toJSON().streaks).toEqual({ good: 4 })
})

test('the terminal and job summaries list quarantined tests apart from the failures', () => {
  const { tests, summary: q } = applyQuarantine(
    [test_('a::known', 'failed'), test_('a::other', 'failed')],
    { ids: ['a::known'] },
    TimingStore.empty()
  )
  const summary = { ...summaryOf(tests), quarantine: q }
  const text = renderSummary(summary, tests)
  expect(text).toContain('Failures (1):')
  expect(text).toContain('Quarantined (1), not failing the run:\n  FAIL known: expected 1, got 2')
  expect(text).toMatch(/1 quarantined failed \(not counted\)/)
  expect(text.trimEnd().split('\n').pop()).toBe('0 passed, 1 failed')
  const markdown = renderJobSummary(summary, tests, 'jest')
  expect(markdown).toContain('### Failures (1)')
  expect(markdown).toContain('### Quarantined (1): 1 failed, not failing the run')
  expect(markdown).toContain('| known | failed | expected 1, got 2 |')
})
