import {
  chooseWorkers,
  DEFAULT_WORKERS,
  predictWallMs,
  type WorkerChoiceInput
} from '../../src/scheduler/choose-workers.js'

function input(itemSeconds: number[], extra: Partial<WorkerChoiceInput> = {}): WorkerChoiceInput {
  return {
    itemMs: new Map(itemSeconds.map((s, i) => [`t${i}`, s * 1000])),
    jobStartupMs: 0,
    slotStartupMs: 0,
    workerStartupMs: 0,
    workerSlots: 1,
    localSlots: 0,
    maxWorkers: 8,
    targetRatio: 0.1,
    ...extra
  }
}

test('no history: the documented default, capped by max-workers', () => {
  expect(chooseWorkers(input([]))).toMatchObject({ workers: DEFAULT_WORKERS, table: [] })
  expect(chooseWorkers(input([], { maxWorkers: 2 })).workers).toBe(2)
  expect(chooseWorkers(input([])).reason).toMatch(/no timing history/)
})

test('evenly divisible work: more workers keep helping, so the cap decides', () => {
  const choice = chooseWorkers(input(Array<number>(40).fill(10)))
  const walls = choice.table.map(row => row.wallMs)
  expect(choice.table.map(row => row.workers)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  for (let i = 1; i < walls.length; i++)
    expect(walls[i]).toBeLessThanOrEqual(walls[i - 1] as number)
  expect(walls[0]).toBe(400_000)
  expect(walls[7]).toBe(50_000)
  expect(choice.workers).toBe(8)
  expect(choice.predictedMs).toBe(50_000)
})

test('one long test bounds the run: one worker is enough', () => {
  const choice = chooseWorkers(input([100, 5, 5, 5], { localSlots: 1 }))
  expect(new Set(choice.table.map(row => row.wallMs))).toEqual(new Set([100_000]))
  expect(choice.workers).toBe(1)
})

test('a worker start-up longer than the work: the coordinator alone is as fast', () => {
  const choice = chooseWorkers(
    input([4, 4, 4, 4], { localSlots: 2, workerStartupMs: 60_000, maxWorkers: 4 })
  )
  expect(choice.table.every(row => row.wallMs === 8_000)).toBe(true)
  expect(choice.workers).toBe(1)
})

test('the smallest count within the target of the best, not the best itself', () => {
  // 12 × 10 s on one slot each: 1 → 120, 2 → 60, 3 → 40, 4 → 30, 5 → 30 (3 rounds), 6 → 20 s.
  const tight = chooseWorkers(input(Array<number>(12).fill(10), { maxWorkers: 6, targetRatio: 0 }))
  expect(tight.workers).toBe(6)
  const loose = chooseWorkers(
    input(Array<number>(12).fill(10), { maxWorkers: 6, targetRatio: 0.5 })
  )
  expect(loose.table.find(row => row.workers === 4)?.wallMs).toBe(30_000)
  expect(loose.workers).toBe(4)
  for (const choice of [tight, loose]) {
    const best = Math.min(...choice.table.map(row => row.wallMs))
    const limit = best * (1 + (choice === tight ? 0 : 0.5))
    const first = choice.table.find(row => row.wallMs <= limit)
    expect(choice.workers).toBe(first?.workers)
  }
})

test('runner-minutes count the coordinator and every worker for the whole run', () => {
  const choice = chooseWorkers(input(Array<number>(12).fill(10), { maxWorkers: 3 }))
  expect(choice.table).toEqual([
    { workers: 1, wallMs: 120_000, runnerMinutes: 4 },
    { workers: 2, wallMs: 60_000, runnerMinutes: 3 },
    { workers: 3, wallMs: 40_000, runnerMinutes: 2.7 }
  ])
})

test('local slots and start-ups enter the prediction', () => {
  const base = input(Array<number>(8).fill(10), { workerSlots: 2 })
  // 1 worker of 2 slots: 4 rounds; plus 2 local slots: 2 rounds.
  expect(predictWallMs(base, 1)).toBe(40_000)
  expect(predictWallMs({ ...base, localSlots: 2 }, 1)).toBe(20_000)
  // Workers 15 s late: the local slots run 2 jobs meanwhile, the rest is shared 4 ways.
  expect(predictWallMs({ ...base, localSlots: 2, workerStartupMs: 15_000 }, 1)).toBe(30_000)
})

test("a job's cost per item counts in every job, once per item", () => {
  // 8 items of 1 s on 2 slots, 250 ms per item on top: 4 rounds of 1.25 s.
  const base = input(Array<number>(8).fill(1), { workerSlots: 2 })
  const without = predictWallMs(base, 1)
  const withItems = predictWallMs({ ...base, itemStartupMs: 250 }, 1)
  expect(without).toBe(4_000)
  expect(withItems).toBe(5_000)
})

test("the run's own time comes before any job; a worker later than it pays only its own start-up", () => {
  const base = input(Array<number>(8).fill(10), { workerSlots: 2 })
  expect(predictWallMs({ ...base, runMs: 2_000 }, 1)).toBe(42_000)
  // The coordinator's slots wait for the plan too; its session start follows.
  expect(predictWallMs({ ...base, localSlots: 2, runMs: 2_000, slotStartupMs: 500 }, 1)).toBe(
    22_500
  )
  // Workers 15 s late, the run's 2 s hidden in their start-up: local 2–12, 12–22 (4 jobs),
  // the worker 15–25 (2), local 22–32 (the last 2); 30 s without the run's time (above).
  expect(predictWallMs({ ...base, localSlots: 2, workerStartupMs: 15_000, runMs: 2_000 }, 1)).toBe(
    32_000
  )
})

test('two 1-slot workers that start together predict as one 2-slot worker', () => {
  // A vitest suite's history (ms per file) with a cost per file that the plan's batches do
  // not show: the 13-file job, third by expected time, is the longest. Had the first worker
  // to join taken it behind its first job, the prediction would be 24 s.
  const files = [3851, 91, 1120, 1568, 53, 311, 169, 323, 95, 95, 64, 93, 448, 90, 81, 1287]
  const history = input(
    files.map(ms => ms / 1000),
    { jobStartupMs: 1161, slotStartupMs: 1352, itemStartupMs: 771, runMs: 2846 }
  )
  const together = predictWallMs({ ...history, workerSlots: 1 }, 2)
  expect(together).toBe(predictWallMs({ ...history, workerSlots: 2 }, 1))
  expect(together).toBeLessThan(20_000)
})
