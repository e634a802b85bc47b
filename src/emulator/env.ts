/** The environment a job of an emulated run sees: what the runner exports to actions. */

/** The variables the artifact and cache clients read, pointed at the emulator. */
export function jobEnv(resultsUrl: string, token: string): Record<string, string> {
  return {
    ACTIONS_RESULTS_URL: resultsUrl,
    ACTIONS_RUNTIME_TOKEN: token,
    ACTIONS_RUNTIME_URL: resultsUrl,
    ACTIONS_CACHE_URL: resultsUrl,
    ACTIONS_CACHE_SERVICE_V2: 'true',
    // Any other host makes the clients take the run for GHES and refuse.
    GITHUB_SERVER_URL: 'https://github.com'
  }
}
