import {
  junitAddress,
  parseCollectOutput,
  pytestItem
} from '../../../src/frameworks/pytest/collect.js'
import { parsePytestJunit } from '../../../src/frameworks/pytest/junit.js'
import type { TestCaseResult } from '../../../src/protocol/types.js'

const X = 'tests/test_x.py'

/** Real pytest 9 output (xunit1, junit_logging=all): a failure plus a teardown error, xfail, odd params. */
const XML = `<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="6" time="0.120"><testcase classname="tests.test_x" name="test_teardown" file="tests/test_x.py" line="7" time="0.001"><failure message="assert False">bad_teardown = None

    def test_teardown(bad_teardown):
        print("out here")
&gt;       assert False
E       assert False

tests/test_x.py:10: AssertionError</failure><system-out>--------------------------------- Captured Log ---------------------------------

--------------------------------- Captured Out ---------------------------------
out here

</system-out><system-err>--------------------------------- Captured Err ---------------------------------

</system-err></testcase><testcase classname="tests.test_x" name="test_teardown" file="tests/test_x.py" line="7" time="0.002"><error message="failed on teardown with &quot;RuntimeError: teardown broke&quot;">tests/test_x.py:6: RuntimeError</error></testcase><testcase classname="tests.test_x" name="test_xf" file="tests/test_x.py" line="11" time="0.001"><skipped type="pytest.xfail" message="known bug" /></testcase><testcase classname="tests.test_x" name="test_p[a.b]" file="tests/test_x.py" line="15" time="0.001" /><testcase classname="tests.test_x" name="test_p[c::d]" file="tests/test_x.py" line="15" time="0.001" /><testcase classname="tests.test_x" name="test_p[e[f]]" file="tests/test_x.py" line="15" time="0.000" /><testcase classname="tests.test_x.TestOuter.TestInner" name="test_deep" file="tests/test_x.py" line="21" time="1.5" /></testsuite></testsuites>`

const LISTED = [
  `${X}::test_teardown`,
  `${X}::test_xf`,
  `${X}::test_p[a.b]`,
  `${X}::test_p[c::d]`,
  `${X}::test_p[e[f]]`,
  `${X}::TestOuter::TestInner::test_deep`
]

function byId(cases: TestCaseResult[]): Record<string, TestCaseResult> {
  return Object.fromEntries(cases.map(c => [c.id, c]))
}

test('every case takes its listed node id exactly, odd parameters and nested classes included', () => {
  const cases = parsePytestJunit(XML, LISTED)
  expect(cases.map(c => c.id)).toEqual(LISTED)
  const c = byId(cases)
  expect(c[`${X}::TestOuter::TestInner::test_deep`]).toMatchObject({
    status: 'passed',
    name: 'test_deep',
    suite: 'tests.test_x.TestOuter.TestInner',
    file: X,
    line: 22,
    durationMs: 1500
  })
  expect(c[`${X}::test_p[c::d]`]).toMatchObject({ status: 'passed', name: 'test_p[c::d]' })
})

test('a failure with a teardown error is one failed case with both texts; line where it failed', () => {
  const failed = byId(parsePytestJunit(XML, LISTED))[`${X}::test_teardown`]
  expect(failed).toMatchObject({
    status: 'failed',
    file: X,
    line: 10,
    message: 'assert False',
    durationMs: 3
  })
  expect(failed?.output).toContain('tests/test_x.py:6: RuntimeError')
  expect(failed?.output).toContain('out here')
  // Empty "Captured …" sections are dropped.
  expect(failed?.output).not.toContain('Captured Log')
  expect(failed?.output).not.toContain('Captured Err')
})

test('xfail is a skip that says so; numeric entities in attributes are decoded', () => {
  const cases = byId(parsePytestJunit(XML, LISTED))
  expect(cases[`${X}::test_xf`]).toMatchObject({
    status: 'skipped',
    kind: 'xfail',
    message: 'xfail: known bug'
  })
  const xml = `<testsuite><testcase classname="t" name="test_a" file="t.py" line="0" time="x"><failure message="one&#10;two &amp; &lt;3">boom</failure></testcase></testsuite>`
  expect(parsePytestJunit(xml, ['t.py::test_a'])).toEqual([
    {
      id: 't.py::test_a',
      name: 'test_a',
      suite: 't',
      file: 't.py',
      line: 1,
      status: 'failed',
      durationMs: 0,
      message: 'one\ntwo & <3',
      output: 'boom'
    }
  ])
})

test('cases the job did not list get ids rebuilt from file and classname (collection errors too)', () => {
  const xml = `<testsuites><testsuite><testcase classname="" name="tests.test_broken" file="tests/test_broken.py" time="0.000"><error message="collection failure">E   ModuleNotFoundError: No module named 'nope'</error></testcase><testcase classname="tests.test_y.TestK" name="test_z[1]" file="tests/test_y.py" line="3" time="0.1"/></testsuite></testsuites>`
  const cases = byId(parsePytestJunit(xml, []))
  expect(cases['tests/test_broken.py']).toMatchObject({
    status: 'error',
    message: 'collection failure'
  })
  expect(cases['tests/test_y.py::TestK::test_z[1]']).toMatchObject({ status: 'passed', line: 4 })
})

test('a module skipped at collection is one skipped case with its reason (real pytest 9 XML)', () => {
  const xml = `<testsuites name="pytest tests"><testsuite name="pytest" skipped="1" tests="1"><testcase classname="" name="tests.test_needs_module" file="tests/test_needs_module.py" time="0.000"><skipped message="collection skipped">('/tmp/s/tests/test_needs_module.py', 3, "Skipped: could not import 'nope': No module named 'nope'")</skipped></testcase></testsuite></testsuites>`
  const [only, ...rest] = parsePytestJunit(xml, ['tests/test_needs_module.py'])
  expect(rest).toEqual([])
  expect(only).toMatchObject({
    id: 'tests/test_needs_module.py',
    status: 'skipped',
    message: "could not import 'nope': No module named 'nope'"
  })
  expect(only?.kind).toBeUndefined()
})

test('broken, empty or foreign XML gives no cases and never throws', () => {
  for (const xml of [
    '',
    '<testsuites><testsuite><testcase',
    'not xml at all',
    '<a><b/></a>',
    '<testsuites/>'
  ]) {
    expect(parsePytestJunit(xml, LISTED)).toEqual([])
  }
})

test('junitAddress mirrors pytest: dotted module, classes, parameters kept whole', () => {
  expect(junitAddress('tests/test_x.py::TestA::test_b[a.b/c::d]')).toEqual({
    classname: 'tests.test_x.TestA',
    name: 'test_b[a.b/c::d]'
  })
  expect(junitAddress('test_top.py::test_a')).toEqual({ classname: 'test_top', name: 'test_a' })
  expect(junitAddress('tests/test_broken.py')).toEqual({ classname: '', name: 'tests.test_broken' })
})

test('collect-only output: ids until the blank line, spaces in ids kept, summary ignored', () => {
  const out = `${X}::test_a\n${X}::test_p[neg one]\n\n2 tests collected in 0.01s\n\n=== warnings summary ===\nsomething::odd\n`
  expect(parseCollectOutput(out)).toEqual([`${X}::test_a`, `${X}::test_p[neg one]`])
  expect(parseCollectOutput('no tests collected in 0.01s\n')).toEqual([])
  expect(parseCollectOutput('')).toEqual([])
  expect(pytestItem(`${X}::TestA::test_b[x::y]`)).toEqual({
    id: `${X}::TestA::test_b[x::y]`,
    name: 'TestA::test_b[x::y]',
    file: X
  })
})
