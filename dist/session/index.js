import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 170:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(916);
/* harmony import */ var _frameworks_session_hosts_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(949);
/* harmony import */ var _trace_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(606);
/* harmony import */ var _worker_session_host_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(882);
/**
 * `node dist/session/index.js <framework>`: a warm framework session and nothing else, the
 * bundle a worker starts for `squall session <framework>` (worker/session/session.ts). It
 * holds the session host and the framework handlers only, so a session's start, on the
 * critical path of every run, does not load the whole CLI first.
 */




(0,_trace_js__WEBPACK_IMPORTED_MODULE_2__/* .trace */ .u)('cli loaded');
try {
    await (0,_worker_session_host_js__WEBPACK_IMPORTED_MODULE_3__/* .runSessionHost */ .y)((0,_frameworks_session_hosts_js__WEBPACK_IMPORTED_MODULE_1__/* .sessionHostFor */ .I3)(process.argv[2], process.cwd()));
}
catch (error) {
    process.stderr.write(`squall session: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)}\n`);
    process.exitCode = (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .exitCodeFor */ .Rr)({ kind: 'error', error });
}

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 916:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Rr: () => (/* binding */ exitCodeFor),
/* harmony export */   eb: () => (/* binding */ UsageError),
/* harmony export */   gJ: () => (/* binding */ errorMessage)
/* harmony export */ });
/* unused harmony exports ExitCode, signalExitCode, ProtocolError, WrongDirectionError, ProtocolVersionError, ClusterError, InterruptedError, ReportError, LinkClosedError */
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_0__);
/** Typed errors, and the one place where every way squall ends becomes an exit code. */

/**
 * The documented exit codes of the CLI and the actions. 130 (interrupted, 128 + SIGINT) is
 * kept free for an interrupted run.
 */
const ExitCode = {
    /** Every test passed (or the piece ended in order). */
    ok: 0,
    /** Some test failed, timed out or could not run (or was flaky with fail-on-flaky). */
    testsFailed: 1,
    /** Bad input or configuration. */
    usage: 2,
    /** The cluster failed: broker lost, service unreachable, a piece could not start. */
    cluster: 3,
    /** Interrupted by Ctrl-C (SIGINT); other stop signals end with 128 + their number. */
    interrupted: 130
};
/** 128 + the signal's number, as shells expect of a command a signal stopped (130 for SIGINT). */
function signalExitCode(signal) {
    return 128 + (node_os__WEBPACK_IMPORTED_MODULE_0__.constants.signals[signal] ?? node_os__WEBPACK_IMPORTED_MODULE_0__.constants.signals.SIGINT);
}
/** Bad input or configuration: names the input, the value and what was expected. */
class UsageError extends Error {
    name = 'UsageError';
}
/** A peer spoke something we cannot accept (bad frame, unknown message, version mismatch). */
class ProtocolError extends (/* unused pure expression or super */ null && (Error)) {
    name = 'ProtocolError';
}
/** A well-formed message that does not travel this way (a worker sending `submit`). */
class WrongDirectionError extends (/* unused pure expression or super */ null && (ProtocolError)) {
    name = 'WrongDirectionError';
}
/** A handshake frame (challenge, hello, welcome) of another protocol version. */
class ProtocolVersionError extends (/* unused pure expression or super */ null && (ProtocolError)) {
    name = 'ProtocolVersionError';
}
/** The cluster could not do its work: broker lost, service unreachable, budget spent. */
class ClusterError extends (/* unused pure expression or super */ null && (Error)) {
    name = 'ClusterError';
}
/** A stop signal (Ctrl-C, SIGTERM, SIGHUP) ended the run before it finished. */
class InterruptedError extends Error {
    signal;
    name = 'InterruptedError';
    /** `detail`: what else went wrong while stopping (a report that could not be written). */
    constructor(signal, detail) {
        super(`interrupted by ${signal}${detail !== undefined ? `; ${detail}` : ''}`);
        this.signal = signal;
    }
}
/** One or more reports (JUnit, JSON, job summary) could not be written; the others were. */
class ReportError extends Error {
    failures;
    name = 'ReportError';
    constructor(failures) {
        super(`could not write every report: ${failures.join('; ')}`);
        this.failures = failures;
    }
}
/** A link closed or failed. */
class LinkClosedError extends (/* unused pure expression or super */ null && (Error)) {
    name = 'LinkClosedError';
}
/** The one mapping from an ending to the exit code the CLI and the actions use. */
function exitCodeFor(ending) {
    switch (ending.kind) {
        case 'run':
            if (ending.testsFailed)
                return ExitCode.testsFailed;
            return ending.brokerFailed === true ? ExitCode.cluster : ExitCode.ok;
        case 'worker':
            if (ending.end === 'no-broker')
                return ending.required ? ExitCode.cluster : ExitCode.ok;
            return ending.end === 'lost' ? ExitCode.cluster : ExitCode.ok;
        case 'broker':
            return ending.ok ? ExitCode.ok : ExitCode.cluster;
        case 'error':
            if (ending.error instanceof InterruptedError)
                return signalExitCode(ending.error.signal);
            return ending.error instanceof UsageError ? ExitCode.usage : ExitCode.cluster;
    }
}
/** A one-line description of any thrown value. */
function errorMessage(error) {
    if (error instanceof Error)
        return error.message;
    return String(error);
}


/***/ }),

/***/ 949:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  I3: () => (/* binding */ sessionHostFor)
});

// UNUSED EXPORTS: directSessionLaunchers, sessionHosts

// EXTERNAL MODULE: ./src/errors.ts
var errors = __nccwpck_require__(916);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
;// CONCATENATED MODULE: external "node:module"
const external_node_module_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:module");
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(161);
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./src/frameworks/js/args.ts
/**
 * Splits the arguments a user passes through to jest or vitest into options and positional
 * filters. Listing uses them all; a job must run exactly its own files, so it keeps the
 * options and drops the filters (which would otherwise add files to every job). The split
 * follows each tool's own parser: which flags take a value, and which take several.
 */
/** Splits `args` the way the tool described by `grammar` would read them. */
function args_splitArgs(args, grammar) {
    const options = [];
    const positionals = [];
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === '--') {
            positionals.push(...args.slice(i + 1));
            break;
        }
        if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
            positionals.push(arg);
            continue;
        }
        const name = flagName(arg, grammar);
        const words = [arg];
        if (!arg.includes('=') && !name.startsWith('no-')) {
            const next = () => args[i + 1];
            const isFlag = (word) => word === undefined || (word.startsWith('-') && word !== '-' && !/^-\d/.test(word));
            if (grammar.arrays.has(name)) {
                while (!isFlag(next()))
                    words.push(args[++i]);
            }
            else if (grammar.values.has(name)) {
                if (next() !== undefined && next() !== '--')
                    words.push(args[++i]);
            }
            else if (grammar.optionalValues.has(name) && !isFlag(next())) {
                words.push(args[++i]);
            }
        }
        options.push({ name, words });
    }
    return { options, positionals };
}
/** The canonical name of a flag: aliases resolved, kebab-case turned camelCase, `=…` cut. */
function flagName(arg, grammar) {
    const bare = arg.replace(/^--?/, '').split('=')[0];
    if (!arg.startsWith('--'))
        return grammar.aliases[bare] ?? bare;
    if (bare.startsWith('no-'))
        return `no-${camel(bare.slice(3))}`;
    return camel(bare);
}
/** Every option's words, flattened, leaving out those named in `drop`. */
function args_optionWords(options, drop) {
    return options.filter(o => !drop.has(o.name.replace(/^no-/, ''))).flatMap(o => o.words);
}
/** True when any option's canonical name (negations included) is in `names`. */
function args_hasOption(options, names) {
    return options.some(o => names.includes(o.name.replace(/^no-/, '')));
}
function camel(name) {
    return name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}
const set = (words) => new Set(words.split(/\s+/).filter(Boolean));
/** jest 30's command line (from jest-cli's own option table). */
const args_jestGrammar = {
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
};
/** vitest 3's command line (options declared with `<value>` or `[value]`). */
const vitestGrammar = {
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
};

;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: ./src/frameworks/js/report.ts
/**
 * Reads the JSON report jest writes (and vitest's json reporter, which copies its shape) into
 * per-test results. Never throws: a missing or broken report gives undefined, and a file that
 * is planned but absent from a report becomes an error case so it cannot vanish.
 */

/** Reads and parses a report file; undefined when absent or not a report. */
async function readReport(path) {
    let text;
    try {
        text = await readFile(path, 'utf8');
    }
    catch {
        return undefined;
    }
    try {
        const value = JSON.parse(text);
        return Array.isArray(value.testResults) ? value.testResults : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * Test results for the planned `files` (ids relative to the suite root) from a report's
 * entries, whose names are absolute paths on the machine that ran them.
 */
function casesFromReport(entries, files) {
    const cases = [];
    const seen = new Set();
    // Two tests with the same full name (in one file, or one file in two projects) still need
    // distinct ids.
    const ids = new Map();
    for (const entry of entries) {
        const path = typeof entry.name === 'string' ? entry.name.replace(/\\/g, '/') : '';
        const file = matchFile(path, files);
        seen.add(file);
        const assertions = Array.isArray(entry.assertionResults)
            ? entry.assertionResults
            : [];
        let anyFailed = false;
        for (const a of assertions) {
            const result = caseOf(a, file, path);
            const n = (ids.get(result.id) ?? 0) + 1;
            ids.set(result.id, n);
            if (n > 1)
                result.id = `${result.id} (${n})`;
            if (result.status === 'failed')
                anyFailed = true;
            cases.push(result);
        }
        const message = stripAnsi(report_text(entry.message)).trim();
        if (entry.status === 'failed' && !anyFailed) {
            // The file failed on its own: it did not load, had no tests, or a hook outside tests threw.
            cases.push({
                id: file,
                name: file,
                suite: file,
                file,
                ...lineOf(message, file, path),
                status: 'error',
                durationMs: 0,
                message: firstLine(message) ?? 'the test file failed outside its tests',
                ...(message ? { output: message } : {})
            });
        }
    }
    for (const file of files) {
        if (seen.has(file))
            continue;
        cases.push({
            id: file,
            name: file,
            suite: file,
            file,
            status: 'error',
            durationMs: 0,
            message: `${file} was planned in this job but is missing from the report`
        });
    }
    return cases;
}
function caseOf(a, file, path) {
    const name = fullName(a);
    const status = statusOf(a.status);
    const failures = Array.isArray(a.failureMessages)
        ? a.failureMessages.map(m => stripAnsi(report_text(m)).trimEnd()).filter(m => m !== '')
        : [];
    const output = failures.join('\n\n');
    const declared = typeof a.location?.line === 'number' ? a.location.line : undefined;
    // For a failure, the line of the failing expectation beats the line the test starts on.
    const failedAt = status === 'failed' ? lineOf(output, file, path).line : undefined;
    const line = failedAt ?? declared;
    const duration = typeof a.duration === 'number' && a.duration >= 0 ? Math.round(a.duration) : 0;
    return {
        id: `${file}::${name}`,
        name,
        suite: file,
        file,
        ...(line !== undefined ? { line } : {}),
        status,
        ...(a.status === 'todo' ? { kind: 'todo' } : {}),
        ...(a.fails === true && status === 'passed' ? { kind: 'fails' } : {}),
        durationMs: duration,
        ...(status === 'failed' ? { message: firstLine(output) ?? 'failed' } : {}),
        ...(output ? { output } : {})
    };
}
function fullName(a) {
    if (typeof a.fullName === 'string' && a.fullName !== '')
        return a.fullName;
    const ancestors = Array.isArray(a.ancestorTitles) ? a.ancestorTitles.map(report_text) : [];
    return [...ancestors, report_text(a.title)].filter(t => t !== '').join(' ');
}
function statusOf(status) {
    if (status === 'passed')
        return 'passed';
    if (status === 'failed')
        return 'failed';
    // pending, skipped, todo, disabled, focused-out: the test did not run.
    return 'skipped';
}
/**
 * The planned file a report path names: the longest id the path ends with, since paths are
 * absolute on the worker (and may go through symlinks) while ids are relative.
 */
function matchFile(path, files) {
    const found = files
        .filter(f => path === f || path.endsWith(`/${f}`))
        .sort((a, b) => b.length - a.length)[0];
    return found ?? path;
}
/** The line of the first stack frame in `file`, if any. */
function lineOf(message, file, path) {
    const frame = /(?:\(|\s|^)(?:file:\/\/)?([^\s()]+?):(\d+):(\d+)\)?\s*$/;
    for (const raw of message.split('\n')) {
        const m = frame.exec(raw.trim().replace(/\\/g, '/'));
        if (!m)
            continue;
        const where = m[1];
        if (where === path || where === file || where.endsWith(`/${file}`))
            return { line: Number(m[2]) };
    }
    return {};
}
/** Removes terminal colour and cursor codes. */
function stripAnsi(value) {
    // eslint-disable-next-line no-control-regex -- matching escape codes is the point
    return value.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '');
}
function firstLine(value) {
    return value
        .split('\n')
        .map(l => l.trim())
        .find(l => l !== '' && !/^●/.test(l));
}
function report_text(value) {
    return typeof value === 'string'
        ? value
        : value === undefined || value === null
            ? ''
            : String(value);
}

;// CONCATENATED MODULE: ./src/frameworks/core/coverage-notice.ts
/**
 * What a run with the framework's coverage on says once: each job's framework run collects and
 * reports coverage of its own tests, into the same place, and checks thresholds on them alone.
 * Merging the jobs' coverage is not built yet; until it is, the run must not look as if the
 * report and the thresholds covered the suite.
 */
function coverageNotice(framework, where) {
    return (`coverage is on, and squall does not merge it yet: each job's ${framework} run wrote a ` +
        `report of its own tests to ${where}, so the report left there covers one job, not the ` +
        `suite, and coverage thresholds were checked per job and did not fail this run; for the ` +
        `suite's coverage run it without squall, or merge the jobs' reports`);
}

;// CONCATENATED MODULE: ./src/frameworks/core/session-args.ts
/**
 * A warm session's user options travel in one environment variable of the session process
 * (set in the job's `session.env` at planning), as a JSON array of words: the session key
 * already depends on them, and the host reads them once at start.
 */
/** The environment that hands `words` to a session host through `variable`. */
function sessionArgsEnv(variable, words) {
    return { [variable]: JSON.stringify(words) };
}
/**
 * The words in `variable` (none when unset), taken out of this process's environment so the
 * tests the session runs do not see them.
 */
function takeSessionArgs(variable) {
    const text = process.env[variable];
    delete process.env[variable];
    return sessionArgsOf(variable, text);
}
/** The words a session's `variable` holds (`text`; none when unset). */
function sessionArgsOf(variable, text) {
    if (!text)
        return [];
    const value = JSON.parse(text);
    if (!Array.isArray(value) || !value.every(v => typeof v === 'string')) {
        throw new Error(`${variable} must be a JSON array of strings, got ${text}`);
    }
    return value;
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./src/frameworks/core/session-listing.ts
/**
 * A listing made by a warm session started ahead of the run (see `warmSession` in
 * framework.ts): the session collects the suite anyway, so on one machine it writes what the
 * framework's listing would and the runner reads it instead of collecting a second time. When
 * no session can give it (none started, it failed, the workers are gone), the runner lists as
 * always: the file only ever saves time, never changes what is listed.
 */


/** Beside the listing file: written by a worker whose session started ahead did not start. */
function failedMarker(file) {
    return `${file}.failed`;
}
/** How often the runner looks for the file; a listing takes far longer than this. */
const POLL_MS = 20;
/**
 * The listing file's text once a session wrote it, or undefined when none will: a session
 * failed to start (the worker's marker), or the workers ended without it.
 */
async function awaitSessionListing(listing) {
    for (;;) {
        const text = await readIfThere(listing.file);
        if (text !== undefined)
            return text;
        if ((await readIfThere(failedMarker(listing.file))) !== undefined)
            return undefined;
        if (!listing.alive())
            return readIfThere(listing.file);
        await new Promise(resolve => setTimeout(resolve, POLL_MS));
    }
}
async function readIfThere(path) {
    try {
        return await readFile(path, 'utf8');
    }
    catch {
        return undefined;
    }
}
/**
 * The session's side (for hosts in node): writes the files it found (absolute paths, a JSON
 * array) whole into `file`, or, when it cannot list, the marker beside it saying `why`; each
 * writer through a temporary file of its own (two sessions of a worker may fail at once).
 */
async function writeSessionListing(file, files, why = 'the session could not list the suite') {
    const target = files ? file : failedMarker(file);
    const temp = `${target}.${process.pid}.${(0,external_node_crypto_namespaceObject.randomBytes)(4).toString('hex')}.tmp`;
    await (0,promises_namespaceObject.writeFile)(temp, files ? `${JSON.stringify(files)}\n` : `${why}\n`);
    await (0,promises_namespaceObject.rename)(temp, target);
}

;// CONCATENATED MODULE: ./src/frameworks/jest/options.ts
/**
 * The user's jest arguments, as the listing, the jobs and a warm session each need them, and
 * the session's own environment variables that carry them.
 */

/** The session's variable carrying the jobs' options (JSON array): see `jestJobOptions`. */
const JEST_SESSION_ARGS = 'SQUALL_JEST_SESSION_ARGS';
/**
 * With a listing to write (a session started ahead on the runner's machine): the file, and
 * the user's whole arguments (JSON array), filters included, that the listing applies.
 */
const JEST_LIST_FILE = 'SQUALL_JEST_LIST_FILE';
const JEST_LIST_ARGS = 'SQUALL_JEST_LIST_ARGS';
/** Options that decide which files run: the listing applies them, jobs run exact files. */
const filters = new Set([
    'runTestsByPath',
    'findRelatedTests',
    'onlyChanged',
    'onlyFailures',
    'changedSince',
    'lastCommit',
    'changedFilesWithAncestor',
    'shard',
    'testPathPatterns',
    // jest 29 and before
    'testPathPattern'
]);
/** Options a job sets itself, or that would change which files run: out of the jobs' options. */
const ownedByJobs = new Set([
    ...filters,
    'json',
    'outputFile',
    'listTests',
    'watch',
    'watchAll',
    'showConfig'
]);
/** The user's options for a job: filters and job-owned options out. */
function jestJobOptions(args) {
    const { options } = splitArgs(args, jestGrammar);
    const kept = optionWords(options, ownedByJobs);
    // The cluster runs one job per slot: a job running in band keeps the machine's load even.
    if (!hasOption(options, ['maxWorkers', 'runInBand', 'workerThreads']))
        kept.push('--maxWorkers=1');
    if (!hasOption(options, ['ci']))
        kept.unshift('--ci');
    return kept;
}
/** The words of the user's `args` that choose files: filter options, then `--` and paths. */
function jestFilterWords(args) {
    const { options, positionals } = args_splitArgs(args, args_jestGrammar);
    const kept = options.filter(o => filters.has(o.name.replace(/^no-/, ''))).flatMap(o => o.words);
    return positionals.length > 0 ? [...kept, '--', ...positionals] : kept;
}

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: ./src/frameworks/js/tool.ts
/**
 * The runner-side I/O the jest and vitest frameworks share: finding the project's own binary
 * and running it to list test files.
 */




/**
 * The command that starts the tool: `node_modules/.bin/<tool>` relative to the suite root
 * (the same on every worker of the same checkout), or `npx --no-install <tool>`.
 */
async function findLauncher(cwd, tool) {
    for (let dir = resolve(cwd);; dir = dirname(dir)) {
        const bin = join(dir, 'node_modules', '.bin', tool);
        if (await executable(bin)) {
            const rel = relative(resolve(cwd), bin).split(sep).join('/');
            return [rel.startsWith('.') ? rel : `./${rel}`];
        }
        if (dirname(dir) === dir)
            return ['npx', '--no-install', tool];
    }
}
async function executable(path) {
    try {
        await access(path, constants.X_OK);
        return true;
    }
    catch {
        return false;
    }
}
/**
 * Runs the tool for listing. A failure is a UsageError: the suite's configuration, filters or
 * installation are what the user has to fix; the message carries the tool's own words.
 */
function runTool(launcher, args, cwd, timeoutMs) {
    const [first, ...rest] = launcher;
    // The launcher is relative to the suite root; spawning resolves it against our own cwd.
    const file = first.includes('/') ? resolve(cwd, first) : first;
    return new Promise((done, fail) => {
        execFile(file, [...rest, ...args], {
            cwd,
            timeout: timeoutMs,
            maxBuffer: 64 * 1024 * 1024,
            env: { ...process.env, FORCE_COLOR: '0' }
        }, (error, stdout, stderr) => {
            if (!error)
                return done({ stdout, stderr });
            const tail = stderr.trim().split('\n').slice(-15).join('\n') || stdout.trim().slice(-2000);
            const how = error.code === 'ENOENT' ? 'was not found' : 'failed';
            fail(new UsageError(`listing tests in ${cwd}: \`${[...launcher, ...args].join(' ')}\` ${how}${tail ? `:\n${tail}` : ` (${error.message})`}`));
        });
    });
}
/** A file path as a test id: relative to the suite root, forward slashes. */
function fileId(cwd, file) {
    const abs = (0,external_node_path_namespaceObject.isAbsolute)(file) ? file : (0,external_node_path_namespaceObject.resolve)(cwd, file);
    return (0,external_node_path_namespaceObject.relative)((0,external_node_path_namespaceObject.resolve)(cwd), abs).split(external_node_path_namespaceObject.sep).join('/');
}
/** Items for a list of test files (ids sorted, duplicates dropped). */
function fileItems(files, launcher) {
    return [...new Set(files)].sort().map(id => ({ id, name: id, file: id, data: { launcher } }));
}

;// CONCATENATED MODULE: ./src/frameworks/jest/suite-run.ts
/**
 * One jest run for the whole life of a session, fed job by job. jest's `runCLI` reads the
 * config, builds the file map, loads the reporters and finds the tests once; its scheduler
 * then hands every test to the project's runner. The session names a runner of ours instead
 * (written next to jest's cache, as the reporter is): it keeps the tests jest found and,
 * each time the session asks, runs a job's files through jest's own runner, in band, with
 * the scheduler's reporters hearing every result as in any jest run. So a job costs its
 * files, not a jest start; the listing is what jest found; `globalSetup` and
 * `globalTeardown` run once per session, as once per jest run.
 *
 * Only for jest's own runner (`jest-runner`, 28 on, which speaks events): a config naming
 * another runner, or asking for what a long run would change (bail, coverage, open
 * handles), keeps one `runCLI` per job (see session.ts).
 */




const hubKey = Symbol.for('squall.jest-session.hub');
/** The runner jest loads for the session's run (CommonJS: jest requires it by path). */
const runnerSource = `'use strict'
// Written by squall's jest session: jest hands it every test once; it runs them job by job,
// as the session asks, through jest's own runner, and passes that runner's events on.
const hub = () => globalThis[Symbol.for('squall.jest-session.hub')]
const events = [
  'test-file-start',
  'test-file-success',
  'test-file-failure',
  'test-case-start',
  'test-case-result'
]
module.exports = class SquallSessionRunner {
  constructor(globalConfig, context) {
    this.globalConfig = globalConfig
    this.context = context
    this.listeners = new Map()
    this.supportsEventEmitters = true
    this.isSerial = true
  }
  on(name, listener) {
    const set = this.listeners.get(name) || new Set()
    this.listeners.set(name, set)
    set.add(listener)
    return () => set.delete(listener)
  }
  async runTests(tests, watcher) {
    const loaded = require(hub().innerRunner)
    const Inner = loaded.default || loaded
    await hub().serve(tests, async (some, changes) => {
      const inner = new Inner({ ...this.globalConfig, ...changes }, this.context)
      const off = events.map(name =>
        inner.on(name, async payload => {
          for (const listener of [...(this.listeners.get(name) || [])]) await listener(payload)
        })
      )
      try {
        await inner.runTests(some, watcher, { serial: true })
      } finally {
        for (const stop of off) stop()
      }
    })
  }
}
`;
/** How long `close` waits for jest's end of run (reporters, globalTeardown). */
const CLOSE_MS = 30_000;
/**
 * Starts `runCLI` (jest's, with our runner already in its argv: see `runnerArgv`) and waits
 * until jest hands over its tests or ends. Rejects when jest does (a config error, say).
 */
async function startSuiteRun(cwd, innerRunner, runCLI) {
    let release = () => undefined;
    const released = new Promise(resolve => (release = resolve));
    let served = () => undefined;
    const serving = new Promise(resolve => (served = resolve));
    const hub = {
        innerRunner,
        serve(tests, run) {
            served({ tests, run });
            return released;
        }
    };
    const global = globalThis;
    global[hubKey] = hub;
    let ended = false;
    const running = runCLI().finally(() => {
        ended = true;
        release();
    });
    const first = await Promise.race([serving, running.then(() => undefined)]);
    if (!first)
        return { ok: false, files: [] };
    // A later failure of jest's run is heard by `alive` and `close`, never left unhandled.
    running.catch(() => undefined);
    const byFile = new Map();
    for (const test of first.tests)
        byFile.set(fileId(cwd, test.path), test);
    const files = [...new Set(first.tests.map(t => t.path))];
    const run = {
        has: file => byFile.has(file),
        alive: () => !ended,
        async run(some, namePattern) {
            const tests = some.map(file => {
                const test = byFile.get(file);
                if (!test)
                    throw new Error(`jest's run of this session has no test file ${file}`);
                return test;
            });
            await first.run(tests, namePattern !== undefined ? { testNamePattern: namePattern } : {});
        },
        async close() {
            release();
            let timer;
            await Promise.race([
                running.catch(() => undefined),
                new Promise(resolve => (timer = setTimeout(resolve, CLOSE_MS)))
            ]);
            clearTimeout(timer);
        }
    };
    return { ok: true, files, run };
}
/** Writes our runner into `dir` (once per cache dir) and returns its path. */
function writeRunner(dir) {
    return writeModule(dir, 'squall-session-runner.cjs', runnerSource);
}
/** Writes `source` to `dir/name`; a rename keeps concurrent slots from reading half a file. */
async function writeModule(dir, name, source) {
    await (0,promises_namespaceObject.mkdir)(dir, { recursive: true });
    const path = (0,external_node_path_namespaceObject.join)(dir, name);
    const temp = `${path}.${process.pid}.tmp`;
    await (0,promises_namespaceObject.writeFile)(temp, source);
    await (0,promises_namespaceObject.rename)(temp, path);
    return path;
}
/**
 * jest's own runner for the suite when one run can serve every job, or why not. Reads the
 * config as jest will (its `readConfigs`, from the jest-config beside `@jest/core`).
 */
async function runnerForSuiteRun(jestRequire, argv, projects) {
    let readConfigs;
    try {
        const core = (0,external_node_module_namespaceObject.createRequire)(jestRequire.resolve('@jest/core'));
        readConfigs = core('jest-config').readConfigs;
    }
    catch {
        // below
    }
    if (typeof readConfigs !== 'function')
        return { why: 'no readConfigs in jest-config' };
    const { globalConfig, configs } = await readConfigs(argv, projects);
    const runners = new Set(configs.map(c => c.runner));
    const [runner] = runners;
    if (runners.size !== 1 || typeof runner !== 'string')
        return { why: 'projects with other runners' };
    if (!/[\\/]jest-runner[\\/]build[\\/]index\.js$/.test(runner))
        return { why: `the config's runner is ${runner}` };
    for (const [option, on] of [
        ['bail', Number(globalConfig.bail) > 0],
        ['collectCoverage', globalConfig.collectCoverage === true],
        ['detectOpenHandles', globalConfig.detectOpenHandles === true]
    ]) {
        if (on)
            return { why: `${option} is on (jest would apply it to the whole session)` };
    }
    const loaded = jestRequire(runner);
    const Inner = (loaded.default ?? loaded);
    if (typeof Inner.prototype?.on !== 'function')
        return { why: 'jest-runner before 28 (no events)' };
    return { runner };
}

;// CONCATENATED MODULE: ./src/frameworks/jest/session.ts
/**
 * The jest session host: loads the suite's own jest once and runs each job on the job's
 * exact files, in band. Where it can (jest's own runner, 28 on), one jest run lives as long
 * as the session and serves every job (suite-run.ts): config, file map and reporters are
 * read once, and with a listing to write, what that run found is the suite's listing. Else
 * each job is one `runCLI`. Every test file's results are streamed as soon as that file
 * finishes (a reporter of ours forwards them), so a file that kills the process later loses
 * nothing already sent.
 */











/** Where our reporter finds the running job: reporters are loaded by path, in this process. */
const sinkKey = Symbol.for('squall.jest-session.sink');
/** Our reporter, written next to jest's cache: it forwards each file's result to the sink. */
const reporterSource = `'use strict'
// Written by squall's jest session: hands each finished test file to the session host.
module.exports = class SquallSessionReporter {
  onTestFileResult(test, result) {
    const sink = globalThis[Symbol.for('squall.jest-session.sink')]
    if (typeof sink === 'function') sink(result)
  }
}
`;
/**
 * Options the session decides: it runs in band (tests in this warm process) and sets its own
 * name pattern on retries; worker options would only start child processes of their own.
 */
const ownedBySession = new Set([
    'maxWorkers',
    'runInBand',
    'workerThreads',
    'workerIdleMemoryLimit',
    'testNamePattern'
]);
/** The jest host for the suite at `cwd` (the session's working directory). */
function jestSessionHandler(cwd) {
    let jest;
    let buildArgv;
    let jestBin = '';
    let reporter = '';
    let cacheDir = '';
    /** The jobs' options the session's run was started with (JEST_SESSION_ARGS). */
    let runOptions;
    let suiteRun;
    /** jest's argv for `options`, run in band by this process, reporting to us too. */
    const sessionWords = (options) => {
        const split = args_splitArgs(options, args_jestGrammar).options;
        return [
            ...args_optionWords(split, ownedBySession),
            '--runInBand',
            // No --testLocationInResults (see jest.ts): a failure's line comes from its stack.
            ...(args_hasOption(split, ['cacheDirectory']) ? [] : ['--cacheDirectory', cacheDir]),
            // The user's reporters (or jest's default) still print; ours is added to them.
            '--reporters',
            ...(args_hasOption(split, ['reporters']) ? [] : ['default']),
            reporter
        ];
    };
    /**
     * Starts the session's jest run for the jobs' `options` (and the listing's filters), or
     * says why jobs will each need a `runCLI`. Returns the files jest found when it got that far.
     */
    const startRun = async (jestRequire, options, listArgs) => {
        const words = [
            ...sessionWords(options),
            // No test found is a listing of none, not a failure that ends this process.
            '--passWithNoTests',
            ...(listArgs ? jestFilterWords(listArgs) : [])
        ];
        const argv = await buildArgv(words);
        const projects = projectsOf(argv, cwd);
        const chosen = await runnerForSuiteRun(jestRequire, argv, projects);
        if ('why' in chosen)
            return { why: chosen.why };
        const ours = await writeRunner(cacheDir);
        const started = await startSuiteRun(cwd, chosen.runner, () => jest.runCLI({ ...argv, runner: ours }, projects));
        if (started.ok)
            suiteRun = started.run;
        return { files: started.files };
    };
    return {
        async start() {
            const suite = (0,external_node_module_namespaceObject.createRequire)((0,external_node_path_namespaceObject.join)(cwd, 'package.json'));
            let main;
            try {
                main = suite.resolve('jest');
            }
            catch {
                throw new Error(`jest is not installed in ${cwd} (require.resolve('jest') failed)`);
            }
            jest = suite(main);
            const own = (0,external_node_module_namespaceObject.createRequire)(main);
            buildArgv = findBuildArgv(jest, own);
            jestBin = resolveOr(own, 'jest/bin/jest', (0,external_node_path_namespaceObject.join)((0,external_node_path_namespaceObject.dirname)(main), '..', 'bin', 'jest.js'));
            cacheDir = (0,external_node_path_namespaceObject.join)(process.env.SQUALL_CACHE_DIR ?? (0,external_node_os_.tmpdir)(), 'jest');
            reporter = await writeModule(cacheDir, 'squall-session-reporter.cjs', reporterSource);
            // Taken out of the environment before anything of the suite's can see them.
            const hasOptions = process.env[JEST_SESSION_ARGS] !== undefined;
            const options = takeSessionArgs(JEST_SESSION_ARGS);
            const listFile = process.env[JEST_LIST_FILE];
            delete process.env[JEST_LIST_FILE];
            const listArgs = takeSessionArgs(JEST_LIST_ARGS);
            // As in every job (see run): configs read it.
            if (process.env.NODE_ENV === undefined)
                process.env.NODE_ENV = 'test';
            let outcome;
            if (!hasOptions)
                outcome = { why: `no ${JEST_SESSION_ARGS}: the jobs' options are unknown` };
            else {
                try {
                    outcome = await startRun(own, options, listFile !== undefined ? listArgs : undefined);
                }
                catch (error) {
                    // Each job's own runCLI meets the same problem and reports it with the job.
                    outcome = { why: error instanceof Error ? error.message : String(error) };
                }
            }
            if (outcome.files)
                runOptions = options;
            else if (hasOptions)
                process.stderr.write(`squall session: one jest run per job: ${outcome.why ?? ''}\n`);
            if (listFile !== undefined)
                await writeSessionListing(listFile, outcome.files, outcome.why);
        },
        testArgv() {
            // What `jest` run by hand shows its tests, less the arguments (ours, not the suite's).
            return jestBin ? [process.execPath, jestBin] : [process.execPath];
        },
        async run(job) {
            // What jest's own bin does before anything loads: suites rely on it (configs, app code).
            if (process.env.NODE_ENV === undefined)
                process.env.NODE_ENV = 'test';
            const request = job.request;
            const files = request.files;
            const seen = new Set();
            const global = globalThis;
            global[sinkKey] = (result) => {
                const path = result.testFilePath.replace(/\\/g, '/');
                const file = matchFile(path, files);
                seen.add(file);
                for (const c of casesFromReport([fileEntry(result)], [file]))
                    job.emitCase(c);
                const { start, end } = result.perfStats ?? {};
                if (typeof start === 'number' && typeof end === 'number' && start > 0 && end >= start)
                    job.itemWallMs(file, end - start);
            };
            try {
                const served = suiteRun?.alive() === true &&
                    sameWords(request.options, runOptions) &&
                    files.every(f => suiteRun?.has(f));
                if (served)
                    await suiteRun?.run(files, request.namePattern);
                else {
                    const { collectCoverage, coverageDirectory } = await runOnce(request);
                    if (collectCoverage === true)
                        job.notice(coverageNotice('jest', String(coverageDirectory ?? 'coverage/')));
                }
            }
            finally {
                delete global[sinkKey];
            }
            // A planned file jest never reported (filtered out by the config, say) cannot vanish.
            const missing = files.filter(f => !seen.has(f));
            for (const c of casesFromReport([], missing))
                job.emitCase(c);
            return undefined;
        },
        async close() {
            await suiteRun?.close();
        }
    };
    /**
     * The job as one jest run of its own: `runCLI` on exactly its files. Its global config's
     * coverage settings (a session's jest run never has coverage on: see suite-run.ts).
     */
    async function runOnce(request) {
        const words = [
            ...sessionWords(request.options),
            ...(request.namePattern !== undefined ? ['--testNamePattern', request.namePattern] : []),
            '--runTestsByPath',
            '--',
            ...request.files.map(f => (0,external_node_path_namespaceObject.resolve)(cwd, f))
        ];
        const argv = await buildArgv(words);
        const ran = (await jest.runCLI(argv, projectsOf(argv, cwd)));
        return ran?.globalConfig ?? {};
    }
}
/** The projects jest runs for `argv`: the ones it names, else the suite root. */
function projectsOf(argv, cwd) {
    return Array.isArray(argv.projects) && argv.projects.length > 0
        ? argv.projects
        : [cwd];
}
function sameWords(a, b) {
    return b !== undefined && a.length === b.length && a.every((word, i) => word === b[i]);
}
/** The shape of one entry of jest's `--json` report, from a file's result. */
function fileEntry(result) {
    const failed = result.numFailingTests > 0 || Boolean(result.testExecError);
    return {
        name: result.testFilePath,
        status: failed ? 'failed' : 'passed',
        message: result.failureMessage ?? result.testExecError?.message ?? '',
        assertionResults: result.testResults
    };
}
/**
 * jest's own parser of its command line. Jest 30 exports it from `jest`; jest 27 to 29 keep it
 * in `jest-cli` (`build/run.js`, or `build/cli/index.js` before 29), behind an exports map that
 * only a file path gets past. Without it the session cannot start (the job reports why).
 */
function findBuildArgv(api, jestRequire) {
    if (typeof api.buildArgv === 'function')
        return api.buildArgv;
    const version = typeof api.getVersion === 'function' ? api.getVersion() : 'unknown';
    let cliDir;
    try {
        cliDir = (0,external_node_path_namespaceObject.dirname)(jestRequire.resolve('jest-cli/package.json'));
    }
    catch {
        throw new Error(`jest ${version}: neither jest nor jest-cli exports buildArgv`);
    }
    for (const file of ['build/run.js', 'build/cli/index.js']) {
        const path = (0,external_node_path_namespaceObject.join)(cliDir, file);
        if (!(0,external_node_fs_.existsSync)(path))
            continue;
        const cli = jestRequire(path);
        if (typeof cli.buildArgv === 'function')
            return cli.buildArgv;
    }
    throw new Error(`jest ${version}: jest-cli at ${cliDir} exports no buildArgv`);
}
function resolveOr(req, id, fallback) {
    try {
        return req.resolve(id);
    }
    catch {
        return fallback;
    }
}

// EXTERNAL MODULE: external "node:readline"
var external_node_readline_ = __nccwpck_require__(481);
// EXTERNAL MODULE: ./src/worker/session/messages.ts + 1 modules
var messages = __nccwpck_require__(541);
;// CONCATENATED MODULE: external "node:url"
const external_node_url_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");
;// CONCATENATED MODULE: ./src/frameworks/pytest/plugin.ts
/**
 * Where squall's pytest plugin (`python/squall_pytest.py`) lives, and the environment that
 * lets `python3 -m pytest -p squall_pytest` find it. The file sits next to this module in the
 * source tree and next to each bundle in dist/ (scripts/build.mjs copies it), so the same
 * relative path works from both.
 */



/** The plugin's module name, for `-p`. */
const PYTEST_PLUGIN = 'squall_pytest';
/** The folder holding `squall_pytest.py`; throws when squall was installed without it. */
function pytestPluginDir() {
    const dir = (0,external_node_path_namespaceObject.join)((0,external_node_path_namespaceObject.dirname)((0,external_node_url_namespaceObject.fileURLToPath)(import.meta.url)), 'python');
    if (!(0,external_node_fs_.existsSync)((0,external_node_path_namespaceObject.join)(dir, `${PYTEST_PLUGIN}.py`))) {
        throw new Error(`squall's pytest plugin is missing: expected ${dir}/${PYTEST_PLUGIN}.py`);
    }
    return dir;
}
/**
 * `base` with the plugin's folder first on PYTHONPATH and squall's own variables set. The
 * plugin takes its folder and the variables back out before any test runs.
 */
function pytestPluginEnv(base, vars) {
    const path = base.PYTHONPATH
        ? `${pytestPluginDir()}${external_node_path_namespaceObject.delimiter}${base.PYTHONPATH}`
        : pytestPluginDir();
    return { ...base, ...vars, PYTHONPATH: path };
}

;// CONCATENATED MODULE: ./src/frameworks/pytest/session.ts
/**
 * The pytest session host. pytest runs in its own interpreter, so this host starts
 * `python3 -m pytest -p squall_pytest <args…>` once, with a channel of its own on the
 * interpreter's fd 3, and relays: squall's plugin (python/squall_pytest.py) collects once,
 * says `ready`, then runs each request's node ids with pytest's own runtest protocol and
 * streams a case per test. The interpreter's output goes straight to the worker's capture.
 * If the interpreter dies mid-job the job's run rejects, and the host ends as a crash.
 */





/** The session's own variable carrying the user's pytest arguments (JSON array). */
const PYTEST_SESSION_ARGS = 'SQUALL_PYTEST_SESSION_ARGS';
/** The interpreter, the same as the listing and the cold jobs use. */
const PYTHON = 'python3';
/** The interpreter's argv for the user's `args` (options and paths, as the listing had them). */
function pytestSessionArgv(args) {
    // The cache plugin is off as in cold jobs: parallel sessions would race on its files.
    return [PYTHON, '-m', 'pytest', '-p', PYTEST_PLUGIN, '-p', 'no:cacheprovider', ...args];
}
/**
 * How a worker starts the session without this host: the interpreter itself, speaking the
 * channel through squall's plugin. It saves a node start per slot (the host only relays).
 * `env` is the session's environment, the user's arguments in PYTEST_SESSION_ARGS.
 */
function pytestDirectLaunch(env) {
    const args = sessionArgsOf(PYTEST_SESSION_ARGS, env[PYTEST_SESSION_ARGS]);
    const { [PYTEST_SESSION_ARGS]: _taken, ...rest } = env;
    return {
        argv: pytestSessionArgv(args),
        env: pytestPluginEnv(rest, {
            SQUALL_PYTEST_CHANNEL_FD: String(messages/* CONTROL_FD */.Nc),
            SQUALL_PYTEST_ARGS: JSON.stringify(args)
        })
    };
}
/** The pytest host for the suite at `cwd`; the user's arguments come in PYTEST_SESSION_ARGS. */
function pytestSessionHandler(cwd) {
    let child;
    let channel;
    let listener;
    let gone;
    let exitText = '';
    const wait = (onMessage) => new Promise((resolve, reject) => {
        const settle = (value) => {
            listener = undefined;
            gone = undefined;
            resolve(value);
        };
        listener = message => onMessage(message, settle);
        gone = why => {
            listener = undefined;
            gone = undefined;
            reject(new Error(why));
        };
        if (exitText)
            gone(exitText);
    });
    return {
        async start() {
            const args = takeSessionArgs(PYTEST_SESSION_ARGS);
            const [command, ...rest] = pytestSessionArgv(args);
            child = (0,external_node_child_process_namespaceObject.spawn)(command, rest, {
                cwd,
                env: pytestPluginEnv(process.env, {
                    SQUALL_PYTEST_CHANNEL_FD: String(messages/* CONTROL_FD */.Nc),
                    // What tests see as sys.argv[1:]: the user's arguments, nothing of squall's.
                    SQUALL_PYTEST_ARGS: JSON.stringify(args)
                }),
                stdio: ['ignore', 'inherit', 'inherit', 'pipe']
            });
            channel = child.stdio[messages/* CONTROL_FD */.Nc];
            channel.on('error', () => undefined);
            (0,external_node_readline_.createInterface)({ input: channel, crlfDelay: Infinity }).on('line', line => {
                const message = (0,messages/* parseSessionLine */.wO)(line);
                if (message)
                    listener?.(message);
            });
            child.on('error', error => {
                exitText = `cannot run ${command}: ${error.message}`;
                gone?.(exitText);
            });
            // 'close', not 'exit': the channel's last lines (cases sent just before a crash) first.
            child.on('close', (code, signal) => {
                exitText = `pytest (${command}) ${code !== null ? `exited with code ${code}` : `was killed by ${String(signal)}`}`;
                gone?.(exitText);
            });
            await wait((message, settle) => {
                if (message.t === 'ready')
                    settle(undefined);
            });
        },
        async run(job) {
            const done = wait((message, settle) => {
                if (message.t === 'case' && message.job === job.id)
                    job.emitCase(message.case);
                else if (message.t === 'log')
                    job.log(message.text);
                else if (message.t === 'done' && message.job === job.id) {
                    settle(message.note ? { note: message.note } : {});
                }
            });
            // The host already made process.env the job's: the interpreter takes the same.
            const env = Object.fromEntries(Object.entries(process.env).filter((e) => e[1] !== undefined));
            channel?.write((0,messages/* encodeLine */.Nu)({ t: 'run', job: job.id, jobDir: job.jobDir, env, request: job.request }));
            return done;
        },
        async close() {
            if (!child || exitText)
                return;
            const exited = new Promise(resolve => child?.once('close', () => resolve()));
            channel?.write((0,messages/* encodeLine */.Nu)({ t: 'exit' }));
            await exited;
        }
    };
}

;// CONCATENATED MODULE: ./src/protocol/cluster-secret.ts
/**
 * The cluster secret: what every peer of a TCP cluster must know. It is handed to child
 * processes through the environment (never argv, which any local user can read) and is never
 * sent on the wire: `hello` and `welcome` carry proofs of it (see handshake.ts).
 */
/** The environment variable that carries the cluster secret to brokers, workers and runners. */
const CLUSTER_SECRET_ENV = 'SQUALL_CLUSTER_SECRET';
/** Fewer characters than this is too easy to guess for a secret that guards a TCP port. */
const MIN_SECRET_LENGTH = 16;
/** The secret as key bytes; surrounding white space (a file's final newline) does not count. */
function secretKey(text) {
    return Buffer.from(text.trim(), 'utf8');
}
/** What is wrong with a secret's text, or undefined when it will do. */
function checkSecret(text) {
    const length = text.trim().length;
    if (length < MIN_SECRET_LENGTH) {
        return `a cluster secret needs at least ${MIN_SECRET_LENGTH} characters, got ${length}`;
    }
    return undefined;
}
/** The secret in `env`, or undefined when it is unset or empty. */
function secretFromEnv(env) {
    const text = env[CLUSTER_SECRET_ENV];
    return text !== undefined && text.trim() !== '' ? text : undefined;
}

;// CONCATENATED MODULE: ./src/worker/job-credentials.ts
/**
 * What a job must never see. Test code comes from pull requests: with the runtime token it
 * could join the cluster as a worker and read other jobs' environment, with the OIDC request
 * token it could mint cloud credentials, with the cluster secret it could pose as a peer.
 * Jobs (and the warm sessions that run them) get the worker's environment without these.
 */

/** Variables removed from every job's environment unless passed through on purpose. */
const CREDENTIAL_VARIABLES = [
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_RUNTIME_URL',
    'ACTIONS_RESULTS_URL',
    'ACTIONS_CACHE_URL',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    CLUSTER_SECRET_ENV
];
const credentials = new Set(CREDENTIAL_VARIABLES);
/** Windows names are case-insensitive, and the OIDC family may grow: match both ways. */
function isCredential(name) {
    const upper = name.toUpperCase();
    return credentials.has(upper) || upper.startsWith('ACTIONS_ID_TOKEN_REQUEST_');
}
/**
 * `env` without the credential variables, except those named in `passEnv` (the operator's
 * explicit choice, e.g. `squall worker --pass-env ACTIONS_RUNTIME_TOKEN`).
 */
function job_credentials_withoutCredentials(env, passEnv = []) {
    const kept = new Set(passEnv);
    const result = {};
    for (const [name, value] of Object.entries(env)) {
        if (!isCredential(name) || kept.has(name))
            result[name] = value;
    }
    return result;
}

;// CONCATENATED MODULE: ./src/worker/job-dir.ts
/** A job attempt's fresh directory, its environment and its working directory. */





/** Where job directories go when the caller does not say: one folder per worker process. */
function defaultJobsRoot() {
    return join(tmpdir(), `squall-jobs-${process.pid}`);
}
/**
 * A cache folder that outlives jobs and runs (frameworks' transform caches): one per user on
 * the machine, shared by every slot, unlike the per-job TMPDIR that starts empty each time.
 */
function defaultCacheDir() {
    return join(tmpdir(), `squall-cache-${process.getuid?.() ?? 'user'}`);
}
/** Creates `<root>/<job>-<attempt>-XXXXXX` with a `tmp` folder inside; returns its path. */
async function createJobDir(root, job) {
    await mkdir(root, { recursive: true });
    const dir = await mkdtemp(join(root, `${safeName(job.id)}-${job.attempt}-`));
    await mkdir(join(dir, 'tmp'));
    return dir;
}
/** Removes a job directory; returns why it could not, rather than failing the job. */
async function removeJobDir(dir) {
    try {
        await rm(dir, { recursive: true, force: true, maxRetries: 2 });
        return undefined;
    }
    catch (error) {
        return error instanceof Error ? error.message : String(error);
    }
}
/** The variables each job attempt gets anew (its directory, id, attempt and TMPDIR). */
const PER_JOB_VARIABLES = ['SQUALL_JOB_DIR', 'SQUALL_JOB_ID', 'SQUALL_ATTEMPT', 'TMPDIR'];
/**
 * The job's environment: the worker's without its credentials (but with those in `passEnv`),
 * the job's own, then the SQUALL_* variables, which a job cannot override.
 */
function jobEnvironment(base, job, jobDir, workerId, options = {}) {
    return {
        ...withoutCredentials(base, options.passEnv ?? []),
        ...job.env,
        SQUALL_JOB_DIR: jobDir,
        SQUALL_JOB_ID: job.id,
        SQUALL_ATTEMPT: String(job.attempt),
        ...workerVariables(workerId, options),
        TMPDIR: join(jobDir, 'tmp')
    };
}
/**
 * A warm session's own environment: the worker's without its credentials (a session runs test
 * code too), with the shared cache; each job brings its own on top.
 */
function sessionEnvironment(base, workerId, options = {}) {
    return {
        ...withoutCredentials(base, options.passEnv ?? []),
        ...workerVariables(workerId, options)
    };
}
function workerVariables(workerId, options) {
    return { SQUALL_WORKER: workerId, SQUALL_CACHE_DIR: options.cacheDir ?? defaultCacheDir() };
}
/** The job's working directory, or a message naming the path when it is not a directory. */
async function resolveJobCwd(root, job) {
    const cwd = job.cwd ? resolve(root, job.cwd) : root;
    try {
        if ((await stat(cwd)).isDirectory())
            return { cwd };
        return { error: `working directory ${cwd} is not a directory` };
    }
    catch {
        return { error: `working directory ${cwd} does not exist` };
    }
}
/** A file-name-safe, bounded form of a job id. */
function safeName(id) {
    return id.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60) || 'job';
}

;// CONCATENATED MODULE: ./src/frameworks/vitest/session.ts
/**
 * The vitest session host: one `createVitest('test', …)` from the suite's own `vitest/node`,
 * started once (a warm Vite server and transform cache), then each job runs its files with
 * `runTestSpecifications` on that instance, in vitest's own pool and isolation. Each file's
 * results go to the worker as soon as the file ends, in the json reporter's shape, read by the
 * same code as a cold job's report (js/report.ts).
 */











/** The session's own variable carrying the user's vitest options (JSON array of words). */
const VITEST_SESSION_ARGS = 'SQUALL_VITEST_SESSION_ARGS';
/**
 * With a listing to write (a session started ahead on the runner's machine): the file, and
 * the user's whole arguments (JSON array), filters included, that the listing applies.
 */
const VITEST_LIST_FILE = 'SQUALL_VITEST_LIST_FILE';
const VITEST_LIST_ARGS = 'SQUALL_VITEST_LIST_ARGS';
/**
 * Options that choose files by more than the config and path filters (changed files, a
 * shard, test names): `vitest list` applies them, the session's instance does not have them.
 */
const listedByVitestOnly = ['changed', 'shard', 'testNamePattern', 'related'];
/** The json reporter's status words for a task's state or mode. */
const statusWords = {
    pass: 'passed',
    fail: 'failed',
    skip: 'skipped',
    todo: 'todo',
    run: 'pending',
    only: 'pending',
    queued: 'pending'
};
/**
 * A file's own cost as vitest's module diagnostic splits it: preparing its worker, loading its
 * environment, setup files, collecting (importing and transforming) and running its tests.
 */
function fileWallMs(task) {
    const phases = [
        task.prepareDuration,
        task.environmentLoad,
        task.setupDuration,
        task.collectDuration,
        task.result?.duration
    ];
    return phases.reduce((sum, ms) => sum + (typeof ms === 'number' && ms > 0 ? ms : 0), 0);
}
/** The environment as the test pool would capture it, as one comparable string. */
function poolEnvironmentKey(env) {
    return JSON.stringify(Object.entries(env)
        .filter(([, value]) => value !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
/** The vitest host for the suite at `cwd`; the user's options come in VITEST_SESSION_ARGS. */
function vitestSessionHandler(cwd) {
    let vitest;
    let vitestBin = '';
    let sink;
    /** The session's TMPDIR for tests, removed when it ends. */
    let sessionTmp = '';
    /** The environment the running pool was created with. */
    let poolEnv;
    return {
        async start() {
            sessionTmp = await (0,promises_namespaceObject.mkdtemp)((0,external_node_path_namespaceObject.join)((0,external_node_os_.tmpdir)(), 'squall-vitest-'));
            const words = takeSessionArgs(VITEST_SESSION_ARGS);
            const listFile = process.env[VITEST_LIST_FILE];
            delete process.env[VITEST_LIST_FILE];
            const listArgs = takeSessionArgs(VITEST_LIST_ARGS);
            const suite = (0,external_node_module_namespaceObject.createRequire)((0,external_node_path_namespaceObject.join)(cwd, 'package.json'));
            let pkg;
            try {
                pkg = suite.resolve('vitest/package.json');
            }
            catch {
                throw new Error(`vitest is not installed in ${cwd} (vitest/package.json not found)`);
            }
            vitestBin = (0,external_node_path_namespaceObject.join)((0,external_node_path_namespaceObject.dirname)(pkg), 'vitest.mjs');
            const node = (await import(
            /* webpackIgnore: true */ (0,external_node_url_namespaceObject.pathToFileURL)((0,external_node_path_namespaceObject.join)((0,external_node_path_namespaceObject.dirname)(pkg), 'dist', 'node.js')).href));
            const { options } = node.parseCLI(['vitest', ...words]);
            // Ours on top of the user's: the default reporter still prints, ours streams files.
            const reporter = {
                onTestModuleEnd(module) {
                    sink?.(module.task);
                }
            };
            vitest = await node.createVitest('test', {
                ...options,
                root: cwd,
                watch: false,
                reporters: ['default', reporter]
            });
            // Reporters (and coverage) once; then the specification cache, so every job maps its
            // files to specifications without globbing again.
            await vitest.init();
            await vitest.globTestSpecifications();
            if (listFile !== undefined) {
                const files = await sessionListing(vitest, listArgs).catch(() => undefined);
                await writeSessionListing(listFile, files);
            }
        },
        testArgv() {
            return [process.execPath, vitestBin];
        },
        async run(job) {
            const api = vitest;
            const request = job.request;
            const files = request.files;
            const seen = new Set();
            sink = task => {
                const path = (task.filepath ?? '').replace(/\\/g, '/');
                const file = matchFile(path, files);
                seen.add(file);
                for (const c of casesFromReport([session_fileEntry(task)], [file]))
                    job.emitCase(c);
                job.itemWallMs(file, fileWallMs(task));
            };
            const specs = files.flatMap(f => api.getModuleSpecifications((0,external_node_path_namespaceObject.resolve)(cwd, f)));
            if (request.namePattern !== undefined)
                api.setGlobalTestNamePattern(request.namePattern);
            // vitest's pool captures the environment once, when it is created. The host has made
            // process.env the job's; less the per-job variables it is the same for most jobs, and
            // those keep the warm pool (its tests see the session's TMPDIR and no other per-job
            // variable), as the files of vitest's own run share one. A job whose environment
            // differs gets a pool of its own.
            for (const key of PER_JOB_VARIABLES)
                delete process.env[key];
            process.env.TMPDIR = sessionTmp;
            const env = poolEnvironmentKey(process.env);
            if (poolEnv !== undefined && env !== poolEnv)
                await closePool(api);
            poolEnv = env;
            try {
                if (specs.length > 0)
                    await api.runTestSpecifications(specs, false);
            }
            finally {
                sink = undefined;
                api.resetGlobalTestNamePattern();
            }
            const coverage = api.config?.coverage;
            if (coverage?.enabled === true)
                job.notice(coverageNotice('vitest', coverage.reportsDirectory ?? 'coverage/'));
            // A planned file vitest did not run (not a test file here, filtered out) cannot vanish.
            const missing = files.filter(f => !seen.has(f));
            for (const c of casesFromReport([], missing))
                job.emitCase(c);
            return undefined;
        },
        async close() {
            await vitest?.close();
            if (sessionTmp)
                await (0,promises_namespaceObject.rm)(sessionTmp, { recursive: true, force: true });
        }
    };
}
/**
 * Ends the instance's test pool (its worker processes or threads). vitest creates the pool on
 * the first run with the environment of that moment and keeps it; a job with another
 * environment must start workers with its own. The Vite server, with its transform cache,
 * stays warm.
 */
async function closePool(api) {
    // `pool` is not part of vitest's public types; it is the field every run creates on demand.
    const internal = api;
    await internal.pool?.close?.();
    internal.pool = undefined;
}
/** One file's entry as vitest's json reporter writes it. */
function session_fileEntry(file) {
    const tests = testsOf(file);
    const failed = file.result?.state === 'fail' || tests.some(t => t.result?.state === 'fail');
    return {
        name: file.filepath,
        status: failed ? 'failed' : 'passed',
        message: file.result?.errors?.[0]?.message ?? '',
        assertionResults: tests.map(test => {
            const ancestors = [];
            for (let s = test.suite; s && s.type !== 'file' && s !== file; s = s.suite) {
                ancestors.unshift(s.name);
            }
            return {
                ancestorTitles: ancestors,
                fullName: [...ancestors, test.name].filter(Boolean).join(' '),
                status: statusWords[test.result?.state ?? test.mode] ?? 'skipped',
                title: test.name,
                duration: test.result?.duration,
                failureMessages: (test.result?.errors ?? []).map(e => e.stack ?? e.message ?? ''),
                location: test.location ?? null,
                ...(test.fails ? { fails: true } : {})
            };
        })
    };
}
function testsOf(task) {
    if (task.type === 'test')
        return [task];
    return (task.tasks ?? []).flatMap(testsOf);
}
/**
 * The files `vitest list --filesOnly <args>` would list, from the session's instance (the same
 * config and options): the path filters of `args` applied. Undefined when only vitest's own
 * listing can tell (see `listedByVitestOnly`) or when nothing matched (vitest then says why).
 */
async function sessionListing(api, args) {
    const { options, positionals } = args_splitArgs(args, vitestGrammar);
    if (options.some(o => listedByVitestOnly.includes(o.name.replace(/^no-/, ''))))
        return undefined;
    if (typeof api.getRelevantTestSpecifications !== 'function')
        return undefined;
    const specs = await api.getRelevantTestSpecifications(positionals);
    const files = [
        ...new Set(specs.map(s => s.moduleId).filter((id) => typeof id === 'string'))
    ];
    return files.length > 0 ? files : undefined;
}

;// CONCATENATED MODULE: ./src/frameworks/session-hosts.ts
/**
 * The session hosts `squall session <framework>` can run: one entry per framework with a warm
 * session (see `src/worker/session/host.ts`). Each builds its handler for the suite root.
 */




const sessionHosts = {
    jest: jestSessionHandler,
    pytest: pytestSessionHandler,
    vitest: vitestSessionHandler
};
/** The host for `name` at `cwd`; a UsageError naming the known ones for any other name. */
function sessionHostFor(name, cwd) {
    const host = name !== undefined ? sessionHosts[name] : undefined;
    if (!host) {
        const known = Object.keys(sessionHosts).join(', ');
        throw new errors/* UsageError */.eb(name === undefined
            ? `name the framework of the session: one of ${known}`
            : `no session host for framework '${name}'; expected one of ${known}`);
    }
    return host(cwd);
}
/**
 * Sessions a worker starts directly instead of `squall session <framework>`, when the
 * framework's own process speaks the channel: from the session's environment, what to spawn.
 */
const directSessionLaunchers = {
    pytest: pytestDirectLaunch
};


/***/ }),

/***/ 606:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   u: () => (/* binding */ trace)
/* harmony export */ });
/* unused harmony export TRACE_ENV */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/**
 * Phase time stamps for profiling a run's fixed costs, off unless `SQUALL_TRACE_FILE` names a
 * file: each process (the CLI, the broker, the workers) appends `<epoch ms> <pid> <what>`
 * lines to it, so one file shows where a small suite's time goes. No effect on behaviour.
 */

/** The variable naming the trace file. */
const TRACE_ENV = 'SQUALL_TRACE_FILE';
const file = process.env[TRACE_ENV];
/** Records that `what` happened now (and, once per process, when the process started). */
function trace(what) {
    if (!file)
        return;
    if (!started) {
        started = true;
        write(Math.round(performance.timeOrigin), `process start (${process.argv[2] ?? ''})`);
    }
    write(Date.now(), what);
}
let started = false;
function write(at, what) {
    try {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.appendFileSync)(file, `${at} ${process.pid} ${what}\n`);
    }
    catch {
        // A trace that cannot be written is no reason to fail a run.
    }
}


/***/ }),

/***/ 882:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  y: () => (/* binding */ runSessionHost)
});

// UNUSED EXPORTS: replaceEnv

;// CONCATENATED MODULE: external "node:net"
const external_node_net_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");
// EXTERNAL MODULE: ./src/trace.ts
var trace = __nccwpck_require__(606);
// EXTERNAL MODULE: external "node:readline"
var external_node_readline_ = __nccwpck_require__(481);
// EXTERNAL MODULE: ./src/worker/session/messages.ts + 1 modules
var messages = __nccwpck_require__(541);
;// CONCATENATED MODULE: ./src/worker/session/host.ts
/**
 * The session side of the control channel, for hosts that run inside node (jest, vitest):
 * owns fd 3, the ready handshake, the job's environment and a clean `process.argv`, so a
 * framework host only loads its framework once and runs one request at a time.
 *
 * A host that fails to run a job writes why to stderr and exits 1: the worker treats that as
 * a crash (job `error` with the output's tail) and starts a fresh session for the next job.
 */




/** Serves the worker on fd 3 until it says `exit` or closes the channel; never returns. */
async function runSessionHost(handler) {
    const began = performance.now();
    const channel = new external_node_net_namespaceObject.Socket({ fd: messages/* CONTROL_FD */.Nc, readable: true, writable: true });
    // Writes go out in order, so the last one's callback means every case before it is out.
    let flushed = Promise.resolve();
    const send = (message) => (flushed = new Promise(resolve => {
        channel.write((0,messages/* encodeLine */.Nu)(message), () => resolve());
    }));
    // Nothing of the host's own command line reaches tests, not even while loading.
    process.argv = cleanArgv(handler);
    try {
        await handler.start();
    }
    catch (error) {
        // The open channel would keep us alive: say why and end, the worker reports the output.
        process.stderr.write(`squall session: could not start: ${describe(error)}\n`);
        process.exit(1);
    }
    let startupMs = Math.round(performance.now() - began);
    await send({ t: 'ready', pid: process.pid, startupMs });
    const lines = (0,external_node_readline_.createInterface)({ input: channel, crlfDelay: Infinity });
    for await (const line of lines) {
        const message = (0,messages/* parseWorkerLine */.gV)(line);
        if (!message)
            continue;
        if (message.t === 'exit')
            break;
        (0,trace/* trace */.u)(`session: job ${message.job} received`);
        const sessionEnv = { ...process.env };
        replaceEnv(message.env);
        process.argv = cleanArgv(handler);
        let note;
        const itemWallMs = {};
        const notices = new Set();
        try {
            const ended = await handler.run({
                id: message.job,
                jobDir: message.jobDir,
                request: message.request,
                emitCase: result => void send({ t: 'case', job: message.job, case: result }),
                log: text => void send({ t: 'log', text }),
                itemWallMs: (item, ms) => {
                    if (Number.isFinite(ms) && ms >= 0)
                        itemWallMs[item] = Math.round((itemWallMs[item] ?? 0) + ms);
                },
                notice: text => void notices.add(text)
            });
            note = ended?.note;
        }
        catch (error) {
            process.stderr.write(`squall session: the job failed in the host: ${describe(error)}\n`);
            // Cases already streamed must reach the worker before the crash does.
            await flushed;
            process.exit(1);
        }
        finally {
            replaceEnv(sessionEnv);
            // A framework may leave a failing exit code behind; the next job starts clean.
            process.exitCode = undefined;
        }
        (0,trace/* trace */.u)(`session: job ${message.job} ran`);
        // The job's output reaches the worker's pipes before its `done` does (see OUTPUT_SETTLE_MS).
        await flushOutput();
        await send({
            t: 'done',
            job: message.job,
            // The first job reports the session's start-up, so timing can keep it apart from tests.
            ...(startupMs > 0 ? { startupMs } : {}),
            rssBytes: process.memoryUsage.rss(),
            ...(note ? { note } : {}),
            ...(Object.keys(itemWallMs).length > 0 ? { itemWallMs } : {}),
            ...(notices.size > 0 ? { notices: [...notices] } : {})
        });
        startupMs = 0;
    }
    await handler.close?.().catch(() => undefined);
    channel.end();
    process.exit(0);
}
/** Makes `process.env` exactly `env` (keys missing from it are removed). */
function replaceEnv(env) {
    for (const key of Object.keys(process.env))
        if (!(key in env))
            delete process.env[key];
    for (const [key, value] of Object.entries(env)) {
        if (value === undefined)
            delete process.env[key];
        else
            process.env[key] = value;
    }
}
/** How long `flushOutput` waits at most for output still queued in this process. */
const FLUSH_MS = 200;
/**
 * Resolves once what was written to stdout and stderr so far is handed to the OS (at once
 * where pipes are written synchronously, as on Linux). It reads the streams' queues rather
 * than waiting for a write's callback: a framework may have replaced `write` (jest's default
 * reporter buffers it for its status line, and never calls back).
 */
async function flushOutput() {
    const queued = () => process.stdout.writableLength > 0 || process.stderr.writableLength > 0;
    for (let waited = 0; queued() && waited < FLUSH_MS; waited += 5) {
        await new Promise(resolve => setTimeout(resolve, 5));
    }
}
function describe(error) {
    return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
function cleanArgv(handler) {
    return handler.testArgv?.() ?? [process.execPath];
}


/***/ }),

/***/ 541:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Nc: () => (/* binding */ CONTROL_FD),
  Nu: () => (/* binding */ encodeLine),
  wO: () => (/* binding */ parseSessionLine),
  gV: () => (/* binding */ parseWorkerLine)
});

// UNUSED EXPORTS: CASES_FILE, sessionNotices

;// CONCATENATED MODULE: ./src/protocol/types.ts
/** Data shapes shared by every stage: what a job is and what running it produced. */
/** At most this many notices per result, each at most NOTICE_CHARS long (the rest is cut). */
const MAX_NOTICES = 4;
const NOTICE_CHARS = 600;
const emptyOutput = { text: '', truncatedBytes: 0 };

;// CONCATENATED MODULE: ./src/worker/session/messages.ts
/**
 * The control channel between a worker and a warm framework session: newline-delimited JSON
 * on the session's fd 3, one object per line, `t` naming the type. Shared by both ends.
 */

/** The descriptor the session host finds its control channel on. */
const CONTROL_FD = 3;
/**
 * The file in the job's directory a worker names as `casesFile`: a session may append its
 * `case` lines there instead of sending them on the channel, and the worker reads it when the
 * job ends (done or crashed). A channel message per test wakes the worker per test, which on
 * a busy machine costs more than a short test; a file append does not, and survives a crash
 * of the session as well.
 */
const CASES_FILE = 'squall-session-cases.jsonl';
/** One line of the channel: the object, newline-terminated. */
function encodeLine(message) {
    return `${JSON.stringify(message)}\n`;
}
/** A line from a session, or undefined when it is not a message we know (ignored, not fatal). */
function parseSessionLine(line) {
    const value = parseObject(line);
    if (!value)
        return undefined;
    switch (value.t) {
        case 'ready':
            return typeof value.pid === 'number' ? value : undefined;
        case 'case':
            return typeof value.job === 'string' && isCase(value.case)
                ? value
                : undefined;
        case 'done': {
            if (typeof value.job !== 'string')
                return undefined;
            // A malformed timing map costs only the timing, never the job's end.
            const { itemWallMs, notices, ...rest } = value;
            const said = sessionNotices(notices);
            return {
                ...rest,
                ...(isItemWallMs(itemWallMs) ? { itemWallMs } : {}),
                ...(said.length > 0 ? { notices: said } : {})
            };
        }
        case 'log':
            return typeof value.text === 'string' ? value : undefined;
        default:
            return undefined;
    }
}
/** A line from the worker, or undefined when it is not a message we know. */
function parseWorkerLine(line) {
    const value = parseObject(line);
    if (!value)
        return undefined;
    if (value.t === 'exit')
        return { t: 'exit' };
    if (value.t === 'run' &&
        typeof value.job === 'string' &&
        typeof value.jobDir === 'string' &&
        typeof value.env === 'object' &&
        value.env !== null) {
        return value;
    }
    return undefined;
}
function parseObject(line) {
    if (line.trim() === '')
        return undefined;
    try {
        const value = JSON.parse(line);
        return typeof value === 'object' && value !== null && !Array.isArray(value)
            ? value
            : undefined;
    }
    catch {
        return undefined;
    }
}
function isItemWallMs(value) {
    return (typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every(ms => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0));
}
function isCase(value) {
    if (typeof value !== 'object' || value === null)
        return false;
    const c = value;
    return typeof c.id === 'string' && typeof c.name === 'string' && typeof c.status === 'string';
}
/** A session's notices as a result may carry them: strings only, the first few, cut short. */
function sessionNotices(value) {
    if (!Array.isArray(value))
        return [];
    return value
        .filter((n) => typeof n === 'string' && n !== '')
        .slice(0, MAX_NOTICES)
        .map(n => n.slice(0, NOTICE_CHARS));
}


/***/ }),

/***/ 24:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 481:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:readline");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(170);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
