/**
 * `squall emulator`: the results-service emulator with Azurite behind it, for experiments:
 * prints the environment each job needs (and the faults it injects, seed included, so a run
 * can be repeated), then serves until interrupted.
 */
import { randomInt } from 'node:crypto'
import { Command } from 'commander'
import { formatFaultSpec, parseFaultSpec } from '../emulator/fault-spec.js'
import type { FaultOptions } from '../emulator/index.js'
import { ExitCode, UsageError } from '../errors.js'
import { nonNegativeInt, positiveInt } from './parse.js'

interface EmulatorFlags {
  jobs: number
  json: boolean
  faults?: string
  seed?: number
}

/** The faults asked for; a seed is drawn (and printed) when none is given. */
export function faultsOf(flags: { faults?: string; seed?: number }): FaultOptions | undefined {
  if (flags.faults === undefined) {
    if (flags.seed !== undefined) {
      throw new UsageError(`--seed: '${flags.seed}' seeds injected faults; give --faults too`)
    }
    return undefined
  }
  return parseFaultSpec('--faults', flags.faults, flags.seed ?? randomInt(2 ** 31))
}

export function emulatorCommand(setExit: (code: number) => void): Command {
  return new Command('emulator')
    .description(
      "Start the results-service emulator (and Azurite) and print each job's environment."
    )
    .option('--jobs <n>', 'how many job tokens to mint', positiveInt('--jobs'), 2)
    .option('--json', 'print the environments as one JSON object', false)
    .option(
      '--faults <spec>',
      'inject faults, e.g. latency=20ms,429=0.05,500=0.05,drop=0.02,lost=0.05,blob,methods=CreateArtifact+AppendBlock ' +
        '(lost: the request is applied, then its answer is lost; blob: blob requests too)'
    )
    .option(
      '--seed <n>',
      'seed of the injected faults (default: a random one, printed)',
      nonNegativeInt('--seed')
    )
    .action(async (flags: EmulatorFlags) => {
      setExit(await serve(flags))
    })
}

async function serve(flags: EmulatorFlags): Promise<number> {
  const faults = faultsOf(flags)
  // Loaded on use: the emulator brings the Azure SDK, which every other command would pay
  // for at start (the CLI starts once per broker and worker too).
  const { emulatorEnv, startEmulator } = await import('../emulator/index.js')
  const emulator = await startEmulator({ jobs: flags.jobs, faults })
  const envs = emulator.jobs.map((_, i) => emulatorEnv(emulator, i))
  const replay = faults && { spec: formatFaultSpec(faults), seed: faults.seed }
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ resultsUrl: emulator.resultsUrl, jobs: envs, ...(replay ? { faults: replay } : {}) })}\n`
    )
  } else {
    process.stdout.write(
      `# results service at ${emulator.resultsUrl} (blobs at ${emulator.blobEndpoint})\n`
    )
    if (replay) {
      process.stdout.write(`# faults: --faults '${replay.spec}' --seed ${replay.seed}\n`)
    }
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
