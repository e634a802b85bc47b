/** The key of a warm session: jobs whose keys match may share one session process. Pure. */
import { createHash } from 'node:crypto'

/** `<framework>-<digest of what makes two sessions differ>` (how it starts, options, root). */
export function sessionKey(framework: string, parts: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16)
  return `${framework}-${digest}`
}
