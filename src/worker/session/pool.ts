/**
 * A worker's warm sessions: at most `capacity` (its slots) alive, each running one job at a
 * time. A job takes an idle session of its key, or one already starting for it (`prewarm`),
 * or starts one, evicting an idle session of another key when the pool is full. Dead sessions
 * and sessions over the memory bound leave.
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
  /**
   * For a session started ahead of the job (`prewarm`): how long the job waited for it, ms —
   * the part of the start-up the job paid; the rest overlapped the run's listing.
   */
  waitedMs?: number
}

/** A session started before any job asked for it. */
interface Warming {
  key: string
  made: Promise<Session | SessionStartFailure>
  /** Taken by a job (or given up): the start no longer lands in `idle`. */
  claimed: boolean
  /** Kills it while it is still starting, when it is given up. */
  stop: AbortController
}

export class SessionPool {
  private readonly idle: Session[] = []
  private readonly busy = new Set<Session>()
  private starting = 0
  private readonly warming: Warming[] = []
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
    const warm = this.warming.find(w => w.key === launch.key && !w.claimed)
    if (warm) return this.claim(warm)
    this.dropDeadIdle()
    // Full: the least recently used idle session of another key makes room, else one
    // starting ahead for another key.
    if (this.size >= this.options.capacity) {
      const evicted = this.idle.shift()
      if (evicted) void evicted.close(this.options.killGraceMs)
      else void this.giveUp(this.warming.find(w => !w.claimed))
    }
    const made = await this.start(launch, outputCapBytes)
    if (!(made instanceof Session)) return made
    if (this.closed) {
      made.kill()
      return { error: 'the worker is shutting down', stdout: emptyText, stderr: emptyText }
    }
    this.busy.add(made)
    return { session: made, started: true }
  }

  /**
   * Starts sessions of `launch` ahead of any job, up to the free capacity (at most `count`),
   * so their start-up overlaps the run's listing and planning. A job of the same key takes
   * one as it comes; a start that fails is forgotten (the job that needs it starts its own and
   * reports why that failed). Returns how each start ended (a session or why it failed).
   */
  prewarm(
    launch: SessionLaunch,
    outputCapBytes: number,
    count = this.options.capacity
  ): Promise<Session | SessionStartFailure>[] {
    const starts: Promise<Session | SessionStartFailure>[] = []
    for (let i = 0; i < count && !this.closed && this.size < this.options.capacity; i++) {
      const stop = new AbortController()
      const made = this.start(launch, outputCapBytes, stop.signal)
      const warm: Warming = { key: launch.key, made, claimed: false, stop }
      this.warming.push(warm)
      starts.push(made)
      void warm.made.then(made => {
        if (warm.claimed) return
        this.unlist(warm)
        if (!(made instanceof Session)) return
        if (this.closed) made.kill()
        else this.idle.push(made)
      })
    }
    return starts
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
    const warming = [...this.warming].map(warm => this.giveUp(warm))
    const all = [...this.idle.splice(0), ...this.busy]
    this.busy.clear()
    await Promise.all([...warming, ...all.map(s => s.close(this.options.killGraceMs))])
  }

  private async start(
    launch: SessionLaunch,
    outputCapBytes: number,
    stop?: AbortSignal
  ): Promise<Session | SessionStartFailure> {
    this.starting++
    this.started++
    try {
      return await Session.start(
        launch,
        this.options.startTimeoutMs ?? DEFAULT_SESSION_START_MS,
        outputCapBytes,
        stop
      )
    } finally {
      this.starting--
    }
  }

  /** Takes a session starting ahead for this job: it pays only what is left of the start. */
  private async claim(warm: Warming): Promise<Acquired | SessionStartFailure> {
    warm.claimed = true
    this.unlist(warm)
    const began = performance.now()
    const made = await warm.made
    if (!(made instanceof Session)) return made
    if (this.closed) {
      made.kill()
      return { error: 'the worker is shutting down', stdout: emptyText, stderr: emptyText }
    }
    this.busy.add(made)
    return { session: made, started: true, waitedMs: Math.round(performance.now() - began) }
  }

  /** Drops a session starting ahead: killed if still starting, else closed. */
  private async giveUp(warm: Warming | undefined): Promise<void> {
    if (!warm) return
    warm.claimed = true
    this.unlist(warm)
    warm.stop.abort()
    const made = await warm.made
    if (made instanceof Session) await made.close(this.options.killGraceMs)
  }

  private unlist(warm: Warming): void {
    const at = this.warming.indexOf(warm)
    if (at >= 0) this.warming.splice(at, 1)
  }

  private dropDeadIdle(): void {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      if ((this.idle[i] as Session).dead) this.idle.splice(i, 1)
    }
  }
}

const emptyText = { text: '', truncatedBytes: 0 }
