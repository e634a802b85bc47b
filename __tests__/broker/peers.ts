/** Scripted peers for broker tests over the in-memory transport. */
import { Broker, type BrokerOptions } from '../../src/broker/broker.js'
import { PROTOCOL_VERSION, type Message } from '../../src/protocol/messages.js'
import type { JobSpec } from '../../src/protocol/types.js'
import type { Link } from '../../src/transport/link.js'
import { MemoryTransport } from '../../src/transport/memory.js'

type Of<T extends Message['type']> = Extract<Message, { type: T }>

/** One side of a link that records what it receives and can wait for it. */
export class Peer {
  readonly received: Message[] = []
  closed = false
  closeError?: Error
  private waiters: (() => void)[] = []

  constructor(readonly link: Link) {
    link.onMessage(message => {
      this.received.push(message)
      this.wake()
    })
    link.onClose(error => {
      this.closed = true
      this.closeError = error
      this.wake()
    })
  }

  send(message: Message): void {
    this.link.send(message)
  }

  of<T extends Message['type']>(type: T): Of<T>[] {
    return this.received.filter((m): m is Of<T> => m.type === type)
  }

  /** Waits until `check` holds (re-checked on every message and on close). */
  async until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
    const started = Date.now()
    while (!check()) {
      if (Date.now() - started > timeoutMs)
        throw new Error(
          `timed out waiting for ${what}; got ${JSON.stringify(this.received.map(m => m.type))}`
        )
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, 50)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  /** Waits for the n-th message of a type (1-based) and returns it. */
  async next<T extends Message['type']>(type: T, n = 1): Promise<Of<T>> {
    await this.until(`message ${n} of type '${type}'`, () => this.of(type).length >= n)
    return this.of(type)[n - 1] as Of<T>
  }

  async whenClosed(): Promise<void> {
    await this.until('the link to close', () => this.closed)
  }

  private wake(): void {
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w()
  }
}

/** A broker on a memory listener with a fake clock and no automatic ticks. */
export async function startBroker(options: Partial<BrokerOptions> = {}) {
  const transport = new MemoryTransport()
  const listener = await transport.listen('broker')
  const clock = { now: 1_000_000 }
  const logs: string[] = []
  const broker = new Broker({
    listener,
    clusterId: 'test-cluster',
    now: () => clock.now,
    tickMs: 1_000_000_000,
    heartbeatMs: 60_000,
    log: (level, message) => logs.push(`${level}: ${message}`),
    ...options
  })
  broker.start()
  const connect = async (): Promise<Peer> => new Peer(await transport.connect('broker'))
  const worker = async (id: string, slots = 1, labels: string[] = []): Promise<Peer> => {
    const peer = await connect()
    peer.send({ type: 'hello', version: PROTOCOL_VERSION, role: 'worker', id, slots, labels })
    await peer.next('welcome')
    return peer
  }
  const runner = async (id = 'runner'): Promise<Peer> => {
    const peer = await connect()
    peer.send({ type: 'hello', version: PROTOCOL_VERSION, role: 'runner', id })
    await peer.next('welcome')
    return peer
  }
  return { broker, transport, listener, clock, logs, connect, worker, runner }
}

export function job(id: string, extra: Partial<JobSpec> = {}): JobSpec {
  return {
    id,
    name: id,
    command: 'true',
    timeoutMs: 60_000,
    labels: [],
    attempt: 1,
    layers: [],
    ...extra
  }
}

/** A worker's answer for a job. */
export function answer(
  spec: { id: string; attempt: number },
  worker: string,
  status: 'passed' | 'failed' | 'cancelled' = 'passed'
): Message {
  return {
    type: 'result',
    results: [
      {
        id: spec.id,
        attempt: spec.attempt,
        worker,
        status,
        exitCode: status === 'passed' ? 0 : 1,
        signal: null,
        durationMs: 5,
        startedAt: 1,
        stdout: { text: 'out', truncatedBytes: 0 },
        stderr: { text: '', truncatedBytes: 0 }
      }
    ]
  }
}

/** Every result the runner received, flattened. */
export function resultsOf(runner: Peer) {
  return runner.of('result').flatMap(m => m.results)
}

export function progressOf(runner: Peer) {
  return runner.of('progress').flatMap(m => m.events)
}
