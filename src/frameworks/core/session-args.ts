/**
 * A warm session's user options travel in one environment variable of the session process
 * (set in the job's `session.env` at planning), as a JSON array of words: the session key
 * already depends on them, and the host reads them once at start.
 */

/** The environment that hands `words` to a session host through `variable`. */
export function sessionArgsEnv(variable: string, words: string[]): Record<string, string> {
  return { [variable]: JSON.stringify(words) }
}

/**
 * The words in `variable` (none when unset), taken out of this process's environment so the
 * tests the session runs do not see them.
 */
export function takeSessionArgs(variable: string): string[] {
  const text = process.env[variable]
  delete process.env[variable]
  return sessionArgsOf(variable, text)
}

/** The words a session's `variable` holds (`text`; none when unset). */
export function sessionArgsOf(variable: string, text: string | undefined): string[] {
  if (!text) return []
  const value: unknown = JSON.parse(text)
  if (!Array.isArray(value) || !value.every(v => typeof v === 'string')) {
    throw new Error(`${variable} must be a JSON array of strings, got ${text}`)
  }
  return value
}
