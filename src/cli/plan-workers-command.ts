/**
 * `squall plan-workers`: the worker count for `workers: auto`, chosen by simulating the
 * run from timing history (scheduler/choose-workers.ts). Prints the choice as JSON; the
 * reusable workflow's plan job also has it write its outputs and the summary table.
 */
import { Command } from 'commander'
import { appendFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { ExitCode, UsageError } from '../errors.js'
import { workerChoiceMarkdown } from '../report/worker-choice.js'
import { defaultTimingsPath, TimingStore } from '../runner/timings.js'
import {
  chooseWorkers,
  DEFAULT_TARGET_RATIO,
  type WorkerChoice,
  type WorkerChoiceInput
} from '../scheduler/choose-workers.js'
import { durationToMs, nonNegativeInt, positiveInt } from './parse.js'

interface PlanFlags {
  timings?: string
  framework?: string
  max: number
  localSlots: number
  workerSlots: number
  workerStartup: number
  target: number
  githubOutput?: string
  summary?: string
}

export function planWorkersCommand(setExit: (code: number) => void): Command {
  return new Command('plan-workers')
    .description('Choose a worker count by simulating the run from timing history; prints JSON.')
    .option('--timings <path>', 'timing history (default .squall/timings.json)')
    .option(
      '--framework <name>',
      "whose measured start-up counts (default: the history's only one)"
    )
    .option('--max <n>', 'the most workers to consider (max-workers)', positiveInt('--max'), 8)
    .option(
      '--local-slots <k>',
      'jobs the coordinator runs itself',
      nonNegativeInt('--local-slots'),
      2
    )
    .option(
      '--worker-slots <k>',
      "slots of one worker job (default: this machine's parallelism)",
      positiveInt('--worker-slots'),
      availableParallelism()
    )
    .option(
      '--worker-startup <duration>',
      'from the run start until a worker takes work (runner, checkout, setup)',
      durationToMs('--worker-startup'),
      60_000
    )
    .option(
      '--target <percent>',
      'the fewest workers within this % of the best',
      percent,
      DEFAULT_TARGET_RATIO * 100
    )
    .option('--github-output <file>', 'append workers=, matrix= and predicted-ms= to this file')
    .option('--summary <file>', 'append the table the count was chosen from (markdown)')
    .action(async (flags: PlanFlags) => {
      const choice = await planWorkers(flags)
      process.stdout.write(`${JSON.stringify(choice)}\n`)
      if (flags.githubOutput) await appendFile(flags.githubOutput, githubOutput(choice))
      if (flags.summary) await appendFile(flags.summary, workerChoiceMarkdown(choice))
      setExit(ExitCode.ok)
    })
}

/** The choice from the flags and the history file (a missing one means no history). */
export async function planWorkers(flags: PlanFlags): Promise<WorkerChoice> {
  const store = await TimingStore.load(flags.timings ?? defaultTimingsPath(resolve('.')))
  if (store.warning) process.stderr.write(`squall: ${store.warning}\n`)
  return chooseWorkers(
    workerChoiceInput(store, flags.framework, {
      workerStartupMs: flags.workerStartup,
      workerSlots: flags.workerSlots,
      localSlots: flags.localSlots,
      maxWorkers: flags.max,
      targetRatio: flags.target / 100
    })
  )
}

/** The cluster's shape, as the plan job (or a benchmark) knows it. */
export type ClusterShape = Pick<
  WorkerChoiceInput,
  'workerStartupMs' | 'workerSlots' | 'localSlots' | 'maxWorkers' | 'targetRatio'
>

/**
 * What `workers: auto` simulates, from timing history: its items' durations and the
 * framework's measured start-up (`framework`, else the history's only one).
 */
export function workerChoiceInput(
  store: TimingStore,
  framework: string | undefined,
  shape: ClusterShape
): WorkerChoiceInput {
  const frameworks = Object.keys(store.toJSON().startup)
  const name = framework ?? (frameworks.length === 1 ? frameworks[0] : undefined)
  const startup = name ? store.startup(name) : {}
  return {
    itemMs: store.expected(),
    jobStartupMs: startup.warmJobMs ?? startup.coldMs ?? 0,
    slotStartupMs: startup.sessionMs ?? 0,
    itemStartupMs: startup.itemMs ?? 0,
    runMs: startup.runMs ?? 0,
    ...shape
  }
}

function githubOutput(choice: WorkerChoice): string {
  const matrix = JSON.stringify(Array.from({ length: choice.workers }, (_, i) => i + 1))
  return [
    `workers=${choice.workers}`,
    `matrix=${matrix}`,
    `predicted-ms=${choice.predictedMs ?? ''}`,
    ''
  ].join('\n')
}

function percent(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100)
    throw new UsageError(
      `--target: '${value}' is not a percentage; expected a number from 0 to 100`
    )
  return n
}
