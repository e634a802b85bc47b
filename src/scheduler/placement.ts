/**
 * Which queued job goes to which worker. Jobs only some workers can run come first on those
 * workers (so jobs any worker can run do not starve them), then priority order.
 */
import { compareQueued, labelKey, type JobQueue, type PriorityQueue } from './priority.js'
import { avoids, hasLabels, type JobState, type WorkerState } from './state.js'

/**
 * Hands queued jobs to active workers with room, and returns what each worker got, in order.
 * First every free slot is filled, one job per worker per round so the longest jobs spread
 * out. Then, only while more jobs are queued than all workers have slots, each worker may
 * take up to `prefetch` more: they hide the round trip of fetching work, but at the tail of
 * the run a prefetched job would wait behind a long one while another worker sits idle.
 * A worker left with a free slot and nothing in the queue for it takes a prefetched job that
 * waits behind others on another worker (`moved`: the broker cancels it there). So no worker
 * idles while work it could run waits, even when workers joined one by one and the first
 * ones prefetched.
 */
export function placeJobs(
  queue: JobQueue<JobState>,
  workers: readonly WorkerState[],
  prefetch: number,
  now: number
): Placement {
  const given = new Map<WorkerState, JobState[]>()
  const moved: Placement['moved'] = []
  if (workers.length === 0) return { given, moved }
  const capable = capableCounter(workers)
  const give = (worker: WorkerState, job: JobState): void => {
    job.state = 'assigned'
    job.worker = worker.id
    job.assignedAt = now
    job.slotAt = undefined
    worker.held.add(job)
    given.set(worker, [...(given.get(worker) ?? []), job])
  }
  const round = (limit: (w: WorkerState) => number, budget: number): void => {
    let progress = true
    while (progress && budget > 0 && queue.length > 0) {
      progress = false
      for (const worker of workers) {
        if (worker.held.size >= limit(worker)) continue
        const job = pick(queue, worker, workers, capable)
        if (!job) continue
        queue.remove(job)
        give(worker, job)
        progress = true
        if (--budget <= 0 || queue.length === 0) return
      }
    }
  }
  round(w => w.slots, Infinity)
  for (const worker of workers) {
    while (worker.held.size < worker.slots) {
      const job = waitingElsewhere(worker, workers)
      if (!job) break
      const from = job.worker as string
      workers.find(w => w.id === from)?.held.delete(job)
      moved.push({ from, job })
      give(worker, job)
    }
  }
  const slots = workers.reduce((n, w) => n + w.slots, 0)
  if (prefetch > 0) round(w => w.slots + prefetch, queue.length - slots)
  return { given, moved }
}

/** What one placement did. */
export interface Placement {
  /** Jobs each worker got, in order. */
  given: Map<WorkerState, JobState[]>
  /** Prefetched jobs taken from the worker `from` (which must be told to drop them). */
  moved: { from: string; job: JobState }[]
}

/**
 * The best prefetched job that waits behind others on another worker and that `worker`
 * could run at once (it has the labels and the job does not avoid it).
 */
function waitingElsewhere(
  worker: WorkerState,
  workers: readonly WorkerState[]
): JobState | undefined {
  let best: JobState | undefined
  for (const other of workers) {
    if (other === worker) continue
    let position = 0
    for (const job of other.held) {
      if (position++ < other.slots || job.state !== 'assigned') continue
      if (!hasLabels(worker.labels, job.spec.labels) || avoids(job, worker.id)) continue
      if (!best || compareQueued(job, best) < 0) best = job
    }
  }
  return best
}

/** Counts the active workers able to run a label set, cached per set within one placement. */
function capableCounter(workers: readonly WorkerState[]): (labels: readonly string[]) => number {
  const cache = new Map<string, number>()
  return labels => {
    if (labels.length === 0) return workers.length
    const key = labelKey(labels)
    let count = cache.get(key)
    if (count === undefined) {
      count = workers.filter(w => hasLabels(w.labels, labels)).length
      cache.set(key, count)
    }
    return count
  }
}

/**
 * The job `worker` should take next: among those it can run, one the fewest active workers
 * can run, and among those the first in priority order. A job skips a worker it avoids while
 * another active worker could run it.
 */
function pick(
  queue: JobQueue<JobState>,
  worker: WorkerState,
  workers: readonly WorkerState[],
  capable: (labels: readonly string[]) => number
): JobState | undefined {
  let best: JobState | undefined
  let bestCount = Infinity
  for (const group of queue.groups()) {
    if (group.jobs.length === 0 || !hasLabels(worker.labels, group.labels)) continue
    const count = capable(group.labels)
    if (count > bestCount) continue
    const job = firstFor(group.jobs, worker, workers)
    if (!job) continue
    if (count < bestCount || compareQueued(job, best as JobState) < 0) {
      best = job
      bestCount = count
    }
  }
  return best
}

/** The first job of a group (in priority order) that does not avoid `worker`, or must take it. */
function firstFor(
  jobs: PriorityQueue<JobState>,
  worker: WorkerState,
  workers: readonly WorkerState[]
): JobState | undefined {
  for (const job of jobs.values()) {
    if (!avoids(job, worker.id) || !hasAlternative(job, worker, workers)) return job
  }
  return undefined
}

function hasAlternative(
  job: JobState,
  worker: WorkerState,
  workers: readonly WorkerState[]
): boolean {
  return workers.some(
    w => w !== worker && !avoids(job, w.id) && hasLabels(w.labels, job.spec.labels)
  )
}
