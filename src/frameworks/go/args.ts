/**
 * Sorts the user's `go test` arguments the way `go test` does: packages, build flags (for
 * `go list` and `go test -c`), and flags for the test binary (`-run`, `-count`, `-short`…,
 * and any flag `go test` does not know, which it too hands to the binary). Pure.
 */

/** Test flags (`-test.<name>` on the binary) that take a value. */
const TEST_VALUE_FLAGS = new Set([
  'bench',
  'benchtime',
  'count',
  'cpu',
  'parallel',
  'run',
  'shuffle',
  'skip',
  'timeout',
  'blockprofile',
  'blockprofilerate',
  'coverprofile',
  'cpuprofile',
  'memprofile',
  'memprofilerate',
  'mutexprofile',
  'mutexprofilefraction',
  'outputdir',
  'trace'
])
/** Boolean test flags. */
const TEST_BOOL_FLAGS = new Set(['benchmem', 'failfast', 'fullpath', 'short'])
/** Flags the framework sets itself or that make no sense per batch: dropped. */
const IGNORED_FLAGS = new Set(['v', 'json', 'c', 'o', 'list', 'i'])
const IGNORED_VALUE_FLAGS = new Set(['o', 'list'])

/** Build flags that take a value. */
const BUILD_VALUE_FLAGS = new Set([
  'tags',
  'ldflags',
  'gcflags',
  'asmflags',
  'mod',
  'modfile',
  'overlay',
  'pkgdir',
  'p',
  'buildmode',
  'compiler',
  'gccgoflags',
  'installsuffix',
  'toolexec',
  'pgo',
  'covermode',
  'coverpkg',
  'exec',
  'vet',
  'C'
])
/** Boolean build flags. */
const BUILD_BOOL_FLAGS = new Set([
  'race',
  'msan',
  'asan',
  'cover',
  'trimpath',
  'a',
  'n',
  'x',
  'work'
])
const BUILD_BOOL_PREFIXES = ['linkshared', 'buildvcs', 'modcacherw']
/** Build flags `go test` has and `go list` does not (in some Go versions). */
const TEST_ONLY_BUILD_FLAGS = new Set(['vet', 'exec', 'cover', 'covermode', 'coverpkg'])

/** The user's arguments, sorted. */
export interface GoArgs {
  /** Package patterns; empty means `./...`. */
  packages: string[]
  /** For `go test -c`. */
  buildFlags: string[]
  /** For `go list` (build flags it accepts). */
  listFlags: string[]
  /** For the test binary, already in `-test.<name>=<value>` form (or the user's own flags). */
  binaryFlags: string[]
  /** The `-run` pattern's top level (before the first `/`), when given. */
  run?: string
  /** The rest of the `-run` pattern (subtests), when given. */
  subtests?: string
}

/** Sorts `args`; everything after `-args` goes to the binary untouched. */
export function splitGoArgs(args: readonly string[]): GoArgs {
  const out: GoArgs = { packages: [], buildFlags: [], listFlags: [], binaryFlags: [] }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === '-args' || arg === '--args') {
      out.binaryFlags.push(...args.slice(i + 1))
      break
    }
    if (!arg.startsWith('-') || arg === '-') {
      out.packages.push(arg)
      continue
    }
    const body = arg.replace(/^--?/, '')
    const eq = body.indexOf('=')
    const name = eq >= 0 ? body.slice(0, eq) : body
    const takesValue =
      TEST_VALUE_FLAGS.has(name) || BUILD_VALUE_FLAGS.has(name) || IGNORED_VALUE_FLAGS.has(name)
    let value: string | undefined = eq >= 0 ? body.slice(eq + 1) : undefined
    if (value === undefined && takesValue && i + 1 < args.length) value = args[++i] as string
    if (IGNORED_FLAGS.has(name)) continue
    if (name === 'run' && value !== undefined) {
      const [top, ...rest] = value.split('/')
      out.run = top
      if (rest.length > 0) out.subtests = rest.join('/')
    } else if (TEST_VALUE_FLAGS.has(name) || TEST_BOOL_FLAGS.has(name)) {
      out.binaryFlags.push(value === undefined ? `-test.${name}` : `-test.${name}=${value}`)
    } else if (
      BUILD_VALUE_FLAGS.has(name) ||
      BUILD_BOOL_FLAGS.has(name) ||
      BUILD_BOOL_PREFIXES.includes(name)
    ) {
      const flag = value === undefined ? `-${name}` : `-${name}=${value}`
      out.buildFlags.push(flag)
      if (!TEST_ONLY_BUILD_FLAGS.has(name)) out.listFlags.push(flag)
    } else {
      // Unknown to `go test`: the test's own flag (e.g. `-update`), passed through as given.
      out.binaryFlags.push(arg)
    }
  }
  return out
}

/** The `-test.run` pattern for exactly these top-level tests (plus the user's subtests). */
export function runPattern(names: readonly string[], subtests?: string): string {
  // Test names are Go identifiers: no regexp metacharacters to escape.
  const top = `^(${names.join('|')})$`
  return subtests ? `${top}/${subtests}` : top
}

/**
 * A `-test.run` subtest part (after the top level's `/`) that runs at least the given
 * subtests: one anchored alternation per level, each name quoted. `paths` are subtest names
 * as Go reports them (`case_1/deep`, without the top-level test), so each level matches
 * what Go matches it against. Paths of different branches may let a few more subtests run
 * (`a/x` and `b/y` also run `a/y`); never fewer.
 */
export function subtestPattern(paths: readonly string[]): string {
  const levels: string[][] = []
  for (const path of paths) {
    path.split('/').forEach((name, i) => {
      const level = (levels[i] ??= [])
      const quoted = quoteMeta(name)
      if (!level.includes(quoted)) level.push(quoted)
    })
  }
  return levels.map(names => `^(${names.join('|')})$`).join('/')
}

/** Go's regexp.QuoteMeta. */
function quoteMeta(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')
}
