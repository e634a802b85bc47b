/** Builds the `squall` command tree and maps every failure to one exit code. */
import { Command, CommanderError } from 'commander'
import { ExitCode, UsageError, errorMessage, exitCodeFor } from '../errors.js'
import { brokerCommand } from './broker-command.js'
import { emulatorCommand } from './emulator-command.js'
import { planWorkersCommand } from './plan-workers-command.js'
import { runCommand } from './run-command.js'
import { sessionCommand } from './session-command.js'
import { workerCommand } from './worker-command.js'

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  let code: number = ExitCode.ok
  const program = new Command('squall')
    .description('Run a test suite on a cluster: locally over TCP, or across GitHub Actions jobs.')
    .showHelpAfterError()
    .exitOverride()
  for (const make of [
    runCommand,
    brokerCommand,
    workerCommand,
    emulatorCommand,
    planWorkersCommand
  ]) {
    program.addCommand(
      make(result => {
        code = result
      }).exitOverride()
    )
  }
  // Started by workers only, so it stays out of the help.
  program.addCommand(sessionCommand().exitOverride(), { hidden: true })
  try {
    await program.parseAsync(argv, { from: 'user' })
    return code
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0; the rest are usage errors.
      if (error.exitCode === 0) return ExitCode.ok
      return exitCodeFor({ kind: 'error', error: new UsageError(error.message) })
    }
    process.stderr.write(`squall: ${errorMessage(error)}\n`)
    return exitCodeFor({ kind: 'error', error })
  }
}
