/** `squall`: the command-line entry. All logic lives in ./program.ts. */
import { runCli } from './program.js'

process.exitCode = await runCli(process.argv.slice(2))
