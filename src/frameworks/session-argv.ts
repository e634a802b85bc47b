/**
 * The command that starts a warm session host, `node <squall cli> session <framework> …`, as
 * the runner puts it on jobs. Pure apart from locating the CLI bundle.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The CLI bundle: `$SQUALL_SELF` when set (tests, odd installs), else `dist/cli/index.js` next
 * to the bundle this code runs in (every entry is `dist/<name>/index.js`), else the repository's
 * own dist/ when running from source.
 */
export function squallCliPath(): string {
  const override = process.env.SQUALL_SELF
  if (override) return override
  const here = dirname(fileURLToPath(import.meta.url))
  const sibling = join(here, '..', 'cli', 'index.js')
  return existsSync(sibling) ? sibling : join(here, '..', '..', 'dist', 'cli', 'index.js')
}

/** `[node, cli, 'session', framework]`; the host runs in the job's working directory. */
export function sessionHostArgv(framework: string): string[] {
  return [process.execPath, squallCliPath(), 'session', framework]
}

/**
 * A session key: jobs whose key matches may share one session process, so it covers what
 * makes two sessions differ (framework, how it starts, where).
 */
export function sessionKey(framework: string, parts: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16)
  return `${framework}-${digest}`
}
