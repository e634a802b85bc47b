/** `squall`: the command-line entry. All logic lives in ./program.ts. */
import { runCli } from './program.js'
import { trace } from '../trace.js'

trace('cli loaded')

// A reader of our output that went away (a closed pipe, a parent that died) must not crash us
// with EPIPE in the middle of stopping jobs: what we would have printed has nowhere to go.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined)

process.exitCode = await runCli(process.argv.slice(2))
trace('cli done')
