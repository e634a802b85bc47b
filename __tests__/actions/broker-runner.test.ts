/**
 * The broker and runner actions as separate steps of one job, run from the built bundles the
 * way the Actions runner does: the broker's main step starts it in the background, the
 * runner drives the suite on it (local slots only), and the post step (the same bundle,
 * switched by the state the main step left) stops it.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { emulatorEnv, startEmulator, type Emulator } from '../../src/emulator/index.js'
import { SimulatedJob } from '../helpers/actions-runner.js'
import { makeTempDir } from '../helpers/cli.js'

let emulator: Emulator
let temp: { dir: string; remove: () => void }

beforeAll(async () => {
  emulator = await startEmulator({ jobs: 1 })
}, 60_000)
afterAll(async () => {
  await emulator?.stop()
})
beforeEach(() => {
  temp = makeTempDir('squall-actions-')
})
afterEach(() => temp.remove())

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

test('broker main, runner, broker post: one bundle per action, the broker stopped at the end', async () => {
  const workspace = join(temp.dir, 'ws')
  const job = new SimulatedJob({
    name: 'tests',
    workspace,
    temp: join(temp.dir, 'runner-temp'),
    runtime: emulatorEnv(emulator, 0),
    runId: `${process.pid}`
  })
  writeFileSync(join(workspace, 'jobs.txt'), 'echo one\necho two\nexit 1\n')

  const broker = await job.uses('broker', { heartbeat: '10' })
  expect(broker.stderr).toBe('')
  expect(broker.code).toBe(0)
  expect(broker.outputs.address).toMatch(/^127\.0\.0\.1:\d+$/)
  expect(broker.outputs.port).toBe(broker.outputs.address?.split(':')[1])
  expect(broker.outputs['cluster-id']).toBe(`${process.pid}-1`)
  expect(job.env.SQUALL_BROKER_ADDRESS).toBe(broker.outputs.address)
  const pid = Number(/broker (\d+) listening/.exec(broker.stdout)?.[1])
  expect(alive(pid)).toBe(true)

  const runner = await job.uses('runner', {
    'jobs-file': 'jobs.txt',
    'local-slots': '2',
    timings: 'false'
  })
  // One command fails: the step fails, once, with the count.
  expect(runner.code).toBe(1)
  expect(runner.outputs).toMatchObject({ passed: '2', failed: '1', flaky: '0', skipped: '0' })
  expect(runner.commands.filter(c => c.command === 'error').map(c => c.message)).toContain(
    '1 test(s) failed'
  )
  expect(runner.summary).toContain('squall: commands')

  const posts = await job.runPosts()
  expect(posts.map(p => [p.action, p.phase, p.code])).toEqual([['broker', 'post', 0]])
  expect(posts[0]?.stdout).toMatch(/broker (stopped|gone); cluster .* closed/)
  expect(alive(pid)).toBe(false)
}, 120_000)
