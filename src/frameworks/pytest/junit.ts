/**
 * Reads pytest's JUnit XML (`-o junit_family=xunit1`, which keeps `file` and `line`) into
 * per-test results whose ids are the node ids the listing gave. Pure; never throws.
 */
import { XMLParser } from 'fast-xml-parser'
import type { TestCaseResult, TestCaseStatus } from '../../protocol/types.js'
import { junitAddress, pytestItem } from './collect.js'

/** One `<testcase>` as written, attributes and children. */
interface XmlCase {
  classname?: string
  name?: string
  file?: string
  line?: string
  time?: string
  failure?: XmlDetail[]
  error?: XmlDetail[]
  skipped?: XmlDetail[]
  'system-out'?: (XmlDetail | string)[]
  'system-err'?: (XmlDetail | string)[]
}

interface XmlDetail {
  message?: string
  type?: string
  '#text'?: string
}

const ARRAYS = new Set([
  'testsuite',
  'testcase',
  'failure',
  'error',
  'skipped',
  'system-out',
  'system-err'
])

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // pytest writes newlines in attributes as `&#10;`: numeric references must be decoded.
  htmlEntities: true,
  isArray: name => ARRAYS.has(name)
})

/**
 * Results for every `<testcase>` in `xml`. A case whose (classname, name) matches one of
 * `tests` (node ids) takes that id exactly; any other is given an id rebuilt from its file
 * and classname. Broken or empty XML gives what could be read (often nothing).
 */
export function parsePytestJunit(xml: string, tests: readonly string[]): TestCaseResult[] {
  let cases: XmlCase[]
  try {
    cases = collectCases(parser.parse(xml) as unknown)
  } catch {
    return []
  }
  const byAddress = new Map<string, string>()
  for (const id of tests) {
    const { classname, name } = junitAddress(id)
    byAddress.set(`${classname}\u0000${name}`, id)
  }
  const results = new Map<string, TestCaseResult>()
  for (const xmlCase of cases) {
    const classname = xmlCase.classname ?? ''
    const name = xmlCase.name ?? ''
    const id = byAddress.get(`${classname}\u0000${name}`) ?? rebuildId(xmlCase)
    const result = toResult(id, xmlCase)
    const before = results.get(id)
    results.set(id, before ? merge(before, result) : result)
  }
  return [...results.values()]
}

/** Every `<testcase>` under `<testsuites>` or a bare `<testsuite>`. */
function collectCases(doc: unknown): XmlCase[] {
  const root = (doc ?? {}) as Record<string, unknown>
  const holder = (root.testsuites ?? root) as Record<string, unknown>
  const suites = Array.isArray(holder.testsuite) ? (holder.testsuite as unknown[]) : []
  return suites.flatMap(suite => {
    const list = (suite as { testcase?: unknown } | null)?.testcase
    return Array.isArray(list)
      ? (list as XmlCase[]).filter(c => typeof c === 'object' && c !== null)
      : []
  })
}

function toResult(id: string, xmlCase: XmlCase): TestCaseResult {
  const item = pytestItem(id)
  const failure = xmlCase.failure?.[0]
  const error = xmlCase.error?.[0]
  const skipped = xmlCase.skipped?.[0]
  let status: TestCaseStatus = 'passed'
  let detail: XmlDetail | undefined
  if (failure) [status, detail] = ['failed', failure]
  else if (error) [status, detail] = ['error', error]
  else if (skipped) [status, detail] = ['skipped', skipped]
  const seconds = Number(xmlCase.time)
  const file = xmlCase.file ?? item.file
  const result: TestCaseResult = {
    id,
    // As JUnit has it: the suite (classname) names the module and classes already.
    name: xmlCase.name || item.name,
    status,
    durationMs: Number.isFinite(seconds) ? Math.round(seconds * 1000) : 0
  }
  if (skipped?.type === 'pytest.xfail') result.kind = 'xfail'
  if (xmlCase.classname) result.suite = xmlCase.classname
  if (file) result.file = file
  const defLine = Number(xmlCase.line)
  const failLine = file && detail ? failureLine(textOf(detail), file) : undefined
  // pytest's `line` counts from 0.
  const line =
    failLine ?? (Number.isInteger(defLine) && xmlCase.line !== '' ? defLine + 1 : undefined)
  if (line !== undefined) result.line = line
  const message = detail ? messageOf(detail, status) : undefined
  if (message) result.message = message
  const output = [
    ...[failure, error].map(d => (d ? textOf(d) : '')),
    ...(xmlCase['system-out'] ?? []).map(d => withoutEmptySections(textOf(d))),
    ...(xmlCase['system-err'] ?? []).map(d => withoutEmptySections(textOf(d)))
  ]
    .filter(text => text.trim() !== '')
    .join('\n')
  if (output) result.output = output
  return result
}

function textOf(detail: XmlDetail | string): string {
  return typeof detail === 'string' ? detail : (detail['#text'] ?? '')
}

/** pytest writes a `---- Captured Log ----` header even over nothing: drop those. */
function withoutEmptySections(text: string): string {
  const parts = text.split(/^(-+ Captured [^\n]*? -+)$/m)
  let out = (parts[0] as string).trim() === '' ? '' : (parts[0] as string)
  for (let i = 1; i < parts.length; i += 2) {
    const body = parts[i + 1] ?? ''
    if (body.trim() !== '') out += `${parts[i] as string}${body}`
  }
  return out.trim()
}

function messageOf(detail: XmlDetail, status: TestCaseStatus): string | undefined {
  const message = detail.message?.trim()
  // A module skipped at collection: the reason is in the body, `('path', 3, 'Skipped: why')`.
  if (status === 'skipped' && message === 'collection skipped') {
    const reason = /^\(.*?, \d+, (['"])(?:Skipped: )?(.*)\1\)$/s.exec(textOf(detail).trim())?.[2]
    if (reason) return reason
  }
  if (status === 'skipped' && detail.type === 'pytest.xfail')
    return `xfail${message ? `: ${message}` : ''}`
  return message || textOf(detail).trim().split('\n').pop() || undefined
}

/**
 * The line of the last traceback entry in the test's own file (`tests/test_a.py:13: Error`),
 * where the failure happened as the test sees it.
 */
function failureLine(text: string, file: string): number | undefined {
  let line: number | undefined
  for (const match of text.matchAll(/^(.+?):(\d+): /gm)) {
    const path = match[1] as string
    if (path === file || path.endsWith(`/${file}`)) line = Number(match[2])
  }
  return line
}

/** A node id for a case the job did not list (a collection error, a renamed test). */
function rebuildId(xmlCase: XmlCase): string {
  const classname = xmlCase.classname ?? ''
  const name = xmlCase.name ?? ''
  if (classname === '') return xmlCase.file ?? `${name.replace(/\./g, '/')}.py`
  const file = xmlCase.file ?? `${classname.split('.').slice(0, -1).join('/')}.py`
  const module = file.replace(/\//g, '.').replace(/\.py$/, '')
  const classes = classname.startsWith(`${module}.`)
    ? classname.slice(module.length + 1).split('.')
    : []
  return [file, ...classes, name].join('::')
}

const rank: Record<TestCaseStatus, number> = { passed: 0, skipped: 1, error: 2, failed: 3 }

/** Two reports of one test (a plugin ran it twice): the worse status, both outputs. */
function merge(a: TestCaseResult, b: TestCaseResult): TestCaseResult {
  const worse = rank[b.status] > rank[a.status] ? b : a
  const output = [a.output, b.output].filter(Boolean).join('\n')
  return { ...worse, durationMs: a.durationMs + b.durationMs, ...(output ? { output } : {}) }
}
