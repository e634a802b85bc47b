import { parseGoVerbose } from '../../src/frameworks/go-verbose.js'
import type { GoTestOutcome } from '../../src/frameworks/go-verbose.js'

/** Real `-test.v` output of Go 1.19 (a panic ends the binary; two parallel tests never resume). */
const CRASHED = `=== RUN   TestA
    a_test.go:3: hi
out
--- PASS: TestA (0.00s)
=== RUN   TestB
=== RUN   TestB/s1
    a_test.go:4: bad
=== RUN   TestB/s2
--- FAIL: TestB (0.00s)
    --- FAIL: TestB/s1 (0.00s)
    --- PASS: TestB/s2 (0.00s)
=== RUN   TestP1
=== PAUSE TestP1
=== RUN   TestP2
=== PAUSE TestP2
=== RUN   TestS
    a_test.go:7: nope
--- SKIP: TestS (0.25s)
=== RUN   TestPanic
--- FAIL: TestPanic (0.00s)
panic: boom [recovered]
	panic: boom

goroutine 25 [running]:
testing.tRunner.func1.2({0x5031a0, 0x552170})
	/usr/lib/go-1.19/src/testing/testing.go:1396 +0x24e
x.TestPanic(0x0?)
	/home/ci/src/x/a_test.go:8 +0x27
testing.tRunner(0xc0000996c0, 0x52f8d0)
	/usr/lib/go-1.19/src/testing/testing.go:1446 +0x10b
`

function byName(outcomes: GoTestOutcome[]): Record<string, GoTestOutcome> {
  return Object.fromEntries(outcomes.map(o => [o.name, o]))
}

test('statuses, durations, subtests inside their test, paused tests that never ran left out', () => {
  const outcomes = parseGoVerbose(CRASHED, 'pkg/x')
  expect(outcomes.map(o => [o.name, o.status])).toEqual([
    ['TestA', 'passed'],
    ['TestB', 'failed'],
    ['TestS', 'skipped'],
    ['TestPanic', 'failed']
  ])
  const t = byName(outcomes)
  expect(t.TestA).toMatchObject({ output: '    a_test.go:3: hi\nout', durationMs: 0 })
  expect(t.TestA?.file).toBeUndefined()
  expect(t.TestB).toMatchObject({ file: 'pkg/x/a_test.go', line: 4, message: 'bad' })
  expect(t.TestB?.output).toContain('    --- FAIL: TestB/s1 (0.00s)')
  expect(t.TestS).toMatchObject({
    durationMs: 250,
    message: 'nope',
    file: 'pkg/x/a_test.go',
    line: 7
  })
})

test('a panic is located by its first frame in a test file, whatever machine built it', () => {
  const panicked = byName(parseGoVerbose(CRASHED, 'pkg/x')).TestPanic
  expect(panicked).toMatchObject({
    file: 'pkg/x/a_test.go',
    line: 8,
    message: 'panic: boom [recovered]'
  })
  expect(panicked?.output).toContain('goroutine 25 [running]')
  expect(panicked?.output).not.toMatch(/^PASS$|^FAIL$/m)
})

test('parallel output goes to the test named by CONT/NAME markers; framed lines read the same', () => {
  const text = [
    '=== RUN   TestP1',
    '=== PAUSE TestP1',
    '=== RUN   TestP2',
    '=== PAUSE TestP2',
    '=== CONT  TestP1',
    '\u0016=== CONT  TestP2',
    '    b_test.go:9: from p2',
    '=== NAME  TestP1',
    '    b_test.go:5: from p1',
    '\u0016--- FAIL: TestP1 (1.50s)',
    '--- PASS: TestP2 (0.01s)',
    'FAIL'
  ].join('\n')
  const t = byName(parseGoVerbose(text, '.'))
  expect(t.TestP1).toMatchObject({
    status: 'failed',
    durationMs: 1500,
    output: '    b_test.go:5: from p1',
    file: 'b_test.go',
    line: 5
  })
  expect(t.TestP2).toMatchObject({
    status: 'passed',
    durationMs: 10,
    output: '    b_test.go:9: from p2'
  })
})

test('a test still running when the binary died fails as "did not finish"', () => {
  const text = [
    '=== RUN   TestSleepy',
    '    a_test.go:13: before',
    'panic: test timed out after 1s',
    '',
    'goroutine 3 [running]:',
    'testing.(*M).startAlarm.func1()',
    '\t/usr/lib/go-1.19/src/testing/testing.go:2036 +0x8e'
  ].join('\n')
  const [outcome] = parseGoVerbose(text, 'calc')
  expect(outcome).toMatchObject({
    name: 'TestSleepy',
    status: 'failed',
    message: 'did not finish: panic: test timed out after 1s',
    file: 'calc/a_test.go',
    line: 13
  })
  // Cut mid-line by a kill: still read.
  expect(parseGoVerbose('=== RUN   TestX\n    x_test.go:1: hal', '.')[0]).toMatchObject({
    status: 'failed',
    line: 1
  })
})

test('full paths (-test.fullpath) and Windows line ends', () => {
  const text =
    '=== RUN   TestF\r\n    /src/mod/calc/f_test.go:12: nope\r\n--- FAIL: TestF (0.00s)\r\n'
  expect(parseGoVerbose(text, 'calc')[0]).toMatchObject({
    file: 'calc/f_test.go',
    line: 12,
    message: 'nope'
  })
})

test('nothing readable gives nothing', () => {
  expect(parseGoVerbose('', '.')).toEqual([])
  expect(parseGoVerbose('PASS\nok  \tx\t0.1s\ntesting: warning: no tests to run\n', '.')).toEqual(
    []
  )
  expect(parseGoVerbose('\u0000\u0001 garbage ---- === \n--- PASS: (0.0s)', '.')).toEqual([])
})

test('a log line that looks like a result line inside a subtest stays output', () => {
  const text = [
    '=== RUN   TestT',
    '=== RUN   TestT/a',
    '    --- PASS: TestT/a (0.00s)',
    '--- PASS: TestT (0.00s)'
  ].join('\n')
  expect(parseGoVerbose(text, '.')).toEqual([
    {
      name: 'TestT',
      status: 'passed',
      durationMs: 0,
      output: '=== RUN   TestT/a\n    --- PASS: TestT/a (0.00s)'
    }
  ])
})
