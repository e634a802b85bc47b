/** The runner action's inputs (also the coordinator's), typed and checked. */
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
    junitPath: input.text('junit-path'),
    junitArtifact: input.text('junit-artifact'),
    summary: input.bool('summary'),
    annotations: input.bool('annotations'),
    timings: input.bool('timings'),
    failOnFlaky: input.bool('fail-on-flaky'),
    predictedWallMs: input.int('predicted-wall-ms', 0, 0)
  }
  if (inputs.junitArtifact && !inputs.junitPath) {
    throw new UsageError(
      `input 'junit-artifact': '${inputs.junitArtifact}' needs 'junit-path' to be set too`
    )
  }
  if (inputs.framework === 'commands' && !inputs.jobsFile) {
    throw new UsageError(
      "input 'jobs-file': required with framework 'commands' (a JSON array or one command per line)"
    )
  }
  return inputs
}
