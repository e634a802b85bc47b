/**
 * `workers: auto`: how many worker jobs a run should ask for, from a simulation of the run
 * with the pure scheduler. For each count n (1..max) the items of the timing history are
 * batched by the real planner for the cluster's slots (planBatches), each job costing its
 * items, the framework's cost per job and per item; simulate() runs them: the coordinator's
 * local slots once the run's own fixed time (listing, planning, reports) is paid, each worker
 * after its start-up (runner allocation, checkout, setup) and not before that, every slot
 * paying the framework's session start once. The result is the run's wall time as its
 * summary counts it (the runner's start to its end). The choice is the smallest n whose predicted wall time is within `targetRatio` of
 * the best: past it more workers cost runner-minutes for little time. Pure.
 */
import { planBatches } from '../frameworks/core/batching.js'
import type { JobSpec } from '../protocol/types.js'
import { simulate, type SimJob, type SimWorker } from './simulate.js'

/** Workers asked for when there is no history to simulate: the reusable workflow's old default. */
export const DEFAULT_WORKERS = 4
/** How far from the best wall time the choice may be: 10 %. */
export const DEFAULT_TARGET_RATIO = 0.1

/** What the choice is made from. */
export interface WorkerChoiceInput {
  /** Expected ms per item, from timing history; empty → no history. */
  itemMs: ReadonlyMap<string, number>
  /** The framework's start-up cost per job, ms (history's warm or cold job cost). */
  jobStartupMs: number
  /** Paid once per slot before its first job (a warm session's start), ms. */
  slotStartupMs: number
  /** What a job pays per item beyond the item's own time (history's itemMs), ms; default 0. */
  itemStartupMs?: number
  /** The run's own time outside its jobs (history's runMs: listing, planning, reports), ms; default 0. */
  runMs?: number
  /** From the run's start until a worker job can take work, ms. */
  workerStartupMs: number
  /** Slots of one worker job. */
  workerSlots: number
  /** Slots the coordinator runs itself. */
  localSlots: number
  /** The largest count to consider (the `max-workers` input). */
  maxWorkers: number
  /** The choice is the smallest count within this ratio of the best wall time (0.1 = 10 %). */
  targetRatio: number
}

/** One row of the table the choice is made from. */
export interface WorkerEstimate {
  workers: number
  /** Predicted wall time of the run, ms. */
  wallMs: number
  /** Runner-minutes billed: the coordinator and every worker job stay until the run ends. */
  runnerMinutes: number
}

/** The count chosen, why, and the table it was chosen from (empty without history). */
export interface WorkerChoice {
  workers: number
  reason: string
  /** The chosen row's wall time, ms; undefined without history. */
  predictedMs?: number
  table: WorkerEstimate[]
}

/** Picks the worker count; see the module comment. */
export function chooseWorkers(input: WorkerChoiceInput): WorkerChoice {
  const max = Math.max(1, Math.floor(input.maxWorkers))
  if (input.itemMs.size === 0)
    return {
      workers: Math.min(DEFAULT_WORKERS, max),
      reason: `no timing history: the default of ${DEFAULT_WORKERS} worker(s), capped at max-workers ${max}`,
      table: []
    }
  const table: WorkerEstimate[] = []
  for (let n = 1; n <= max; n++) {
    const wallMs = predictWallMs(input, n)
    table.push({ workers: n, wallMs, runnerMinutes: round1(((n + 1) * wallMs) / 60_000) })
  }
  const best = Math.min(...table.map(row => row.wallMs))
  const limit = best * (1 + Math.max(0, input.targetRatio))
  const chosen = table.find(row => row.wallMs <= limit) as WorkerEstimate
  const percent = Math.round(input.targetRatio * 100)
  return {
    workers: chosen.workers,
    reason: `the fewest workers within ${percent} % of the best predicted wall time (${seconds(best)} s) of 1–${max}`,
    predictedMs: chosen.wallMs,
    table
  }
}

/** Predicted wall time with `workers` worker jobs, ms. */
export function predictWallMs(input: WorkerChoiceInput, workers: number): number {
  const workerSlots = Math.max(1, Math.floor(input.workerSlots))
  const localSlots = Math.max(0, Math.floor(input.localSlots))
  const slots = localSlots + workers * workerSlots
  const items = [...input.itemMs.keys()].map(id => ({ id, name: id }))
  const batches = planBatches(items, {
    slots,
    timings: input.itemMs as Map<string, number>,
    startupMs: input.jobStartupMs,
    defaultMs: 0
  })
  const perItem = Math.max(0, input.itemStartupMs ?? 0)
  // The run's fixed time is modelled before the first job: no slot starts before the plan.
  const runMs = Math.max(0, input.runMs ?? 0)
  const sim: SimWorker[] = []
  if (localSlots > 0)
    sim.push({ id: 'coordinator', slots: localSlots, joinAt: runMs + input.slotStartupMs })
  for (let w = 1; w <= workers; w++)
    sim.push({
      id: `worker-${w}`,
      slots: workerSlots,
      joinAt: Math.max(runMs, input.workerStartupMs) + input.slotStartupMs
    })
  // The runner submits once the slots that start with it have joined (it waits for them): so
  // the longest jobs spread over them instead of queueing behind each other on the first.
  const submitAt = Math.min(...sim.map(w => w.joinAt ?? 0))
  const jobs: SimJob[] = batches.map((batch, i) => ({
    spec: jobSpec(`job-${i}`, batch.expectedMs),
    actualMs: batch.expectedMs + perItem * batch.items.length,
    submitAt
  }))
  return Math.round(simulate({ jobs, workers: sim, joinsFirst: true }).makespanMs)
}

function jobSpec(id: string, expectedMs: number): JobSpec {
  return {
    id,
    name: id,
    command: 'true',
    timeoutMs: 1e9,
    labels: [],
    attempt: 1,
    layers: [],
    expectedMs
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1)
}
