/** Shared setup of the artifact transport tests: an emulator, clients per job, quick policies. */
import { ResultsClient, type CallRetryPolicy } from '../../../src/results-store/index.js'
import { startEmulator, type Emulator, type EmulatorOptions } from '../../../src/emulator/index.js'
import type { Message } from '../../../src/protocol/messages.js'
import type { Link } from '../../../src/transport/link.js'

/** Retries quick enough for tests, with a budget that still outlasts injected faults. */
export const quickRetry: CallRetryPolicy = {
  attempts: 12,
  minDelayMs: 10,
  maxDelayMs: 200,
  factor: 2,
  budgetMs: 15_000,
  timeoutMs: 5_000
}

/** Starts an emulator with `jobs` jobs. */
export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ jobs: 2, ...options })
}

/** A results client for job `index` of the emulated run. */
export function clientFor(emu: Emulator, index: number): ResultsClient {
  const job = emu.jobs[index] ?? emu.mintJob()
  return ResultsClient.fromEnv(job.env, { retry: quickRetry })
}

/** A heartbeat message numbered `n` (a small valid message that carries order). */
export function numbered(n: number): Message {
  return { type: 'heartbeat', at: n }
}

/** Collects a link's messages; `until(n)` resolves once n have arrived. */
export function collect(link: Link): { messages: Message[]; until(n: number): Promise<Message[]> } {
  const messages: Message[] = []
  const waiters: Array<{ n: number; resolve: (m: Message[]) => void; reject: (e: Error) => void }> =
    []
  // A link that ends before enough messages came fails the wait at once, with its reason.
  link.onClose(error => {
    for (const w of waiters.splice(0)) {
      w.reject(
        new Error(
          `link closed after ${messages.length} of ${w.n} messages: ${error?.message ?? 'clean close'}`
        )
      )
    }
  })
  link.onMessage(message => {
    messages.push(message)
    for (const w of [...waiters]) {
      if (messages.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(messages)
      }
    }
  })
  return {
    messages,
    until: n =>
      new Promise((resolve, reject) => {
        if (messages.length >= n) resolve(messages)
        else waiters.push({ n, resolve, reject })
      })
  }
}

/** Resolves with the link's close error (undefined for a clean close). */
export function closed(link: Link): Promise<Error | undefined> {
  return new Promise(resolve => link.onClose(error => resolve(error)))
}

/** The `at` numbers of heartbeat messages. */
export function numbers(messages: Message[]): number[] {
  return messages.map(m => (m.type === 'heartbeat' ? m.at : -1))
}
