/**
 * Sorts the user's `cargo test` arguments: cargo's own (for the build), the test name filter
 * (cargo's TESTNAME), and the test binaries' own arguments after `--`. Pure.
 */

/** cargo test options that take a separate value. */
const CARGO_VALUE_OPTIONS = new Set([
  '-p',
  '--package',
  '--exclude',
  '--bin',
  '--test',
  '--example',
  '--bench',
  '-F',
  '--features',
  '-j',
  '--jobs',
  '--profile',
  '--target',
  '--target-dir',
  '--manifest-path',
  '--message-format',
  '--color',
  '--config',
  '-Z',
  '--lockfile-path',
  '--artifact-dir'
])

/** Options that choose targets: with any of them (and no `--doc`) cargo runs no doc tests. */
const TARGET_OPTIONS = new Set([
  '--lib',
  '--bin',
  '--bins',
  '--example',
  '--examples',
  '--test',
  '--tests',
  '--bench',
  '--benches',
  '--all-targets'
])
/** Options that choose packages (a doc-test job names its own package instead). */
const PACKAGE_OPTIONS = new Set(['-p', '--package', '--exclude', '--workspace', '--all'])

/** libtest options that take a separate value. */
const LIBTEST_VALUE_OPTIONS = new Set([
  '--skip',
  '--test-threads',
  '--color',
  '--format',
  '--logfile',
  '-Z',
  '--shuffle-seed'
])
/** libtest options the framework sets itself (or that break its reading of the output). */
const LIBTEST_OWN = /^--(list|format|quiet|color|logfile)(=|$)|^-q$/

/** The user's arguments, sorted. */
export interface CargoArgs {
  /** For `cargo test --no-run` (filter and `--message-format` removed). */
  cargo: string[]
  /** The target triple when given (`--target`): the platform the executables are built for. */
  target?: string
  /** The manifest path when given (`--manifest-path`), for locating the workspace. */
  manifestPath?: string
  /** Name filters: cargo's TESTNAME and positional arguments after `--` (substring match). */
  filters: string[]
  /** `--exact` after `--`: filters match whole names. */
  exact: boolean
  /** Options for every test binary run (`--ignored`, `--skip x`…), without filters. */
  binary: string[]
  /** Whether `cargo test` with these arguments runs doc tests: besides the rest, or only them. */
  docTests: 'also' | 'only' | 'none'
  /** For a doc-test job's `cargo test --doc -p <package>`: `cargo` without package choices. */
  docCargo: string[]
}

/** libtest's arguments that pick the user's tests: the binary options, `--exact`, the filters. */
export function libtestSelection(args: CargoArgs): string[] {
  return [...args.binary, ...(args.exact ? ['--exact'] : []), ...args.filters]
}

/** Sorts `args`. */
export function splitCargoArgs(args: readonly string[]): CargoArgs {
  const dashes = args.indexOf('--')
  const before = dashes >= 0 ? args.slice(0, dashes) : [...args]
  const after = dashes >= 0 ? args.slice(dashes + 1) : []
  const out: CargoArgs = {
    cargo: [],
    filters: [],
    exact: false,
    binary: [],
    docTests: 'also',
    docCargo: []
  }
  let targets = false
  for (const word of scan(before, CARGO_VALUE_OPTIONS)) {
    const { arg, name, inline, value } = word
    if (name === undefined) {
      out.filters.push(arg)
      continue
    }
    if (name === '--manifest-path' && value !== undefined) out.manifestPath = value
    if (name === '--target' && value !== undefined) out.target = value
    if (TARGET_OPTIONS.has(name)) targets = true
    // `--no-run` and the message format are the framework's; `--doc` cannot be built with
    // `--no-run` (the doc tests are compiled when they run).
    if (name === '--message-format' || name === '--no-run') continue
    if (name === '--doc') {
      out.docTests = 'only'
      continue
    }
    const option = inline === undefined && value !== undefined ? [arg, value] : [arg]
    out.cargo.push(...option)
    if (!PACKAGE_OPTIONS.has(name)) out.docCargo.push(...option)
  }
  if (targets && out.docTests === 'also') out.docTests = 'none'
  // Only the library is needed to find the crates whose doc tests run.
  if (out.docTests === 'only') out.cargo.push('--lib')
  for (const { arg, name, inline, value } of scan(after, LIBTEST_VALUE_OPTIONS)) {
    if (name === undefined) {
      out.filters.push(arg)
      continue
    }
    if (name === '--exact') out.exact = true
    if (name === '--exact' || LIBTEST_OWN.test(arg)) continue
    out.binary.push(arg)
    if (inline === undefined && value !== undefined) out.binary.push(value)
  }
  return out
}

/** One word as cargo or libtest reads it: a filter (no `name`), or an option and its value. */
interface Word {
  arg: string
  name?: string
  /** `--name=value`'s value. */
  inline?: string
  /** The inline value, or the next word for an option in `takesValue`. */
  value?: string
}

/** The words of `args`; an option in `takesValue` without `=` takes the next word. */
function* scan(args: readonly string[], takesValue: ReadonlySet<string>): Generator<Word> {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (!arg.startsWith('-')) {
      yield { arg }
      continue
    }
    const [name, inline] = splitOption(arg)
    const value = inline ?? (takesValue.has(name) ? args[++i] : undefined)
    yield { arg, name, inline, value }
  }
}

function splitOption(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=')
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined]
}
