/** How this CLI starts copies of itself (the local cluster's broker and workers). */
import { fileURLToPath } from 'node:url'

/** `[node, this bundle]`: inside the ncc bundle, import.meta.url is the bundle itself. */
export function selfCommand(): string[] {
  const override = process.env.SQUALL_SELF
  if (override) return [process.execPath, override]
  return [process.execPath, fileURLToPath(import.meta.url)]
}
