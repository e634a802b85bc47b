/** The poller's pacing on a fake clock: backoff to a cap, a sleep between polls, bounded concurrency. */
import { jest } from '@jest/globals'
import { Poller, type PollOutcome } from '../../../src/transport/artifact/poller.js'

beforeEach(() => {
  jest.useFakeTimers({ now: 0 })
})
afterEach(() => {
  jest.useRealTimers()
})

/** A task that answers `outcome()` and records when it was polled. */
function task(
  outcome: () => PollOutcome,
  busyMs = 0
): { at: number[]; poll: () => Promise<PollOutcome> } {
  const at: number[] = []
  return {
    at,
    poll: async () => {
      at.push(Date.now())
      if (busyMs > 0) await new Promise(r => setTimeout(r, busyMs))
      return outcome()
    }
  }
}

function gaps(at: number[]): number[] {
  return at.slice(1).map((t, i) => t - (at[i] as number))
}

test('an idle task backs off with jitter to the cap and stays there', async () => {
  const poller = new Poller({ minMs: 50, maxMs: 2000 })
  const idle = task(() => 'idle')
  const handle = poller.add(idle)
  await jest.advanceTimersByTimeAsync(60_000)
  handle.remove()
  const g = gaps(idle.at)
  expect(idle.at[0]).toBe(0)
  for (const gap of g) {
    expect(gap).toBeGreaterThanOrEqual(50)
    expect(gap).toBeLessThanOrEqual(2000)
  }
  // Early gaps are short, late ones near the cap (jitter keeps them within 80–100 %).
  expect(g[0]).toBeLessThan(200)
  for (const gap of g.slice(-10)) expect(gap).toBeGreaterThanOrEqual(1600)
  // About one poll per 1.6–2 s once at the cap, not thousands.
  expect(idle.at.length).toBeLessThan(60)
})

test('an active task polls at the minimum, never without a sleep', async () => {
  const poller = new Poller({ minMs: 50, maxMs: 2000 })
  const busy = task(() => 'active')
  const handle = poller.add(busy)
  await jest.advanceTimersByTimeAsync(1000)
  handle.remove()
  expect(gaps(busy.at).every(gap => gap === 50)).toBe(true)
  expect(busy.at.length).toBe(21)
})

test('wake brings an idle task back to the quick pace; done and remove stop it', async () => {
  const poller = new Poller({ minMs: 50, maxMs: 2000 })
  const idle = task(() => 'idle')
  const handle = poller.add(idle)
  await jest.advanceTimersByTimeAsync(20_000)
  const count = idle.at.length
  handle.wake()
  await jest.advanceTimersByTimeAsync(60)
  expect(idle.at.length).toBe(count + 1)
  handle.remove()
  await jest.advanceTimersByTimeAsync(10_000)
  expect(idle.at.length).toBe(count + 1)

  let n = 0
  const finite = task(() => (++n >= 3 ? 'done' : 'active'))
  poller.add(finite)
  await jest.advanceTimersByTimeAsync(10_000)
  expect(finite.at.length).toBe(3)
  expect(poller.size).toBe(0)
})

test('no more polls in flight than the concurrency, and every task gets its turn', async () => {
  const poller = new Poller({ minMs: 10, maxMs: 100, concurrency: 3 })
  let inFlight = 0
  let most = 0
  const counts = new Array<number>(10).fill(0)
  const handles = counts.map((_, i) =>
    poller.add({
      poll: async () => {
        inFlight++
        most = Math.max(most, inFlight)
        counts[i]++
        await new Promise(r => setTimeout(r, 40))
        inFlight--
        return 'active'
      }
    })
  )
  await jest.advanceTimersByTimeAsync(2000)
  for (const h of handles) h.remove()
  expect(most).toBe(3)
  for (const c of counts) expect(c).toBeGreaterThan(5)
})

test('a task that throws is polled again at the idle pace', async () => {
  const errors: unknown[] = []
  const poller = new Poller({ minMs: 50, maxMs: 500, onError: e => errors.push(e) })
  const at: number[] = []
  const handle = poller.add({
    poll: async () => {
      at.push(Date.now())
      throw new Error('boom')
    }
  })
  await jest.advanceTimersByTimeAsync(5000)
  handle.remove()
  expect(errors.length).toBe(at.length)
  expect(at.length).toBeGreaterThan(3)
  expect(at.length).toBeLessThan(20)
})
