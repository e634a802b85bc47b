/**
 * The project's own CI (.github/workflows/ci.yml) cannot run here (no machine reaches GitHub),
 * so it is checked as far as it can be: the Actions parser and converter accept it; its
 * squall steps point at this checkout's actions and bundles; their `with:` resolve through the
 * simulator's input rules into the actions' own typed input readers; the coordinator's suite
 * is jest over this repository, listed by the jest framework the coordinator will use; and
 * check-dist rebuilds dist/ and fails on any difference.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import {
  NoOperationTraceWriter,
  convertWorkflowTemplate,
  parseWorkflow
} from '@actions/workflow-parser'
import { parse } from 'yaml'
import { getRunnerInputs } from '../../src/actions/runner/inputs.js'
import { getInputs as getWorkerInputs } from '../../src/actions/worker/inputs.js'
import { getFramework } from '../../src/frameworks/index.js'
import { defaultClusterId } from '../../src/protocol/cluster-id.js'
import { resolveAction } from '../helpers/actions-runner.js'

const path = '.github/workflows/ci.yml'
const content = readFileSync(path, 'utf8')

interface Step {
  id?: string
  uses?: string
  run?: string
  env?: Record<string, string>
  with?: Record<string, unknown>
}
interface Job {
  needs?: string | string[]
  strategy?: { matrix?: Record<string, unknown[]> }
  steps: Step[]
}
const doc = parse(content) as { jobs: Record<string, Job> }

/** The job's step that uses `action`. */
function stepUsing(job: string, action: string): Step {
  const step = doc.jobs[job]?.steps.find(s => s.uses === action)
  if (!step) throw new Error(`${path}: job '${job}' has no step using ${action}`)
  return step
}

/** Runs `read` with the INPUT_* variables the runner would give the step, then restores. */
function withInputs<T>(action: string, step: Step, read: () => T): T {
  const withs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, String(v)]))
  const { inputEnv } = resolveAction(action, withs)
  const saved = { ...process.env }
  Object.assign(process.env, inputEnv)
  try {
    return read()
  } finally {
    for (const key of Object.keys(inputEnv)) delete process.env[key]
    Object.assign(process.env, saved)
  }
}

test('passes the Actions workflow parser and converter', async () => {
  const result = parseWorkflow({ name: path, content }, new NoOperationTraceWriter())
  expect(result.context.errors.getErrors().map(e => e.message)).toEqual([])
  const template = await convertWorkflowTemplate(result.context, result.value!)
  expect((template.errors ?? []).map(e => e.Message)).toEqual([])
  expect(Object.keys(template.events ?? {})).toEqual(
    expect.arrayContaining(['push', 'pull_request'])
  )
})

test('the squall steps use this checkout’s actions, whose bundles exist', () => {
  const local = Object.values(doc.jobs).flatMap(j => j.steps.filter(s => s.uses?.startsWith('./')))
  expect(local.map(s => s.uses).sort()).toEqual(['./', './worker'])
  for (const step of local) {
    const { dir, yaml } = resolveAction(step.uses as string)
    for (const script of [yaml.runs.main, yaml.runs.post].filter(Boolean) as string[]) {
      const bundle = resolve(dir, script)
      expect(bundle.startsWith(resolve('dist'))).toBe(true)
      expect(existsSync(bundle)).toBe(true)
    }
  }
})

test('the coordinator’s inputs resolve: jest over this repository, re-running what failed', async () => {
  const step = stepUsing('tests', './')
  const inputs = withInputs('.', step, () => getRunnerInputs())
  expect(inputs).toMatchObject({
    framework: 'jest',
    rerun: 'failed',
    junitArtifact: 'squall-junit'
  })
  expect(inputs.localSlots).toBeGreaterThan(0)
  // The jobs get ESM enabled, as `npm test` runs jest.
  expect(step.env?.NODE_OPTIONS).toMatch(/--experimental-vm-modules/)
  // The suite the coordinator will list is this repository's own tests.
  const items = await getFramework(inputs.framework).list({
    cwd: resolve('.'),
    args: inputs.args,
    timeoutMs: 120_000
  })
  expect(items.map(i => i.id)).toEqual(
    expect.arrayContaining([
      '__tests__/actions/ci-workflow.test.ts',
      '__tests__/runner/rerun.test.ts'
    ])
  )
  expect(items.every(i => i.id.startsWith('__tests__/') && i.id.endsWith('.test.ts'))).toBe(true)
}, 150_000)

test('worker jobs: a matrix using ./worker with inputs that resolve, the same checkout set-up', () => {
  const workers = doc.jobs['test-workers'] as Job
  expect((workers.strategy?.matrix?.worker ?? []).length).toBeGreaterThan(1)
  const step = stepUsing('test-workers', './worker')
  const inputs = withInputs('worker', step, () => getWorkerInputs())
  // The default cluster id (run and attempt) is the coordinator's: a re-run joins the new one.
  expect(inputs.clusterId).toBe(defaultClusterId(process.env))
  expect(step.with).not.toHaveProperty('cluster-id')
  expect(stepUsing('tests', './').with).not.toHaveProperty('cluster-id')
  expect(inputs.slots).toBe(2)
  expect(step.env?.NODE_OPTIONS).toBe(stepUsing('tests', './').env?.NODE_OPTIONS)
  const setup = (job: string) =>
    (doc.jobs[job] as Job).steps.filter(s => !s.uses?.startsWith('./')).map(s => s.uses ?? s.run)
  expect(setup('test-workers')).toEqual(setup('tests'))
})

test('check-dist rebuilds dist/ and fails on any difference, untracked files included', () => {
  const runs = (doc.jobs['check-dist'] as Job).steps.map(s => s.run ?? '').join('\n')
  expect(runs).toMatch(/npm ci/)
  expect(runs).toMatch(/npm run build/)
  expect(runs).toMatch(/git status --porcelain --untracked-files=all -- dist/)
  expect(runs).toMatch(/exit 1/)
})
