/**
 * The Transport over the run's artifact store. Addresses are cluster ids. A worker job creates
 * only its `<id>-up` stream (and its rollover segments); the coordinator creates `listen`, one
 * `<id>-down` per link and the `closed` marker: far under the 500 artifacts a job may create.
 * Every link is encrypted end to end (link-crypto.ts). The broker's side deletes a link's
 * streams when the link is over, and the rest of the cluster's when its listener closes: only
 * the empty `closed` marker stays, for workers that come late.
 */
import { randomBytes } from 'node:crypto'
import { ClusterError, UsageError } from '../../errors.js'
import {
  AlreadyExistsError,
  BlobHttp,
  LOST_CREATE_SKIPS,
  defaultCallRetryPolicy,
  firstNumbered,
  type ArtifactEntry,
  type CallRetryPolicy,
  type ResultsClient
} from '../../results-store/index.js'
import type { Log } from '../../log.js'
import type { Link, Listener, Transport } from '../link.js'
import { ArtifactLink } from './artifact-link.js'
import { ArtifactListener } from './artifact-listener.js'
import {
  createAppendArtifact,
  deleteArtifacts,
  isSegmentOf,
  type StoreContext
} from './artifacts.js'
import { ClusterClosedError, NoBrokerError } from './errors.js'
import { checkClusterId } from '../../protocol/cluster-id.js'
import { LinkKeys } from './link-crypto.js'
import { closedName, downName, isStreamOrListen, listenName, upName } from './names.js'
import { sharedPoller, type PollIntervals, type PollOutcome, type Poller } from './poller.js'
import { StreamWriter, type StreamWriterOptions } from './stream-writer.js'

/**
 * The default pace (ms). An idle link costs each reader's polls at the cap, the listener's
 * ListArtifacts at its cap and the heartbeats (or, without them, keepalives): about 45
 * requests a minute with the broker's default heartbeat, both ends and the listener together.
 */
export const defaultPace = {
  pollMinMs: 75,
  pollMaxMs: 5000,
  keepaliveMs: 20_000,
  silenceLimitMs: 60_000
} as const

/** Options of an ArtifactTransport. Times in milliseconds. */
export interface ArtifactTransportOptions {
  client: ResultsClient
  /** The process's poller; the shared one by default. */
  poller?: Poller
  log?: Log
  /** A keepalive frame after this long without writing (default 20 s). */
  keepaliveMs?: number
  /** A peer stream silent this long fails its link (default 60 s; must pass keepalive + poll cap). */
  silenceLimitMs?: number
  /** Poll interval right after data (default: the poller's, 75). */
  pollMinMs?: number
  /** Poll interval cap of a link's reader when idle (default: the poller's, 5000). */
  pollMaxMs?: number
  /** Poll interval cap of the listener's ListArtifacts when no peer comes (default 2 × pollMaxMs). */
  listenMaxMs?: number
  /** After its shutdown, how long the broker's side waits for the peer's (default 3 × pollMaxMs). */
  lingerMs?: number
  /** connect's wait for the listener and its answer when the caller gives none (default 10 min). */
  connectTimeoutMs?: number
  /** Appends per segment before rollover (default 40,000; tests make it tiny). */
  maxAppendsPerSegment?: number
  /** Retry policy of blob writes. */
  blobRetry?: Partial<CallRetryPolicy>
}

/** Request counts and artifacts created, for the JSON summary. */
export interface ArtifactTransportStats {
  /** Twirp methods by name, blob operations as `blob:<Operation>`. */
  requests: Record<string, number>
  artifactsCreated: number
}

/** Links between jobs of one run through append-blob artifacts. */
export class ArtifactTransport implements Transport {
  readonly name = 'artifact'
  private readonly ctx: StoreContext
  private readonly poller: Poller
  private readonly intervals: PollIntervals
  private readonly listenIntervals: PollIntervals
  private readonly lingerMs: number
  /** Streams of links open now, which the listener's clean-up leaves alone. */
  private readonly liveStreams = new Set<string>()
  private readonly keepaliveMs: number
  private readonly silenceLimitMs: number
  private readonly connectTimeoutMs: number
  private readonly maxAppends?: number
  private readonly log?: Log
  private readonly blob = new BlobHttp()
  private created = 0

  constructor(options: ArtifactTransportOptions) {
    this.poller = options.poller ?? sharedPoller()
    const minMs = options.pollMinMs ?? this.poller.defaults.minMs
    this.intervals = {
      minMs,
      maxMs: Math.max(minMs, options.pollMaxMs ?? this.poller.defaults.maxMs)
    }
    this.listenIntervals = { minMs, maxMs: options.listenMaxMs ?? 2 * this.intervals.maxMs }
    this.lingerMs = options.lingerMs ?? 3 * this.intervals.maxMs
    this.keepaliveMs = options.keepaliveMs ?? defaultPace.keepaliveMs
    this.silenceLimitMs = options.silenceLimitMs ?? defaultPace.silenceLimitMs
    if (this.silenceLimitMs <= this.keepaliveMs + this.intervals.maxMs) {
      throw new UsageError(
        `silence limit ${this.silenceLimitMs} ms must exceed keepalive ${this.keepaliveMs} ms plus the poll cap ${this.intervals.maxMs} ms, or quiet links would fail`
      )
    }
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10 * 60_000
    this.maxAppends = options.maxAppendsPerSegment
    this.log = options.log
    this.ctx = {
      client: options.client,
      blob: this.blob,
      blobRetry: { ...defaultCallRetryPolicy, ...options.blobRetry },
      onCreated: () => {
        this.created++
      }
    }
  }

  /** Starts accepting links of cluster `clusterId` (a random id when absent). */
  async listen(clusterId: string = randomBytes(6).toString('hex')): Promise<Listener> {
    checkClusterId(clusterId)
    await createAppendArtifact(this.ctx, listenName(clusterId), { renumber: true })
    return new ArtifactListener({
      clusterId,
      ctx: this.ctx,
      poller: this.poller,
      intervals: this.listenIntervals,
      log: this.log,
      accept: (linkId, up) => this.link(`artifact:${linkId}`, downName(clusterId, linkId), up),
      // Everything of the cluster but the closed marker and the streams of links still open.
      sweep: () =>
        deleteArtifacts(
          this.ctx,
          name =>
            isStreamOrListen(clusterId, name) &&
            ![...this.liveStreams].some(stream => isSegmentOf(stream, name))
        )
    })
  }

  /**
   * Joins cluster `clusterId`: waits for its listener, opens `<id>-up`, waits for the answer
   * `<id>-down`. ClusterClosedError at once when the cluster has ended; NoBrokerError when no
   * listener appears within `timeoutMs`; ClusterError when the broker does not answer in time.
   */
  async connect(clusterId: string, options: { timeoutMs?: number } = {}): Promise<Link> {
    checkClusterId(clusterId)
    const waitMs = options.timeoutMs ?? this.connectTimeoutMs
    const deadline = Date.now() + waitMs
    await this.waitFor(
      clusterId,
      deadline,
      all => firstNumbered(listenName(clusterId), all),
      () => new NoBrokerError(clusterId, waitMs)
    )
    const keys = new LinkKeys()
    const writerSlot = this.writerSlot(keys)
    const { linkId, writer } = await this.openUp(clusterId, writerSlot.options)
    let down: ArtifactEntry
    try {
      down = await this.waitFor(
        clusterId,
        deadline,
        all => firstNumbered(downName(clusterId, linkId), all),
        () =>
          new ClusterError(
            `the broker of cluster ${clusterId} did not answer link ${linkId} by the connect deadline`
          )
      )
    } catch (error) {
      writer.stop()
      throw error
    }
    return writerSlot.bind(
      new ArtifactLink({
        peer: `artifact:${linkId}`,
        ctx: this.ctx,
        poller: this.poller,
        intervals: this.intervals,
        writer,
        inbound: {
          stream: downName(clusterId, linkId),
          segment: down.name,
          jobBackendId: down.workflowJobRunBackendId
        },
        silenceLimitMs: this.silenceLimitMs,
        keys,
        streams: { up: upName(clusterId, linkId), down: downName(clusterId, linkId) },
        ours: 'up',
        lingerMs: this.lingerMs,
        log: this.log
      })
    )
  }

  /**
   * Creates `<id>-up` under a fresh id. A 409 means a create of ours whose answer was lost
   * (the artifact was never finalized, so no broker sees it): take another id.
   */
  private async openUp(
    clusterId: string,
    options: StreamWriterOptions
  ): Promise<{ linkId: string; writer: StreamWriter }> {
    for (let skips = 0; ; skips++) {
      const linkId = randomBytes(5).toString('hex')
      try {
        return {
          linkId,
          writer: await StreamWriter.create(this.ctx, upName(clusterId, linkId), options)
        }
      } catch (error) {
        if (!(error instanceof AlreadyExistsError) || skips >= LOST_CREATE_SKIPS) throw error
      }
    }
  }

  /** Requests sent by this transport's client and blob calls, and artifacts it created. */
  stats(): ArtifactTransportStats {
    return {
      requests: { ...this.ctx.client.requestCounts(), ...this.blob.requestCounts() },
      artifactsCreated: this.created
    }
  }

  /** The broker's side of a link: our `down` stream out, the discovered `up` stream in. */
  private async link(peer: string, out: string, up: ArtifactEntry): Promise<Link> {
    const keys = new LinkKeys()
    const slot = this.writerSlot(keys)
    // A lost answer may renumber the down stream: the peer reads from the first one it lists.
    const writer = await StreamWriter.create(this.ctx, out, {
      ...slot.options,
      renumberFirst: true
    })
    const streams = [up.name, out]
    for (const stream of streams) this.liveStreams.add(stream)
    return slot.bind(
      new ArtifactLink({
        peer,
        ctx: this.ctx,
        poller: this.poller,
        intervals: this.intervals,
        writer,
        inbound: { stream: up.name, jobBackendId: up.workflowJobRunBackendId },
        silenceLimitMs: this.silenceLimitMs,
        keys,
        streams: { up: up.name, down: out },
        ours: 'down',
        lingerMs: this.lingerMs,
        cleanup: async () => {
          try {
            await deleteArtifacts(this.ctx, name => streams.some(s => isSegmentOf(s, name)))
          } finally {
            for (const stream of streams) this.liveStreams.delete(stream)
          }
        },
        log: this.log
      })
    )
  }

  /** Writer options whose onError reaches the link built after the writer. */
  private writerSlot(keys: LinkKeys): {
    options: StreamWriterOptions
    bind: (link: ArtifactLink) => ArtifactLink
  } {
    let link: ArtifactLink | undefined
    let early: Error | undefined
    return {
      options: {
        keepaliveMs: this.keepaliveMs,
        maxAppends: this.maxAppends,
        keyFrame: keys.keyFrame(),
        onError: error => {
          if (link) link.fail(error)
          else early ??= error
        }
      },
      bind: made => {
        link = made
        if (early) made.fail(early)
        return made
      }
    }
  }

  /**
   * Lists the run's artifacts at the adaptive pace until `pick` finds one. ClusterClosedError
   * as soon as the closed marker shows; at the deadline `timeout()`'s error, or a ClusterError
   * naming the service's last failure when listing itself kept failing.
   */
  private waitFor(
    clusterId: string,
    deadline: number,
    pick: (all: ArtifactEntry[]) => ArtifactEntry | undefined,
    timeout: () => Error
  ): Promise<ArtifactEntry> {
    return new Promise((resolve, reject) => {
      let lastProblem: string | undefined
      const poll = async (): Promise<PollOutcome> => {
        try {
          const all = await this.ctx.client.listArtifacts()
          lastProblem = undefined
          if (firstNumbered(closedName(clusterId), all)) {
            reject(new ClusterClosedError(clusterId))
            return 'done'
          }
          const found = pick(all)
          if (found) {
            resolve(found)
            return 'done'
          }
        } catch (error) {
          lastProblem = (error as Error).message
        }
        if (Date.now() < deadline) return 'idle'
        const fault = timeout()
        reject(
          lastProblem === undefined
            ? fault
            : new ClusterError(`${fault.message}; listing artifacts failed: ${lastProblem}`, {
                cause: fault
              })
        )
        return 'done'
      }
      this.poller.add({ poll }, this.intervals)
    })
  }
}
