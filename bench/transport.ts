/**
 * The artifact transport against the emulator (Azurite behind it): round trip of a small
 * message through a stream pair at 0 ms and 50 ms per call, requests per minute of a link idle
 * (with and without heartbeats) and busy, and artifacts created per job over a 1,000-job run.
 */
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { requestCounts, startEmulator } from '../src/emulator/index.js'
import { ResultsClient } from '../src/results-store/index.js'
import type { Link } from '../src/transport/link.js'
import { ArtifactTransport } from '../src/transport/artifact/index.js'
import { cliBundle, tempDir } from './cluster.js'
import { fixed, type Row } from './table.js'

const IDLE_SECONDS = 30
const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms))

export async function transportBench(log: (line: string) => void): Promise<Row[]> {
  const rows: Row[] = []
  const emulator = await startEmulator({ jobs: 2 })
  try {
    const client = (i: number): ResultsClient =>
      new ResultsClient({
        resultsUrl: emulator.resultsUrl,
        token: emulator.jobs[i]!.token,
        ids: emulator.jobs[i]!.ids
      })
    const broker = new ArtifactTransport({ client: client(0) })
    const worker = new ArtifactTransport({ client: client(1) })
    const listener = await broker.listen('bench-rtt')
    const accepted = new Promise<Link>(resolve => listener.onLink(resolve))
    const near = await worker.connect('bench-rtt', { timeoutMs: 60_000 })
    const far = await accepted
    far.onMessage(message => far.send(message))
    for (const latency of [0, 50]) {
      emulator.setFaults(latency > 0 ? { seed: 1, latencyMs: latency, blob: true } : undefined)
      const samples = await roundTrips(near, latency > 0 ? 30 : 60)
      log(`  round trip at ${latency} ms per call: p50 ${fixed(percentile(samples, 50), 0)} ms`)
      rows.push({
        section: 'artifact transport',
        case: `round trip, ${latency} ms per call`,
        figure: 'p50 / p99 ms',
        value: `${fixed(percentile(samples, 50), 0)} / ${fixed(percentile(samples, 99), 0)} (n=${samples.length})`
      })
    }
    emulator.setFaults(undefined)
    const perMinute = async (what: () => () => void): Promise<number> => {
      const stop = what()
      // Let the pollers back off to their idle cap (or settle into the traffic) before counting.
      await sleep(10_000)
      const before = requestCounts(emulator.counters()).total
      await sleep(IDLE_SECONDS * 1000)
      const count = requestCounts(emulator.counters()).total - before
      stop()
      return (count * 60) / IDLE_SECONDS
    }
    const every = (ms: number, fn: () => void) => () => {
      const timer = setInterval(fn, ms)
      return () => clearInterval(timer)
    }
    const busy: number[] = []
    const cases: Array<[string, () => () => void]> = [
      ['idle link, keepalives only', () => () => undefined],
      [
        // What a connected worker with nothing to do costs: `squall broker`'s 30 s heartbeat.
        'idle link, heartbeats every 10 s each way',
        every(10_000, () => {
          near.send({ type: 'heartbeat', at: 0 })
          far.send({ type: 'heartbeat', at: 0 })
        })
      ],
      [
        'busy link, a request and its answer every second',
        () => {
          let going = true
          void (async () => {
            while (going) {
              busy.push(...(await roundTrips(near, 1)))
              await sleep(1000)
            }
          })()
          return () => {
            going = false
          }
        }
      ]
    ]
    for (const [name, what] of cases) {
      const rate = await perMinute(what)
      log(`  ${name}: ${fixed(rate, 0)} requests/min`)
      rows.push({
        section: 'artifact transport',
        case: `${name} (both ends and the listener)`,
        figure: 'requests per minute',
        value: fixed(rate, 0),
        target: name.startsWith('idle') ? '≤ 60' : undefined
      })
    }
    rows.push({
      section: 'artifact transport',
      case: 'busy link, a request every second after 1 s of quiet',
      figure: 'round trip p50 / p99 ms',
      value: `${fixed(percentile(busy, 50), 0)} / ${fixed(percentile(busy, 99), 0)} (n=${busy.length})`
    })
    await near.close()
    await far.close()
    await listener.close()
  } finally {
    await emulator.stop()
  }
  rows.push(...(await thousandJobs(log)))
  return rows
}

/**
 * Round trips of a small message the far end echoes. Not a heartbeat: heartbeats are liveness
 * only and do not hurry the poller, so a request is any other message (an `error` one here).
 */
async function roundTrips(link: Link, count: number): Promise<number[]> {
  const samples: number[] = []
  let pending: ((value: number) => void) | undefined
  link.onMessage(message => {
    if (message.type === 'error' && pending) pending(performance.now() - Number(message.message))
  })
  for (let i = 0; i < count; i++) {
    samples.push(
      await new Promise<number>(resolve => {
        pending = resolve
        link.send({ type: 'error', code: 'bench', message: String(performance.now()) })
      })
    )
  }
  return samples
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN
}

/** 1,000 trivial jobs with `squall run --transport artifacts --workers 3`: artifacts per job. */
async function thousandJobs(log: (line: string) => void): Promise<Row[]> {
  const { dir, remove } = tempDir('squall-bench-artifacts-')
  try {
    writeFileSync(
      join(dir, 'jobs.json'),
      JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({ name: `t${i}`, argv: ['true'] })))
    )
    const started = performance.now()
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          cliBundle,
          'run',
          '--transport',
          'artifacts',
          '--workers',
          '3',
          '--slots',
          '2',
          '--jobs',
          'jobs.json',
          '--json',
          'out.json',
          '--no-timings'
        ],
        { cwd: dir, stdio: 'ignore' }
      )
      child.on('error', reject)
      child.on('close', code =>
        code === 0 ? resolve() : reject(new Error(`squall run exited with ${code}`))
      )
    })
    const seconds = (performance.now() - started) / 1000
    const figures = (
      JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as {
        summary: { transport: Record<string, number> }
      }
    ).summary.transport
    const workers = [1, 2, 3].map(i => figures[`artifacts.worker-${i}`] ?? 0)
    log(`  1,000 jobs over artifacts: ${fixed(seconds, 1)} s, ${figures.requests} requests`)
    return [
      {
        section: 'artifact transport',
        case: '1,000 jobs, 3 workers',
        figure: 'artifacts per worker job',
        value: workers.join(', '),
        target: '≪ 500'
      },
      {
        section: 'artifact transport',
        case: '1,000 jobs, 3 workers',
        figure: 'artifacts, coordinator job',
        value: String(figures['artifacts.broker'] ?? 0),
        target: '≪ 500'
      },
      {
        section: 'artifact transport',
        case: '1,000 jobs, 3 workers',
        figure: 'requests / wall time',
        value: `${figures.requests} / ${fixed(seconds, 1)} s`
      }
    ]
  } finally {
    remove()
  }
}
