/**
 * A whole workflow run as GitHub runs it: a coordinator job and matrix worker jobs, each a
 * separate process tree running the built dist/ bundles, sharing nothing but the emulated
 * results service (Azurite behind it). The merged results must equal a direct local run.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { emulatorEnv, startEmulator, type Emulator } from '../../src/emulator/index.js'
import { ResultsClient } from '../../src/results-store/index.js'
import { closedName } from '../../src/transport/artifact/names.js'
import { SimulatedJob, type StepResult } from '../helpers/actions-runner.js'
import { makeTempDir, runCliProcess } from '../helpers/cli.js'
import { checkGantt } from '../report/mermaid-check.js'

let emulator: Emulator
let temp: { dir: string; remove: () => void }
let runSeq = 0

beforeAll(async () => {
  emulator = await startEmulator({ jobs: 8 })
}, 60_000)
afterAll(async () => {
  await emulator?.stop()
})
beforeEach(() => {
  temp = makeTempDir('squall-e2e-')
})
afterEach(() => temp.remove())

/** A suite with skewed durations, one failure and one flaky test. */
function writeSuite(workspace: string): void {
  mkdirSync(workspace, { recursive: true })
  const jobs = [
    ...Array.from({ length: 10 }, (_, i) => ({
      name: `unit ${i}`,
      command: `sleep 0.${(i % 5) + 2}; echo unit ${i}`
    })),
    { name: 'slow integration', command: 'sleep 2; echo done' },
    { name: 'broken', command: "echo 'expected 200, got 500' >&2; exit 1" },
    // Only the coordinator built this; workers get it through a layer.
    { name: 'uses the build', command: 'test "$(cat built/answer.txt)" = 42' },
    {
      name: 'flaky',
      command: 'if [ -f "$FLAKY_MARK" ]; then echo ok; else touch "$FLAKY_MARK"; exit 1; fi',
      env: { FLAKY_MARK: join(workspace, '.flaky-mark') }
    }
  ]
  writeFileSync(join(workspace, 'jobs.json'), JSON.stringify(jobs, null, 1))
}

function job(name: string, index: number, workspace: string, runId: string): SimulatedJob {
  return new SimulatedJob({
    name,
    workspace,
    temp: join(temp.dir, `${name}-temp`),
    runtime: emulatorEnv(emulator, index),
    runId
  })
}

/** `::add-mask::` lines are how a step tells the runner what to mask; the runner never shows them. */
function scanForSecret(secret: string, label: string, text: string): void {
  const shown = text
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
  if (shown.includes(secret)) throw new Error(`the runtime token leaked into ${label}`)
}

test('coordinator and 4 workers: results equal a local run, summary, annotations, clean close, late worker', async () => {
  const runId = `${process.pid}${++runSeq}`
  const workspace = join(temp.dir, 'ws')
  writeSuite(workspace)

  mkdirSync(join(workspace, 'built'))
  writeFileSync(join(workspace, 'built', 'answer.txt'), '42')
  const coordinator = job('coordinator', 0, workspace, runId)
  // Each worker job has its own checkout, without the build output.
  const workers = [1, 2, 3, 4].map(i => {
    const own = join(temp.dir, `ws-${i}`)
    writeSuite(own)
    return job(`worker-${i}`, i, own, runId)
  })
  const coordinatorRun = coordinator.uses('.', {
    'jobs-file': 'jobs.json',
    layers: 'built',
    retries: '1',
    'local-slots': '1',
    'junit-path': 'out/junit.xml',
    'junit-artifact': 'junit',
    timings: 'true',
    'html-report': 'true'
  })
  const workerRuns = workers.map((w, i) =>
    w.uses('worker', {
      'wait-timeout': '60s',
      'max-runtime': '30m',
      slots: '2',
      name: `worker-${i + 1}`
    })
  )
  const [main, ...workerResults] = await Promise.all([coordinatorRun, ...workerRuns])
  const posts = await coordinator.runPosts()

  // The coordinator fails the job because one test fails; flaky counts as passed.
  expect(main.stderr).toBe('')
  expect(main.code).toBe(1)
  expect(main.outputs).toMatchObject({ passed: '13', failed: '1', flaky: '1', skipped: '0' })
  expect(main.summary).toContain('squall')
  expect(main.summary).toMatch(/broken/)
  // The timeline: a gantt section per worker that ran jobs, each by its readable name.
  const gantt = checkGantt(main.summary)
  expect(gantt.problems).toEqual([])
  const sections = gantt.sections.map(s => s.name)
  expect(sections.length).toBeGreaterThanOrEqual(2)
  expect(new Set(sections).size).toBe(sections.length)
  for (const name of sections)
    expect(['coordinator', 'worker-1', 'worker-2', 'worker-3', 'worker-4']).toContain(name)
  // Every attempt is a bar: 14 jobs, and the retries of the broken and the flaky one.
  expect(gantt.sections.flatMap(s => s.tasks)).toHaveLength(16)
  expect(main.summary).not.toMatch(/worker-\d@/)
  const errors = main.commands.filter(c => c.command === 'error')
  expect(
    errors.some(
      e =>
        (e.properties.title ?? '').includes('broken') && e.message.includes('expected 200, got 500')
    )
  ).toBe(true)
  for (const w of workerResults) {
    expect(w.code).toBe(0)
  }
  // The layer reached the workers that ran jobs (each extracts it into its own checkout).
  const extracted = [1, 2, 3, 4].filter(i => {
    try {
      return readFileSync(join(temp.dir, `ws-${i}`, 'built', 'answer.txt'), 'utf8') === '42'
    } catch {
      return false
    }
  })
  expect(extracted.length).toBeGreaterThan(0)
  // At least one worker job did real work through the artifact store.
  const junit = readFileSync(join(workspace, 'out', 'junit.xml'), 'utf8')
  expect(junit).toContain('flakyFailure')

  // Merged results equal a direct local run of the same suite.
  const local = join(temp.dir, 'local')
  writeSuite(local)
  mkdirSync(join(local, 'built'))
  writeFileSync(join(local, 'built', 'answer.txt'), '42')
  const direct = await runCliProcess(
    [
      'run',
      '--workers',
      '2',
      '--jobs',
      'jobs.json',
      '--retries',
      '1',
      '--json',
      'out.json',
      '--no-timings'
    ],
    { cwd: local }
  )
  expect(direct.code).toBe(1)
  const outcomes = (path: string): Record<string, string> =>
    Object.fromEntries(
      (
        JSON.parse(readFileSync(path, 'utf8')) as { tests: { name: string; outcome: string }[] }
      ).tests.map(t => [t.name, t.outcome])
    )
  const junitNames = [...junit.matchAll(/<testcase name="([^"]+)"/g)].map(m => m[1]).sort()
  expect(junitNames).toEqual(Object.keys(outcomes(join(local, 'out.json'))).sort())

  // The post step closed the cluster: its marker exists, and a late worker exits 0 at once.
  expect(posts.every(p => p.code === 0)).toBe(true)
  const client = new ResultsClient({
    resultsUrl: emulator.resultsUrl,
    token: emulator.jobs[0]!.token,
    ids: emulator.jobs[0]!.ids
  })
  const names = (await client.listArtifacts()).map(a => a.name)
  expect(names).toContain(closedName(`${runId}-1`))
  // The HTML report went up as an artifact.
  expect(names).toContain('squall-report')
  const late = await job('late-worker', 5, workspace, runId).uses(
    'worker',
    { 'wait-timeout': '60s' },
    30_000
  )
  expect(late.code).toBe(0)
  expect(
    late.commands.some(c => c.command === 'notice' && c.message.includes('already finished'))
  ).toBe(true)

  // The runtime tokens appear in no log line, output, state, summary or artifact, and the
  // steps that hold one masked it.
  expect(main.stdout).toContain(`::add-mask::${emulator.jobs[0]!.token}`)
  const steps: StepResult[] = [main, ...workerResults, ...posts, late]
  for (const token of emulator.jobs.slice(0, 6).map(j => j.token)) {
    for (const step of steps) {
      scanForSecret(token, `${step.action} ${step.phase} stdout`, step.stdout)
      scanForSecret(token, `${step.action} ${step.phase} stderr`, step.stderr)
      for (const [file, text] of Object.entries(step.files)) {
        // GITHUB_ENV carries the exported runtime for later steps, as setup-runtime promises.
        if (file !== 'env') scanForSecret(token, `${step.action} ${step.phase} ${file}`, text)
      }
    }
    for (const dir of [coordinator.options.temp, ...workers.map(w => w.options.temp)]) {
      for (const file of readdirSync(dir, { recursive: true }) as string[]) {
        if (/^env-\d+$/.test(file)) continue
        try {
          scanForSecret(token, `${dir}/${file}`, readFileSync(join(dir, file), 'utf8'))
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EISDIR') throw error
        }
      }
    }
    for (const artifact of await client.listArtifacts()) {
      const url = await client.getSignedArtifactUrl(artifact.name, artifact.workflowJobRunBackendId)
      const body = Buffer.from(await (await fetch(url)).arrayBuffer()).toString('latin1')
      scanForSecret(token, `artifact ${artifact.name}`, body)
    }
  }
}, 240_000)

test('no worker ever starts: the coordinator finishes the run on its local slots', async () => {
  const runId = `${process.pid}${++runSeq}`
  const workspace = join(temp.dir, 'ws')
  mkdirSync(workspace, { recursive: true })
  writeFileSync(join(workspace, 'jobs.txt'), 'echo one\necho two\necho three\n')
  const coordinator = job('coordinator', 6, workspace, runId)
  const main = await coordinator.uses('.', {
    'jobs-file': 'jobs.txt',
    'local-slots': '2',
    timings: 'false'
  })
  const posts = await coordinator.runPosts()
  expect(main.stderr).toBe('')
  expect(main.code).toBe(0)
  expect(main.outputs).toMatchObject({ passed: '3', failed: '0' })
  expect(posts.map(p => p.code)).toEqual([0])
}, 120_000)
