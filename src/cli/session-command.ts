/**
 * `squall session <framework>` (hidden): a warm framework session, started by a worker with
 * its control channel on fd 3. Not meant to be run by hand.
 */
import { Command } from 'commander'
import { UsageError } from '../errors.js'
import { sessionHosts } from '../frameworks/session-hosts.js'
import { runSessionHost } from '../worker/session/host.js'

export function sessionCommand(): Command {
  return new Command('session')
    .description('Serve a worker as a warm framework session (internal).')
    .argument('<framework>', Object.keys(sessionHosts).join(', '))
    .action(async (name: string) => {
      const host = sessionHosts[name]
      if (!host) {
        throw new UsageError(
          `no session host for framework '${name}'; expected one of ${Object.keys(sessionHosts).join(', ')}`
        )
      }
      await runSessionHost(host(process.cwd()))
    })
}
