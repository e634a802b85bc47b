/**
 * The session hosts `squall session <framework>` can run: one entry per framework with a warm
 * session (see `src/worker/session/host.ts`). Each builds its handler for the suite root.
 */
import type { SessionHandler } from '../worker/session/host.js'
import { jestSessionHandler } from './jest/session.js'
import { pytestDirectLaunch, pytestSessionHandler } from './pytest/session.js'
import { vitestSessionHandler } from './vitest/session.js'

export const sessionHosts: Readonly<Record<string, (cwd: string) => SessionHandler>> = {
  jest: jestSessionHandler,
  pytest: pytestSessionHandler,
  vitest: vitestSessionHandler
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
