/**
 * `squall session <framework>` (hidden): a warm framework session, started by a worker with
 * its control channel on fd 3. Not meant to be run by hand. Workers start the smaller
 * session bundle (./session-main.ts) when it is beside the CLI; this is the same host.
 */
import { Command } from 'commander'
import { sessionHostFor, sessionHosts } from '../frameworks/session-hosts.js'
import { runSessionHost } from '../worker/session/host.js'

export function sessionCommand(): Command {
  return new Command('session')
    .description('Serve a worker as a warm framework session (internal).')
    .argument('<framework>', Object.keys(sessionHosts).join(', '))
    .action(async (name: string) => {
      await runSessionHost(sessionHostFor(name, process.cwd()))
    })
}
