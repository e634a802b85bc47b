/**
 * A workflow simulator: runs the built action bundles the way the Actions runner does —
 * INPUT_* variables from action.yml defaults and `with:`, the GITHUB_OUTPUT / GITHUB_ENV /
 * GITHUB_STATE / GITHUB_STEP_SUMMARY files, STATE_* for post steps, workflow commands on
 * stdout, and a runtime token per job (only JavaScript actions see it).
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'

export interface WorkflowCommand {
  command: string
  properties: Record<string, string>
  message: string
}

export interface StepResult {
  action: string
  phase: 'main' | 'post'
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  commands: WorkflowCommand[]
  /** Every file a step wrote for the runner, raw, for secret scans. */
  files: Record<string, string>
}

export interface JobOptions {
  name: string
  workspace: string
  temp: string
  /** ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL, … for this job (from the emulator). */
  runtime: Record<string, string>
  runId: string
  runAttempt?: string
  extraEnv?: Record<string, string>
}

interface ActionYaml {
  inputs?: Record<string, { default?: string }>
  runs: { using: string; main: string; post?: string }
}

const root = resolve('.')

/** Parses `key=value` lines and `key<<DELIM … DELIM` blocks, as the runner does. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    if (line === '') continue
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, key, delimiter] = heredoc
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] as string)
      out[key as string] = value.join('\n')
      continue
    }
    const eq = line.indexOf('=')
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return out
}

export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = []
  for (const line of stdout.split('\n')) {
    const m = /^::([a-z-]+)( [^:]*)?::(.*)$/.exec(line)
    if (!m) continue
    const properties: Record<string, string> = {}
    for (const pair of (m[2] ?? '').trim().split(',').filter(Boolean)) {
      const eq = pair.indexOf('=')
      properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1))
    }
    commands.push({ command: m[1] as string, properties, message: unescape(m[3] ?? '') })
  }
  return commands
}

function unescape(text: string): string {
  return text
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%')
}

/**
 * What `uses: <action>` with `inputs` gives the step, as the runner resolves it: the action's
 * directory and action.yml, and its INPUT_* variables (defaults for what `with:` leaves out).
 * Throws for an input the action does not declare, and for a non-JavaScript action.
 */
export function resolveAction(
  action: string,
  inputs: Record<string, string> = {}
): { dir: string; yaml: ActionYaml; inputEnv: Record<string, string> } {
  const dir = join(root, action)
  const yaml = parse(readFileSync(join(dir, 'action.yml'), 'utf8')) as ActionYaml
  if (!yaml.runs.using.startsWith('node'))
    throw new Error(`${action}: only JavaScript actions are simulated`)
  for (const name of Object.keys(inputs)) {
    if (!(name in (yaml.inputs ?? {}))) throw new Error(`${action} has no input '${name}'`)
  }
  const inputEnv: Record<string, string> = {}
  for (const [name, spec] of Object.entries(yaml.inputs ?? {})) {
    inputEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = inputs[name] ?? spec.default ?? ''
  }
  return { dir, yaml, inputEnv }
}

export class SimulatedJob {
  /** Variables exported by earlier steps (GITHUB_ENV). */
  readonly env: Record<string, string> = {}
  private readonly posts: { action: string; post: string; state: Record<string, string> }[] = []
  private stepCount = 0

  constructor(readonly options: JobOptions) {
    mkdirSync(options.workspace, { recursive: true })
    mkdirSync(options.temp, { recursive: true })
  }

  /** Runs `<repo>/<action>/action.yml` (or the top-level action with '.') like `uses:`. */
  async uses(
    action: string,
    inputs: Record<string, string> = {},
    timeoutMs = 180_000
  ): Promise<StepResult> {
    const { dir, yaml, inputEnv } = resolveAction(action, inputs)
    const main = resolve(dir, yaml.runs.main)
    const result = await this.step(action, 'main', main, inputEnv, {}, timeoutMs)
    if (yaml.runs.post)
      this.posts.push({
        action,
        post: resolve(dir, yaml.runs.post),
        state: parseFileCommands(result.files.state ?? '')
      })
    return result
  }

  /** Post steps, last registered first, as the runner does. */
  async runPosts(timeoutMs = 60_000): Promise<StepResult[]> {
    const results: StepResult[] = []
    for (const post of this.posts.splice(0).reverse()) {
      const stateEnv: Record<string, string> = {}
      for (const [k, v] of Object.entries(post.state)) stateEnv[`STATE_${k}`] = v
      results.push(await this.step(post.action, 'post', post.post, {}, stateEnv, timeoutMs))
    }
    return results
  }

  private async step(
    action: string,
    phase: 'main' | 'post',
    script: string,
    inputEnv: Record<string, string>,
    stateEnv: Record<string, string>,
    timeoutMs: number
  ): Promise<StepResult> {
    if (!existsSync(script)) throw new Error(`${script} does not exist: run npm run build`)
    const n = ++this.stepCount
    const files = {
      output: join(this.options.temp, `output-${n}`),
      env: join(this.options.temp, `env-${n}`),
      state: join(this.options.temp, `state-${n}`),
      summary: join(this.options.temp, `summary-${n}`),
      path: join(this.options.temp, `path-${n}`)
    }
    for (const f of Object.values(files)) writeFileSync(f, '')
    const event = join(this.options.temp, 'event.json')
    if (!existsSync(event))
      writeFileSync(event, JSON.stringify({ repository: { default_branch: 'main' } }))
    const base: Record<string, string | undefined> = { ...process.env }
    for (const key of Object.keys(base))
      if (
        key.startsWith('ACTIONS_') ||
        key.startsWith('INPUT_') ||
        key.startsWith('STATE_') ||
        key.startsWith('GITHUB_')
      )
        delete base[key]
    const env = {
      ...base,
      ...this.env,
      ...this.options.runtime,
      ...this.options.extraEnv,
      ...inputEnv,
      ...stateEnv,
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_WORKSPACE: this.options.workspace,
      GITHUB_RUN_ID: this.options.runId,
      GITHUB_RUN_ATTEMPT: this.options.runAttempt ?? '1',
      GITHUB_JOB: this.options.name,
      GITHUB_REPOSITORY: 'squall-ci/example',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: '0'.repeat(40),
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_EVENT_PATH: event,
      RUNNER_TEMP: this.options.temp,
      GITHUB_OUTPUT: files.output,
      GITHUB_ENV: files.env,
      GITHUB_STATE: files.state,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_PATH: files.path
    }
    const { code, stdout, stderr } = await new Promise<{
      code: number | null
      stdout: string
      stderr: string
    }>((resolvePromise, reject) => {
      const child = spawn(process.execPath, [script], {
        cwd: this.options.workspace,
        env,
        stdio: ['ignore', 'pipe', 'pipe']
      })
      let out = ''
      let err = ''
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      child.stderr.on('data', (d: Buffer) => (err += d.toString()))
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      child.on('error', reject)
      child.on('close', c => {
        clearTimeout(timer)
        resolvePromise({ code: c, stdout: out, stderr: err })
      })
    })
    const raw: Record<string, string> = {}
    for (const [k, f] of Object.entries(files)) raw[k] = readFileSync(f, 'utf8')
    Object.assign(this.env, parseFileCommands(raw.env ?? ''))
    return {
      action,
      phase,
      code,
      stdout,
      stderr,
      outputs: parseFileCommands(raw.output ?? ''),
      summary: raw.summary ?? '',
      commands: parseWorkflowCommands(stdout),
      files: raw
    }
  }
}
