import { parseLibtestOutput } from '../../../src/frameworks/cargo/libtest.js'
import type { LibtestOutcome } from '../../../src/frameworks/cargo/libtest.js'

/** Real output of Rust 1.95's libtest (thread ids in panic lines, RUST_BACKTRACE set). */
const RUN = `
running 7 tests
test tests::adds ... ok
test tests::flaky ... ok
test tests::ignored ... ignored, not ready
test tests::panics_as_expected - should panic ... ok
test tests::fails ... FAILED
test tests::subtracts ... ok
test tests::slow ... ok

failures:

---- tests::fails stdout ----
some printed line

thread 'tests::fails' (15886) panicked at src/lib.rs:41:9:
assertion \`left == right\` failed: two and two
  left: 4
 right: 5
stack backtrace:
   0: __rustc::rust_begin_unwind
             at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/std/src/panicking.rs:689:5
   4: cargo_suite::tests::fails
             at ./src/lib.rs:41:9
note: Some details are omitted, run with \`RUST_BACKTRACE=full\` for a verbose backtrace.


failures:
    tests::fails

test result: FAILED. 5 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 1.14s
`

function byName(outcomes: LibtestOutcome[]): Record<string, LibtestOutcome> {
  return Object.fromEntries(outcomes.map(o => [o.name, o]))
}

test('result lines: ok, FAILED, ignored with its reason, should panic names cleaned', () => {
  const outcomes = parseLibtestOutput(RUN)
  expect(outcomes.map(o => [o.name, o.status])).toEqual([
    ['tests::adds', 'passed'],
    ['tests::flaky', 'passed'],
    ['tests::ignored', 'skipped'],
    ['tests::panics_as_expected', 'passed'],
    ['tests::fails', 'failed'],
    ['tests::subtracts', 'passed'],
    ['tests::slow', 'passed']
  ])
  expect(byName(outcomes)['tests::ignored']?.message).toBe('not ready')
  expect(outcomes.every(o => o.durationMs === undefined)).toBe(true)
})

test('a failure section gives the output, the panic location and its message', () => {
  const failed = byName(parseLibtestOutput(RUN))['tests::fails']
  expect(failed).toMatchObject({
    file: 'src/lib.rs',
    line: 41,
    message: 'assertion `left == right` failed: two and two\n  left: 4\n right: 5'
  })
  expect(failed?.output?.split('\n')[0]).toBe('some printed line')
  expect(failed?.output).toContain('stack backtrace:')
  expect(failed?.output).not.toContain('test result:')
})

test("the older panic format (before Rust 1.73): panicked at 'message', file:line:col", () => {
  const text = [
    'test a::b ... FAILED',
    '',
    'failures:',
    '',
    '---- a::b stdout ----',
    "thread 'a::b' panicked at 'called `Option::unwrap()` on a `None` value', crates/x/src/a.rs:7:13",
    'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace',
    '',
    'failures:',
    '    a::b'
  ].join('\n')
  expect(parseLibtestOutput(text)[0]).toMatchObject({
    status: 'failed',
    file: 'crates/x/src/a.rs',
    line: 7,
    message: 'called `Option::unwrap()` on a `None` value'
  })
})

test('should_panic that did not panic, --show-output successes, --report-time durations', () => {
  const text = [
    'test t::no_panic - should panic ... FAILED <0.002s>',
    'test t::prints ... ok <1.250s>',
    'test t::plain ... ignored',
    '',
    'successes:',
    '',
    '---- t::prints stdout ----',
    'hello',
    '',
    'successes:',
    '    t::prints',
    '',
    'failures:',
    '',
    '---- t::no_panic stdout ----',
    'note: test did not panic as expected at src/t.rs:3:5',
    '',
    'failures:',
    '    t::no_panic'
  ].join('\n')
  const t = byName(parseLibtestOutput(text))
  expect(t['t::no_panic']).toMatchObject({
    status: 'failed',
    durationMs: 2,
    message: 'note: test did not panic as expected at src/t.rs:3:5'
  })
  expect(t['t::prints']).toMatchObject({ status: 'passed', durationMs: 1250, output: 'hello' })
  expect(t['t::prints']?.message).toBeUndefined()
  expect(t['t::plain']).toEqual({ name: 't::plain', status: 'skipped' })
})

test('a binary that died midway reports only what finished; noise is ignored', () => {
  const text = [
    'running 3 tests',
    'test a ... ok',
    'test b has been running for over 60 seconds',
    "thread 'c' has overflowed its stack",
    'fatal runtime error: stack overflow',
    'test d ... '
  ].join('\n')
  expect(parseLibtestOutput(text)).toEqual([{ name: 'a', status: 'passed' }])
  expect(parseLibtestOutput('')).toEqual([])
  expect(parseLibtestOutput('---- x stdout ----\nthread panicked at\n')).toEqual([])
})

test('doc tests: names with spaces, no_run and compile_fail suffixes cleaned, a failure read', () => {
  // Real output of rustdoc 1.95 through `cargo test --doc`.
  const text = [
    'running 5 tests',
    'test src/lib.rs - kinds (line 86) - compile ... ok',
    'test src/lib.rs - kinds (line 90) - compile fail ... ok',
    'test src/lib.rs - div (line 79) ... FAILED',
    'test src/lib.rs - kinds (line 98) ... ignored',
    'test src/lib.rs - mul (line 70) ... ok',
    '',
    'failures:',
    '',
    '---- src/lib.rs - div (line 79) stdout ----',
    'Test executable failed (exit status: 101).',
    '',
    'stderr:',
    '',
    "thread 'main' (9881) panicked at src/lib.rs:5:1:",
    'assertion `left == right` failed: six by three',
    '  left: 2',
    ' right: 3',
    '',
    'failures:',
    '    src/lib.rs - div (line 79)',
    '',
    'test result: FAILED. 3 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 11.85s'
  ].join('\n')
  const outcomes = parseLibtestOutput(text)
  expect(outcomes.map(o => [o.name, o.status])).toEqual([
    ['src/lib.rs - kinds (line 86)', 'passed'],
    ['src/lib.rs - kinds (line 90)', 'passed'],
    ['src/lib.rs - div (line 79)', 'failed'],
    ['src/lib.rs - kinds (line 98)', 'skipped'],
    ['src/lib.rs - mul (line 70)', 'passed']
  ])
  expect(byName(outcomes)['src/lib.rs - div (line 79)']?.message).toBe(
    'assertion `left == right` failed: six by three\n  left: 2\n right: 3'
  )
})
