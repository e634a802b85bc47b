/**
 * A scripted broker on the far end of an in-memory link: welcomes the runner, "runs" every
 * submitted job at once through a script, and records what it was sent.
 */
import type { Message } from '../../src/protocol/messages.js'
import { PROTOCOL_VERSION } from '../../src/protocol/messages.js'
import { emptyOutput, type JobResult, type JobSpec } from '../../src/protocol/types.js'
import type { Link } from '../../src/transport/link.js'
import { breakMemoryLink, createMemoryPair } from '../../src/transport/memory.js'

/** What happens to one submitted attempt. */
export type Script = (job: JobSpec) => Partial<JobResult> | 'break' | 'silent'

export interface FakeBrokerOptions {
  script?: Script
  /** Answer the hello with an error instead of a welcome. */
  refuse?: boolean
  /** Never answer the hello. */
  mute?: boolean
  workers?: string[]
  /** Send every result twice (the runner must ignore the copy). */
  duplicate?: boolean
  /** Heartbeat period announced in the welcome (default one minute). */
  heartbeatMs?: number
  /** Send one heartbeat after the welcome, proving this broker sends them. */
  heartbeatOnce?: boolean
  /** Send each result this long after its job started (default at once). */
  resultDelayMs?: number
}

export class FakeBroker {
  readonly received: Message[] = []
  connects = 0
  private server?: Link
  private next = 0

  constructor(private readonly options: FakeBrokerOptions = {}) {}

  /** For RunOptions.connect. */
  connect = async (): Promise<Link> => {
    this.connects++
    const [client, server] = createMemoryPair('memory:runner', 'memory:broker')
    this.server = server
    server.onMessage(message => this.onMessage(message))
    return client
  }

  submitted(): JobSpec[] {
    return this.received.flatMap(m => (m.type === 'submit' ? m.jobs : []))
  }

  private send(message: Message): void {
    this.server?.send(message)
  }

  private onMessage(message: Message): void {
    this.received.push(message)
    const workers = this.options.workers ?? ['w1', 'w2']
    switch (message.type) {
      case 'hello':
        if (this.options.mute) return
        if (this.options.refuse) {
          this.send({ type: 'error', code: 'busy', message: 'another runner is attached' })
          void this.server?.close()
          return
        }
        this.send({
          type: 'welcome',
          version: PROTOCOL_VERSION,
          clusterId: 'c1',
          heartbeatMs: this.options.heartbeatMs ?? 60_000
        })
        if (this.options.heartbeatOnce) this.send({ type: 'heartbeat', at: 1 })
        this.send({
          type: 'progress',
          events: workers.map(worker => ({
            kind: 'worker-joined' as const,
            worker,
            slots: 2,
            labels: [],
            at: 1
          }))
        })
        return
      case 'submit':
        for (const job of message.jobs) this.run(job, workers)
        return
      case 'done':
        void this.server?.close()
        return
      default:
        return
    }
  }

  private run(job: JobSpec, workers: string[]): void {
    const script: Script = this.options.script ?? (() => ({}))
    const outcome = script(job)
    if (outcome === 'silent') return
    if (outcome === 'break') {
      if (this.server) breakMemoryLink(this.server, new Error('connection reset by peer'))
      return
    }
    // Retries go to a worker the job has not seen, as the real scheduler prefers.
    const free = workers.filter(w => !(job.avoidWorkers ?? []).includes(w))
    const worker = outcome.worker ?? free[this.next++ % Math.max(1, free.length)] ?? 'w1'
    this.send({
      type: 'progress',
      events: [{ kind: 'started', job: { id: job.id, attempt: job.attempt }, worker, at: 2 }]
    })
    const status = outcome.status ?? 'passed'
    const result: JobResult = {
      id: job.id,
      attempt: job.attempt,
      worker,
      status,
      exitCode: status === 'passed' ? 0 : status === 'failed' ? 1 : null,
      signal: null,
      durationMs: 40,
      startedAt: 2,
      stdout: emptyOutput,
      stderr: emptyOutput,
      ...outcome
    }
    const send = (): void =>
      this.send({ type: 'result', results: this.options.duplicate ? [result, result] : [result] })
    if (this.options.resultDelayMs === undefined) send()
    else setTimeout(send, this.options.resultDelayMs)
  }
}
