/**
 * Artifact names that survive a lost answer. A name can be created once per run, and the
 * upload URL comes only in CreateArtifact's answer: when that answer is lost, the name is
 * taken by an artifact nobody can write or finalize (so nobody lists it). The creator then
 * takes the next number, `<name>.1`, `<name>.2`…, and a reader takes the lowest-numbered
 * finalized one it lists. Streams number their rollover segments the same way.
 */
import type { ArtifactEntry, ResultsClient } from './client.js'
import { AlreadyExistsError } from './errors.js'

/** `name` for 0, else `name.<n>`. */
export function numberedName(name: string, n: number): string {
  return n === 0 ? name : `${name}.${n}`
}

/** n when `candidate` is `numberedName(name, n)`, else undefined. */
export function numberOf(name: string, candidate: string): number | undefined {
  if (candidate === name) return 0
  if (!candidate.startsWith(`${name}.`)) return undefined
  const rest = candidate.slice(name.length + 1)
  return /^[1-9]\d{0,8}$/.test(rest) ? Number(rest) : undefined
}

/** The listed artifact standing for `name`: the lowest-numbered one. */
export function firstNumbered(name: string, entries: ArtifactEntry[]): ArtifactEntry | undefined {
  let best: { entry: ArtifactEntry; n: number } | undefined
  for (const entry of entries) {
    const n = numberOf(name, entry.name)
    if (n !== undefined && (!best || n < best.n)) best = { entry, n }
  }
  return best?.entry
}

/**
 * How many times a creator moves on to another name after a create of its own whose answer
 * was lost (its retry then met a 409). Each move needs one more lost answer in a row: at a
 * lost-answer rate p a creator gives up with chance p^(LOST_CREATE_SKIPS + 1), so 8 keeps even
 * a 6 % rate (the seeded fault tests') under 10⁻¹⁰ per create; a link's up stream, which gave
 * up after three tries, failed one connect in ~4,600 there.
 */
export const LOST_CREATE_SKIPS = 8

/**
 * Creates `numberedName(name, from)`, or the next number when a create of ours whose answer
 * was lost took it; its name, number and upload URL. An AlreadyExistsError that is not ours
 * (no earlier attempt may have landed) is thrown as is.
 */
export async function createNumbered(
  client: ResultsClient,
  name: string,
  from: number,
  options: { mimeType?: string } = {}
): Promise<{ name: string; n: number; uploadUrl: string }> {
  for (let n = from; ; n++) {
    const numbered = numberedName(name, n)
    try {
      return { name: numbered, n, uploadUrl: await client.createArtifact(numbered, options) }
    } catch (error) {
      if (
        !(error instanceof AlreadyExistsError) ||
        !error.maybeApplied ||
        n - from >= LOST_CREATE_SKIPS
      )
        throw error
    }
  }
}

/**
 * The finalized artifact standing for `name`, looked up by exact name first and, only when
 * that finds nothing, among the whole run's artifacts (a renumbered one).
 */
export async function findNumbered(
  client: ResultsClient,
  name: string
): Promise<ArtifactEntry | undefined> {
  const [exact] = await client.listArtifacts({ nameFilter: name })
  return exact ?? firstNumbered(name, await client.listArtifacts())
}
