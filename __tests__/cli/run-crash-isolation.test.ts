/**
 * `squall run --framework jest --retries 1` on the jest-traps fixture, where
 * `b-exit.test.js` calls `process.exit(1)`: the batch that holds it crashes, its files with no
 * result run again one per job, and every test is reported with its real outcome — the
 * exiting file as one `error` test, every other test passed, totals exact.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { makeTempDir, runCliProcess } from '../helpers/cli.js'

interface Report {
  summary: Record<string, number>
  tests: { id: string; outcome: string; attempts: { status: string; message?: string }[] }[]
  jobs: { id: string; name: string; attempt: number; status: string; retry: boolean }[]
}

const fixture = resolve('__tests__', 'fixtures', 'jest-traps')
const files = [
  'a-first.test.js',
  'argv.test.js',
  'b-exit.test.js',
  'c-after.test.js',
  'env.test.js',
  'hang.test.js'
]

test('a file that exits mid-batch is one error test; every other test keeps its result', async () => {
  const temp = makeTempDir('squall-crash-')
  // History that says every file is quick, so the plan puts them all in one batch (jest runs
  // in place: it must find the project's own node_modules).
  const history = join(fixture, '.squall')
  mkdirSync(history, { recursive: true })
  const items = Object.fromEntries(files.map(f => [f, { samples: [5], failed: false }]))
  writeFileSync(join(history, 'timings.json'), JSON.stringify({ version: 1, items }))
  try {
    const json = join(temp.dir, 'out.json')
    const result = await runCliProcess(
      [
        'run',
        '--framework',
        'jest',
        '--workers',
        '1',
        '--slots',
        '1',
        '--retries',
        '1',
        '--json',
        json,
        '--cwd',
        fixture
      ],
      { cwd: fixture, timeoutMs: 200_000 }
    )
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report
    // The premise: one batch held every file, and it crashed.
    expect(report.jobs[0]).toMatchObject({ attempt: 1, status: 'error', retry: true })
    expect(report.jobs[0]?.name).toContain('+5 more')
    const first = report.jobs[0]?.id ?? ''
    // Its files with no result, one per job: the culprit, and the files after it.
    expect(
      report.jobs
        .slice(1)
        .map(j => [j.id, j.name, j.attempt, j.status])
        .sort()
    ).toEqual([
      [`${first}~1`, 'jest b-exit.test.js (1 file, retry)', 2, 'error'],
      [`${first}~2`, 'jest c-after.test.js (1 file, retry)', 2, 'passed'],
      [`${first}~3`, 'jest env.test.js (1 file, retry)', 2, 'passed'],
      [`${first}~4`, 'jest hang.test.js (1 file, retry)', 2, 'passed']
    ])
    expect(Object.fromEntries(report.tests.map(t => [t.id, t.outcome]))).toEqual({
      'a-first.test.js::runs before the file that exits': 'passed',
      'a-first.test.js::also runs before it': 'passed',
      'argv.test.js::process.argv carries no flags': 'passed',
      'b-exit.test.js': 'error',
      'c-after.test.js::runs after the file that exits': 'passed',
      'env.test.js::sees SQUALL_FIXTURE_ENV=unset, tmpdir in the job dir: true': 'passed',
      'hang.test.js::hangs when asked to': 'passed'
    })
    const culprit = report.tests.find(t => t.id === 'b-exit.test.js')
    expect(culprit?.attempts.at(-1)?.message).toContain('b-exit: about to call process.exit(1)')
    expect(report.summary).toMatchObject({
      tests: 7,
      passed: 6,
      failed: 0,
      flaky: 0,
      skipped: 0,
      errored: 1
    })
    expect(result.code).toBe(1)
    expect(result.stdout).not.toContain('FLAKY')
  } finally {
    rmSync(history, { recursive: true, force: true })
    temp.remove()
  }
}, 240_000)
