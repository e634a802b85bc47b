/**
 * Sorts the user's pytest arguments: options apply to listing and to every job; paths (and
 * node ids) only choose what is listed, since each job names its own node ids. Pure.
 */

/**
 * pytest's own options (and common plugins') that take a separate value, so the value is not
 * mistaken for a path. `--opt=value` forms need no entry.
 */
const VALUE_OPTIONS = new Set([
  '-k',
  '-m',
  '-p',
  '-o',
  '-c',
  '-W',
  '-r',
  '-n',
  '--override-ini',
  '--config-file',
  '--pythonwarnings',
  '--tb',
  '--maxfail',
  '--deselect',
  '--ignore',
  '--ignore-glob',
  '--rootdir',
  '--confcutdir',
  '--basetemp',
  '--junit-prefix',
  '--import-mode',
  '--capture',
  '--color',
  '--code-highlight',
  '--durations',
  '--durations-min',
  '--show-capture',
  '--log-level',
  '--log-format',
  '--log-date-format',
  '--log-cli-level',
  '--log-cli-format',
  '--log-file',
  '--log-file-level',
  '--log-file-format',
  '--debug',
  '--dist',
  '--numprocesses',
  '--maxprocesses',
  '--cov',
  '--cov-report',
  '--cov-config',
  '--timeout',
  '--reruns',
  '--reruns-delay',
  '--randomly-seed',
  '--verbosity'
])

/** Flags that change how `--collect-only` prints; dropped from listing only. */
const VERBOSITY = /^(-v+|-q+|--verbose|--quiet|--verbosity=.*)$/

/** The user's arguments, sorted. */
export interface PytestArgs {
  /** Options for every pytest run (listing and jobs). */
  options: string[]
  /** Paths and node ids: what to list. */
  paths: string[]
}

/** Sorts `args`; everything after `--` is a path. */
export function splitPytestArgs(args: readonly string[]): PytestArgs {
  const options: string[] = []
  const paths: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === '--') {
      paths.push(...args.slice(i + 1))
      break
    }
    if (!arg.startsWith('-') || arg === '-') {
      paths.push(arg)
      continue
    }
    options.push(arg)
    if (VALUE_OPTIONS.has(arg) && i + 1 < args.length) options.push(args[++i] as string)
  }
  return { options, paths }
}

/** Arguments for `pytest --collect-only -q`: the user's, minus verbosity flags. */
export function collectArgs(args: PytestArgs): string[] {
  const out: string[] = []
  for (let i = 0; i < args.options.length; i++) {
    const arg = args.options[i] as string
    if (arg === '--verbosity') i++
    else if (!VERBOSITY.test(arg)) out.push(arg)
  }
  return [...out, ...args.paths]
}
