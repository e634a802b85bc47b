/**
 * predict: how well `workers: auto` predicts a run's wall time. For each bench suite (a
 * commands suite of sleeps and the generated jest, pytest and vitest suites) squall runs once
 * to build timing history; then, before each measured run, the predictor `workers: auto` uses
 * (plan-workers' input from the history, choose-workers' simulation) predicts the wall time of
 * that run's shape, and `squall run` runs it. Every run starts with the framework's caches
 * cleared, the history run too, so history describes the runs it predicts.
 * SQUALL_BENCH_SCALE scales the suites; SQUALL_BENCH_SUITES picks some (e.g. `commands,jest`).
 */
import { join } from 'node:path'
import { workerChoiceInput, type ClusterShape } from '../src/cli/plan-workers-command.js'
import { predictedVsActual } from '../src/report/worker-choice.js'
import { TimingStore } from '../src/runner/timings.js'
import { chooseWorkers, predictWallMs } from '../src/scheduler/choose-workers.js'
import { logNormalDurations } from './random.js'
import { runSquall } from './squall-cli.js'
import { benchScale, freshSuiteDir, put, wantedSuites } from './suite.js'
import { jestSuite } from './suite-jest.js'
import { pytestSuite } from './suite-pytest.js'
import { vitestSuite } from './suite-vitest.js'
import { fixed, type Row } from './table.js'

/** The generated framework suites at this share of the frameworks section's size. */
const SUITE_SCALE = 0.4
/** The most local slots (workers × slots) this 2-core machine runs without oversubscribing. */
const CORES = 2
/** Within this of the prediction counts as right (the target). */
const TOLERANCE = 0.15

/** What this section needs of a suite. */
interface PredictSuite {
  framework: string
  dir: string
  describe: string
  env?: Record<string, string>
  passThrough: string[]
  /** Extra `squall run` flags (the commands suite's `--jobs`). */
  flags: string[]
  clearCaches(): void
}

type Make = (scale: number) => PredictSuite
const suites: Record<string, Make> = {
  commands: commandsSuite,
  jest: scale => ({ ...jestSuite(scale * SUITE_SCALE), flags: [] }),
  pytest: scale => ({ ...pytestSuite(scale * SUITE_SCALE), flags: [] }),
  vitest: scale => ({ ...vitestSuite(scale * SUITE_SCALE), flags: [] })
}

export async function predictBench(
  log: (line: string) => void
): Promise<{ rows: Row[]; notes: string[] }> {
  const scale = benchScale()
  const wanted = wantedSuites(Object.keys(suites))
  const rows: Row[] = []
  const started = performance.now()
  for (const name of wanted) rows.push(...(await predictSuite((suites[name] as Make)(scale), log)))
  const minutes = fixed((performance.now() - started) / 60_000, 1)
  log(`predict: ${minutes} min`)
  return {
    rows,
    notes: [
      `predict: SQUALL_BENCH_SCALE=${scale}, the section took ${minutes} min. W×K: W local worker processes of K slots each`,
      `  (squall run --workers W --slots K), at most ${CORES} slots in all on this ${CORES}-core machine. "chosen": the count workers: auto`,
      `  picks for 1-slot workers with max-workers ${CORES}. Predicted: the plan's simulation from the history the runs before left.`,
      `  Actual: the run's own wall time (its summary's duration, listing to the end, as in the job summary's predicted-vs-actual`,
      `  line); the process's wall time in brackets. Target: within ${TOLERANCE * 100} %.`
    ]
  }
}

interface Shape {
  workers: number
  slots: number
  mark: string
}

async function predictSuite(suite: PredictSuite, log: (line: string) => void): Promise<Row[]> {
  log(`predict: ${suite.framework}: ${suite.describe}`)
  suite.clearCaches()
  const first = await runSquall(suite, 1, CORES, false, 'predict-history', suite.flags)
  log(`  history run 1×${CORES}: ${fixed(first.durationMs / 1000, 2)} s (exit ${first.exitCode})`)
  const timings = join(suite.dir, '.squall', 'timings.json')
  const local = (workerSlots: number, maxWorkers: number): ClusterShape => ({
    // Local workers start with the runner: no runner allocation, checkout or setup.
    workerStartupMs: 0,
    workerSlots,
    localSlots: 0,
    maxWorkers,
    targetRatio: 0.1
  })
  const store = await TimingStore.load(timings)
  const chosen = chooseWorkers(workerChoiceInput(store, suite.framework, local(1, CORES))).workers
  log(`  history: start-up ${JSON.stringify(store.startup(suite.framework))}, chosen ${chosen}×1`)
  const shapes = new Map<string, Shape>()
  for (const [workers, slots] of [
    [1, CORES],
    [CORES, 1],
    [chosen, 1]
  ] as const)
    shapes.set(`${workers}x${slots}`, { workers, slots, mark: '' })
  const chosenShape = shapes.get(`${chosen}x1`) as Shape
  chosenShape.mark = ' (chosen)'
  const rows: Row[] = []
  for (const { workers, slots, mark } of shapes.values()) {
    suite.clearCaches()
    const history = await TimingStore.load(timings)
    const predicted = predictWallMs(
      workerChoiceInput(history, suite.framework, local(slots, workers)),
      workers
    )
    const label = `predict-${workers}x${slots}`
    const run = await runSquall(suite, workers, slots, true, label, suite.flags)
    const ratio = run.durationMs / predicted
    const off = Math.abs(ratio - 1) > TOLERANCE ? '  !!! off' : ''
    log(
      `  ${workers}×${slots}${mark}: predicted ${fixed(predicted / 1000, 2)} s, actual ${fixed(run.durationMs / 1000, 2)} s ` +
        `(process ${fixed(run.wallMs / 1000, 2)} s, exit ${run.exitCode}), ÷ ${fixed(ratio, 2)}${off}`
    )
    // The line the coordinator's job summary would end with, from the same figures.
    log(`    summary: ${predictedVsActual(predicted, run.durationMs)}`)
    rows.push({
      section: 'predict',
      case: `${suite.framework} ${workers}×${slots}${mark}`,
      figure: 'actual ÷ predicted wall',
      value: `${fixed(ratio, 2)} (${fixed(run.durationMs / 1000, 2)} s / ${fixed(predicted / 1000, 2)} s) [${fixed(run.wallMs / 1000, 2)} s]`,
      target: `${fixed(1 - TOLERANCE, 2)}–${fixed(1 + TOLERANCE, 2)}`
    })
  }
  return rows
}

const COMMANDS_SEED = 23

/** The commands suite: seeded log-normal sleeps, as the scheduling section's, smaller. */
function commandsSuite(scale: number): PredictSuite {
  const dir = freshSuiteDir('commands')
  const count = Math.max(8, Math.round(40 * scale))
  const seconds = logNormalDurations(count, 1.0, 16 * scale, COMMANDS_SEED).map(
    s => Math.round(s * 1000) / 1000
  )
  const jobs = seconds.map((s, i) => ({
    name: `sleep-${String(i).padStart(3, '0')}`,
    argv: ['sleep', String(s)]
  }))
  put(dir, 'jobs.json', JSON.stringify(jobs))
  const total = seconds.reduce((a, b) => a + b, 0)
  return {
    framework: 'commands',
    dir,
    describe: `${count} sleeps, ${fixed(total, 1)} s in all, longest ${fixed(Math.max(...seconds), 2)} s`,
    passThrough: [],
    flags: ['--jobs', join(dir, 'jobs.json')],
    clearCaches: () => undefined
  }
}
