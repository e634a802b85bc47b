/**
 * A worker's warm sessions: at most `capacity` (its slots) alive, each running one job at a
 * time. A job takes an idle session of its key, or starts one, evicting an idle session of
 * another key when the pool is full. Dead sessions and sessions over the memory bound leave.
 */
import { Session, type SessionLaunch, type SessionStartFailure } from './session.js'

/** Past this resident size after a job, a session is retired (a fresh one starts next time). */
export const DEFAULT_SESSION_MEMORY_BYTES = 1536 * 1024 * 1024

/** How long a session may take to load and say `ready`. */
export const DEFAULT_SESSION_START_MS = 120_000

export interface SessionPoolOptions {
  /** Sessions alive at once: the worker's slots. */
  capacity: number
  /** Between `exit` (or SIGTERM) and SIGKILL. */
  killGraceMs: number
  memoryBytes?: number
  startTimeoutMs?: number
}

/** A session taken for one job, and whether it was started for it. */
export interface Acquired {
  session: Session
  started: boolean
}

export class SessionPool {
  private readonly idle: Session[] = []
  private readonly busy = new Set<Session>()
  private starting = 0
  private closed = false
  /** Sessions started so far (successfully or not): start-ups paid. */
  started = 0

  constructor(private readonly options: SessionPoolOptions) {}

  /** Sessions alive (idle, busy or starting). */
  get size(): number {
    return this.idle.length + this.busy.size + this.starting
  }

  /** Pids of the live sessions (idle and busy), for diagnostics and tests. */
  pids(): number[] {
    return [...this.idle, ...this.busy].map(s => s.pid)
  }

  /** A session for `launch.key`, started if need be; a failed start is returned, not thrown. */
  async acquire(
    launch: SessionLaunch,
    outputCapBytes: number
  ): Promise<Acquired | SessionStartFailure> {
    if (this.closed) {
      return { error: 'the worker is shutting down', stdout: emptyText, stderr: emptyText }
    }
    const index = this.idle.findIndex(s => s.key === launch.key && !s.dead)
    if (index >= 0) {
      const session = this.idle.splice(index, 1)[0] as Session
      this.busy.add(session)
      return { session, started: false }
    }
    this.dropDeadIdle()
    // Full: the least recently used idle session of another key makes room.
    if (this.size >= this.options.capacity) {
      const evicted = this.idle.shift()
      if (evicted) void evicted.close(this.options.killGraceMs)
    }
    this.starting++
    this.started++
    let made: Session | SessionStartFailure
    try {
      made = await Session.start(
        launch,
        this.options.startTimeoutMs ?? DEFAULT_SESSION_START_MS,
        outputCapBytes
      )
    } finally {
      this.starting--
    }
    if (!(made instanceof Session)) return made
    if (this.closed) {
      made.kill()
      return { error: 'the worker is shutting down', stdout: emptyText, stderr: emptyText }
    }
    this.busy.add(made)
    return { session: made, started: true }
  }

  /**
   * Gives a session back after a job: kept idle when alive and within the memory bound,
   * otherwise closed (a dead one is only forgotten; its group is already killed).
   */
  release(session: Session, rssBytes?: number): void {
    this.busy.delete(session)
    const bound = this.options.memoryBytes ?? DEFAULT_SESSION_MEMORY_BYTES
    if (session.dead) {
      session.kill()
      return
    }
    if (this.closed || (rssBytes !== undefined && rssBytes > bound)) {
      void session.close(this.options.killGraceMs)
      return
    }
    this.idle.push(session)
  }

  /** Ends every session: `exit`, then SIGKILL to the group after the grace. */
  async close(): Promise<void> {
    this.closed = true
    const all = [...this.idle.splice(0), ...this.busy]
    this.busy.clear()
    await Promise.all(all.map(s => s.close(this.options.killGraceMs)))
  }

  private dropDeadIdle(): void {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      if ((this.idle[i] as Session).dead) this.idle.splice(i, 1)
    }
  }
}

const emptyText = { text: '', truncatedBytes: 0 }
