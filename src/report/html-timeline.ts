/**
 * The time line as inline SVG for the HTML report: a band per worker, its jobs packed into
 * lanes (a worker with k slots needs about k), a bar per job attempt (red when it failed) with
 * its name and times in a tooltip, and a time axis. Pure; no script, no external asset.
 */
import { html } from './html-text.js'
import type { Timeline, TimelineBar } from './timeline.js'

const LANE = 14
const GAP = 8
const LABEL = 130
const WIDTH = 960

/** The SVG element, or a paragraph when nothing ran. */
export function timelineSvg(timeline: Timeline): string {
  if (timeline.bars.length === 0) return '<p>No job ran on a worker.</p>'
  const span = Math.max(1, timeline.durationMs)
  const plot = WIDTH - LABEL - 10
  const x = (ms: number): number => LABEL + (plot * ms) / span
  const parts: string[] = []
  let y = 20
  for (const worker of timeline.workers) {
    const lanes = packLanes(timeline.bars.filter(b => b.worker === worker))
    const height = Math.max(1, lanes.length) * LANE
    parts.push(
      `<text x="4" y="${y + Math.min(height, LANE) - 3}" class="w">${html(worker)}</text>`,
      `<line x1="${LABEL}" x2="${WIDTH - 10}" y1="${y + height + GAP / 2}" y2="${y + height + GAP / 2}" class="sep"/>`
    )
    lanes.forEach((lane, i) => {
      for (const bar of lane) {
        const left = x(bar.startMs)
        const w = Math.max(1, x(bar.endMs) - left)
        const tip = `${bar.job}${bar.attempt > 1 ? ` (attempt ${bar.attempt})` : ''}: ${secs(bar.startMs)} → ${secs(bar.endMs)}${bar.failed ? ', failed' : ''}`
        parts.push(
          `<rect x="${left.toFixed(1)}" y="${y + i * LANE}" width="${w.toFixed(1)}" height="${LANE - 2}" class="${bar.failed ? 'bad' : 'ok'}"><title>${html(tip)}</title></rect>`
        )
      }
    })
    y += height + GAP
  }
  const ticks = axisTicks(span)
  for (const t of ticks) {
    parts.push(
      `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="14" y2="${y}" class="tick"/>`,
      `<text x="${x(t).toFixed(1)}" y="10" class="t">${html(clock(t))}</text>`
    )
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${WIDTH}" height="${y + 4}" viewBox="0 0 ${WIDTH} ${y + 4}" role="img" aria-label="jobs per worker over time">${parts.join('')}</svg>`
}

/** Bars placed greedily in the first lane where they fit: concurrent jobs get lanes of their own. */
function packLanes(bars: readonly TimelineBar[]): TimelineBar[][] {
  const lanes: TimelineBar[][] = []
  for (const bar of [...bars].sort((a, b) => a.startMs - b.startMs)) {
    const lane = lanes.find(l => (l[l.length - 1] as TimelineBar).endMs <= bar.startMs)
    if (lane) lane.push(bar)
    else lanes.push([bar])
  }
  return lanes
}

/** About eight round ticks across the span. */
function axisTicks(span: number): number[] {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].map(s => s * 1000)
  const step = steps.find(s => span / s <= 8) ?? Math.ceil(span / 8 / 3_600_000) * 3_600_000
  const out: number[] = []
  for (let t = 0; t <= span; t += step) out.push(t)
  return out
}

function clock(ms: number): string {
  const s = Math.round(ms / 1000)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const mmss = `${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
  return h > 0 ? `${h}:${mmss}` : mmss
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`
}
