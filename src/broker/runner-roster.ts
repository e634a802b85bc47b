/**
 * Which runners the broker serves and when the pool is over. Two modes:
 *
 * - one runner (declared 0, the default): a single seat, taken by whichever runner connects
 *   while it is free; that runner's `done` ends the run. Job ids pass unchanged.
 * - a shared pool (declared N > 0, the broker action's keep-alive): a seat per runner id, up
 *   to N; a runner's `done` frees nothing but its own seat, and the pool is over once every
 *   declared runner has finished. Each seat's job ids carry its prefix (`r<k>:`) on the
 *   broker's side, so two runners may both submit a job `j1` and each gets its own results.
 *
 * Pure: no links, no timers; the broker keeps those per seat.
 */

/** A runner taken in: its seat key, the prefix of its job ids, whether it is new. */
export interface Seat {
  key: string
  prefix: string
  /** False when the runner came back to a seat it held before (its held messages are owed). */
  fresh: boolean
}

/** Why a runner is refused, as an `error` code and words. */
export interface Refusal {
  code: string
  text: string
}

interface SeatState {
  prefix: string
  connected: boolean
  finished: boolean
}

const SINGLE = 'runner'

export class RunnerRoster {
  private readonly seats = new Map<string, SeatState>()

  /** `declared`: runners that will share the pool; 0 for one runner whose `done` ends the run. */
  constructor(readonly declared: number) {
    if (!Number.isInteger(declared) || declared < 0)
      throw new RangeError(`declared runners must be a whole number >= 0, got ${declared}`)
  }

  get shared(): boolean {
    return this.declared > 0
  }

  /** Takes runner `id` in, or says why not. */
  admit(id: string): Seat | Refusal {
    const key = this.shared ? id : SINGLE
    const seat = this.seats.get(key)
    if (seat?.connected)
      return this.shared
        ? { code: 'runner-busy', text: `runner ${id} is already connected to this cluster` }
        : { code: 'runner-busy', text: 'another runner is already connected to this cluster' }
    if (seat?.finished)
      return { code: 'runner-done', text: `runner ${id} already finished its run in this pool` }
    if (seat) {
      seat.connected = true
      return { key, prefix: seat.prefix, fresh: false }
    }
    if (this.shared && this.seats.size >= this.declared)
      return {
        code: 'pool-full',
        text: `all ${this.declared} declared runner(s) have joined this pool; set the broker's runners input to the number of runner jobs`
      }
    const prefix = this.shared ? `r${this.seats.size + 1}:` : ''
    this.seats.set(key, { prefix, connected: true, finished: false })
    return { key, prefix, fresh: true }
  }

  /** The runner of seat `key` disconnected (it may come back). */
  left(key: string): void {
    const seat = this.seats.get(key)
    if (seat) seat.connected = false
  }

  /** The runner of seat `key` is done (it said so, or it left and did not come back). */
  finish(key: string): void {
    const seat = this.seats.get(key)
    if (seat) seat.finished = true
  }

  isConnected(key: string): boolean {
    return this.seats.get(key)?.connected === true
  }

  isFinished(key: string): boolean {
    return this.seats.get(key)?.finished === true
  }

  /** True once the run is over: the one runner finished, or every declared runner did. */
  get over(): boolean {
    const finished = [...this.seats.values()].filter(s => s.finished).length
    return this.shared ? finished >= this.declared : finished > 0
  }

  /** Runners that finished, out of how many the pool waits for (1 with one runner). */
  progress(): { finished: number; expected: number } {
    const finished = [...this.seats.values()].filter(s => s.finished).length
    return { finished, expected: this.shared ? this.declared : 1 }
  }

  /** A runner's job id as the broker and its workers know it. */
  scope(key: string, jobId: string): string {
    return `${this.seats.get(key)?.prefix ?? ''}${jobId}`
  }

  /** Whose job `scopedId` is, and the id its runner knows; undefined for no seat's. */
  owner(scopedId: string): { key: string; id: string } | undefined {
    if (!this.shared) return this.seats.has(SINGLE) ? { key: SINGLE, id: scopedId } : undefined
    for (const [key, seat] of this.seats)
      if (scopedId.startsWith(seat.prefix)) return { key, id: scopedId.slice(seat.prefix.length) }
    return undefined
  }
}

export function isRefusal<T extends object>(admission: T | Refusal): admission is Refusal {
  return 'code' in admission
}
