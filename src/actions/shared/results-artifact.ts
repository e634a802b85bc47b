/**
 * The results artifact each attempt's coordinator leaves (`squall-results-<base>-attempt-<n>`,
 * see rerun-record.ts for what it holds and why it is not encrypted), and how attempt N>1
 * finds the newest one of an earlier attempt. Artifacts outlive their attempt: a re-run
 * lists them with the earlier attempt's backend ids and downloads them with those.
 */
import { DefaultArtifactClient } from '@actions/artifact'
import * as core from '@actions/core'
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { errorMessage } from '../../errors.js'
import { clusterBase, runAttempt } from '../../protocol/cluster-id.js'
import type { Reporter } from '../../runner/events.js'
import { ResultsRecordReporter, parsePreviousRun } from '../../runner/rerun-record.js'
import type { PreviousRun } from '../../runner/rerun.js'
import { fileArtifactUpload } from './junit-artifact.js'

const recordFile = 'squall-results.json'

/** The results artifact of `attempt` for the cluster whose id-without-attempt is `base`. */
export function resultsArtifactName(base: string, attempt: number): string {
  return `squall-results-${base}-attempt-${attempt}`
}

/** The attempt of a results artifact of `base`, else undefined. */
export function attemptOfResults(base: string, name: string): number | undefined {
  const head = `squall-results-${base}-attempt-`
  if (!name.startsWith(head)) return undefined
  const n = Number(name.slice(head.length))
  return /^\d+$/.test(name.slice(head.length)) && n >= 1 ? n : undefined
}

/**
 * The base of a runner's results artifacts: the cluster's id without the attempt, and the
 * runner's `scope` when several runners share the cluster (a shared pool: their job names).
 */
function resultsBase(clusterId: string, scope: string, env: NodeJS.ProcessEnv): string {
  const base = clusterBase(clusterId, env)
  return scope ? `${base}-${scope}` : base
}

/** Reporters that write this attempt's record and upload it as the results artifact. */
export function resultsArtifactReporters(
  clusterId: string,
  scope = '',
  env = process.env
): Reporter[] {
  const dir = mkdtempSync(join(env.RUNNER_TEMP ?? tmpdir(), 'squall-results-'))
  const path = join(dir, recordFile)
  const name = resultsArtifactName(resultsBase(clusterId, scope, env), runAttempt(env))
  return [new ResultsRecordReporter(path), fileArtifactUpload(path, name, 'the results record')]
}

/**
 * The newest earlier attempt's results for this cluster, or undefined (with a warning saying
 * so) when there are none: then every test runs.
 */
export async function findPreviousResults(
  clusterId: string,
  scope = '',
  env = process.env
): Promise<PreviousRun | undefined> {
  const attempt = runAttempt(env)
  const base = resultsBase(clusterId, scope, env)
  const client = new DefaultArtifactClient()
  try {
    const { artifacts } = await client.listArtifacts()
    const earlier = artifacts
      .map(a => ({ artifact: a, attempt: attemptOfResults(base, a.name) }))
      .filter(
        (a): a is { artifact: typeof a.artifact; attempt: number } =>
          a.attempt !== undefined && a.attempt < attempt
      )
      .sort((a, b) => b.attempt - a.attempt)[0]
    if (!earlier) {
      core.warning(
        `attempt ${attempt}: no results of an earlier attempt of cluster '${base}' (${resultsArtifactName(base, attempt - 1)}); running every test`
      )
      return undefined
    }
    const dir = mkdtempSync(join(env.RUNNER_TEMP ?? tmpdir(), 'squall-previous-'))
    await client.downloadArtifact(earlier.artifact.id, { path: dir })
    const file = readdirSync(dir).includes(recordFile) ? recordFile : undefined
    if (!file) throw new Error(`artifact '${earlier.artifact.name}' holds no ${recordFile}`)
    const previous = parsePreviousRun(
      readFileSync(join(dir, file), 'utf8'),
      `artifact '${earlier.artifact.name}'`
    )
    core.info(
      `results of attempt ${previous.attempt} from artifact '${earlier.artifact.name}': ${previous.tests.length} test(s)`
    )
    return previous
  } catch (error) {
    core.warning(
      `could not read the results of an earlier attempt: ${errorMessage(error)}; running every test`
    )
    return undefined
  }
}
