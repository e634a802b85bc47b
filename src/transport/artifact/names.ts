/**
 * Artifact names of a cluster. Every name carries the cluster id (run attempt included), so
 * two clusters can share a run. A stream is a chain of segments: `<stream>`, `<stream>.1`, …
 */
import { numberOf, numberedName } from '../../results-store/index.js'

const prefix = 'squall'
/** Ids we generate and accept: short, lowercase, no separators the names rely on. */
const idPattern = /^[a-z0-9][a-z0-9_]*$/i

/** The artifact whose presence says a broker accepts links for this cluster. */
export function listenName(clusterId: string): string {
  return `${prefix}-${clusterId}-listen`
}

/** The marker a broker leaves when the cluster is over. */
export function closedName(clusterId: string): string {
  return `${prefix}-${clusterId}-closed`
}

/** Client → broker stream of link `linkId`. */
export function upName(clusterId: string, linkId: string): string {
  return `${prefix}-${clusterId}-${linkId}-up`
}

/** Broker → client stream of link `linkId`. */
export function downName(clusterId: string, linkId: string): string {
  return `${prefix}-${clusterId}-${linkId}-down`
}

/** The name of segment `index` of a stream (0 is the stream's own name). */
export function segmentName(stream: string, index: number): string {
  return numberedName(stream, index)
}

/** The link id of a first `-up` segment of this cluster, else undefined. */
export function linkIdOfUp(clusterId: string, name: string): string | undefined {
  const head = `${prefix}-${clusterId}-`
  if (!name.startsWith(head) || !name.endsWith('-up')) return undefined
  const id = name.slice(head.length, -'-up'.length)
  return idPattern.test(id) ? id : undefined
}

/** Whether `id` is a link id we generate (so names parse back unambiguously). */
export function isLinkId(id: string): boolean {
  return idPattern.test(id)
}

/**
 * Whether `name` is the listen artifact or a stream segment of this cluster (not its closed
 * marker): what the broker deletes when the cluster ends. Link ids hold no `-`, so a cluster
 * whose id extends this one's (`a` and `a-b`) is never taken for it.
 */
export function isStreamOrListen(clusterId: string, name: string): boolean {
  // The listen marker may have been renumbered after a lost answer (see numbered-names).
  if (numberOf(listenName(clusterId), name) !== undefined) return true
  const head = `${prefix}-${clusterId}-`
  if (!name.startsWith(head)) return false
  const match = /^(.+)-(up|down)(\.\d+)?$/.exec(name.slice(head.length))
  return match !== null && idPattern.test(match[1] as string)
}
