import { parseGoVerbose } from '../../../src/frameworks/go/verbose.js'
import type { GoTestOutcome } from '../../../src/frameworks/go/verbose.js'

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

test('statuses, durations, subtests inside their test and on their own, paused tests that never ran left out', () => {
  const outcomes = parseGoVerbose(CRASHED, 'pkg/x')
  expect(outcomes.map(o => [o.name, o.status])).toEqual([
    ['TestA', 'passed'],
    ['TestB', 'failed'],
    ['TestB/s1', 'failed'],
    ['TestB/s2', 'passed'],
    ['TestS', 'skipped'],
    ['TestPanic', 'failed']
  ])
  const t = byName(outcomes)
  expect(t.TestA).toMatchObject({ output: '    a_test.go:3: hi\nout', durationMs: 0 })
  expect(t.TestA?.file).toBeUndefined()
  expect(t.TestB).toMatchObject({ file: 'pkg/x/a_test.go', line: 4, message: 'bad' })
  expect(t.TestB?.output).toContain('    --- FAIL: TestB/s1 (0.00s)')
  expect(t['TestB/s1']).toMatchObject({
    output: '    a_test.go:4: bad',
    file: 'pkg/x/a_test.go',
    line: 4,
    message: 'bad'
  })
  expect(t['TestB/s2']).toEqual({ name: 'TestB/s2', status: 'passed', durationMs: 0, output: '' })
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

/** Real `-test.v` output of Go 1.19 for the go-suite fixture's subtests (calc/subtests_test.go). */
const SUBTESTS = `=== RUN   TestNested
=== RUN   TestNested/outer
=== RUN   TestNested/outer/inner
=== RUN   TestNested/outer/later
    subtests_test.go:15: not ready either
--- PASS: TestNested (0.00s)
    --- PASS: TestNested/outer (0.00s)
        --- PASS: TestNested/outer/inner (0.00s)
        --- SKIP: TestNested/outer/later (0.00s)
=== RUN   TestSubFails
=== RUN   TestSubFails/good
=== RUN   TestSubFails/bad
    subtests_test.go:23: one and one: got 2, want 3
--- FAIL: TestSubFails (0.00s)
    --- PASS: TestSubFails/good (0.00s)
    --- FAIL: TestSubFails/bad (0.00s)
=== RUN   TestCases
=== RUN   TestCases/one_plus_one
=== PAUSE TestCases/one_plus_one
=== RUN   TestCases/twice
=== PAUSE TestCases/twice
=== RUN   TestCases/twice#01
=== PAUSE TestCases/twice#01
=== CONT  TestCases/one_plus_one
=== CONT  TestCases/twice#01
    subtests_test.go:37: from the second twice
=== CONT  TestCases/twice
--- PASS: TestCases (0.02s)
    --- PASS: TestCases/one_plus_one (0.01s)
    --- PASS: TestCases/twice#01 (0.00s)
    --- PASS: TestCases/twice (0.00s)
FAIL
`

test('every subtest is its own outcome, nested and parallel ones too, in the order they started', () => {
  const outcomes = parseGoVerbose(SUBTESTS, 'calc')
  expect(outcomes.map(o => [o.name, o.status, o.durationMs])).toEqual([
    ['TestNested', 'passed', 0],
    ['TestNested/outer', 'passed', 0],
    ['TestNested/outer/inner', 'passed', 0],
    ['TestNested/outer/later', 'skipped', 0],
    ['TestSubFails', 'failed', 0],
    ['TestSubFails/good', 'passed', 0],
    ['TestSubFails/bad', 'failed', 0],
    ['TestCases', 'passed', 20],
    ['TestCases/one_plus_one', 'passed', 10],
    ['TestCases/twice', 'passed', 0],
    ['TestCases/twice#01', 'passed', 0]
  ])
  const t = byName(outcomes)
  expect(t['TestNested/outer/later']).toMatchObject({
    message: 'not ready either',
    file: 'calc/subtests_test.go',
    line: 15,
    output: '    subtests_test.go:15: not ready either'
  })
  // A parent keeps its subtests' lines; it passed, so it points nowhere.
  expect(t.TestNested?.output).toContain('        --- SKIP: TestNested/outer/later (0.00s)')
  expect(t.TestNested?.output).toContain('subtests_test.go:15: not ready either')
  expect(t.TestNested?.file).toBeUndefined()
  expect(t['TestNested/outer']?.output).toContain('=== RUN   TestNested/outer/inner')
  // A parent that failed through a subtest points where the subtest failed.
  for (const name of ['TestSubFails', 'TestSubFails/bad']) {
    expect(t[name]).toMatchObject({
      status: 'failed',
      file: 'calc/subtests_test.go',
      line: 23,
      message: 'one and one: got 2, want 3'
    })
  }
  expect(t['TestSubFails/good']?.output).toBe('')
  // Output of a parallel subtest goes to the one its CONT marker names.
  expect(t['TestCases/twice#01']?.output).toBe('    subtests_test.go:37: from the second twice')
  expect(t['TestCases/twice']?.output).toBe('')
})

test('a panic in a nested subtest fails it and its parents, located where it panicked', () => {
  // Real Go 1.19 output: the passing subtest logged first, and must not be blamed.
  const text = [
    '=== RUN   TestOuter',
    '=== RUN   TestOuter/fine',
    '    a_test.go:6: ok here',
    '=== RUN   TestOuter/boom',
    '=== RUN   TestOuter/boom/deep',
    '--- FAIL: TestOuter (0.00s)',
    '    --- PASS: TestOuter/fine (0.00s)',
    '    --- FAIL: TestOuter/boom (0.00s)',
    '        --- FAIL: TestOuter/boom/deep (0.00s)',
    'panic: assignment to entry in nil map [recovered]',
    '\tpanic: assignment to entry in nil map',
    '',
    'goroutine 7 [running]:',
    'x.TestOuter.func2.1(0x0?)',
    '\t/tmp/x/a_test.go:10 +0x2e',
    'FAIL\tx\t0.026s',
    'FAIL'
  ].join('\n')
  const t = byName(parseGoVerbose(text, 'x'))
  expect(Object.keys(t)).toEqual([
    'TestOuter',
    'TestOuter/fine',
    'TestOuter/boom',
    'TestOuter/boom/deep'
  ])
  for (const name of ['TestOuter', 'TestOuter/boom', 'TestOuter/boom/deep']) {
    expect(t[name]).toMatchObject({
      status: 'failed',
      file: 'x/a_test.go',
      line: 10,
      message: 'panic: assignment to entry in nil map [recovered]'
    })
  }
  expect(t['TestOuter/fine']).toMatchObject({
    status: 'passed',
    output: '    a_test.go:6: ok here'
  })
  expect(t['TestOuter/fine']?.file).toBeUndefined()
})

test('the subtest running when the binary died fails with its parents; the others are unknown', () => {
  // Go 1.19 prints subtests' results when their parent ends: `done` may have passed.
  const text = [
    '\u0016=== RUN   TestT',
    '\u0016=== RUN   TestT/done',
    '\u0016=== RUN   TestT/waits',
    '\u0016=== PAUSE TestT/waits',
    '\u0016=== RUN   TestT/runs',
    '\u0016=== RUN   TestT/runs/deep',
    '    a_test.go:9: started',
    'panic: test timed out after 1s'
  ].join('\n')
  expect(parseGoVerbose(text, '.').map(o => [o.name, o.status, o.message])).toEqual([
    ['TestT', 'failed', 'did not finish: panic: test timed out after 1s'],
    ['TestT/runs', 'failed', 'did not finish: panic: test timed out after 1s'],
    ['TestT/runs/deep', 'failed', 'did not finish: panic: test timed out after 1s']
  ])
})

test('framed and indented result lines of newer Go read the same', () => {
  const text = [
    '\u0016=== RUN   TestF',
    '\u0016=== RUN   TestF/a_b',
    '    f_test.go:4: no',
    '\u0016--- FAIL: TestF (0.10s)',
    '\u0016    --- FAIL: TestF/a_b (0.05s)'
  ].join('\n')
  expect(parseGoVerbose(text, '.').map(o => [o.name, o.status, o.durationMs, o.line])).toEqual([
    ['TestF', 'failed', 100, 4],
    ['TestF/a_b', 'failed', 50, 4]
  ])
})
