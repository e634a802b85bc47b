/**
 * One merged JUnit XML file for the whole run. A <testsuite> per suite (the test's suite, else
 * its file, else the framework). Flaky tests pass with a <flakyFailure> per failed attempt;
 * failed tests that were retried carry a <rerunFailure> per extra failed attempt (the
 * Surefire conventions that CI test viewers read).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { XMLBuilder } from 'fast-xml-parser'
import { failingOutcomes, type RunSummary, type TestOutcome } from '../runner/events.js'
import { firstLine } from './format.js'
import { RunEndReporter, type RunEnd } from './run-end-reporter.js'
import { xmlAttribute, xmlText } from './xml-text.js'

export interface JunitOptions {
  /** Where to write; parent directories are created. */
  path: string
  /** Name of the top-level <testsuites> (default `squall`). */
  name?: string
}

type Attempt = TestOutcome['attempts'][number]
type XmlNode = Record<string, unknown>

/** Writes the JUnit file once the run has finished. */
export class JunitReporter extends RunEndReporter {
  constructor(private readonly options: JunitOptions) {
    super('squall')
  }

  protected async write({ tests, summary, framework }: RunEnd): Promise<void> {
    const xml = renderJunit(tests, summary, framework, this.options.name)
    await mkdir(dirname(this.options.path), { recursive: true })
    await writeFile(this.options.path, xml)
  }
}

/** The JUnit document for a finished run. Pure. */
export function renderJunit(
  tests: readonly TestOutcome[],
  summary: RunSummary,
  framework: string,
  name = 'squall'
): string {
  const suites = new Map<string, TestOutcome[]>()
  for (const test of tests) {
    const suite = test.suite ?? test.file ?? framework
    const list = suites.get(suite)
    if (list) list.push(test)
    else suites.set(suite, [test])
  }
  const timestamp = new Date(summary.startedAt).toISOString().replace(/\.\d{3}Z$/, '')
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': xmlAttribute(name),
      ...counts(tests),
      '@_time': seconds(summary.durationMs),
      '@_timestamp': timestamp,
      testsuite: [...suites].map(([suite, list]) => ({
        '@_name': xmlAttribute(suite),
        ...counts(list),
        '@_time': seconds(list.reduce((sum, t) => sum + t.durationMs, 0)),
        '@_timestamp': timestamp,
        testcase: list.map(test => testcase(test, suite))
      }))
    }
  }
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    suppressEmptyNode: true,
    // An attribute whose value is "true" (a property, a test named so) keeps its value.
    suppressBooleanAttributes: false,
    processEntities: true
  })
  return builder.build(doc) as string
}

function counts(tests: readonly TestOutcome[]): XmlNode {
  const count = (...outcomes: string[]): number =>
    tests.filter(t => outcomes.includes(t.outcome)).length
  return {
    '@_tests': tests.length,
    '@_failures': count('failed'),
    '@_errors': count('timed-out', 'error', 'cancelled'),
    '@_skipped': count('skipped')
  }
}

function testcase(test: TestOutcome, classname: string): XmlNode {
  const node: XmlNode = {
    '@_name': xmlAttribute(test.name),
    '@_classname': xmlAttribute(classname),
    '@_time': seconds(test.durationMs)
  }
  if (test.file) node['@_file'] = xmlAttribute(test.file)
  if (test.line) node['@_line'] = test.line
  // Surefire-style test properties: viewers show them, and tools can leave these out.
  const properties: { '@_name': string; '@_value': string | number }[] = []
  if (test.quarantined) properties.push({ '@_name': 'quarantined', '@_value': 'true' })
  if (test.fromAttempt !== undefined) {
    // Carried over from an earlier run attempt: said as a property (for tools) and in words.
    properties.push({ '@_name': 'squall.carried-over-from-attempt', '@_value': test.fromAttempt })
  }
  if (properties.length > 0) node.properties = { property: properties }
  const failed = test.attempts.filter(a => failingOutcomes.has(a.status))
  const last = failed[failed.length - 1] ?? test.attempts[test.attempts.length - 1]
  switch (test.outcome) {
    case 'skipped': {
      const message = test.attempts.find(a => a.message)?.message
      // The framework's word (xfail, todo) as the skip's type, the way pytest's own report has it.
      const attrs = {
        ...(test.kind ? { '@_type': test.kind } : {}),
        ...(message ? { '@_message': xmlAttribute(firstLine(message, 500)) } : {})
      }
      node.skipped = Object.keys(attrs).length > 0 ? attrs : ''
      break
    }
    case 'flaky':
      node.flakyFailure = failed.map(rerun)
      break
    case 'failed':
      node.failure = verdict(last, 'failed')
      if (failed.length > 1) node.rerunFailure = failed.slice(0, -1).map(rerun)
      break
    case 'timed-out':
    case 'error':
    case 'cancelled':
      node.error = verdict(last, test.outcome)
      if (failed.length > 1) node.rerunFailure = failed.slice(0, -1).map(rerun)
      break
    default:
      break
  }
  if (test.fromAttempt !== undefined)
    node['system-out'] = `carried over from run attempt ${test.fromAttempt}: not run again`
  return node
}

/** <failure>/<error>: the message in the attribute, message and output in the body. */
function verdict(attempt: Attempt | undefined, type: string): XmlNode {
  const body = [attempt?.message, attempt?.output]
    .filter(text => text && text.trim() !== '')
    .join('\n\n')
  const node: XmlNode = { '@_message': message(attempt, type), '@_type': type }
  if (body !== '') node['#text'] = xmlText(body)
  return node
}

/** <flakyFailure>/<rerunFailure>: one failed attempt, Surefire style. */
function rerun(attempt: Attempt): XmlNode {
  const node: XmlNode = { '@_message': message(attempt, attempt.status), '@_type': attempt.status }
  if (attempt.message) node.stackTrace = xmlText(attempt.message)
  if (attempt.output && attempt.output.trim() !== '') node['system-out'] = xmlText(attempt.output)
  return node
}

function message(attempt: Attempt | undefined, fallback: string): string {
  const text = attempt?.message ? firstLine(attempt.message, 500) : ''
  return xmlAttribute(text !== '' ? text : fallback)
}

const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3)
