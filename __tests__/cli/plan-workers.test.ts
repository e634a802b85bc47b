/** `squall plan-workers` (the built CLI): the count the simulation predicts, as JSON and outputs. */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chooseWorkers } from '../../src/scheduler/choose-workers.js'
import { makeTempDir, runCliProcess } from '../helpers/cli.js'

let temp: ReturnType<typeof makeTempDir>
beforeEach(() => (temp = makeTempDir('squall-plan-')))
afterEach(() => temp.remove())

const seconds = [30, 20, 20, 10, 10, 10, 10, 5, 5, 5, 5, 5]

test('workers: auto picks the count the simulation predicts, and writes outputs and the table', async () => {
  const timings = join(temp.dir, 'timings.json')
  const items = Object.fromEntries(
    seconds.map((s, i) => [`t${i}`, { samples: [s * 1000], failed: false }])
  )
  writeFileSync(
    timings,
    JSON.stringify({ version: 2, startup: { jest: { coldMs: [1000] } }, items })
  )
  const output = join(temp.dir, 'output')
  const summary = join(temp.dir, 'summary.md')
  writeFileSync(output, '')
  const result = await runCliProcess([
    'plan-workers',
    '--timings',
    timings,
    '--max',
    '6',
    '--local-slots',
    '1',
    '--worker-slots',
    '2',
    '--worker-startup',
    '20s',
    '--target',
    '10',
    '--github-output',
    output,
    '--summary',
    summary
  ])
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  const expected = chooseWorkers({
    itemMs: new Map(seconds.map((s, i) => [`t${i}`, s * 1000])),
    jobStartupMs: 1000,
    slotStartupMs: 0,
    workerStartupMs: 20_000,
    workerSlots: 2,
    localSlots: 1,
    maxWorkers: 6,
    targetRatio: 0.1
  })
  const printed = JSON.parse(result.stdout) as typeof expected
  expect(printed).toEqual(expected)
  expect(printed.table).toHaveLength(6)
  expect(readFileSync(output, 'utf8')).toBe(
    `workers=${expected.workers}\nmatrix=${JSON.stringify(
      Array.from({ length: expected.workers }, (_, i) => i + 1)
    )}\npredicted-ms=${expected.predictedMs}\n`
  )
  const markdown = readFileSync(summary, 'utf8')
  expect(markdown).toContain('| workers | predicted wall time | runner-minutes |')
  expect(markdown).toContain(`| ${expected.workers} ◀ |`)
  expect(markdown.split('\n').filter(line => /^\| \d/.test(line))).toHaveLength(6)
}, 60_000)

test('no history file: the default count, said so', async () => {
  const result = await runCliProcess([
    'plan-workers',
    '--timings',
    join(temp.dir, 'missing.json'),
    '--max',
    '3'
  ])
  expect(result.code).toBe(0)
  expect(JSON.parse(result.stdout)).toMatchObject({ workers: 3, table: [] })
  expect(JSON.parse(result.stdout).reason).toMatch(/no timing history/)
})

test('a bad target is a usage error naming the flag', async () => {
  const result = await runCliProcess(['plan-workers', '--target', '150'])
  expect(result.code).toBe(2)
  expect(result.stderr).toContain("--target: '150' is not a percentage")
})
