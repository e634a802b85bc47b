/** Sets process.env for the duration of a callback and restores it after, keys removed too. */
export async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = new Map<string, string | undefined>()
  for (const [k, v] of Object.entries(env)) {
    saved.set(k, process.env[k])
    process.env[k] = v
  }
  try {
    return await fn()
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

/** POSTs a Twirp JSON request the way the clients do; returns status and parsed body. */
export async function twirp(
  resultsUrl: string,
  service: 'ArtifactService' | 'CacheService',
  method: string,
  token: string | undefined,
  body: unknown
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(
    new URL(`/twirp/github.actions.results.api.v1.${service}/${method}`, resultsUrl),
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {})
      },
      body: JSON.stringify(body)
    }
  )
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }
}

/** Silences what @actions/core prints on stdout (workflow commands) for the test file. */
export function quietStdout(): () => void {
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = (() => true) as typeof process.stdout.write
  return () => {
    process.stdout.write = write
  }
}
