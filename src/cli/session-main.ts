/**
 * `node dist/session/index.js <framework>`: a warm framework session and nothing else, the
 * bundle a worker starts for `squall session <framework>` (worker/session/session.ts). It
 * holds the session host and the framework handlers only, so a session's start, on the
 * critical path of every run, does not load the whole CLI first.
 */
import { errorMessage, exitCodeFor } from '../errors.js'
import { sessionHostFor } from '../frameworks/session-hosts.js'
import { trace } from '../trace.js'
import { runSessionHost } from '../worker/session/host.js'

trace('cli loaded')

try {
  await runSessionHost(sessionHostFor(process.argv[2], process.cwd()))
} catch (error) {
  process.stderr.write(`squall session: ${errorMessage(error)}\n`)
  process.exitCode = exitCodeFor({ kind: 'error', error })
}
