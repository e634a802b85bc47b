/** The runner action's inputs (also the coordinator's), typed and checked. */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { UsageError } from '../../errors.js'
import type { RunnerInputs } from './drive-suite.js'
import * as input from '../shared/inputs.js'

export function getRunnerInputs(): RunnerInputs {
  const inputs: RunnerInputs = {
    framework: input.text('framework') || 'commands',
    args: input.words('args'),
    jobsFile: input.text('jobs-file'),
    layers: input.lines('layers'),
    workingDirectory: input.text('working-directory'),
    retries: input.int('retries', 0, 0),
    timeoutMs: input.duration('timeout', 600_000),
    localSlots: input.int('local-slots', 0, 2),
    junitPath: input.outputPath('junit-path'),
    junitArtifact: input.text('junit-artifact'),
    summary: input.bool('summary'),
    annotations: input.bool('annotations'),
    timings: input.bool('timings'),
    failOnFlaky: input.bool('fail-on-flaky'),
    htmlReport: input.bool('html-report'),
    quarantine: input.text('quarantine'),
    rerun: rerunMode(input.text('rerun')),
    passWithNoTests: input.bool('pass-with-no-tests'),
    predictedWallMs: input.int('predicted-wall-ms', 0, 0)
  }
  if (inputs.junitArtifact && !inputs.junitPath) {
    throw new UsageError(
      `input 'junit-artifact': '${inputs.junitArtifact}' needs 'junit-path' to be set too`
    )
  }
  // Checked here, before the coordinator starts anything: the file is read when the run starts.
  if (
    inputs.quarantine &&
    !existsSync(resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), inputs.quarantine))
  ) {
    throw new UsageError(
      `input 'quarantine': '${inputs.quarantine}' does not exist; expected a file of test ids relative to the workspace`
    )
  }
  if (inputs.framework === 'commands' && !inputs.jobsFile) {
    throw new UsageError(
      "input 'jobs-file': required with framework 'commands' (a JSON array or one command per line)"
    )
  }
  return inputs
}

/** `failed` (the default: on a re-run, only what failed before) or `all`. */
function rerunMode(raw: string): 'failed' | 'all' {
  if (raw === '' || raw === 'failed' || raw === 'all') return raw === 'all' ? 'all' : 'failed'
  throw new UsageError(`input 'rerun': '${raw}' is not a re-run mode; expected failed or all`)
}
