/** Start and stop: free ports, a job environment the clients accept, nothing left running. */
import { emulatorEnv, startEmulator } from '../../src/emulator/index.js'
import { parseRuntimeToken } from '../../src/results-store/index.js'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

test('starts on free ports, mints jobs of one run, and stops without leaving a process', async () => {
  const emulator = await startEmulator({ jobs: 3 })
  try {
    expect(emulator.resultsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(emulator.jobs).toHaveLength(3)
    const more = emulator.mintJob()
    expect(emulator.jobs).toHaveLength(4)
    const jobIds = emulator.jobs.map(j => parseRuntimeToken(j.token).workflowJobRunBackendId)
    expect(new Set(jobIds).size).toBe(4)
    expect(new Set(emulator.jobs.map(j => j.ids.workflowRunBackendId))).toEqual(
      new Set([emulator.runBackendId])
    )
    expect(parseRuntimeToken(more.token)).toEqual(more.ids)

    const env = emulatorEnv(emulator, 1)
    expect(env).toEqual({
      ACTIONS_RESULTS_URL: emulator.resultsUrl,
      ACTIONS_RUNTIME_TOKEN: emulator.jobs[1].token,
      ACTIONS_RUNTIME_URL: emulator.resultsUrl,
      ACTIONS_CACHE_URL: emulator.resultsUrl,
      ACTIONS_CACHE_SERVICE_V2: 'true',
      GITHUB_SERVER_URL: 'https://github.com'
    })
    expect(emulator.jobs[1].env).toEqual(env)
    expect(() => emulatorEnv(emulator, 9)).toThrow(/job 9 does not exist/)
    expect(alive(emulator.azuritePid)).toBe(true)
  } finally {
    await emulator.stop()
  }
  expect(alive(emulator.azuritePid)).toBe(false)
  await expect(fetch(emulator.resultsUrl)).rejects.toThrow()
  await expect(fetch(emulator.azuriteUrl)).rejects.toThrow()
  // Stopping twice is harmless.
  await emulator.stop()
})
