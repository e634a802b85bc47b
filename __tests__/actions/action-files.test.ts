/**
 * Every action.yml and the reusable workflow, checked with the Actions parser, against the
 * bundles they point at, against the inputs the code reads, and against the README tables.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import {
  NoOperationTraceWriter,
  convertWorkflowTemplate,
  parseWorkflow
} from '@actions/workflow-parser'
import { parseAction } from '@actions/workflow-parser/actions/action-parser'
import { parse } from 'yaml'

interface ActionYaml {
  description?: string
  inputs?: Record<string, { description?: string; default?: string }>
  outputs?: Record<string, { description?: string }>
  runs: { using: string; main?: string; post?: string }
}

/** Each action and the source files whose `input.*('name')` calls read its inputs. */
const actions: Record<string, string[]> = {
  '.': ['src/actions/runner/inputs.ts', 'src/actions/broker/inputs.ts'],
  'setup-runtime': [],
  broker: ['src/actions/broker/inputs.ts', 'src/actions/broker/pool-inputs.ts'],
  worker: ['src/actions/worker/inputs.ts'],
  runner: ['src/actions/runner/inputs.ts', 'src/actions/runner/reach-inputs.ts']
}

function load(dir: string): ActionYaml {
  return parse(readFileSync(join(dir, 'action.yml'), 'utf8')) as ActionYaml
}

function inputsRead(files: string[]): Set<string> {
  const names = new Set<string>()
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/input\.\w+\('([a-z0-9-]+)'/g))
      names.add(m[1] as string)
  }
  return names
}

describe.each(Object.entries(actions))('action %s', (dir, sources) => {
  const yaml = load(dir)

  test('passes the Actions action schema', () => {
    const content = readFileSync(join(dir, 'action.yml'), 'utf8')
    const result = parseAction({ name: `${dir}/action.yml`, content }, new NoOperationTraceWriter())
    expect(result.context.errors.getErrors().map(e => e.message)).toEqual([])
  })

  test('runs on node24 from bundles that exist', () => {
    expect(yaml.runs.using).toBe('node24')
    for (const script of [yaml.runs.main, yaml.runs.post].filter(Boolean) as string[]) {
      const path = resolve(dir, script)
      expect(path.startsWith(resolve('dist'))).toBe(true)
      expect(existsSync(path)).toBe(true)
    }
  })

  test('declares every input the code reads, and reads every input it declares', () => {
    const declared = new Set(Object.keys(yaml.inputs ?? {}))
    const read = inputsRead(sources)
    expect([...read].filter(name => !declared.has(name))).toEqual([])
    expect([...declared].filter(name => !read.has(name))).toEqual([])
    for (const [name, spec] of Object.entries(yaml.inputs ?? {})) {
      expect(`${name}: ${spec.description ?? ''}`.length).toBeGreaterThan(name.length + 10)
    }
  })
})

describe('reusable workflow', () => {
  const path = '.github/workflows/squall.yml'
  const content = readFileSync(path, 'utf8')

  test('passes the Actions workflow parser and converter', async () => {
    const result = parseWorkflow({ name: path, content }, new NoOperationTraceWriter())
    expect(result.context.errors.getErrors().map(e => e.message)).toEqual([])
    const template = await convertWorkflowTemplate(result.context, result.value!)
    expect((template.errors ?? []).map(e => e.Message)).toEqual([])
    expect(template.events).toHaveProperty('workflow_call')
  })

  test('passes only inputs that the squall actions declare', () => {
    const doc = parse(content) as {
      jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }>
    }
    let checked = 0
    for (const job of Object.values(doc.jobs)) {
      for (const step of job.steps ?? []) {
        const m = /^squall-ci\/squall(?:\/([a-z-]+))?@/.exec(step.uses ?? '')
        if (!m) continue
        const declared = Object.keys(load(m[1] ?? '.').inputs ?? {})
        expect(Object.keys(step.with ?? {}).filter(k => !declared.includes(k))).toEqual([])
        checked++
      }
    }
    expect(checked).toBe(2)
  })
})

test('README tables are generated from the action.yml files', () => {
  const script = join(dirname(''), 'scripts', 'readme-tables.mjs')
  expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow()
})
