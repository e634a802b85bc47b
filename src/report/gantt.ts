/**
 * The time line as a Mermaid gantt chart, which GitHub renders in a job summary: a section per
 * worker, a bar per job attempt (failed ones `crit`), times in ms after the run's start. Large
 * runs are bounded: past `maxBars`, consecutive jobs of a worker are drawn as one bar, so the
 * shape (idle gaps, stragglers) stays visible and the markdown stays small. Pure.
 */
import type { Timeline, TimelineBar } from './timeline.js'

export interface GanttOptions {
  /** Most bars drawn (default 120). */
  maxBars?: number
  /** Characters of a job name kept (default 60). */
  maxName?: number
}

/** The chart as a fenced ```mermaid block, with notes below it; '' when nothing ran. */
export function renderGantt(timeline: Timeline, options: GanttOptions = {}): string {
  const { bars, grouped } = bounded(timeline, options.maxBars ?? 120)
  if (bars.length === 0) return ''
  const long = timeline.durationMs >= 3_600_000
  const lines = [
    '```mermaid',
    // Compact: a worker's jobs share rows where they do not overlap (older renderers ignore it).
    '---',
    'displayMode: compact',
    '---',
    'gantt',
    `  title ${mermaidText(`Jobs per worker over ${seconds(timeline.durationMs)}`, 100)}`,
    '  dateFormat x',
    `  axisFormat ${long ? '%H:%M:%S' : '%M:%S'}`,
    '  todayMarker off'
  ]
  let n = 0
  for (const worker of timeline.workers) {
    const own = bars.filter(b => b.worker === worker)
    if (own.length === 0) continue
    lines.push(`  section ${mermaidText(worker, 60) || 'worker'}`)
    for (const bar of own) {
      n++
      const name = taskName(mermaidText(bar.job, options.maxName ?? 60)) || `job ${n}`
      const tag = bar.failed ? 'crit, ' : ''
      // A bar needs some length to be drawn at all.
      const end = Math.max(bar.endMs, bar.startMs + 1)
      lines.push(`    ${name} :${tag}t${n}, ${Math.round(bar.startMs)}, ${Math.round(end)}`)
    }
  }
  lines.push('```', '')
  const idle = timeline.workers.filter(w => !bars.some(b => b.worker === w))
  if (grouped > 0)
    lines.push(
      `${timeline.bars.length} job attempts drawn as ${bars.length} bars: consecutive jobs of a worker share a bar (red when any of them failed).`,
      ''
    )
  if (idle.length > 0)
    lines.push(`Ran no job: ${idle.map(w => mermaidText(w, 60)).join(', ')}.`, '')
  return lines.join('\n')
}

/**
 * Text safe on a Mermaid line: no `:` `;` `#` `%` (task syntax, entities, comments), no HTML
 * metacharacters (labels are HTML), no line breaks; look-alikes keep names readable.
 */
export function mermaidText(text: string, max: number): string {
  const swapped = text
    .replace(/:/g, '∶')
    .replace(/;/g, ',')
    .replace(/#/g, '♯')
    .replace(/%/g, '٪')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/&/g, '+')
    .replace(/["`]/g, "'")
    .replace(/[\\{}]/g, '/')
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return swapped.length > max ? `${swapped.slice(0, max - 1)}…` : swapped
}

/** Words that open a statement of their own at the start of a gantt line. */
const keywords =
  /^(title|section|dateformat|axisformat|tickinterval|excludes|includes|todaymarker|inclusiveenddates|topaxis|weekday|weekend|click|call|acctitle|accdescr|displaymode|gantt)\b/i

/** A task's name, kept from reading as a statement. */
function taskName(text: string): string {
  return keywords.test(text) ? `job ${text}` : text
}

/** At most `max` bars: each worker's jobs grouped in runs of consecutive ones when needed. */
function bounded(timeline: Timeline, max: number): { bars: TimelineBar[]; grouped: number } {
  if (timeline.bars.length <= max) return { bars: timeline.bars, grouped: 0 }
  const busy = timeline.workers.filter(w => timeline.bars.some(b => b.worker === w))
  const quota = Math.max(1, Math.floor(max / Math.max(1, busy.length)))
  const out: TimelineBar[] = []
  let grouped = 0
  for (const worker of busy) {
    const own = timeline.bars.filter(b => b.worker === worker)
    const size = Math.ceil(own.length / quota)
    for (let i = 0; i < own.length; i += size) {
      const group = own.slice(i, i + size)
      if (group.length === 1) {
        out.push(group[0] as TimelineBar)
        continue
      }
      grouped += group.length
      out.push({
        worker,
        job: `${group.length} jobs from ${(group[0] as TimelineBar).job}`,
        attempt: 1,
        startMs: Math.min(...group.map(b => b.startMs)),
        endMs: Math.max(...group.map(b => b.endMs)),
        failed: group.some(b => b.failed)
      })
    }
  }
  return { bars: out, grouped }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`
}
