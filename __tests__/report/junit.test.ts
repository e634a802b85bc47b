import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { JunitReporter, renderJunit } from '../../src/report/junit.js'
import { replay } from '../../src/report/replay.js'
import { ioMessage, recordedRun, summary, tests } from './recorded-run.js'

interface Failure {
  message: string
  type: string
  '#text'?: string
  stackTrace?: string
  'system-out'?: string
}
interface Case {
  name: string
  classname: string
  file?: string
  line?: string
  time: string
  failure?: Failure
  error?: Failure
  skipped?: unknown
  flakyFailure?: Failure[]
  rerunFailure?: Failure[]
}
interface Suite {
  name: string
  tests: string
  failures: string
  errors: string
  skipped: string
  time: string
  testcase: Case[]
}
interface Doc {
  testsuites: {
    name: string
    tests: string
    failures: string
    errors: string
    skipped: string
    time: string
    testsuite: Suite[]
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  isArray: name => ['testsuite', 'testcase', 'flakyFailure', 'rerunFailure'].includes(name)
})

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'squall-junit-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

async function written(): Promise<{ xml: string; doc: Doc }> {
  const path = join(dir, 'reports', 'nested', 'junit.xml')
  await replay(recordedRun(), [new JunitReporter({ path })])
  const xml = readFileSync(path, 'utf8')
  return { xml, doc: parser.parse(xml) as Doc }
}

function find(doc: Doc, name: string): Case {
  const found = doc.testsuites.testsuite.flatMap(s => s.testcase).find(c => c.name === name)
  if (!found) throw new Error(`no testcase ${name}`)
  return found
}

test('writes one well-formed file, creating parent directories', async () => {
  const { xml } = await written()
  expect(XMLValidator.validate(xml)).toBe(true)
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true)
})

test('totals on <testsuites> and on each <testsuite> agree with the outcomes', async () => {
  const { doc } = await written()
  const root = doc.testsuites
  const count = (...o: string[]): string => String(tests.filter(t => o.includes(t.outcome)).length)
  expect(root).toMatchObject({
    tests: String(tests.length),
    failures: count('failed'),
    errors: count('timed-out', 'error', 'cancelled'),
    skipped: count('skipped'),
    time: (summary.durationMs / 1000).toFixed(3)
  })
  // Suite by suite name, else file, else the framework.
  expect(root.testsuite.map(s => s.name)).toEqual(['math', 'io', 'net', 'jest'])
  for (const suite of root.testsuite) {
    const members = tests.filter(t => (t.suite ?? t.file ?? 'jest') === suite.name)
    expect(suite.testcase.map(c => c.name)).toEqual(members.map(t => t.name))
    expect(suite).toMatchObject({
      tests: String(members.length),
      failures: String(members.filter(t => t.outcome === 'failed').length),
      errors: String(
        members.filter(t => ['timed-out', 'error', 'cancelled'].includes(t.outcome)).length
      ),
      skipped: String(members.filter(t => t.outcome === 'skipped').length)
    })
  }
})

test('a passing test carries name, classname, file, line and time and nothing else', async () => {
  const { doc } = await written()
  expect(find(doc, 'adds')).toEqual({
    name: 'adds',
    classname: 'math',
    file: 'src/math.test.ts',
    line: '3',
    time: '0.120'
  })
})

test('a skipped test has <skipped> with its reason', async () => {
  const { doc } = await written()
  expect(find(doc, 'divides').skipped).toEqual({ message: 'todo' })
})

test('a failed test that was retried has <failure> with output and one <rerunFailure>', async () => {
  const { doc } = await written()
  const reads = find(doc, 'reads <file> & "quotes"')
  expect(reads.classname).toBe('io')
  expect(reads.failure?.message).toBe('expected 2, got 3')
  expect(reads.failure?.type).toBe('failed')
  expect(reads.failure?.['#text']).toContain('at Object.<anonymous> (src/io.test.ts:12:5)')
  expect(reads.failure?.['#text']).toContain('<tag attr="v"> & \'apos\'')
  expect(reads.rerunFailure).toHaveLength(1)
  expect(reads.rerunFailure?.[0]?.stackTrace).toBe(ioMessage)
  expect(reads.flakyFailure).toBeUndefined()
})

test('a flaky test passes with a <flakyFailure> per failed attempt, its output in <system-out>', async () => {
  const { doc } = await written()
  const connects = find(doc, 'connects')
  expect(connects.failure).toBeUndefined()
  expect(connects.error).toBeUndefined()
  expect(connects.flakyFailure).toHaveLength(1)
  expect(connects.flakyFailure?.[0]).toMatchObject({
    message: 'ECONNRESET',
    type: 'failed',
    stackTrace: 'ECONNRESET',
    'system-out': 'socket hang up'
  })
})

test('timed-out and errored tests are <error> with their type', async () => {
  const { doc } = await written()
  const slow = find(doc, 'src/slow.test.ts')
  expect(slow.classname).toBe('jest')
  expect(slow.error).toMatchObject({ message: 'timed out after 5.0s', type: 'timed-out' })
  expect(slow.error?.['#text']).toContain('slow line 30')
  expect(find(doc, 'src/boom.test.ts').error).toMatchObject({
    message: 'could not start: spawn jest ENOENT',
    type: 'error'
  })
})

test('escapes markup and replaces what XML cannot carry', async () => {
  const { xml, doc } = await written()
  expect(xml).toContain('name="reads &lt;file&gt; &amp; &quot;quotes&quot;"')
  // Colours are removed; a bell becomes visible text; an unpaired surrogate becomes U+FFFD.
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/)
  expect(xml).not.toMatch(/[\ud800-\udfff]/u)
  const text = find(doc, 'reads <file> & "quotes"').failure?.['#text'] ?? ''
  expect(text).toContain('reading red file\\x07 bell')
  expect(text).toContain('\ufffd done')
})

test('names with newlines stay on one line in attributes', () => {
  const test = {
    ...(tests[0] as (typeof tests)[number]),
    name: 'line one\nline two',
    suite: 'a\tb'
  }
  const doc = parser.parse(renderJunit([test], summary, 'jest')) as Doc
  expect(doc.testsuites.testsuite[0]?.testcase[0]?.name).toBe('line one line two')
})

test('writes nothing until the run has finished', async () => {
  const path = join(dir, 'junit.xml')
  const reporter = new JunitReporter({ path })
  for (const event of recordedRun().slice(0, -1)) reporter.onEvent(event)
  await reporter.finish()
  expect(existsSync(path)).toBe(false)
})

test('a skip the framework calls xfail or todo keeps that word as the <skipped> type', () => {
  const skipped = tests[2] as (typeof tests)[number]
  expect(skipped.outcome).toBe('skipped')
  const xfail = { ...skipped, kind: 'xfail' as const }
  const doc = parser.parse(renderJunit([xfail], summary, 'pytest')) as Doc
  expect(doc.testsuites.testsuite[0]?.testcase[0]?.skipped).toEqual({
    type: 'xfail',
    message: 'todo'
  })
  expect(doc.testsuites.skipped).toBe('1')
})

test('a quarantined test carries a quarantined property; a value of "true" stays an attribute value', () => {
  const marked = tests.map(t =>
    t.id === 'io::reads'
      ? { ...t, quarantined: true as const }
      : t.id === 'math::adds'
        ? { ...t, name: 'true' }
        : t
  )
  const xml = renderJunit(marked, summary, 'jest')
  expect(XMLValidator.validate(xml)).toBe(true)
  expect(xml).toMatch(
    /<testcase name="reads &lt;file&gt; &amp; &quot;quotes&quot;"[^>]*>\s*<properties>\s*<property name="quarantined" value="true"\/>\s*<\/properties>\s*<failure /
  )
  expect(xml).toContain('<testcase name="true"')
  expect(xml.match(/<properties>/g)).toHaveLength(1)
})
