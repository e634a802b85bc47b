/**
 * The session hosts `squall session <framework>` can run: one entry per framework with a warm
 * session (see `src/worker/session/host.ts`). Each builds its handler for the suite root.
 */
import { UsageError } from '../errors.js'
import type { SessionHandler } from '../worker/session/host.js'
import { jestSessionHandler } from './jest/session.js'
import { pytestDirectLaunch, pytestSessionHandler } from './pytest/session.js'
import { vitestSessionHandler } from './vitest/session.js'

export const sessionHosts: Readonly<Record<string, (cwd: string) => SessionHandler>> = {
  jest: jestSessionHandler,
  pytest: pytestSessionHandler,
  vitest: vitestSessionHandler
}

/** The host for `name` at `cwd`; a UsageError naming the known ones for any other name. */
export function sessionHostFor(name: string | undefined, cwd: string): SessionHandler {
  const host = name !== undefined ? sessionHosts[name] : undefined
  if (!host) {
    const known = Object.keys(sessionHosts).join(', ')
    throw new UsageError(
      name === undefined
        ? `name the framework of the session: one of ${known}`
        : `no session host for framework '${name}'; expected one of ${known}`
    )
  }
  return host(cwd)
}

/**
 * Sessions a worker starts directly instead of `squall session <framework>`, when the
 * framework's own process speaks the channel: from the session's environment, what to spawn.
 */
export const directSessionLaunchers: Readonly<
  Record<string, (env: NodeJS.ProcessEnv) => { argv: string[]; env: NodeJS.ProcessEnv }>
> = {
  pytest: pytestDirectLaunch
}
