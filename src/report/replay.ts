/** Replays a recorded event stream into reporters, as if the run were happening. */
import type { Reporter, RunEvent } from '../runner/events.js'
import { fanOut } from './fan-out.js'

/** Feeds every event to every reporter in order, then lets each one finish. */
export async function replay(
  events: Iterable<RunEvent>,
  reporters: readonly Reporter[]
): Promise<void> {
  const all = fanOut(reporters)
  for (const event of events) all.onEvent(event)
  await all.finish()
}

/** One event per line (JSON Lines), the form a recording is kept in. */
export function serializeEvents(events: Iterable<RunEvent>): string {
  let out = ''
  for (const event of events) out += `${JSON.stringify(event)}\n`
  return out
}

/** Reads JSON Lines back into events; blank lines are skipped. Throws naming the bad line. */
export function parseEvents(text: string): RunEvent[] {
  const events: RunEvent[] = []
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (error) {
      throw new Error(`event recording line ${index + 1} is not JSON: ${(error as Error).message}`)
    }
    if (
      typeof value !== 'object' ||
      value === null ||
      typeof (value as { type?: unknown }).type !== 'string'
    ) {
      throw new Error(`event recording line ${index + 1} is not an event (no "type")`)
    }
    events.push(value as RunEvent)
  })
  return events
}
