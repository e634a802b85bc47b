/**
 * The bad-input table: each row is one bad input (a CLI flag of run/broker/worker/emulator, a
 * jobs file, an action input, a frame) driven through the real parser or validator, with the
 * exit code it must end with and the words its message must hold (the input's name, and its
 * value where there is one).
 */
import { execFileSync } from 'node:child_process'
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { commandsFramework } from '../../src/frameworks/commands/commands.js'
import { decodeMessage, encodeFrame, FrameDecoder, FrameKind } from '../../src/protocol/framing.js'
import { runSuite } from '../../src/runner/runner.js'

/** What a row ends with: its exit code and the text a user reads. */
export interface Ending {
  code: number
  message: string
}

export interface Row {
  what: string
  /** Runs the input through squall; resolves with how it ended. */
  run: (dir: string) => Promise<Ending>
  code: number
  /** Every one must appear in the message (given the row's temp dir). */
  names: (dir: string) => string[]
}

/** The CLI in this process, its stderr captured: for flags refused before anything starts. */
export type CliRunner = (argv: string[]) => Promise<Ending>

/** A jobs file with `content` in `dir`, listed by the commands framework. */
async function listJobs(dir: string, content: string | Buffer, name = 'jobs.json'): Promise<void> {
  const path = join(dir, name)
  writeFileSync(path, content)
  await commandsFramework.list({ cwd: dir, args: [], jobsFile: name, timeoutMs: 600_000 })
}

/** A whole suite up to the point it would connect (it never does: every row fails before). */
async function suiteOf(dir: string, content: string): Promise<void> {
  writeFileSync(join(dir, 'jobs.json'), content)
  await runSuite({
    connect: () => Promise.reject(new Error('a bad suite must not connect')),
    framework: commandsFramework,
    cwd: dir,
    args: [],
    jobsFile: 'jobs.json',
    timeoutMs: 600_000,
    slots: 2,
    retries: 0,
    failOnFlaky: false,
    timingsPath: '',
    onEvent: () => undefined
  })
}

const job = (fields: Record<string, unknown>): string =>
  JSON.stringify([{ name: 'x', command: 'true', ...fields }])

/** Decodes raw bytes as one frame and its message. */
function frame(bytes: Buffer): void {
  for (const f of new FrameDecoder({ maxFrameBytes: 1024 }).push(bytes)) decodeMessage(f)
}
const messageFrame = (payload: string): Buffer =>
  encodeFrame(FrameKind.message, Buffer.from(payload, 'utf8'))
const rawFrame = (length: number, version: number, kind: number): Buffer => {
  const b = Buffer.alloc(6)
  b.writeUInt32BE(length, 0)
  b.writeUInt8(version, 4)
  b.writeUInt8(kind, 5)
  return b
}

/** Action inputs through `INPUT_*`, the defaults taken from the action's own action.yml. */
export function withInputs(
  actionYml: string,
  inputs: Record<string, string>,
  read: () => unknown
): void {
  const doc = parseYaml(readFileSync(actionYml, 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  const env: Record<string, string> = {}
  for (const [name, spec] of Object.entries(doc.inputs)) env[name] = spec.default ?? ''
  Object.assign(env, inputs)
  const saved = { ...process.env }
  for (const [name, value] of Object.entries(env)) {
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  try {
    read()
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
  }
}

/** How the table reaches squall: the CLI in-process, any call, and each action's inputs. */
export interface Drivers {
  cli: CliRunner
  /** Runs `run` in a temp dir; a throw becomes its exit code (exitCodeFor) and message. */
  inProcess: (run: (dir: string) => unknown) => (dir: string) => Promise<Ending>
  /** Reads an action's inputs from `INPUT_*` set to `inputs` over its action.yml defaults. */
  actions: Record<'runner' | 'worker' | 'broker', (inputs: Record<string, string>) => () => unknown>
  /** Running as root (which writes anywhere): rows about permissions are left out. */
  root: boolean
}

export function rows({ cli, inProcess, actions, root }: Drivers): Row[] {
  const flag = (what: string, argv: string[], names: string[], code = 2): Row => ({
    what: `squall ${argv.join(' ')}: ${what}`,
    run: () => cli(argv),
    code,
    names: () => names
  })
  const flagIn = (
    what: string,
    argv: (dir: string) => string[],
    names: (dir: string) => string[]
  ): Row => ({ what: `squall ${what}`, run: dir => cli(argv(dir)), code: 2, names })
  const jobsFile = (what: string, content: string | Buffer, names: string[]): Row => ({
    what: `jobs file: ${what}`,
    run: inProcess(dir => listJobs(dir, content)),
    code: 2,
    names: () => ['jobs.json', ...names]
  })
  const suite = (what: string, content: string, names: string[]): Row => ({
    what: `suite: ${what}`,
    run: inProcess(dir => suiteOf(dir, content)),
    code: 2,
    names: () => names
  })
  const input = (
    action: keyof typeof actions,
    inputs: Record<string, string>,
    names: string[]
  ): Row => ({
    what: `${action} action: ${JSON.stringify(inputs)}`,
    run: inProcess(() => actions[action](inputs)()),
    code: 2,
    names: () => names
  })
  const bytes = (what: string, b: Buffer, names: string[]): Row => ({
    what: `frame: ${what}`,
    run: inProcess(() => frame(b)),
    // A peer that speaks garbage is the cluster failing, not the user's input.
    code: 3,
    names: () => names
  })
  const table: Row[] = [
    // squall run
    flag('no workers', ['run', '--workers', '0'], ['--workers', "'0'"]),
    flag('words for workers', ['run', '--workers', 'abc'], ['--workers', "'abc'"]),
    flag('fractional workers', ['run', '--workers', '1.5'], ['--workers', "'1.5'"]),
    flag('negative workers', ['run', '--workers=-1'], ['--workers', "'-1'"]),
    flag('no slots', ['run', '--slots', '0'], ['--slots', "'0'"]),
    flag('negative retries', ['run', '--retries=-1'], ['--retries', "'-1'"]),
    flag('words for retries', ['run', '--retries', 'twice'], ['--retries', "'twice'"]),
    flag('zero timeout', ['run', '--timeout', '0'], ['--timeout', "'0'"]),
    flag(
      'timeout that rounds to 0 ms',
      ['run', '--timeout', '0.0001'],
      ['--timeout', "'0.0001'", '1 ms']
    ),
    flag('words for timeout', ['run', '--timeout', 'soon'], ['--timeout', "'soon'"]),
    flag('empty timeout', ['run', '--timeout', ''], ['--timeout']),
    flag(
      'timeout past what a timer holds',
      ['run', '--timeout', '1e12'],
      ['--timeout', "'1e12'", '24 days']
    ),
    flag('infinite timeout', ['run', '--timeout', 'Infinity'], ['--timeout', "'Infinity'"]),
    flag('label with a space', ['run', '--labels', 'a b'], ['--labels', "'a b'"]),
    flag('label with a non-ASCII letter', ['run', '--labels', 'gpu,ü'], ['--labels', "'ü'"]),
    flag('unknown transport', ['run', '--transport', 'pigeon'], ['--transport', "'pigeon'"]),
    flag(
      'unknown framework',
      ['run', '--framework', 'nope', '--jobs', 'x'],
      ['--framework', "'nope'"]
    ),
    flag('unknown option', ['run', '--frobnicate'], ['--frobnicate']),
    flag('option without its value', ['run', '--workers'], ['--workers']),
    flag('empty --junit', ['run', '--junit', ''], ['--junit', 'empty']),
    flag(
      'missing --cwd',
      ['run', '--cwd', '/nonexistent/squall'],
      ['--cwd', "'/nonexistent/squall'", 'ENOENT']
    ),
    flagIn(
      'run --junit <a directory>',
      dir => ['run', '--junit', dir],
      dir => ['--junit', `'${dir}'`, 'is a directory']
    ),
    flagIn(
      'run --json <a directory>',
      dir => ['run', '--json', dir],
      dir => ['--json', `'${dir}'`, 'is a directory']
    ),
    flagIn(
      'run --junit <under a file>',
      dir => {
        writeFileSync(join(dir, 'file'), '')
        return ['run', '--junit', join(dir, 'file', 'out', 'junit.xml')]
      },
      dir => ['--junit', `'${join(dir, 'file')}' is not a directory`]
    ),
    flagIn(
      'run --json <under a file>',
      dir => {
        writeFileSync(join(dir, 'file'), '')
        return ['run', '--json', join(dir, 'file', 'summary.json')]
      },
      dir => ['--json', `'${join(dir, 'file')}' is not a directory`]
    ),
    flagIn(
      'run --cwd <a file>',
      dir => {
        writeFileSync(join(dir, 'file'), '')
        return ['run', '--cwd', join(dir, 'file')]
      },
      dir => ['--cwd', `'${join(dir, 'file')}' is not a directory`]
    ),
    // squall broker
    flag('port past 65535', ['broker', '--port', '70000'], ['--port', "'70000'"]),
    flag('words for a port', ['broker', '--port', 'http'], ['--port', "'http'"]),
    flag('negative port', ['broker', '--port=-1'], ['--port', "'-1'"]),
    flag('zero heartbeat', ['broker', '--heartbeat', '0'], ['--heartbeat', "'0'"]),
    flag(
      'heartbeat that rounds to 0 ms',
      ['broker', '--heartbeat', '0.0001'],
      ['--heartbeat', "'0.0001'"]
    ),
    flag('words for heartbeat', ['broker', '--heartbeat', 'often'], ['--heartbeat', "'often'"]),
    flag('unknown transport', ['broker', '--transport', 'smoke'], ['--transport', "'smoke'"]),
    flag(
      'open host without a secret',
      ['broker', '--host', '0.0.0.0', '--port', '0'],
      ['--host', "'0.0.0.0'", 'secret']
    ),
    flag(
      'missing secret file',
      ['broker', '--secret-file', '/nonexistent/secret'],
      ['--secret-file', "'/nonexistent/secret'"]
    ),
    flagIn(
      'broker --secret-file <too short>',
      dir => {
        writeFileSync(join(dir, 'secret'), 'short')
        return ['broker', '--port', '0', '--secret-file', join(dir, 'secret')]
      },
      dir => ['--secret-file', `'${join(dir, 'secret')}'`, 'at least']
    ),
    flag('unknown log level', ['broker', '--log-level', 'loud'], ['--log-level', "'loud'"]),
    flag(
      'a log level that is an object key',
      ['broker', '--log-level', 'toString'],
      ['--log-level', "'toString'"]
    ),
    flag(
      'cluster id with a space',
      ['broker', '--port', '0', '--cluster-id', 'my cluster'],
      ['--cluster-id', "'my cluster'"]
    ),
    flag(
      'cluster id starting with a dot',
      ['broker', '--port', '0', '--cluster-id=.hidden'],
      ['--cluster-id', "'.hidden'"]
    ),
    // squall worker
    flag('no slots', ['worker', '--slots', '0'], ['--slots', "'0'"]),
    flag('label with a space', ['worker', '--labels', 'a b'], ['--labels', "'a b'"]),
    flag('zero max runtime', ['worker', '--max-runtime', '0s'], ['--max-runtime', "'0s'"]),
    flag('words for max runtime', ['worker', '--max-runtime', 'soon'], ['--max-runtime', "'soon'"]),
    flag(
      'words for wait timeout',
      ['worker', '--wait-timeout', 'forever'],
      ['--wait-timeout', "'forever'"]
    ),
    flag(
      'wait timeout that rounds to 0 ms',
      ['worker', '--wait-timeout', '0.0001'],
      ['--wait-timeout', "'0.0001'"]
    ),
    flag(
      'env name starting with a digit',
      ['worker', '--pass-env', '1BAD'],
      ['--pass-env', "'1BAD'"]
    ),
    flag('env name with =', ['worker', '--pass-env', 'A=B'], ['--pass-env', "'A=B'"]),
    flag('broker without a port', ['worker', '--broker', 'nohost'], ['--broker', "'nohost'"]),
    flag('broker on port 0', ['worker', '--broker', 'host:0'], ['--broker', "'host:0'"]),
    flag(
      'broker port past 65535',
      ['worker', '--broker', 'host:99999'],
      ['--broker', "'host:99999'"]
    ),
    flag('unknown layer store', ['worker', '--layer-store', 's3'], ['--layer-store', "'s3'"]),
    flag('tcp without a broker', ['worker'], ['--broker', 'required']),
    flag(
      'a broker address with the artifact transport',
      ['worker', '--transport', 'artifacts', '--broker', '127.0.0.1:1'],
      ['--broker', 'artifacts']
    ),
    flag(
      'missing secret file',
      ['worker', '--broker', '127.0.0.1:1', '--secret-file', '/nonexistent/s'],
      ['--secret-file', "'/nonexistent/s'"]
    ),
    flag('unknown log level', ['worker', '--log-level', 'verbose'], ['--log-level', "'verbose'"]),
    flag(
      'bad cluster id',
      ['worker', '--transport', 'artifacts', '--cluster-id', 'a/b'],
      ['--cluster-id', "'a/b'"]
    ),
    // squall emulator, and the top level
    flag('no job tokens', ['emulator', '--jobs', '0'], ['--jobs', "'0'"]),
    flag('words for job tokens', ['emulator', '--jobs', 'many'], ['--jobs', "'many'"]),
    flag('unknown command', ['frobnicate'], ['frobnicate']),
    // jobs files
    jobsFile(
      'binary (a NUL byte)',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
      ['--jobs', 'binary']
    ),
    jobsFile('not UTF-8', Buffer.from('echo caf\xe9\n', 'latin1'), ['--jobs', 'UTF-8']),
    jobsFile('one JSON object', JSON.stringify({ name: 'x', command: 'true' }), [
      'expected a JSON array',
      'an object'
    ]),
    jobsFile('a BOM, then broken JSON', '\ufeff[{"name": }]', ['not valid JSON']),
    jobsFile('broken JSON', '[{"name": "x", "command": "true"', ['not valid JSON']),
    jobsFile('a number in the array', '[1]', ['jobs[0]', 'entry', 'number 1']),
    jobsFile('null in the array', '[null]', ['jobs[0]', 'entry', 'null']),
    jobsFile('no name', '[{"command":"true"}]', ['jobs[0]', 'name']),
    jobsFile('empty name', '[{"name":"","command":"true"}]', ['jobs[0]', 'name']),
    jobsFile('name not a string', '[{"name":5,"command":"true"}]', ['jobs[0]', 'name', 'number 5']),
    jobsFile('neither command nor argv', '[{"name":"x"}]', ['jobs[0]', 'command/argv', 'neither']),
    jobsFile('both command and argv', '[{"name":"x","command":"true","argv":["true"]}]', [
      'command/argv',
      'both'
    ]),
    jobsFile('empty command', job({ command: '' }), ['command', 'non-empty']),
    jobsFile('command not a string', job({ command: 5 }), ['command', 'number 5']),
    jobsFile('command with a NUL', job({ command: 'echo a\u0000b' }), ['command', 'NUL']),
    jobsFile('empty argv', '[{"name":"x","argv":[]}]', ['argv']),
    jobsFile('argv of numbers', '[{"name":"x","argv":[1]}]', ['argv', '[1]']),
    jobsFile('argv with an empty program', '[{"name":"x","argv":[""]}]', ['argv']),
    jobsFile('argv with a NUL', '[{"name":"x","argv":["echo","a\\u0000b"]}]', ['argv', 'NUL']),
    jobsFile('zero timeout', job({ timeout: 0 }), ['timeout', 'number 0']),
    jobsFile('negative timeout', job({ timeout: -1 }), ['timeout', 'number -1']),
    jobsFile('timeout as text', job({ timeout: '5' }), ['timeout', 'string "5"']),
    jobsFile('timeout that rounds to 0 ms', job({ timeout: 0.0000001 }), ['timeout', '1e-7']),
    jobsFile('timeout past what a timer holds', job({ timeout: 1e10 }), [
      'timeout',
      '10000000000',
      '24 days'
    ]),
    jobsFile('labels not a list', job({ labels: 'gpu' }), ['labels', 'string "gpu"']),
    jobsFile('an empty label', job({ labels: [''] }), ['labels']),
    jobsFile('a label with a space', job({ labels: ['a b'] }), ['labels', "'a b'"]),
    jobsFile('a label with a comma', job({ labels: ['gpu,fast'] }), ['labels', "'gpu,fast'"]),
    jobsFile('a label with a non-ASCII letter', job({ labels: ['ü'] }), ['labels', "'ü'"]),
    jobsFile('env a list', job({ env: [] }), ['env', 'an array']),
    jobsFile('env key ""', job({ env: { '': 'x' } }), ['env key ""']),
    jobsFile('env key "A=B"', job({ env: { 'A=B': 'x' } }), ['env key "A=B"']),
    jobsFile('env key starting with a digit', job({ env: { '1A': 'x' } }), ['env key "1A"']),
    jobsFile('env key with a space', job({ env: { ' A': 'x' } }), ['env key " A"']),
    jobsFile('env value a number', job({ env: { A: 1 } }), ['env.A', 'number 1']),
    jobsFile('env value with a NUL', job({ env: { A: 'a\u0000b' } }), ['env.A', 'NUL']),
    jobsFile('empty cwd', job({ cwd: '' }), ['cwd']),
    jobsFile('cwd a number', job({ cwd: 5 }), ['cwd', 'number 5']),
    jobsFile('cwd with a NUL', job({ cwd: 'a\u0000b' }), ['cwd', 'NUL']),
    jobsFile('an unknown field', job({ cmd: 'true' }), ['cmd', 'unknown field']),
    jobsFile('two jobs of one name', '[{"name":"x","command":"a"},{"name":"x","command":"b"}]', [
      'jobs[0]',
      'jobs[1]',
      '"x"'
    ]),
    jobsFile('one command twice', 'echo hi\necho hi\n', ['line 1', 'line 2', '"echo hi"']),
    {
      what: 'jobs file: a FIFO (refused, never waited on)',
      run: inProcess(async dir => {
        execFileSync('mkfifo', [join(dir, 'jobs.json')])
        await commandsFramework.list({ cwd: dir, args: [], jobsFile: 'jobs.json', timeoutMs: 1000 })
      }),
      code: 2,
      names: () => ['--jobs', "'jobs.json'", 'FIFO']
    },
    {
      what: 'jobs file: a directory',
      run: inProcess(async dir => {
        mkdirSync(join(dir, 'jobs.json'))
        await commandsFramework.list({ cwd: dir, args: [], jobsFile: 'jobs.json', timeoutMs: 1000 })
      }),
      code: 2,
      names: () => ['--jobs', "'jobs.json'", 'directory']
    },
    {
      what: 'jobs file: 70 MiB',
      run: inProcess(async dir => {
        // Sparse: the size is what is refused, before a byte is read.
        const fd = openSync(join(dir, 'jobs.json'), 'w')
        ftruncateSync(fd, 70 * 1024 * 1024)
        closeSync(fd)
        await commandsFramework.list({ cwd: dir, args: [], jobsFile: 'jobs.json', timeoutMs: 1000 })
      }),
      code: 2,
      names: () => ['--jobs', "'jobs.json'", '70.0 MiB', 'at most']
    },
    {
      what: 'jobs file: missing',
      run: inProcess(() =>
        commandsFramework.list({
          cwd: '/',
          args: [],
          jobsFile: 'nonexistent/jobs.json',
          timeoutMs: 1000
        })
      ),
      code: 2,
      names: () => ['--jobs', "'nonexistent/jobs.json'", 'ENOENT']
    },
    // whole suites (listed and planned, never connected)
    suite('an empty file', '', ['jobs.json', 'no tests', '--pass-with-no-tests']),
    suite('only comments', '# nothing yet\n\n', ['jobs.json', 'no tests']),
    suite('an empty array', '[]', ['jobs.json', 'no tests']),
    suite('an empty array after a BOM', '\ufeff[]', ['jobs.json', 'no tests']),
    suite('one job of 2 MiB', job({ command: `echo ${'x'.repeat(2 * 1024 * 1024)}` }), [
      'job "x"',
      'MiB',
      'at most 1 MiB'
    ]),
    // runner action (and coordinator) inputs
    input('runner', { retries: 'x' }, ["input 'retries'", "'x'"]),
    input('runner', { retries: '-1' }, ["input 'retries'", "'-1'"]),
    input('runner', { timeout: '0' }, ["input 'timeout'", "'0'"]),
    input('runner', { timeout: '0.0001' }, ["input 'timeout'", "'0.0001'", '1 ms']),
    input('runner', { timeout: 'forever' }, ["input 'timeout'", "'forever'"]),
    input('runner', { timeout: '9999999999' }, ["input 'timeout'", '24 days']),
    input('runner', { 'local-slots': 'many' }, ["input 'local-slots'", "'many'"]),
    input('runner', { 'junit-path': '/' }, ["input 'junit-path'", "'/'", 'is a directory']),
    input('runner', { 'junit-path': '/dev/null/junit.xml' }, [
      "input 'junit-path'",
      'is not a directory'
    ]),
    input('runner', { 'junit-artifact': 'junit' }, ["input 'junit-artifact'", 'junit-path']),
    input('runner', { 'jobs-file': '' }, ["input 'jobs-file'", 'required']),
    input('runner', { summary: 'maybe' }, ["input 'summary'", "'maybe'"]),
    input('runner', { 'fail-on-flaky': 'yes' }, ["input 'fail-on-flaky'", "'yes'"]),
    input('runner', { 'pass-with-no-tests': 'sure' }, ["input 'pass-with-no-tests'", "'sure'"]),
    input('runner', { args: 'a | b' }, ["input 'args'", 'shell operators']),
    input('runner', { args: '--x > out.txt' }, ["input 'args'", 'shell operators']),
    input('runner', { broker: 'remote' }, ["input 'broker'", "'remote'", 'artifacts']),
    // worker action inputs
    input('worker', { slots: '0' }, ["input 'slots'", "'0'"]),
    input('worker', { labels: 'a b' }, ["input 'labels'", "'a b'"]),
    input('worker', { 'cache-size': '12X' }, ["input 'cache-size'", "'12X'"]),
    input('worker', { 'max-runtime': '0' }, ["input 'max-runtime'", "'0'"]),
    input('worker', { 'wait-timeout': 'soon' }, ["input 'wait-timeout'", "'soon'"]),
    input('worker', { 'pass-env': '9X' }, ["input 'pass-env'", "'9X'"]),
    input('worker', { 'log-level': 'loud' }, ["input 'log-level'", "'loud'"]),
    input('worker', { 'cluster-id': 'my cluster' }, ["input 'cluster-id'", "'my cluster'"]),
    // broker action inputs
    input('broker', { heartbeat: '2' }, ["input 'heartbeat'", "'2'", 'at least 5']),
    input('broker', { heartbeat: 'often' }, ["input 'heartbeat'", "'often'"]),
    input('broker', { 'log-level': 'chatty' }, ["input 'log-level'", "'chatty'"]),
    input('broker', { 'cluster-id': '-x' }, ["input 'cluster-id'", "'-x'"]),
    input('broker', { runners: 'all' }, ["input 'runners'", "'all'"]),
    input('broker', { stop: 'now' }, ["input 'stop'", "'now'"]),
    input('broker', { runners: '2', stop: 'true' }, ["input 'stop'", "'runners' (2)"]),
    // frames from a peer
    bytes('a length too short for a header', rawFrame(1, 1, 0), ['frame length 1']),
    bytes('a length past the limit', rawFrame(5000, 1, 0), ['5000 bytes', 'limit']),
    bytes('an unknown frame version', rawFrame(10, 9, 0), ['frame version 9']),
    bytes('an unknown frame kind', rawFrame(10, 1, 42), ['frame kind 42']),
    bytes('a message that is not JSON', messageFrame('{"type": "hello"'), ['not valid UTF-8 JSON']),
    bytes(
      'a message that is not UTF-8',
      encodeFrame(FrameKind.message, Buffer.from([0x7b, 0xff, 0x7d])),
      ['not valid UTF-8 JSON']
    ),
    bytes('a message that is an array', messageFrame('[]'), ['message object', 'an array']),
    bytes('a message of an unknown type', messageFrame('{"type":"nope"}'), ['message type "nope"']),
    bytes('a message without a type', messageFrame('{"jobs":[]}'), ['message type undefined']),
    bytes('a submit without jobs', messageFrame('{"type":"submit"}'), ["'submit'", "'jobs'"]),
    bytes('a result whose results are not a list', messageFrame('{"type":"result","results":{}}'), [
      "'result'",
      "'results'"
    ]),
    bytes('a hello of another protocol version', messageFrame('{"type":"hello","version":999}'), [
      'protocol version',
      '999'
    ]),
    bytes('a keepalive where a message belongs', encodeFrame(FrameKind.keepalive), [
      'expected a message frame',
      'keepalive'
    ])
  ]
  if (!root) {
    // Root writes anywhere: this row only means something for an ordinary user.
    table.push(
      flagIn(
        'run --json <in a read-only directory>',
        dir => {
          mkdirSync(join(dir, 'ro'), { mode: 0o555 })
          return ['run', '--json', join(dir, 'ro', 'summary.json')]
        },
        dir => ['--json', `'${join(dir, 'ro')}' is not writable`]
      )
    )
  }
  return table
}
