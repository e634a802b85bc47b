/**
 * `squall run --transport artifacts`: the broker and each worker get their own job in an
 * artifact store, so they share nothing but it. The emulator provides the store unless the
 * environment already points at one.
 */
import { requestCounts } from '../emulator/counters.js'
import type { Emulator } from '../emulator/index.js'

export interface ArtifactSetup {
  brokerArgs: string[]
  workerConnect: string[]
  envFor: (name: string) => NodeJS.ProcessEnv
  /** Requests by method and artifacts created, when the emulator counts them. */
  figures: () => Record<string, number>
  stop: () => Promise<void>
}

export async function artifactSetup(
  workers: number,
  clusterId: string,
  out: NodeJS.WritableStream,
  env: NodeJS.ProcessEnv = process.env
): Promise<ArtifactSetup> {
  const brokerArgs = ['--transport', 'artifacts']
  const workerConnect = [
    '--transport',
    'artifacts',
    '--cluster-id',
    clusterId,
    '--wait-timeout',
    '120s'
  ]
  if (env.ACTIONS_RESULTS_URL && env.ACTIONS_RUNTIME_TOKEN) {
    out.write(
      'squall: using the artifact store of ACTIONS_RESULTS_URL (one job token for every process)\n'
    )
    return {
      brokerArgs,
      workerConnect,
      envFor: () => ({}),
      figures: () => ({}),
      stop: async () => undefined
    }
  }
  out.write('squall: starting the results-service emulator and Azurite for the artifact store\n')
  // Loaded on use: the emulator brings the Azure SDK, which no other run needs to load.
  const { emulatorEnv, startEmulator } = await import('../emulator/index.js')
  const emulator: Emulator = await startEmulator({ jobs: workers + 1 })
  return {
    brokerArgs,
    workerConnect,
    envFor: name => {
      const index = name === 'broker' ? 0 : Number(/^worker-(\d+)$/.exec(name)?.[1] ?? 0)
      return emulatorEnv(emulator, index)
    },
    figures: () =>
      figures(emulator.counters(), jobId => {
        const index = emulator.jobs.findIndex(j => j.ids.workflowJobRunBackendId === jobId)
        return index === 0 ? 'broker' : index > 0 ? `worker-${index}` : jobId
      }),
    stop: () => emulator.stop()
  }
}

/** Twirp and blob requests by method, and artifacts created by the broker's job and each worker's. */
function figures(
  counters: Record<string, number>,
  jobName: (jobId: string) => string
): Record<string, number> {
  const requests = requestCounts(counters)
  const out: Record<string, number> = {}
  for (const [key, value] of Object.entries(counters)) {
    if (key in requests.byMethod) out[`requests.${key}`] = value
    if (key.startsWith('artifacts-created:'))
      out[`artifacts.${jobName(key.slice('artifacts-created:'.length))}`] = value
  }
  out.requests = requests.total
  return out
}
