/**
 * `squall emulator`: the results-service emulator with Azurite behind it, for experiments:
 * prints the environment each job needs, then serves until interrupted.
 */
import { Command } from 'commander'
import { emulatorEnv, startEmulator } from '../emulator/index.js'
import { ExitCode } from '../errors.js'
import { positiveInt } from './parse.js'

interface EmulatorFlags {
  jobs: number
  json: boolean
}

export function emulatorCommand(setExit: (code: number) => void): Command {
  return new Command('emulator')
    .description(
      "Start the results-service emulator (and Azurite) and print each job's environment."
    )
    .option('--jobs <n>', 'how many job tokens to mint', positiveInt('--jobs'), 2)
    .option('--json', 'print the environments as one JSON object', false)
    .action(async (flags: EmulatorFlags) => {
      setExit(await serve(flags))
    })
}

async function serve(flags: EmulatorFlags): Promise<number> {
  const emulator = await startEmulator({ jobs: flags.jobs })
  const envs = emulator.jobs.map((_, i) => emulatorEnv(emulator, i))
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ resultsUrl: emulator.resultsUrl, jobs: envs })}\n`)
  } else {
    process.stdout.write(
      `# results service at ${emulator.resultsUrl} (blobs at ${emulator.blobEndpoint})\n`
    )
    envs.forEach((env, i) => {
      process.stdout.write(`\n# job ${i}\n`)
      for (const [k, v] of Object.entries(env)) process.stdout.write(`export ${k}='${v}'\n`)
    })
    process.stdout.write('\n# Ctrl-C stops the emulator and Azurite.\n')
  }
  await new Promise<void>(resolve => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
  await emulator.stop()
  return ExitCode.ok
}
