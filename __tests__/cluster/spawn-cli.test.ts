/**
 * Starting the CLI as a child, with real processes standing in for it: the self command, the
 * log file, and the one readiness signal (the ready file) with its two failures.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  CLI_ENV,
  cliCommand,
  sessionBundleCommand,
  spawnCli,
  waitUntilReady,
  withOwnCli
} from '../../src/cluster/spawn-cli.js'
import { ClusterError } from '../../src/errors.js'
import { makeTempDir } from '../helpers/cli.js'

let temp: { dir: string; remove: () => void }
beforeEach(() => {
  temp = makeTempDir()
})
afterEach(() => temp.remove())

/** A stand-in CLI: logs its arguments, then behaves as `mode` says. */
function fakeCli(mode: 'ready' | 'exit' | 'hang'): string[] {
  const script = join(temp.dir, `fake-${mode}.mjs`)
  writeFileSync(
    script,
    `import { renameSync, writeFileSync } from 'node:fs'
const args = process.argv.slice(2)
console.log('args ' + args.join(' '))
console.error('to stderr')
const ready = args[args.indexOf('--ready-file') + 1]
if (${JSON.stringify(mode)} === 'exit') process.exit(4)
if (${JSON.stringify(mode)} === 'ready') {
  writeFileSync(ready + '.tmp', JSON.stringify({ address: '127.0.0.1:1234', clusterId: 'c', pid: process.pid }))
  renameSync(ready + '.tmp', ready)
}
setTimeout(() => undefined, 60_000)
`
  )
  return [process.execPath, script]
}

test('the self command is the CLI bundle beside this one, unless SQUALL_CLI names another', () => {
  expect(cliCommand({ [CLI_ENV]: '/opt/squall/cli.js' })).toEqual([
    process.execPath,
    '/opt/squall/cli.js'
  ])
  const [node, script] = cliCommand({})
  expect(node).toBe(process.execPath)
  expect(script).toMatch(/[/\\]cli[/\\]index\.js$/)
})

test("an argv that starts with the word squall runs the spawner's own CLI; others run as they are", () => {
  const env = { [CLI_ENV]: '/opt/squall/dist/cli/index.js' }
  expect(withOwnCli(['squall', 'session', 'jest'], env)).toEqual([
    process.execPath,
    '/opt/squall/dist/cli/index.js',
    'session',
    'jest'
  ])
  expect(withOwnCli(['python3', '-m', 'pytest'], env)).toEqual(['python3', '-m', 'pytest'])
})

test('warm sessions start the session bundle beside the CLI, where there is one', () => {
  const cli = join(temp.dir, 'dist', 'cli', 'index.js')
  const env = { [CLI_ENV]: cli }
  mkdirSync(join(temp.dir, 'dist', 'cli'), { recursive: true })
  writeFileSync(cli, '')
  // A CLI without the bundle (an older dist/): its own `session` command serves.
  expect(sessionBundleCommand(env)).toBeUndefined()
  mkdirSync(join(temp.dir, 'dist', 'session'))
  writeFileSync(join(temp.dir, 'dist', 'session', 'index.js'), '')
  expect(sessionBundleCommand(env)).toEqual([
    process.execPath,
    join(temp.dir, 'dist', 'session', 'index.js')
  ])
})

test('a ready broker: its address, both output streams in the log, its exit', async () => {
  const readyFile = join(temp.dir, 'ready.json')
  const child = spawnCli({
    name: 'broker',
    args: ['broker', '--ready-file', readyFile],
    logFile: join(temp.dir, 'broker.log'),
    self: fakeCli('ready')
  })
  expect(await waitUntilReady(child, readyFile, 20_000)).toEqual({
    address: '127.0.0.1:1234',
    clusterId: 'c',
    pid: child.pid
  })
  expect(child.running()).toBe(true)
  child.signal('SIGTERM')
  expect(await child.exited).toMatchObject({ name: 'broker', code: null, signal: 'SIGTERM' })
  expect(child.running()).toBe(false)
  const log = readFileSync(child.logFile, 'utf8')
  expect(log).toContain(`args broker --ready-file ${readyFile}`)
  expect(log).toContain('to stderr')
}, 30_000)

test('a broker that exits before it is ready is a ClusterError naming its code and log', async () => {
  const readyFile = join(temp.dir, 'ready.json')
  const child = spawnCli({
    name: 'broker',
    args: ['broker', '--ready-file', readyFile],
    logFile: join(temp.dir, 'broker.log'),
    self: fakeCli('exit')
  })
  const waiting = waitUntilReady(child, readyFile, 20_000)
  await expect(waiting).rejects.toBeInstanceOf(ClusterError)
  await expect(waiting).rejects.toThrow(`exited with 4 before it was ready; see ${child.logFile}`)
}, 30_000)

test('a broker not ready in time is killed and the wait is a ClusterError', async () => {
  const readyFile = join(temp.dir, 'ready.json')
  const child = spawnCli({
    name: 'broker',
    args: ['broker', '--ready-file', readyFile],
    logFile: join(temp.dir, 'broker.log'),
    self: fakeCli('hang')
  })
  await expect(waitUntilReady(child, readyFile, 500)).rejects.toThrow(
    'the broker was not ready within 500 ms'
  )
  expect(await child.exited).toMatchObject({ signal: 'SIGKILL' })
}, 30_000)
