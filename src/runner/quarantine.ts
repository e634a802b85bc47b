/**
 * Quarantine: a list of known-flaky tests that still run and are still reported, in a section
 * of their own, but whose failures do not fail the run. The list is a file of test ids, one a
 * line, `#` comments (`.squall/quarantine` under the suite root by default). An entry names a
 * test id (as in the JSON file) or a file, which quarantines every test of it. Each entry keeps
 * a pass streak in the timing history (entries that leave the list leave it too); one that
 * passed `removeAfter` runs in a row is suggested for removal.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { UsageError, errorMessage } from '../errors.js'
import { failingOutcomes, type QuarantineSummary, type TestOutcome } from './events.js'
import type { TimingStore } from './timings.js'

/** Passes in a row after which a quarantined test is suggested for removal. */
export const DEFAULT_REMOVE_AFTER = 10

/** The quarantine a run applies. */
export interface Quarantine {
  /** Entries: test ids or files. */
  ids: string[]
  /** Default DEFAULT_REMOVE_AFTER. */
  removeAfter?: number
}

/** `<cwd>/.squall/quarantine`. */
export function defaultQuarantinePath(cwd: string): string {
  return join(cwd, '.squall', 'quarantine')
}

/** The ids of a quarantine file: blank lines and `#` comments (whole-line or after a space) dropped. */
export function parseQuarantine(text: string): string[] {
  const ids: string[] = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim()
    if (line !== '' && !ids.includes(line)) ids.push(line)
  }
  return ids
}

/**
 * Reads a quarantine file. `given` names the option a path came from (`--quarantine`, input
 * `quarantine`): then a missing file is a usage error. The default path may be missing.
 */
export async function readQuarantine(path: string, given?: string): Promise<string[]> {
  try {
    return parseQuarantine(await readFile(path, 'utf8'))
  } catch (error) {
    if (given === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new UsageError(
      `${given ?? 'quarantine file'}: cannot read '${path}' (${errorMessage(error)}); expected a file of test ids, one per line`
    )
  }
}

/**
 * Marks the tests the quarantine names, updates each entry's pass streak in `history` and says
 * what happened. An entry passes a run when its tests ran, none failed or was flaky and at
 * least one passed; a failure sets its streak to 0; a run where it did not run leaves it.
 */
export function applyQuarantine(
  tests: readonly TestOutcome[],
  quarantine: Quarantine | undefined,
  history: TimingStore
): { tests: TestOutcome[]; summary?: QuarantineSummary } {
  if (!quarantine) return { tests: [...tests] }
  // Entries that left the list keep no streak: the history holds only the list's.
  for (const id of history.streakIds())
    if (!quarantine.ids.includes(id)) history.setPassStreak(id, undefined)
  if (quarantine.ids.length === 0) return { tests: [...tests] }
  const removeAfter = quarantine.removeAfter ?? DEFAULT_REMOVE_AFTER
  const entries = quarantine.ids.map(id => {
    const own = tests.filter(t => t.id === id || t.file === id)
    const bad = own.some(t => failingOutcomes.has(t.outcome) || t.outcome === 'flaky')
    const passed = own.some(t => t.outcome === 'passed')
    const before = history.passStreak(id)
    const streak = bad ? 0 : passed ? before + 1 : before
    history.setPassStreak(id, streak)
    return { id, tests: own.length, streak }
  })
  const named = (t: TestOutcome): boolean => quarantine.ids.some(id => t.id === id || t.file === id)
  const marked = tests.map(t => (named(t) ? { ...t, quarantined: true as const } : t))
  const held = marked.filter(t => t.quarantined === true)
  return {
    tests: marked,
    summary: {
      tests: held.length,
      failed: held.filter(t => isHeld(t)).length,
      removeAfter,
      entries
    }
  }
}

/** A quarantined test whose outcome would otherwise count against the run. */
export function isHeld(test: TestOutcome): boolean {
  return (
    test.quarantined === true && (failingOutcomes.has(test.outcome) || test.outcome === 'flaky')
  )
}

/** Entries that passed `removeAfter` runs in a row: candidates to leave the list. */
export function removable(summary: QuarantineSummary): QuarantineSummary['entries'] {
  return summary.entries.filter(e => e.streak >= summary.removeAfter)
}
