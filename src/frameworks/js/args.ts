/**
 * Splits the arguments a user passes through to jest or vitest into options and positional
 * filters. Listing uses them all; a job must run exactly its own files, so it keeps the
 * options and drops the filters (which would otherwise add files to every job). The split
 * follows each tool's own parser: which flags take a value, and which take several.
 */

/** How one tool's command line reads. Flag names are camelCase, without dashes. */
export interface ArgGrammar {
  /** Flags whose next argument is always their value. */
  values: ReadonlySet<string>
  /** Flags whose next argument is their value unless it looks like a flag. */
  optionalValues: ReadonlySet<string>
  /** Flags that take every following argument up to the next flag (yargs arrays). */
  arrays: ReadonlySet<string>
  /** Single-letter aliases, e.g. `t` → `testNamePattern`. */
  aliases: Readonly<Record<string, string>>
}

/** One option as written: the flag and the values that belong to it. */
export interface ArgOption {
  /** Canonical camelCase name (`maxWorkers` for `--max-workers`, `-w` or `--maxWorkers=2`). */
  name: string
  /** The option's arguments exactly as given, flag first. */
  words: string[]
}

export interface SplitArgs {
  options: ArgOption[]
  positionals: string[]
}

/** Splits `args` the way the tool described by `grammar` would read them. */
export function splitArgs(args: readonly string[], grammar: ArgGrammar): SplitArgs {
  const options: ArgOption[] = []
  const positionals: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === '--') {
      positionals.push(...args.slice(i + 1))
      break
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      positionals.push(arg)
      continue
    }
    const name = flagName(arg, grammar)
    const words = [arg]
    if (!arg.includes('=') && !name.startsWith('no-')) {
      const next = (): string | undefined => args[i + 1]
      const isFlag = (word: string | undefined): boolean =>
        word === undefined || (word.startsWith('-') && word !== '-' && !/^-\d/.test(word))
      if (grammar.arrays.has(name)) {
        while (!isFlag(next())) words.push(args[++i] as string)
      } else if (grammar.values.has(name)) {
        if (next() !== undefined && next() !== '--') words.push(args[++i] as string)
      } else if (grammar.optionalValues.has(name) && !isFlag(next())) {
        words.push(args[++i] as string)
      }
    }
    options.push({ name, words })
  }
  return { options, positionals }
}

/** The canonical name of a flag: aliases resolved, kebab-case turned camelCase, `=…` cut. */
export function flagName(arg: string, grammar: Pick<ArgGrammar, 'aliases'>): string {
  const bare = arg.replace(/^--?/, '').split('=')[0] as string
  if (!arg.startsWith('--')) return grammar.aliases[bare] ?? bare
  if (bare.startsWith('no-')) return `no-${camel(bare.slice(3))}`
  return camel(bare)
}

/** Every option's words, flattened, leaving out those named in `drop`. */
export function optionWords(options: readonly ArgOption[], drop: ReadonlySet<string>): string[] {
  return options.filter(o => !drop.has(o.name.replace(/^no-/, ''))).flatMap(o => o.words)
}

/** True when any option's canonical name (negations included) is in `names`. */
export function hasOption(options: readonly ArgOption[], names: readonly string[]): boolean {
  return options.some(o => names.includes(o.name.replace(/^no-/, '')))
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
}

const set = (words: string): ReadonlySet<string> => new Set(words.split(/\s+/).filter(Boolean))

/** jest 30's command line (from jest-cli's own option table). */
export const jestGrammar: ArgGrammar = {
  values: set(`
    cacheDirectory changedSince collectCoverageFrom config coverageDirectory coverageThreshold
    filter globalSetup globalTeardown globals haste maxWorkers moduleNameMapper outputFile preset
    prettierPath resolver rootDir runner shard testEnvironment env testEnvironmentOptions
    testFailureExitCode testNamePattern testResultsProcessor testRunner testSequencer transform
    maxConcurrency openHandlesTimeout seed testTimeout workerGracefulExitTimeout
    coverageProvider notifyMode workerIdleMemoryLimit`),
  optionalValues: set(''),
  arrays: set(`
    coveragePathIgnorePatterns coverageReporters ignoreProjects moduleDirectories
    moduleFileExtensions modulePathIgnorePatterns modulePaths projects reporters roots
    selectProjects setupFiles setupFilesAfterEnv snapshotSerializers testMatch
    testPathIgnorePatterns testPathPatterns testRegex transformIgnorePatterns
    unmockedModulePathPatterns watchPathIgnorePatterns`),
  aliases: {
    c: 'config',
    w: 'maxWorkers',
    t: 'testNamePattern',
    b: 'bail',
    e: 'expand',
    i: 'runInBand',
    o: 'onlyChanged',
    f: 'onlyFailures',
    u: 'updateSnapshot'
  }
}

/** vitest 3's command line (options declared with `<value>` or `[value]`). */
export const vitestGrammar: ArgGrammar = {
  values: set(`
    root config testNamePattern dir reporter outputFile outputFile.json outputFile.junit
    outputFile.html coverage.provider coverage.include coverage.exclude coverage.extension
    coverage.reportsDirectory coverage.reporter coverage.thresholds.lines
    coverage.thresholds.functions coverage.thresholds.branches coverage.thresholds.statements
    coverage.ignoreClassMethods coverage.processingConcurrency coverage.customProviderModule
    coverage.watermarks.statements coverage.watermarks.lines coverage.watermarks.branches
    coverage.watermarks.functions mode workspace browser browser.name browser.provider
    browser.providerOptions browser.connectTimeout pool poolOptions poolOptions.threads
    poolOptions.threads.maxThreads poolOptions.threads.minThreads poolOptions.vmThreads
    poolOptions.vmThreads.maxThreads poolOptions.vmThreads.minThreads
    poolOptions.vmThreads.memoryLimit poolOptions.forks poolOptions.forks.maxForks
    poolOptions.forks.minForks poolOptions.vmForks poolOptions.vmForks.maxForks
    poolOptions.vmForks.minForks poolOptions.vmForks.memoryLimit maxWorkers minWorkers
    environment shard sequence sequence.seed sequence.hooks sequence.setupFiles testTimeout
    hookTimeout bail retry diff diff.aAnnotation diff.aIndicator diff.bAnnotation
    diff.bIndicator diff.commonIndicator diff.contextLines diff.emptyFirstOrLastLinePlaceholder
    diff.maxDepth diff.truncateThreshold diff.truncateAnnotation exclude typecheck.checker
    typecheck.tsconfig typecheck.spawnTimeout project slowTestThreshold teardownTimeout
    maxConcurrency expect.poll.interval expect.poll.timeout attachmentsDir configLoader
    compare outputJson`),
  optionalValues: set(`
    api api.port api.host silent changed inspect inspectBrk mergeReports json browser.api
    browser.api.port browser.api.host`),
  arrays: set(''),
  aliases: { r: 'root', c: 'config', t: 'testNamePattern', u: 'update', w: 'watch' }
}
