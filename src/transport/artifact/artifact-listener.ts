/**
 * The broker's side of the artifact transport: a `listen` artifact says it accepts links; a
 * watcher lists the run's artifacts (adaptive pace) for new `<id>-up` streams and accepts each
 * by creating its `<id>-down` stream. Closing leaves the `closed` marker (empty: its name is
 * the whole message, so it can tell a reader of the run's artifacts nothing), then deletes what
 * else of the cluster is left in the store.
 */
import { AlreadyExistsError, type ArtifactEntry } from '../../results-store/index.js'
import type { Log } from '../../log.js'
import type { Link, LinkHandler, Listener } from '../link.js'
import { createAppendArtifact, type StoreContext } from './artifacts.js'
import { closedName, linkIdOfUp } from './names.js'
import type { PollHandle, PollIntervals, PollOutcome, Poller } from './poller.js'

/** How a listener turns a discovered `-up` stream into a Link. */
export type AcceptLink = (linkId: string, up: ArtifactEntry) => Promise<Link>

/** What an ArtifactListener needs. */
export interface ArtifactListenerOptions {
  clusterId: string
  ctx: StoreContext
  poller: Poller
  intervals: PollIntervals
  accept: AcceptLink
  /** Deletes the cluster's artifacts no open link needs, once the marker is there. */
  sweep?: () => Promise<unknown>
  log?: Log
}

/** Accepts links of one cluster. */
export class ArtifactListener implements Listener {
  readonly address: string
  private readonly seen = new Set<string>()
  private readonly handle: PollHandle
  private handler?: LinkHandler
  private held: Link[] = []
  private closing?: Promise<void>

  constructor(private readonly options: ArtifactListenerOptions) {
    this.address = options.clusterId
    this.handle = options.poller.add({ poll: () => this.discover() }, options.intervals)
  }

  onLink(handler: LinkHandler): void {
    this.handler = handler
    const held = this.held
    this.held = []
    for (const link of held) handler(link)
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.handle.remove()
      const name = closedName(this.options.clusterId)
      try {
        // A lost answer renumbers the marker; watchers look for the first numbered one.
        await createAppendArtifact(this.options.ctx, name, { renumber: true })
      } catch (error) {
        // Already closed by an earlier attempt of ours: the marker is there, which is the point.
        if (!(error instanceof AlreadyExistsError)) throw error
      }
      try {
        await this.options.sweep?.()
      } catch (error) {
        this.options.log?.(
          'warning',
          `could not delete the artifacts of cluster ${this.options.clusterId}: ${(error as Error).message}`
        )
      }
    })()
    return this.closing
  }

  private async discover(): Promise<PollOutcome> {
    if (this.closing) return 'done'
    let entries: ArtifactEntry[]
    try {
      entries = await this.options.ctx.client.listArtifacts()
    } catch (error) {
      this.options.log?.(
        'warning',
        `listing artifacts for new links failed: ${(error as Error).message}`
      )
      return 'idle'
    }
    if (this.closing) return 'done'
    let found = false
    for (const entry of entries) {
      const linkId = linkIdOfUp(this.options.clusterId, entry.name)
      if (linkId === undefined || this.seen.has(linkId)) continue
      this.seen.add(linkId)
      found = true
      await this.acceptOne(linkId, entry)
    }
    return found ? 'active' : 'idle'
  }

  private async acceptOne(linkId: string, entry: ArtifactEntry): Promise<void> {
    try {
      const link = await this.options.accept(linkId, entry)
      if (this.handler) this.handler(link)
      else this.held.push(link)
    } catch (error) {
      // One peer we cannot answer must not stop the others.
      this.options.log?.('error', `could not accept link ${linkId}: ${(error as Error).message}`)
    }
  }
}
